//! A contact in a static segment.

use sea_orm::entity::prelude::*;

kernel::entity!(table "segment_members" {
    pub organization_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub segment_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub contact_id: Uuid,
    pub added_at: DateTimeUtc,
});
