// One page of contacts, typed end to end: the query below is checked against schema.graphql by
// `npm run codegen`, and the code using its result by `tsc`. Rename or remove a field it selects
// in the schema and `./check.sh` fails.

import { execute } from './client';
import { graphql } from './gql';
import type { ContactsPageQuery, ContactsPageQueryVariables } from './gql/graphql';

export const ContactsPageDocument = graphql(`
  query ContactsPage($first: Int, $after: String, $search: String) {
    contacts(first: $first, after: $after, search: $search) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          firstName
          lastName
          email
          createdAt
          company {
            id
            name
          }
        }
      }
    }
  }
`);

/** The contacts connection of one page, as the server returns it. */
export type ContactsPage = ContactsPageQuery['contacts'];
/** One contact of a page. */
export type ContactsPageContact = ContactsPage['edges'][number]['node'];

/**
 * Fetches one page of the caller's contacts (`first` at most what the server allows; `after` the
 * previous page's `pageInfo.endCursor`; `search` matches names, e-mail, company...).
 */
export async function fetchContacts(
  endpoint: string,
  token: string,
  variables: ContactsPageQueryVariables = {},
): Promise<ContactsPage> {
  const data = await execute(endpoint, token, ContactsPageDocument, variables);
  return data.contacts;
}

/** A row of a contacts table, built from the typed fields of the query. */
export interface ContactRow {
  id: string;
  name: string;
  email: string;
  company: string;
  /** When the contact was created, as a Date (the API sends RFC 3339 text). */
  created: Date;
}

export function toRow(contact: ContactsPageContact): ContactRow {
  return {
    id: contact.id,
    name: `${contact.firstName} ${contact.lastName ?? ''}`.trim(),
    email: contact.email ?? '',
    company: contact.company?.name ?? '',
    created: new Date(contact.createdAt),
  };
}

/** "First Last <email> (Company)" for each contact of a page. */
export function contactLabels(page: ContactsPage): string[] {
  return page.edges.map(({ node }) => {
    const row = toRow(node);
    const email = row.email ? ` <${row.email}>` : '';
    const company = row.company ? ` (${row.company})` : '';
    return `${row.name}${email}${company}`;
  });
}

/** Every contact matching `search`, page by page (`pageSize` per request). */
export async function* allContacts(
  endpoint: string,
  token: string,
  search?: string,
  pageSize = 50,
): AsyncGenerator<ContactsPageContact> {
  let after: string | null | undefined;
  do {
    const page = await fetchContacts(endpoint, token, { first: pageSize, after, search });
    for (const { node } of page.edges) yield node;
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined;
  } while (after);
}
