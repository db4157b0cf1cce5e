//! Where contacts come from (a settings list).

use sea_orm::entity::prelude::*;

kernel::entity!(object "traffic_sources" {
    pub name: String,
    pub description: Option<String>,
    pub position: i32,
});
