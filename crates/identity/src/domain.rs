//! What every domain crate gives the gateway: its GraphQL roots, its shared state and its
//! request-scoped DataLoaders. The gateway lists the crates once (`gateway::schema`) and merges
//! their roots at one level; adding a crate's first resolver with a loader touches nothing in
//! the gateway but that list.

use std::borrow::Cow;

use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::{
    ContainerType, Context, ContextSelectionSet, Data, ObjectType, OutputType, Positioned,
    SchemaBuilder, ServerResult, SubscriptionType, Value,
};
use futures_util::future::BoxFuture;
use kernel::Store;
use sea_orm::DatabaseConnection;

use crate::hooks::Hooks;

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
    /// platform's own state (the store, `IdentityState`) is there already.
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

    /// Registers what the crate adds to identity's flows (`crate::hooks`), once, before the
    /// identity state is built.
    fn hooks(_hooks: &mut Hooks) {}
}

/// A domain's query or mutation root whose field futures are boxed.
///
/// A derived merge awaits each merged root's future inside its own, so the future type of the
/// served root nests every domain's merge of every aggregate: deeper than the compiler's default
/// recursion limit. The gateway merges domains through this wrapper, which keeps each domain's
/// future behind a pointer and its type erased (one allocation per root field: the compiler
/// neither lays out nor proves `Send` for the whole nest at once), and a domain whose own merge
/// is wide boxes its aggregates' roots the same way, so no crate needs a raised
/// `recursion_limit`. It is invisible in the schema: name, fields and resolution are the
/// wrapped root's own.
#[derive(Default)]
pub struct BoxedRoot<T>(T);

impl<T: ObjectType> OutputType for BoxedRoot<T> {
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        T::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let future: BoxFuture<'_, _> = Box::pin(self.0.resolve(ctx, field));
        future.await
    }
}

impl<T: ObjectType> ContainerType for BoxedRoot<T> {
    fn is_empty() -> bool {
        T::is_empty()
    }

    async fn resolve_field(&self, ctx: &Context<'_>) -> ServerResult<Option<Value>> {
        let future: BoxFuture<'_, _> = Box::pin(self.0.resolve_field(ctx));
        future.await
    }

    async fn find_entity(&self, ctx: &Context<'_>, params: &Value) -> ServerResult<Option<Value>> {
        let future: BoxFuture<'_, _> = Box::pin(self.0.find_entity(ctx, params));
        future.await
    }
}

impl<T: ObjectType> ObjectType for BoxedRoot<T> {}
