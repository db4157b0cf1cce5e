use sea_orm::entity::prelude::*;

kernel::entity!(object "teams" {
    pub name: String,
    pub description: Option<String>,
    pub lead_id: Option<Uuid>,
});
