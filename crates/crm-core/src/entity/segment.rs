//! A saved contact filter (dynamic) or a hand-picked list (static).

use sea_orm::entity::prelude::*;

kernel::entity!(object "segments", soft_delete {
    pub name: String,
    pub description: Option<String>,
    pub kind: String,
    pub filter: Option<Json>,
    pub created_by_id: Option<Uuid>,
});
