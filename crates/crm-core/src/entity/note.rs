//! A note on a CRM object.

use sea_orm::entity::prelude::*;

kernel::entity!(object "notes", soft_delete {
    pub title: Option<String>,
    pub body: String,
    pub pinned: bool,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    pub author_id: Option<Uuid>,
});
