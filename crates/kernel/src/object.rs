//! Tenant-owned objects: one trait per table names its organization, id and (for objects with
//! soft delete) deleted-at columns, and provides the ways in that keep to one organization.
//!
//! A table implements [`TenantTable`] (link tables) or [`TenantObject`] (tables of objects with
//! an id) with [`tenant_object!`](crate::tenant_object); the provided functions then do what
//! each object used to write by hand:
//!
//! - [`TenantTable::scoped`], [`TenantTable::update_scoped`], [`TenantTable::delete_scoped`]:
//!   the statements every read and bulk write start from, already limited to the caller's
//!   organization. Going without them means spelling out `Entity::find()` and the organization
//!   condition oneself, which review and the tenancy tests look for.
//! - [`TenantObject::find_in`] / [`TenantObject::require_in`]: one object by id in the
//!   organization (`NOT_FOUND` with the object's label; another organization's object looks
//!   exactly like a random id).
//! - [`TenantObject::delete_in`]: the scoped delete statement behind a destroy, and
//!   [`TenantTable::clear_references`] / [`TenantTable::delete_references`]: the scoped
//!   statements that unlink or remove what pointed at it.
//! - [`SoftDeletable::deleted`] and [`SoftDeletable::set_deleted`]: the state behind delete and
//!   restore, so the audited operations (in the crate that owns the audit log) are generic.
//!
//! ```
//! use kernel::object::TenantTable;
//! use kernel::{AppResult, TenantScope};
//! use sea_orm::{ConnectionTrait, QueryFilter, ColumnTrait};
//!
//! mod widget {
//!     use sea_orm::entity::prelude::*;
//!
//!     #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
//!     #[sea_orm(table_name = "widgets")]
//!     pub struct Model {
//!         #[sea_orm(primary_key, auto_increment = false)]
//!         pub id: Uuid,
//!         pub organization_id: Uuid,
//!         pub name: String,
//!         pub updated_at: DateTimeUtc,
//!         pub deleted_at: Option<DateTimeUtc>,
//!     }
//!
//!     #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
//!     pub enum Relation {}
//!
//!     impl ActiveModelBehavior for ActiveModel {}
//! }
//!
//! kernel::tenant_object!(widget, "Widget", soft_delete);
//!
//! /// The caller's widgets named `name`: the scoped select already holds the organization.
//! async fn named(
//!     db: &impl ConnectionTrait,
//!     scope: TenantScope,
//!     name: &str,
//! ) -> AppResult<Vec<widget::Model>> {
//!     Ok(widget::Entity::scoped(scope)
//!         .filter(widget::Column::Name.eq(name))
//!         .all(db)
//!         .await?)
//! }
//! ```

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DeleteMany,
    EntityTrait, IntoActiveModel, ModelTrait, QueryFilter, Select, UpdateMany, Value,
};
use serde::Serialize;
use uuid::Uuid;

use crate::auth::TenantScope;
use crate::error::{AppError, AppResult};

/// A table whose rows each belong to one organization.
#[expect(
    clippy::disallowed_methods,
    reason = "the scoped statements are built here, from the unscoped ones"
)]
pub trait TenantTable: EntityTrait {
    const ORGANIZATION_ID: Self::Column;

    /// The organization condition itself: the one place it is written. Also for conditions
    /// built by hand (positions, subqueries).
    fn in_scope(scope: TenantScope) -> Condition {
        Condition::all().add(Self::ORGANIZATION_ID.eq(scope.organization_id()))
    }

    /// Every row of the organization in scope: where every read starts.
    fn scoped(scope: TenantScope) -> Select<Self> {
        Self::find().filter(Self::in_scope(scope))
    }

    /// An update of rows of the organization in scope (add the other conditions).
    fn update_scoped(scope: TenantScope) -> UpdateMany<Self> {
        Self::update_many().filter(Self::in_scope(scope))
    }

    /// A delete of rows of the organization in scope (add the other conditions).
    fn delete_scoped(scope: TenantScope) -> DeleteMany<Self> {
        Self::delete_many().filter(Self::in_scope(scope))
    }

    /// Sets the nullable reference `column` to null wherever it points at `id`, in the
    /// organization in scope: what goes before the object `id` is destroyed.
    fn clear_references(scope: TenantScope, column: Self::Column, id: Uuid) -> UpdateMany<Self> {
        Self::update_scoped(scope)
            .col_expr(column, Expr::value(Option::<Uuid>::None))
            .filter(column.eq(id))
    }

    /// Deletes the rows whose `column` points at `id`, in the organization in scope: what goes
    /// with the object `id` when it is destroyed (links, dependent rows).
    fn delete_references(scope: TenantScope, column: Self::Column, id: Uuid) -> DeleteMany<Self> {
        Self::delete_scoped(scope).filter(column.eq(id))
    }
}

/// A tenant table of objects: rows with an id, a label for errors and audit rows, and usually
/// an `updated_at`.
pub trait TenantObject:
    TenantTable<
        Model: Serialize + Clone + Send + Sync + IntoActiveModel<Self::ActiveModel>,
        ActiveModel: ActiveModelTrait<Entity = Self> + ActiveModelBehavior + Send,
    >
{
    /// The object's name in errors and audit rows ("Contact").
    const LABEL: &'static str;
    const ID: Self::Column;
    /// Touched by every change, when the table has it.
    const UPDATED_AT: Option<Self::Column>;

    /// The id of a row.
    fn id_of(model: &Self::Model) -> Uuid;

    /// One row by id in the organization, or `None`.
    fn find_in(
        db: &impl ConnectionTrait,
        scope: TenantScope,
        id: Uuid,
    ) -> impl Future<Output = AppResult<Option<Self::Model>>> + Send {
        let select = Self::scoped(scope).filter(Self::ID.eq(id));
        async move { Ok(select.one(db).await?) }
    }

    /// One row by id in the organization, or `NOT_FOUND` naming the object.
    fn require_in(
        db: &impl ConnectionTrait,
        scope: TenantScope,
        id: Uuid,
    ) -> impl Future<Output = AppResult<Self::Model>> + Send {
        let found = Self::find_in(db, scope, id);
        async move { found.await?.ok_or_else(|| AppError::not_found(Self::LABEL)) }
    }

    /// The scope of the organization a row read from this table belongs to: how a resolver
    /// reaches further data of a row it was given, without naming an organization itself.
    #[expect(
        clippy::disallowed_methods,
        reason = "the organization the row itself names, read from the database"
    )]
    fn scope_of(model: &Self::Model) -> TenantScope {
        match model.get(Self::ORGANIZATION_ID) {
            Value::Uuid(Some(id)) => TenantScope::trusted(id),
            other => unreachable!("{} has a UUID organization, not {other:?}", Self::LABEL),
        }
    }

    /// The statement that removes one row of the organization for good.
    fn delete_in(scope: TenantScope, id: Uuid) -> DeleteMany<Self> {
        Self::delete_scoped(scope).filter(Self::ID.eq(id))
    }
}

/// A tenant object with soft delete: a `deleted_at` column, set by delete and cleared by
/// restore.
pub trait SoftDeletable: TenantObject {
    const DELETED_AT: Self::Column;

    /// When the row was deleted; `None` while it is live.
    fn deleted(model: &Self::Model) -> Option<DateTime<Utc>> {
        match model.get(Self::DELETED_AT) {
            Value::ChronoDateTimeUtc(Some(at)) => Some(at),
            _ => None,
        }
    }

    /// The row with `deleted_at` set to `deleted` (and `updated_at` to `at`), ready to write.
    fn set_deleted(
        model: Self::Model,
        deleted: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    ) -> Self::ActiveModel {
        let mut active = model.into_active_model();
        active.set(Self::DELETED_AT, Value::ChronoDateTimeUtc(deleted));
        if let Some(updated_at) = Self::UPDATED_AT {
            active.set(updated_at, Value::ChronoDateTimeUtc(Some(at)));
        }
        active
    }
}

/// Implements [`TenantObject`] (and with `soft_delete`, [`SoftDeletable`]) for the entity of
/// a SeaORM module whose columns are named `Id`, `OrganizationId`, `UpdatedAt` and
/// `DeletedAt`; `no_updated_at` for a table without `updated_at`; `table` for a link table
/// ([`TenantTable`] only).
#[macro_export]
macro_rules! tenant_object {
    ($module:path, table) => {
        const _: () = {
            use $module as object;
            impl $crate::object::TenantTable for object::Entity {
                const ORGANIZATION_ID: object::Column = object::Column::OrganizationId;
            }
        };
    };
    ($module:path, $label:literal) => {
        $crate::tenant_object!(@object $module, $label, Some);
    };
    ($module:path, $label:literal, no_updated_at) => {
        $crate::tenant_object!(@object $module, $label, None);
    };
    ($module:path, $label:literal, soft_delete) => {
        $crate::tenant_object!(@object $module, $label, Some);
        const _: () = {
            use $module as object;
            impl $crate::object::SoftDeletable for object::Entity {
                const DELETED_AT: object::Column = object::Column::DeletedAt;
            }
        };
    };
    (@object $module:path, $label:literal, $updated:ident) => {
        $crate::tenant_object!($module, table);
        const _: () = {
            use $module as object;
            impl $crate::object::TenantObject for object::Entity {
                const LABEL: &'static str = $label;
                const ID: object::Column = object::Column::Id;
                const UPDATED_AT: Option<object::Column> =
                    $crate::tenant_object!(@updated $updated, object);

                fn id_of(model: &object::Model) -> uuid::Uuid {
                    model.id
                }
            }
        };
    };
    (@updated Some, $object:ident) => {
        Some($object::Column::UpdatedAt)
    };
    (@updated None, $object:ident) => {
        None
    };
}
