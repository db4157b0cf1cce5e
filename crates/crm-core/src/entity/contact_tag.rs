//! A tag on a contact.

use sea_orm::entity::prelude::*;

kernel::entity!(table "contact_tags" {
    pub organization_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub contact_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub tag_id: Uuid,
    pub created_at: DateTimeUtc,
});
