use sea_orm::entity::prelude::*;

kernel::entity!(object "users" {
    #[sea_orm(unique)]
    pub email: String,
    #[serde(skip)]
    pub password_hash: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub avatar_url: Option<String>,
    pub role: String,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub timezone: String,
    pub locale: String,
    pub team_id: Option<Uuid>,
    pub manager_id: Option<Uuid>,
    pub is_active: bool,
    pub is_staff: bool,
    pub is_superuser: bool,
    pub last_login: Option<DateTimeUtc>,
    /// Bumped to end every session (logout, password change, deactivation); access tokens carry
    /// the version they were issued under and are refused once it moves on.
    pub session_version: i32,
});
