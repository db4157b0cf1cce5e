//! Directory slice of the CRM: custom fields, settings lists (contact statuses, services,
//! traffic sources), tags, companies and contacts.

pub mod companies;
pub mod contacts;
pub mod custom_fields;
pub mod loader;
pub mod search;
pub mod settings;
pub mod tags;
