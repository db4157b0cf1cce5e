//! crm-core: the CRM, on the identity and kernel foundations. Contacts, companies, leads,
//! pipelines, deals, activities, notes, tags, segments, custom fields, import, export and the
//! client portal. Services hold all database work and rules and take the caller's
//! [`kernel::AuthContext`]; resolvers only translate.

pub mod crm;
pub mod entity;
pub mod graphql;
