//! GraphQL surface of notes.

use async_graphql::{Context, Object};
use identity::loader::load_user;
use identity::users::graphql::User;
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

identity::object_queries! {
    /// Note queries.
    pub struct NoteQuery for Note;
    /// One note; null if absent, in another organization or not visible to the caller.
    get note = service::get_note;
    /// The notes the caller may read: pinned first, then newest, unless ordered otherwise.
    list notes(NoteFilterInput, NoteOrderByInput) = service::list_notes;
}

identity::object_mutations! {
    /// Note mutations.
    pub struct NoteMutation for Note(note::Entity);
    /// Writes a note on records the caller may read; the caller is its author.
    create create_note(NoteCreateInput) = service::create_note;
    /// Updates a note (its author, MANAGER, ADMIN).
    update update_note(NoteUpdateInput) = service::update_note;
    /// Soft-deletes a note (its author, MANAGER, ADMIN). Deleting one that is already deleted returns it
    /// unchanged.
    delete delete_note;
    /// Restores a soft-deleted note (its author, MANAGER, ADMIN). Restoring one that is not deleted returns it
    /// unchanged.
    restore restore_note;
    /// Deletes a note for good (ADMIN).
    destroy destroy_note;
}
