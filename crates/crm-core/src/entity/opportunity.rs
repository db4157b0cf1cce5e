//! A sales opportunity (deal).

use sea_orm::entity::prelude::*;

kernel::entity!(object "opportunities", soft_delete {
    pub name: String,
    pub description: Option<String>,
    pub value: Decimal,
    pub currency: String,
    pub probability: Decimal,
    pub weighted_value: Decimal,
    pub expected_close_date: Option<Date>,
    pub actual_close_date: Option<Date>,
    pub pipeline_id: Uuid,
    pub stage_id: Uuid,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub status: String,
    pub loss_reason: Option<String>,
    pub competitor: Option<String>,
    pub next_step: Option<String>,
    pub tags: Json,
    pub custom_fields: Json,
    pub last_activity_at: Option<DateTimeUtc>,
    pub stage_changed_at: DateTimeUtc,
    pub owner_id: Option<Uuid>,
});
