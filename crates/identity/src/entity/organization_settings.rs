use sea_orm::entity::prelude::*;

kernel::entity!(table "organization_settings" {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    pub default_currency: String,
    pub timezone: String,
    pub locale: String,
    pub sales_rep_visibility: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
});
