//! SeaORM models of crm-core's tables, and nothing else: no business rules, no GraphQL.

pub mod activity;
pub mod audit_log;
pub mod company;
pub mod contact;
pub mod contact_service;
pub mod contact_status;
pub mod contact_tag;
pub mod custom_field_definition;
pub mod invitation;
pub mod lead;
pub mod line_item;
pub mod note;
pub mod opportunity;
pub mod organization;
pub mod organization_settings;
pub mod pipeline;
pub mod refresh_token;
pub mod segment;
pub mod segment_member;
pub mod service;
pub mod stage;
pub mod stage_history;
pub mod tag;
pub mod team;
pub mod traffic_source;
pub mod user;
