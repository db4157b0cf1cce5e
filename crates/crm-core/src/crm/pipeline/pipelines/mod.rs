//! Pipelines and their ordered stages. Every organization has exactly one default pipeline.

pub mod graphql;
pub mod service;
