//! A saved link.

use sea_orm::entity::prelude::*;

kernel::entity!(object "bookmarks", soft_delete {
    pub title: String,
    pub url: String,
});
