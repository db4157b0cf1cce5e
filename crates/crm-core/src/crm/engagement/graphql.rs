//! The engagement slice's GraphQL roots, merged from its aggregates.

use async_graphql::MergedObject;

use super::activities::graphql::{ActivityMutation, ActivityQuery};
use super::leads::graphql::{LeadMutation, LeadQuery};
use super::notes::graphql::{NoteMutation, NoteQuery};

/// Queries of the engagement slice.
#[derive(MergedObject, Default)]
pub struct EngagementQuery(LeadQuery, ActivityQuery, NoteQuery);

/// Mutations of the engagement slice.
#[derive(MergedObject, Default)]
pub struct EngagementMutation(LeadMutation, ActivityMutation, NoteMutation);
