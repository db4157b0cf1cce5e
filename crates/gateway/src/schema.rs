//! The served schema: every domain crate's roots merged, with limits and shared data.

use analytics::graphql::{AnalyticsMutation, AnalyticsQuery};
use async_graphql::{MergedObject, MergedSubscription, SDLExportOptions, Schema, SchemaBuilder};
use checklists::graphql::{ChecklistsMutation, ChecklistsQuery};
use crm_core::CoreState;
use crm_core::graphql::{CrmMutation, CrmQuery, CrmSubscription};
use productivity_sync::graphql::{ProductivityMutation, ProductivityQuery};
use tasks_templates::graphql::{TasksMutation, TasksQuery};

use crate::limits::{Limits, QueryLimits};

/// All queries.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    CrmQuery,
    ChecklistsQuery,
    TasksQuery,
    ProductivityQuery,
    AnalyticsQuery,
);

/// All mutations.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    CrmMutation,
    ChecklistsMutation,
    TasksMutation,
    ProductivityMutation,
    AnalyticsMutation,
);

/// All subscriptions.
#[derive(MergedSubscription, Default)]
#[graphql(name = "Subscription")]
pub struct SubscriptionRoot(CrmSubscription);

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

/// Builds the served schema around crm-core's state.
pub fn build_schema(core: &CoreState, options: SchemaOptions) -> AppSchema {
    let limits = QueryLimits {
        introspection: !options.production,
        ..options.limits
    };
    let mut builder = builder(limits);
    if options.production {
        builder = builder.disable_introspection().disable_suggestions();
    }
    crm_core::graphql::install(builder, core).finish()
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
