//! A service the organization offers (a settings list).

use sea_orm::entity::prelude::*;

kernel::entity!(object "services" {
    pub name: String,
    pub description: Option<String>,
    pub position: i32,
});
