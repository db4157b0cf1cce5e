//! A prospective customer before qualification.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "leads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub job_title: Option<String>,
    pub website: Option<String>,
    pub source: Option<String>,
    pub source_detail: Option<String>,
    pub status: String,
    pub substatus: Option<String>,
    pub score: Option<i32>,
    pub score_breakdown: Option<Json>,
    pub grade: Option<String>,
    pub estimated_value: Option<Decimal>,
    pub currency: Option<String>,
    pub probability: Option<Decimal>,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
    pub referrer_url: Option<String>,
    pub landing_page: Option<String>,
    pub notes: Option<String>,
    pub tags: Json,
    pub custom_fields: Json,
    pub converted_contact_id: Option<Uuid>,
    pub converted_opportunity_id: Option<Uuid>,
    pub campaign_id: Option<Uuid>,
    pub last_activity_at: Option<DateTimeUtc>,
    pub first_responded_at: Option<DateTimeUtc>,
    pub qualified_at: Option<DateTimeUtc>,
    pub converted_at: Option<DateTimeUtc>,
    pub owner_id: Option<Uuid>,
    pub assigned_to_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
