//! GraphQL surface of bookmarks.

use async_graphql::Object;
use kernel::scalars::Timestamp;
use uuid::Uuid;

use super::entity as bookmark;
use super::service::{
    self, BookmarkCreateInput, BookmarkFilterInput, BookmarkOrderByInput, BookmarkUpdateInput,
};

/// A saved link.
pub struct Bookmark(pub bookmark::Model);

#[Object]
impl Bookmark {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn url(&self) -> &str {
        &self.0.url
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
    /// Bookmark queries.
    pub struct BookmarkQuery for Bookmark;
    /// One bookmark; null if absent or in another organization.
    get bookmark = service::get_bookmark;
    /// The organization's bookmarks, newest first.
    list bookmarks(BookmarkFilterInput, BookmarkOrderByInput) = service::list_bookmarks;
}

identity::object_mutations! {
    /// Bookmark mutations.
    pub struct BookmarkMutation for Bookmark(bookmark::Entity);
    /// Saves a bookmark.
    create create_bookmark(BookmarkCreateInput) = service::create_bookmark;
    /// Changes a bookmark.
    update update_bookmark(BookmarkUpdateInput) = service::update_bookmark;
    /// Soft-deletes a bookmark; deleting a deleted one returns it unchanged.
    delete delete_bookmark;
    /// Restores a bookmark; restoring a live one returns it unchanged.
    restore restore_bookmark;
    /// Deletes a bookmark for good (ADMIN).
    destroy destroy_bookmark;
}
