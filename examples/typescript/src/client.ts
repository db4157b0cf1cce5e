// A minimal typed GraphQL-over-HTTP client on the global `fetch` (Node 20+, browsers).
// Every operation is a TypedDocumentString from the generated `graphql(...)`, so the variables
// passed in and the data returned are checked against schema.graphql.

import type { TypedDocumentString } from './gql/graphql';

/** One entry of a GraphQL response's `errors` (the CRM sets `extensions.code` on every one). */
export interface GraphQLErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  extensions?: {
    /** UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, CONFLICT, LIMIT_EXCEEDED, ... */
    code?: string;
    /** BAD_USER_INPUT: the input field at fault, when there is one. */
    field?: string;
    /** RATE_LIMITED, SERVICE_UNAVAILABLE: seconds to wait before retrying. */
    retryAfter?: number;
    /** SERVICE_UNAVAILABLE: DATABASE_UNREACHABLE, CONNECTION_TIMEOUT, DATABASE_BUSY, STORAGE_FULL. */
    reason?: string;
    [key: string]: unknown;
  };
}

interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: GraphQLErrorEntry[];
}

/** A request that came back with GraphQL `errors` (or no usable answer at all). */
export class GraphQLRequestError extends Error {
  override readonly name = 'GraphQLRequestError';
  /** `extensions.code` of the first error (e.g. "UNAUTHENTICATED"); undefined if none was given. */
  readonly code: string | undefined;
  /** `extensions.retryAfter` of the first error, in seconds, when the server asked for a retry. */
  readonly retryAfter: number | undefined;

  constructor(
    readonly errors: readonly GraphQLErrorEntry[],
    /** The HTTP status (200 for ordinary GraphQL errors, 503 for SERVICE_UNAVAILABLE). */
    readonly status: number,
  ) {
    const first = errors[0];
    const code = first?.extensions?.code;
    super(`${code ?? 'GRAPHQL_ERROR'}: ${first?.message ?? 'request failed'}`);
    this.code = code;
    this.retryAfter = first?.extensions?.retryAfter;
  }
}

/**
 * Posts `document` with `variables` to `endpoint` (e.g. `http://127.0.0.1:8080/graphql`) as
 * `Authorization: Bearer <token>`, and returns its typed `data`. A response with an `errors` array
 * is thrown as a GraphQLRequestError carrying the first error's `extensions.code`.
 */
export async function execute<TResult, TVariables>(
  endpoint: string,
  token: string,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  init: { signal?: AbortSignal } = {},
): Promise<TResult> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json, application/json',
      Authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query: document.toString(), variables }),
    signal: init.signal,
  });

  let body: GraphQLResponse<TResult>;
  try {
    body = (await response.json()) as GraphQLResponse<TResult>;
  } catch {
    // Not JSON: a proxy's error page, a wrong URL, ...
    throw new GraphQLRequestError(
      [{ message: `HTTP ${response.status} ${response.statusText}`, extensions: { code: 'HTTP_ERROR' } }],
      response.status,
    );
  }

  if (body.errors && body.errors.length > 0) {
    throw new GraphQLRequestError(body.errors, response.status);
  }
  if (body.data == null) {
    throw new GraphQLRequestError(
      [{ message: `HTTP ${response.status}: no data in the response`, extensions: { code: 'HTTP_ERROR' } }],
      response.status,
    );
  }
  return body.data;
}
