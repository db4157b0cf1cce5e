//! A sales pipeline.

use sea_orm::entity::prelude::*;

kernel::entity!(object "pipelines", soft_delete {
    pub name: String,
    pub description: Option<String>,
    pub is_default: bool,
    pub is_active: bool,
});
