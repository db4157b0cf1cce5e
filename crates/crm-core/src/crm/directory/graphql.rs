//! The directory slice's GraphQL roots, merged from its aggregates.

use async_graphql::MergedObject;

use super::companies::graphql::{CompanyMutation, CompanyQuery};
use super::contacts::graphql::{ContactMutation, ContactQuery};
use super::custom_fields::graphql::{CustomFieldMutation, CustomFieldQuery};
use super::settings::graphql::{SettingsMutation, SettingsQuery};
use super::tags::graphql::{TagMutation, TagQuery};

/// Queries of the directory slice.
#[derive(MergedObject, Default)]
pub struct DirectoryQuery(
    CustomFieldQuery,
    SettingsQuery,
    TagQuery,
    CompanyQuery,
    ContactQuery,
);

/// Mutations of the directory slice.
#[derive(MergedObject, Default)]
pub struct DirectoryMutation(
    CustomFieldMutation,
    SettingsMutation,
    TagMutation,
    CompanyMutation,
    ContactMutation,
);
