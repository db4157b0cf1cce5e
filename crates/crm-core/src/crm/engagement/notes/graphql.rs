//! GraphQL surface of notes.

use async_graphql::{Context, Object};
use identity::audit::lifecycle;
use identity::loader::load_user;
use identity::users::graphql::User;
use kernel::ContextExt;
use kernel::listing::{ListArgs, ListConnection};
use kernel::scalars::Timestamp;
use uuid::Uuid;

use super::service::{self, NoteCreateInput, NoteFilterInput, NoteOrderByInput, NoteUpdateInput};
use crate::entity::note;

/// A note on a contact, company, lead or opportunity.
pub struct Note(pub note::Model);

#[Object]
impl Note {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }

    async fn body(&self) -> &str {
        &self.0.body
    }

    /// Pinned notes come first.
    async fn pinned(&self) -> bool {
        self.0.pinned
    }

    async fn contact_id(&self) -> Option<Uuid> {
        self.0.contact_id
    }

    async fn company_id(&self) -> Option<Uuid> {
        self.0.company_id
    }

    async fn lead_id(&self) -> Option<Uuid> {
        self.0.lead_id
    }

    async fn opportunity_id(&self) -> Option<Uuid> {
        self.0.opportunity_id
    }

    async fn author_id(&self) -> Option<Uuid> {
        self.0.author_id
    }

    /// Who wrote the note.
    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.0.author_id {
            Some(id) => Ok(load_user(ctx, self.0.organization_id, id).await?.map(User)),
            None => Ok(None),
        }
    }

    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    async fn updated_at(&self) -> Timestamp {
        Timestamp(self.0.updated_at)
    }

    async fn deleted_at(&self) -> Option<Timestamp> {
        self.0.deleted_at.map(Timestamp)
    }
}

/// Note queries.
#[derive(Default)]
pub struct NoteQuery;

#[Object]
impl NoteQuery {
    /// One note; null if absent, in another organization or not visible to the caller.
    async fn note(&self, ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<Option<Note>> {
        Ok(service::get_note(ctx.db()?, ctx.auth()?, id)
            .await?
            .map(Note))
    }

    /// The notes the caller may read: pinned first, then newest, unless ordered otherwise.
    async fn notes(
        &self,
        ctx: &Context<'_>,
        filter: Option<NoteFilterInput>,
        order_by: Option<Vec<NoteOrderByInput>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<ListConnection<Note>> {
        let args = ListArgs::new(ctx, filter, order_by, first, after, last, before);
        let page = service::list_notes(ctx.db()?, ctx.auth()?, &args).await?;
        Ok(page.into_connection(Note))
    }
}

/// Note mutations.
#[derive(Default)]
pub struct NoteMutation;

#[Object]
impl NoteMutation {
    /// Writes a note on records the caller may read; the caller is its author.
    async fn create_note(
        &self,
        ctx: &Context<'_>,
        data: NoteCreateInput,
    ) -> async_graphql::Result<Note> {
        Ok(Note(
            service::create_note(ctx.store()?, ctx.auth()?, data).await?,
        ))
    }

    /// Updates a note (its author, MANAGER, ADMIN).
    async fn update_note(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        data: NoteUpdateInput,
    ) -> async_graphql::Result<Note> {
        Ok(Note(
            service::update_note(ctx.store()?, ctx.auth()?, id, data).await?,
        ))
    }

    /// Soft-deletes a note (its author, MANAGER, ADMIN). Deleting one that is already deleted returns it
    /// unchanged.
    async fn delete_note(&self, ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<Note> {
        let note = lifecycle::delete::<note::Entity>(ctx.store()?, ctx.auth()?, id).await?;
        Ok(Note(note))
    }

    /// Restores a soft-deleted note (its author, MANAGER, ADMIN). Restoring one that is not deleted returns it
    /// unchanged.
    async fn restore_note(&self, ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<Note> {
        let note = lifecycle::restore::<note::Entity>(ctx.store()?, ctx.auth()?, id).await?;
        Ok(Note(note))
    }

    /// Deletes a note for good (ADMIN).
    async fn destroy_note(&self, ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<Uuid> {
        Ok(lifecycle::destroy::<note::Entity>(ctx.store()?, ctx.auth()?, id).await?)
    }
}
