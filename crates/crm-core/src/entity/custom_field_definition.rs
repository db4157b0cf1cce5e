//! A custom field an organization defines for one kind of object.

use sea_orm::entity::prelude::*;

kernel::entity!(object "custom_field_definitions" {
    pub entity_type: String,
    pub key: String,
    pub label: String,
    pub field_type: String,
    pub required: bool,
    pub options: Option<Json>,
    pub description: Option<String>,
    pub position: i32,
});
