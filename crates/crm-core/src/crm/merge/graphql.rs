//! GraphQL surface of duplicates: `contactDuplicates`, `mergeContacts`.

use async_graphql::{Context, Object, SimpleObject};
use kernel::ContextExt;
use uuid::Uuid;

use super::service::{self, DuplicateReason};
use crate::crm::directory::contacts::graphql::Contact;

/// A contact that looks like the same person.
#[derive(SimpleObject)]
pub struct ContactDuplicate {
    pub contact: Contact,
    pub reason: DuplicateReason,
}

/// Duplicate queries.
#[derive(Default)]
pub struct MergeQuery;

#[Object]
impl MergeQuery {
    /// Likely duplicates of a contact: the same e-mail, or a similar name at the same company.
    async fn contact_duplicates(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
    ) -> async_graphql::Result<Vec<ContactDuplicate>> {
        let found = service::find_duplicates(ctx.db()?, ctx.auth()?, id).await?;
        Ok(found
            .into_iter()
            .map(|d| ContactDuplicate {
                contact: Contact(d.contact),
                reason: d.reason,
            })
            .collect())
    }
}

/// Duplicate mutations.
#[derive(Default)]
pub struct MergeMutation;

#[Object]
impl MergeMutation {
    /// Merges duplicates into the primary contact in one transaction: their activities, notes,
    /// tags, services, segment memberships, leads and opportunities move to the primary, blank
    /// fields of the primary are filled from them, and they are soft-deleted.
    async fn merge_contacts(
        &self,
        ctx: &Context<'_>,
        primary_id: Uuid,
        duplicate_ids: Vec<Uuid>,
    ) -> async_graphql::Result<Contact> {
        Ok(Contact(
            service::merge_contacts(ctx.store()?, ctx.auth()?, primary_id, &duplicate_ids).await?,
        ))
    }
}
