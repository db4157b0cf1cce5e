//! This crate's wiring for the gateway (`identity::domain::Domain`).
//!
//! Until the crate's first aggregate lands its roots have no fields (GraphQL forbids an object
//! without fields, so they stand on async-graphql's field-less root); a `#[derive(MergedObject,
//! Default)]` of the crate's aggregates in their place, and its loaders in
//! `add_request_loaders`, is all it takes to serve them.

use identity::domain::Domain;

/// Checklists and guides.
pub struct Checklists;

impl Domain for Checklists {
    type Query = async_graphql::EmptyMutation;
    type Mutation = async_graphql::EmptyMutation;
    type Subscription = async_graphql::EmptySubscription;
}
