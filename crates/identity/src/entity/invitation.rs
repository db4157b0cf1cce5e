use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "invitations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub email: String,
    pub role: String,
    pub first_name: String,
    pub last_name: String,
    pub team_id: Option<Uuid>,
    /// For client-portal invitations: the contact the new CLIENT user is linked to.
    pub contact_id: Option<Uuid>,
    /// SHA-256 of the one-time token; the token itself is shown once and never stored.
    #[sea_orm(unique)]
    #[serde(skip)]
    pub token_hash: String,
    pub invited_by_id: Option<Uuid>,
    pub expires_at: DateTimeUtc,
    pub accepted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
