//! A tag for contacts.

use sea_orm::entity::prelude::*;

kernel::entity!(object "tags" {
    pub name: String,
    pub color: Option<String>,
});
