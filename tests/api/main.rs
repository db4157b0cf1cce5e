//! End-to-end tests of the GraphQL API through HTTP, as frontend teams and admins use it.
//! Every test gets a fresh database: in-memory SQLite, or PostgreSQL when
//! `CRM_TEST_DATABASE_URL` is set (see test-support).

mod audit;
mod auth;
mod helpers;
mod invitations;
mod jwt;
mod lifecycle;
mod limits;
mod migrations;
mod organizations;
mod roles;
mod schema;
mod teams;
mod tenancy;
mod users;
