//! The served schema: every domain crate's roots merged at one level, with limits and shared
//! data.

use async_graphql::{
    Data, MergedObject, MergedSubscription, ObjectType, SDLExportOptions, Schema, SchemaBuilder,
    SubscriptionType,
};
use identity::IdentityState;
use identity::domain::{BoxedRoot, Domain};
use identity::hooks::Hooks;
use kernel::Store;
use sea_orm::DatabaseConnection;

use crate::limits::{Limits, QueryLimits};

/// The domain crates the gateway serves, in the order their roots merge. A crate's first
/// resolver and loaders need nothing else from the gateway.
macro_rules! domains {
    ($($domain:ty),+ $(,)?) => {
        /// All queries.
        #[derive(MergedObject, Default)]
        #[graphql(name = "Query")]
        pub struct QueryRoot($(BoxedRoot<<$domain as Domain>::Query>),+);

        /// All mutations.
        #[derive(MergedObject, Default)]
        #[graphql(name = "Mutation")]
        pub struct MutationRoot($(BoxedRoot<<$domain as Domain>::Mutation>),+);

        /// All subscriptions.
        #[derive(MergedSubscription, Default)]
        #[graphql(name = "Subscription")]
        pub struct SubscriptionRoot($(<$domain as Domain>::Subscription),+);

        /// Every domain's shared state, into the schema.
        fn install_domains<Q, M, S>(
            builder: SchemaBuilder<Q, M, S>,
            store: &Store,
        ) -> SchemaBuilder<Q, M, S>
        where
            Q: ObjectType + 'static,
            M: ObjectType + 'static,
            S: SubscriptionType + 'static,
        {
            $(let builder = <$domain as Domain>::install(builder, store);)+
            builder
        }

        /// What every domain adds to identity's flows.
        pub fn identity_hooks() -> Hooks {
            let mut hooks = Hooks::default();
            $(<$domain as Domain>::hooks(&mut hooks);)+
            hooks
        }

        /// Fresh DataLoaders of every domain for one request (or one subscription socket).
        pub fn add_request_loaders(data: &mut Data, db: &DatabaseConnection) {
            $(<$domain as Domain>::add_request_loaders(data, db);)+
        }
    };
}

domains!(
    identity::graphql::Identity,
    crm_core::graphql::Crm,
    checklists::graphql::Checklists,
    tasks_templates::graphql::TasksTemplates,
    productivity_sync::graphql::ProductivitySync,
    analytics::graphql::Analytics,
);

/// The schema type served by the gateway.
pub type AppSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// How the schema is built for a deployment.
#[derive(Debug, Clone, Copy, Default)]
pub struct SchemaOptions {
    /// Production mode: introspection and field suggestions off.
    pub production: bool,
    pub limits: QueryLimits,
}

fn builder(limits: QueryLimits) -> SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot::default(),
    )
    .limit_recursive_depth(limits.max_recursive_depth)
    .limit_directives(limits.max_directives_per_field)
    .extension(Limits(limits))
}

/// Builds the served schema around identity's state.
pub fn build_schema(core: &IdentityState, options: SchemaOptions) -> AppSchema {
    let limits = QueryLimits {
        introspection: !options.production,
        ..options.limits
    };
    let mut builder = builder(limits);
    if options.production {
        builder = builder.disable_introspection().disable_suggestions();
    }
    // The platform's own state: the store and identity.
    let builder = builder.data(core.clone()).data(core.store().clone());
    install_domains(builder, core.store()).finish()
}

/// The SDL, sorted, exactly as committed in `schema.graphql` and printed by `crm schema`.
pub fn sdl() -> String {
    builder(QueryLimits::default()).finish().sdl_with_options(
        SDLExportOptions::new()
            .sorted_fields()
            .sorted_arguments()
            .sorted_enum_items(),
    )
}
