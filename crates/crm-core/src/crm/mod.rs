//! The CRM proper, on the identity and kernel foundations.
//!
//! - `access`: the role matrix and sales-rep visibility, shared by every slice.
//! - `bootstrap`: what a new organization starts with.
//! - `hooks`: the CRM's part in identity's flows (new organizations, portal users).
//! - `directory`: companies, contacts, settings lists, tags, custom fields.
//! - `pipeline`: pipelines, stages, opportunities, line items, stage history.
//! - `engagement`: leads and their conversion, activities, notes.
//! - `probability`: whole-percent probabilities, as the API exchanges them.

pub mod access;
pub mod bootstrap;
pub mod demo;
pub mod directory;
pub mod engagement;
pub mod export;
pub(crate) mod hooks;
pub mod import;
pub mod links;
pub mod merge;
pub mod pipeline;
pub mod portal;
pub mod probability;
pub mod segments;
