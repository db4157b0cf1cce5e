//! Column, key and index builders shared by the migrations, so every table follows the same
//! conventions (ARCHITECTURE.md, "Data"): UUID ids, `organization_id` with `UNIQUE (organization_id, id)`,
//! composite tenant foreign keys, timestamps with time zone.

use sea_orm_migration::prelude::*;

pub(crate) fn id(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name)
        .uuid()
        .not_null()
        .primary_key()
        .to_owned()
}

pub(crate) fn uuid(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).uuid().not_null().to_owned()
}

pub(crate) fn uuid_null(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).uuid().null().to_owned()
}

pub(crate) fn text(name: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(name).string_len(len).not_null().to_owned()
}

pub(crate) fn text_null(name: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(name).string_len(len).null().to_owned()
}

pub(crate) fn timestamp(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

pub(crate) fn timestamp_null(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

pub(crate) fn flag(name: impl IntoIden, default: bool) -> ColumnDef {
    ColumnDef::new(name)
        .boolean()
        .not_null()
        .default(default)
        .to_owned()
}

/// `UNIQUE (organization_id, id)`: the target of every composite foreign key into this table.
pub(crate) fn tenant_key(table: &str) -> IndexCreateStatement {
    Index::create()
        .name(format!("uq_{table}_tenant_id"))
        .col(Alias::new("organization_id"))
        .col(Alias::new("id"))
        .unique()
        .to_owned()
}

/// `FOREIGN KEY (organization_id, <column>) REFERENCES <parent> (organization_id, id)`.
pub(crate) fn tenant_fk(
    name: &str,
    table: impl IntoIden,
    column: impl IntoIden,
    parent: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from_tbl(table)
        .from_col(Alias::new("organization_id"))
        .from_col(column)
        .to_tbl(parent)
        .to_col(Alias::new("organization_id"))
        .to_col(Alias::new("id"))
        .to_owned()
}

pub(crate) fn org_fk(name: &str, table: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from_tbl(table)
        .from_col(Alias::new("organization_id"))
        .to_tbl(Alias::new("organizations"))
        .to_col(Alias::new("id"))
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

pub(crate) fn index(name: &str, table: impl IntoIden, columns: &[&str]) -> IndexCreateStatement {
    let mut index = Index::create().name(name).table(table).to_owned();
    for column in columns {
        index.col(Alias::new(*column));
    }
    index
}

/// A column name.
pub(crate) fn c(name: &str) -> Alias {
    Alias::new(name)
}

/// A money column, `DECIMAL(15,2)`.
pub(crate) fn money_null(name: &str) -> ColumnDef {
    ColumnDef::new(c(name)).decimal_len(15, 2).null().to_owned()
}

/// A money column that must be present.
pub(crate) fn money(name: &str) -> ColumnDef {
    ColumnDef::new(c(name))
        .decimal_len(15, 2)
        .not_null()
        .to_owned()
}

/// A percentage or quantity, `DECIMAL(precision, scale)`.
pub(crate) fn decimal(name: &str, precision: u32, scale: u32) -> ColumnDef {
    ColumnDef::new(c(name))
        .decimal_len(precision, scale)
        .not_null()
        .to_owned()
}

/// A nullable decimal.
pub(crate) fn decimal_null(name: &str, precision: u32, scale: u32) -> ColumnDef {
    ColumnDef::new(c(name))
        .decimal_len(precision, scale)
        .null()
        .to_owned()
}

/// A nullable integer.
pub(crate) fn int_null(name: &str) -> ColumnDef {
    ColumnDef::new(c(name)).integer().null().to_owned()
}

/// An integer with a default.
pub(crate) fn int(name: &str, default: i32) -> ColumnDef {
    ColumnDef::new(c(name))
        .integer()
        .not_null()
        .default(default)
        .to_owned()
}

/// Unbounded text.
pub(crate) fn long_text_null(name: &str) -> ColumnDef {
    ColumnDef::new(c(name)).text().null().to_owned()
}

/// JSON (JSONB on PostgreSQL).
pub(crate) fn json(name: &str) -> ColumnDef {
    ColumnDef::new(c(name)).json_binary().not_null().to_owned()
}

/// Nullable JSON.
pub(crate) fn json_null(name: &str) -> ColumnDef {
    ColumnDef::new(c(name)).json_binary().null().to_owned()
}

/// A nullable calendar date.
pub(crate) fn date_null(name: &str) -> ColumnDef {
    ColumnDef::new(c(name)).date().null().to_owned()
}

/// A unique index.
pub(crate) fn unique_index(
    name: &str,
    table: impl IntoIden,
    columns: &[&str],
) -> IndexCreateStatement {
    let mut index = index(name, table, columns);
    index.unique();
    index
}

/// A tenant-owned table: `id`, `organization_id`, `UNIQUE (organization_id, id)`, the
/// organization foreign key.
pub(crate) fn tenant_table(name: &str) -> TableCreateStatement {
    Table::create()
        .table(c(name))
        .col(id(c("id")))
        .col(uuid(c("organization_id")))
        .index(&mut tenant_key(name))
        .foreign_key(&mut org_fk(&format!("fk_{name}_org"), c(name)))
        .to_owned()
}

/// `created_at`, `updated_at`, and `deleted_at` for soft-deleted objects.
pub(crate) fn stamps(table: &mut TableCreateStatement, soft_delete: bool) {
    table
        .col(timestamp(c("created_at")))
        .col(timestamp(c("updated_at")));
    if soft_delete {
        table.col(timestamp_null(c("deleted_at")));
    }
}

/// A composite reference `(organization_id, column) -> parent (organization_id, id)`.
pub(crate) fn reference(
    table: &mut TableCreateStatement,
    name: &str,
    column: &str,
    parent: &str,
    cascade: bool,
) {
    let mut fk = tenant_fk(
        &format!("fk_{name}_{column}"),
        c(name),
        c(column),
        c(parent),
    );
    if cascade {
        fk.on_delete(ForeignKeyAction::Cascade);
    }
    table.foreign_key(&mut fk);
}

/// Owner and assignee columns referencing users.
pub(crate) fn people(table: &mut TableCreateStatement, name: &str, columns: &[&str]) {
    for column in columns {
        table.col(uuid_null(c(column)));
        reference(table, name, column, "users", false);
    }
}

/// A link table `(organization_id, left_id, right_id)` with both sides cascading.
pub(crate) fn link_table(
    name: &str,
    left: (&str, &str),
    right: (&str, &str),
    stamp: &str,
) -> TableCreateStatement {
    let mut table = Table::create()
        .table(c(name))
        .col(uuid(c("organization_id")))
        .col(uuid(c(left.0)))
        .col(uuid(c(right.0)))
        .col(timestamp(c(stamp)))
        .primary_key(Index::create().col(c(left.0)).col(c(right.0)))
        .foreign_key(&mut org_fk(&format!("fk_{name}_org"), c(name)))
        .to_owned();
    reference(&mut table, name, left.0, left.1, true);
    reference(&mut table, name, right.0, right.1, true);
    table
}
