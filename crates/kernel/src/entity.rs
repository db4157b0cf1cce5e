//! Declaring a SeaORM entity in the one shape every table of ours has (`kernel::entity!`).
//!
//! Every model derives the same traits, serialises in camelCase (audit snapshots), has no
//! SeaORM relations (joins are written where they are needed) and no active-model hooks. A
//! tenant-owned object also starts with its `id` (a UUID v7 key) and `organization_id` and ends
//! with its stamps; the macro writes those, so an entity file lists only what is its own.

/// Declares the module's `Model`, `Relation` and `ActiveModelBehavior`.
///
/// - `object "table" { fields }`: `id` (the key) and `organization_id`, the fields, then
///   `created_at` and `updated_at`.
/// - `object "table", soft_delete { fields }`: the same, and `deleted_at`.
/// - `table "table" { fields }`: exactly the fields given (link tables, the organization itself,
///   append-only logs).
///
/// The module imports `sea_orm::entity::prelude::*` for the derives and the field types.
///
/// ```
/// mod note {
///     use sea_orm::entity::prelude::*;
///
///     kernel::entity!(object "notes", soft_delete {
///         pub body: String,
///         pub pinned: bool,
///     });
/// }
///
/// use sea_orm::{Iden, Iterable};
///
/// let columns: Vec<String> = note::Column::iter().map(|column| column.to_string()).collect();
/// assert_eq!(
///     columns,
///     ["id", "organization_id", "body", "pinned", "deleted_at", "created_at", "updated_at"]
/// );
/// ```
#[macro_export]
macro_rules! entity {
    (object $table:literal, soft_delete { $($fields:tt)* }) => {
        $crate::entity!(object $table {
            $($fields)*
            pub deleted_at: Option<DateTimeUtc>,
        });
    };
    (object $table:literal { $($fields:tt)* }) => {
        $crate::entity!(table $table {
            #[sea_orm(primary_key, auto_increment = false)]
            pub id: Uuid,
            pub organization_id: Uuid,
            $($fields)*
            pub created_at: DateTimeUtc,
            pub updated_at: DateTimeUtc,
        });
    };
    (table $table:literal { $($fields:tt)* }) => {
        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        #[sea_orm(table_name = $table)]
        pub struct Model {
            $($fields)*
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}
