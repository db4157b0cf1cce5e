//! The generic code behind every list of the API (docs/api.md, "Lists" and "Filters and
//! ordering"): typed filter inputs, ordering with explicit NULL placement, and Relay connections
//! with opaque keyset cursors.
//!
//! A list declares its inputs with [`crate::entity_filter!`], [`crate::entity_order_by!`] and
//! [`crate::enum_filter!`]. Its service function starts from the tenant-scoped select of
//! [`TenantTable::scoped`](crate::object::TenantTable::scoped) and hands it to [`list`],
//! which applies the filter, the order and the page; the resolver only gathers the arguments
//! and the caller. From another crate (which must depend on `async-graphql`, as the derives
//! name it):
//!
//! ```no_run
//! use async_graphql::{Context, Object, SimpleObject};
//! use kernel::listing::{ListArgs, ListConnection, OrderDirection, Page, SortKey, list};
//! use kernel::object::TenantTable;
//! use kernel::{AppResult, ContextExt, Store, TenantScope};
//! use sea_orm::ConnectionTrait;
//!
//! mod user {
//!     use sea_orm::entity::prelude::*;
//!
//!     kernel::entity!(object "users", soft_delete {
//!         pub email: String,
//!         pub role: String,
//!         pub is_active: bool,
//!     });
//! }
//!
//! kernel::tenant_object!(user, "User", soft_delete);
//!
//! kernel::enum_filter!(RoleFilter, kernel::Role, "Filters on a role.");
//!
//! kernel::entity_filter! {
//!     /// Filters users.
//!     pub struct UserFilterInput {
//!         id: UuidFilter => user::Column::Id,
//!         email: StringFilter => user::Column::Email,
//!         role: RoleFilter => user::Column::Role,
//!         is_active: BooleanFilter => user::Column::IsActive,
//!         created_at: DateTimeFilter => user::Column::CreatedAt,
//!         deleted_at: DateTimeFilter => user::Column::DeletedAt,
//!     }
//! }
//!
//! kernel::entity_order_by! {
//!     /// Orders users.
//!     pub struct UserOrderByInput for user::Entity {
//!         email => user::Column::Email,
//!         created_at => user::Column::CreatedAt,
//!     }
//! }
//!
//! /// The service: the select starts in the caller's organization, soft-deleted rows only when
//! /// the filter asks about them, newest first unless ordered otherwise.
//! async fn list_users(
//!     db: &impl ConnectionTrait,
//!     scope: TenantScope,
//!     args: &ListArgs<UserFilterInput, UserOrderByInput>,
//! ) -> AppResult<Page<user::Model>> {
//!     let select = args.hide_deleted(user::Entity::scoped(scope), user::Column::DeletedAt);
//!     let newest = SortKey::new(user::Column::CreatedAt, OrderDirection::DescNullsLast);
//!     list(db, select, args, &[newest], user::Column::Id).await
//! }
//!
//! /// A user.
//! #[derive(SimpleObject)]
//! struct User {
//!     id: uuid::Uuid,
//!     email: String,
//! }
//!
//! struct Query;
//!
//! #[Object]
//! impl Query {
//!     /// Users of the caller's organization.
//!     async fn users(
//!         &self,
//!         ctx: &Context<'_>,
//!         filter: Option<UserFilterInput>,
//!         order_by: Option<Vec<UserOrderByInput>>,
//!         first: Option<i32>,
//!         after: Option<String>,
//!         last: Option<i32>,
//!         before: Option<String>,
//!     ) -> async_graphql::Result<ListConnection<User>> {
//!         let auth = ctx.auth()?;
//!         let store = ctx.store()?;
//!         let args = ListArgs::new(ctx, filter, order_by, first, after, last, before);
//!         let page = list_users(&store.db, auth.scope(), &args).await?;
//!         Ok(page.into_connection(|row| User { id: row.id, email: row.email }))
//!     }
//! }
//! # fn main() {}
//! ```

mod cursor;
mod custom;
mod filter;
mod list;
mod macros;
mod order;
mod page;

#[cfg(test)]
#[allow(
    unreachable_pub,
    reason = "the listing macros declare public inputs; here they expand in a private test module"
)]
#[allow(
    clippy::disallowed_methods,
    reason = "the tests list a table of their own, without organizations"
)]
mod tests;

pub use custom::{
    CustomFieldFilter, CustomFields, CustomFieldsCondition, MAX_CUSTOM_FIELD_CONDITIONS,
};
pub use filter::{
    BooleanFilter, DateFilter, DateTimeFilter, DecimalFilter, FilterBudget, FilterInput, IntFilter,
    MAX_FILTER_DEPTH, MAX_FILTER_NODES, MAX_IN_LIST, MAX_STRING_CHARS, NullCheck, StringFilter,
    UuidFilter,
};
pub use list::{ListArgs, list, list_ranked};
pub use order::{MAX_SORT_KEYS, OrderByInput, OrderDirection, SortKey, limit_sort_keys};
pub use page::{
    ConnectionTotals, DEFAULT_PAGE_SIZE, ListConnection, MAX_PAGE_SIZE, Page, PageArgs, Relevance,
    paginate, paginate_ranked,
};

/// What the listing macros expand to, reachable through `$crate` so that calling crates need no
/// imports of their own. Not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use async_graphql::InputObject;
    pub use sea_orm;

    pub use super::filter::{combine_filter, enum_condition, graphql_name};
}
