//! A company (account).

use sea_orm::entity::prelude::*;

kernel::entity!(object "companies", soft_delete {
    pub name: String,
    pub domain: Option<String>,
    pub industry: Option<String>,
    pub company_size: Option<String>,
    pub annual_revenue: Option<Decimal>,
    pub founded_year: Option<i32>,
    pub description: Option<String>,
    pub logo_url: Option<String>,
    pub website: Option<String>,
    pub linkedin_url: Option<String>,
    pub address_line1: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub phone: Option<String>,
    pub employee_count: Option<i32>,
    #[sea_orm(column_name = "type")]
    pub company_type: Option<String>,
    pub tier: Option<String>,
    pub health_score: Option<i32>,
    pub custom_fields: Json,
    pub owner_id: Option<Uuid>,
});
