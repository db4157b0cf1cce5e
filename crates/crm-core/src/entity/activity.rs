//! A call, e-mail, meeting, note or other interaction logged on a CRM object.

use sea_orm::entity::prelude::*;

kernel::entity!(object "activities", soft_delete {
    pub activity_type: String,
    pub subject: String,
    pub body: Option<String>,
    pub occurred_at: DateTimeUtc,
    pub duration_minutes: Option<i32>,
    pub outcome: Option<String>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    pub author_id: Option<Uuid>,
});
