//! A person the organization works with.

use sea_orm::entity::prelude::*;

kernel::entity!(object "contacts", soft_delete {
    pub first_name: String,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub company: Option<String>,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub website: Option<String>,
    pub linkedin_url: Option<String>,
    pub twitter_handle: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub status_id: Option<Uuid>,
    pub source: Option<String>,
    pub lifecycle_stage: Option<String>,
    pub score: Option<i32>,
    pub custom_fields: Json,
    pub company_id: Option<Uuid>,
    pub traffic_source_id: Option<Uuid>,
    pub last_activity_at: Option<DateTimeUtc>,
    pub owner_id: Option<Uuid>,
    pub assigned_to_id: Option<Uuid>,
    pub portal_user_id: Option<Uuid>,
});
