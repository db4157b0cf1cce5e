//! A stage of a pipeline.

use sea_orm::entity::prelude::*;

kernel::entity!(object "stages" {
    pub pipeline_id: Uuid,
    pub name: String,
    pub probability: i32,
    pub position: i32,
    pub color: Option<String>,
    pub description: Option<String>,
    pub is_won: bool,
    pub is_lost: bool,
});
