//! A service a contact is interested in.

use sea_orm::entity::prelude::*;

kernel::entity!(table "contact_services" {
    pub organization_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub contact_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub service_id: Uuid,
    pub created_at: DateTimeUtc,
});
