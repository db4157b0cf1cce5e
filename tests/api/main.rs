//! End-to-end tests of the GraphQL API through HTTP, as frontend teams and admins use it.
//! Every test gets a fresh database: in-memory SQLite, or PostgreSQL when
//! `CRM_TEST_DATABASE_URL` is set (see test-support).

#![allow(
    clippy::disallowed_methods,
    reason = "tests read and change stored rows directly, to check what the API wrote"
)]

mod activities;
mod audit;
mod auth;
mod bulk_writes;
mod companies;
mod contacts;
mod cors;
mod crm_fixtures;
mod custom_field_filters;
mod demo;
mod directory_settings;
mod export;
mod graphql_over_http;
mod helpers;
mod http_errors;
mod import;
mod invitations;
mod jwt;
mod leads;
mod lifecycle;
mod limits;
mod links;
mod merge;
mod metrics;
mod migrations;
mod opportunities;
mod organizations;
mod performance;
mod pipelines;
mod portal;
mod production;
mod query_plans;
mod repeated_operations;
mod roles;
mod schema;
mod segments;
mod teams;
mod tenancy;
mod text_safety;
mod users;
