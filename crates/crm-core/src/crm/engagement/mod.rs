//! Engagement slice of the CRM: leads and their conversion, activities and notes.
//!
//! - `leads`: leads, their full-text search and `convertLead`.
//! - `activities`: calls, e-mails, meetings and the like logged on CRM objects.
//! - `notes`: notes on the same objects.
//! - `targets`: what activities and notes hang on, shared by both.

pub mod activities;
pub mod leads;
pub mod notes;
pub mod targets;
