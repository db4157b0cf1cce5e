//! What every domain crate gives the gateway: its GraphQL roots, its shared state and its
//! request-scoped DataLoaders. The gateway lists the crates once (`gateway::schema`) and merges
//! their roots at one level; adding a crate's first resolver with a loader touches nothing in
//! the gateway but that list.

use async_graphql::{Data, ObjectType, SchemaBuilder, SubscriptionType};
use sea_orm::DatabaseConnection;

use crate::store::Store;

/// One domain crate's wiring.
pub trait Domain {
    /// The crate's queries: one merge of its aggregates' query roots (or
    /// `async_graphql::EmptyMutation`, an object without fields, until it has one).
    type Query: ObjectType + Default + 'static;
    /// The crate's mutations.
    type Mutation: ObjectType + Default + 'static;
    /// The crate's subscriptions (`async_graphql::EmptySubscription` without any).
    type Subscription: SubscriptionType + Default + 'static;

    /// Puts the crate's shared state into the schema, once, when the schema is built. The
    /// platform's own state (the store, identity) is there already.
    fn install<Q, M, S>(builder: SchemaBuilder<Q, M, S>, _store: &Store) -> SchemaBuilder<Q, M, S>
    where
        Q: ObjectType + 'static,
        M: ObjectType + 'static,
        S: SubscriptionType + 'static,
    {
        builder
    }

    /// Adds the crate's DataLoaders to one request's (or one subscription socket's) data.
    /// Loaders cache what they load, so they are made fresh for each and never shared.
    fn add_request_loaders(_data: &mut Data, _db: &DatabaseConnection) {}
}
