//! A configurable contact status with a fixed category the code reasons about.

use sea_orm::entity::prelude::*;

kernel::entity!(object "contact_statuses" {
    pub name: String,
    pub category: String,
    pub color: Option<String>,
    pub position: i32,
    pub is_default: bool,
});
