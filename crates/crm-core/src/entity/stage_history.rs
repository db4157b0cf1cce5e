//! One move of an opportunity between stages (for velocity and conversion reports).

use sea_orm::entity::prelude::*;

kernel::entity!(table "opportunity_stage_history" {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub opportunity_id: Uuid,
    pub pipeline_id: Uuid,
    pub from_stage_id: Option<Uuid>,
    pub to_stage_id: Uuid,
    pub from_status: Option<String>,
    pub to_status: String,
    pub probability: Decimal,
    pub value: Decimal,
    pub seconds_in_previous_stage: Option<i64>,
    pub changed_by_id: Option<Uuid>,
    pub changed_at: DateTimeUtc,
});
