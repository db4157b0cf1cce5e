use sea_orm::entity::prelude::*;

kernel::entity!(object "invitations" {
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
});
