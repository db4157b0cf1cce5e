//! Database conventions shared by every crate: stored enums, timestamps, write transactions,
//! bulk inserts.

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use sea_orm::sea_query::{ColumnType, Expr, ExprTrait, OnConflict};
use sea_orm::{
    AccessMode, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbBackend, DbErr, EntityTrait, IdenStatic, IntoActiveModel, Iterable,
    ModelTrait, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait, Value,
};
use uuid::Uuid;

/// An enumeration stored as lower-case text: readable in the database and in exports, and a
/// new value needs no schema change.
pub trait DbEnum: Sized + Copy + 'static {
    /// Every value, for parsing and for documentation.
    const VALUES: &'static [Self];

    /// The stored form.
    fn as_db(self) -> &'static str;

    /// Parses the stored form.
    fn from_db(value: &str) -> Option<Self> {
        Self::VALUES.iter().copied().find(|v| v.as_db() == value)
    }
}

/// Declares an enumeration that GraphQL exposes and the database stores as text: each variant
/// with its stored form, written once.
///
/// ```
/// kernel::db_enum! {
///     /// How warm a lead is.
///     pub enum Temperature {
///         Cold = "cold",
///         /// Worth a call this week.
///         Warm = "warm",
///         #[graphql(name = "ON_FIRE")]
///         Hot = "hot",
///     }
/// }
///
/// use kernel::db::DbEnum;
/// assert_eq!(Temperature::Hot.as_db(), "hot");
/// assert_eq!(Temperature::from_db("warm"), Some(Temperature::Warm));
/// ```
#[macro_export]
macro_rules! db_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        #[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$variant_meta])* $variant ),+
        }

        impl $crate::db::DbEnum for $name {
            const VALUES: &'static [Self] = &[$(Self::$variant),+];

            fn as_db(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }
        }
    };
}

/// The current time, truncated to microseconds so that SQLite and PostgreSQL store and return
/// exactly the same instant (PostgreSQL keeps microseconds), which keyset cursors rely on.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Starts a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`, so it takes the
/// write lock up front and waits on `busy_timeout` instead of failing with SQLITE_BUSY later.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let options = match db.get_database_backend() {
        DbBackend::Sqlite => TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        },
        _ => TransactionOptions {
            access_mode: Some(AccessMode::ReadWrite),
            ..Default::default()
        },
    };
    db.begin_with_options(options).await
}

/// Whether the connection is PostgreSQL (for the few places where SQL differs).
pub fn is_postgres(db: &impl ConnectionTrait) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}

/// `column IN (ids)` whose SQL text does not depend on how many ids there are: on PostgreSQL
/// `column = ANY(CAST($1 AS uuid[]))` with the ids as one array literal. A DataLoader batch
/// holds a different number of ids each time, and with one `$n` per id every size would be a
/// new statement for PostgreSQL to parse and plan and for sqlx's per-connection cache of
/// prepared statements to evict. SQLite keeps the plain list (its prepares are cheap and it
/// has no arrays).
pub fn uuid_in(backend: DbBackend, column: impl Into<Expr>, ids: &[Uuid]) -> Expr {
    match backend {
        DbBackend::Postgres => {
            let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
            let array = format!("{{{}}}", ids.join(","));
            // Written out whole: `eq` would parenthesise `(ANY(...))`, which is not SQL.
            Expr::cust_with_exprs(
                "$1 = ANY(CAST($2 AS uuid[]))",
                [column.into(), Expr::val(array)],
            )
        }
        _ => column.into().is_in(ids.iter().copied()),
    }
}

/// Rows per statement of [`insert_all`] on PostgreSQL: one JSON document, however many rows.
const RECORDSET_ROWS: usize = 5_000;
/// Bound values per statement of [`insert_all`] on SQLite (its limit is 32,766).
const SQLITE_VALUES: usize = 30_000;

/// Inserts many rows of one entity in few statements, without reading anything back (imports,
/// audit rows, scale data). PostgreSQL: `INSERT ... SELECT * FROM json_to_recordset($1)` with
/// thousands of rows in one JSON parameter, far cheaper to send and parse than a multi-row
/// `VALUES` with a parameter per cell (sea-query cannot bind arrays with NULLs, which rules out
/// `unnest`). SQLite, or a column type the JSON form does not cover: multi-row `VALUES` in
/// chunks under the bind-variable limit. Run it inside the caller's transaction.
pub async fn insert_all<E>(db: &impl ConnectionTrait, rows: &[E::Model]) -> Result<(), DbErr>
where
    E: EntityTrait,
    E::Model: Clone + IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    write_all::<E>(db, rows, Duplicates::Fail).await
}

/// [`insert_all`], skipping the rows whose `key` (a primary or unique key) already exists
/// (`ON CONFLICT (key) DO NOTHING`): links that may be there already.
pub async fn insert_missing<E>(
    db: &impl ConnectionTrait,
    rows: &[E::Model],
    key: &[E::Column],
) -> Result<(), DbErr>
where
    E: EntityTrait,
    E::Model: Clone + IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    write_all::<E>(db, rows, Duplicates::Skip(key)).await
}

/// [`insert_all`], where a row whose `key` already exists updates that row's `update` columns
/// instead (`ON CONFLICT (key) DO UPDATE`).
pub async fn upsert_all<E>(
    db: &impl ConnectionTrait,
    rows: &[E::Model],
    key: E::Column,
    update: &[E::Column],
) -> Result<(), DbErr>
where
    E: EntityTrait,
    E::Model: Clone + IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    write_all::<E>(db, rows, Duplicates::Update(key, update)).await
}

/// What a bulk write does with a row whose key exists.
#[derive(Clone, Copy)]
enum Duplicates<'a, C> {
    /// The statement fails (a unique violation).
    Fail,
    /// The row is skipped; the slice is the conflicting key.
    Skip(&'a [C]),
    /// The existing row's columns are updated; the key, then the columns.
    Update(C, &'a [C]),
}

async fn write_all<E>(
    db: &impl ConnectionTrait,
    rows: &[E::Model],
    duplicates: Duplicates<'_, E::Column>,
) -> Result<(), DbErr>
where
    E: EntityTrait,
    E::Model: Clone + IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    if rows.is_empty() {
        return Ok(());
    }
    let columns: Vec<E::Column> = E::Column::iter().collect();
    let record_types: Option<Vec<&str>> = columns
        .iter()
        .map(|column| postgres_type(column.def().get_column_type()))
        .collect();
    if let (DbBackend::Postgres, Some(types)) = (db.get_database_backend(), record_types) {
        let names: Vec<String> = columns
            .iter()
            .map(|column| format!("\"{}\"", column.as_str()))
            .collect();
        let record: Vec<String> = names
            .iter()
            .zip(&types)
            .map(|(name, ty)| format!("{name} {ty}"))
            .collect();
        let mut sql = format!(
            "INSERT INTO \"{}\" ({}) SELECT {} FROM json_to_recordset($1::json) AS r({})",
            E::default().table_name(),
            names.join(", "),
            names.join(", "),
            record.join(", ")
        );
        let quoted = |columns: &[E::Column], template: &str| -> String {
            let parts: Vec<String> = columns
                .iter()
                .map(|c| template.replace("{}", c.as_str()))
                .collect();
            parts.join(", ")
        };
        match duplicates {
            Duplicates::Fail => {}
            Duplicates::Skip(key) => {
                let key = quoted(key, "\"{}\"");
                sql.push_str(&format!(" ON CONFLICT ({key}) DO NOTHING"));
            }
            Duplicates::Update(key, update) => {
                let set = quoted(update, "\"{}\" = EXCLUDED.\"{}\"");
                sql.push_str(&format!(
                    " ON CONFLICT (\"{}\") DO UPDATE SET {set}",
                    key.as_str()
                ));
            }
        }
        for chunk in rows.chunks(RECORDSET_ROWS) {
            let mut document = Vec::with_capacity(chunk.len());
            for row in chunk {
                let mut object = serde_json::Map::with_capacity(columns.len());
                for column in &columns {
                    let value = json_cell(row.get(*column)).ok_or_else(|| {
                        DbErr::Custom(format!("cannot bulk insert {}", column.as_str()))
                    })?;
                    object.insert(column.as_str().to_owned(), value);
                }
                document.push(serde_json::Value::Object(object));
            }
            let document = serde_json::Value::Array(document).to_string();
            db.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                sql.clone(),
                [Value::String(Some(document))],
            ))
            .await?;
        }
        return Ok(());
    }
    let per_statement = (SQLITE_VALUES / columns.len().max(1)).max(1);
    for chunk in rows.chunks(per_statement) {
        let mut insert = E::insert_many(
            chunk
                .iter()
                .cloned()
                .map(IntoActiveModel::into_active_model),
        );
        match duplicates {
            Duplicates::Fail => {}
            Duplicates::Skip(key) => {
                insert =
                    insert.on_conflict(OnConflict::columns(key.to_vec()).do_nothing().to_owned());
            }
            Duplicates::Update(key, update) => {
                insert = insert.on_conflict(
                    OnConflict::column(key)
                        .update_columns(update.to_vec())
                        .to_owned(),
                );
            }
        }
        insert.exec_without_returning(db).await?;
    }
    Ok(())
}

/// The PostgreSQL type of a record column in [`insert_all`]'s JSON form, for the types our
/// entities use; `None` for the rest.
fn postgres_type(column_type: &ColumnType) -> Option<&'static str> {
    Some(match column_type {
        ColumnType::Uuid => "uuid",
        ColumnType::Char(_) | ColumnType::String(_) | ColumnType::Text => "text",
        ColumnType::Boolean => "boolean",
        ColumnType::SmallInteger => "smallint",
        ColumnType::Integer => "integer",
        ColumnType::BigInteger => "bigint",
        ColumnType::Double => "double precision",
        ColumnType::Decimal(_) => "numeric",
        ColumnType::Date => "date",
        ColumnType::TimestampWithTimeZone => "timestamptz",
        ColumnType::Timestamp | ColumnType::DateTime => "timestamp",
        ColumnType::Json | ColumnType::JsonBinary => "jsonb",
        _ => return None,
    })
}

/// One cell in [`insert_all`]'s JSON form: text in each type's input format, numbers and
/// booleans as themselves, JSON values nested. `None` for a value it does not cover.
fn json_cell(value: Value) -> Option<serde_json::Value> {
    use serde_json::Value as Json;
    let text = |s: String| Some(Json::String(s));
    match value {
        Value::Bool(v) => Some(v.map_or(Json::Null, Json::Bool)),
        Value::SmallInt(v) => Some(v.map_or(Json::Null, Json::from)),
        Value::Int(v) => Some(v.map_or(Json::Null, Json::from)),
        Value::BigInt(v) => Some(v.map_or(Json::Null, Json::from)),
        Value::Double(v) => Some(v.map_or(Json::Null, Json::from)),
        Value::String(v) => Some(v.map_or(Json::Null, Json::String)),
        Value::Char(v) => Some(v.map_or(Json::Null, |c| Json::String(c.to_string()))),
        Value::Uuid(v) => v.map_or(Some(Json::Null), |u| text(u.to_string())),
        Value::Decimal(v) => v.map_or(Some(Json::Null), |d| text(d.to_string())),
        Value::ChronoDate(v) => v.map_or(Some(Json::Null), |d| text(d.to_string())),
        Value::ChronoDateTime(v) => v.map_or(Some(Json::Null), |t| {
            text(t.format("%Y-%m-%dT%H:%M:%S%.f").to_string())
        }),
        Value::ChronoDateTimeUtc(v) => {
            v.map_or(Some(Json::Null), |t| text(crate::scalars::instant_text(t)))
        }
        Value::ChronoDateTimeWithTimeZone(v) => v.map_or(Some(Json::Null), |t| {
            text(t.to_rfc3339_opts(SecondsFormat::AutoSi, false))
        }),
        Value::Json(v) => Some(v.map_or(Json::Null, |json| *json)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::sea_query::{Alias, Query};

    use super::*;

    fn sql_for(backend: DbBackend, ids: &[Uuid]) -> String {
        let mut query = Query::select();
        query
            .column(Alias::new("id"))
            .from(Alias::new("t"))
            .cond_where(uuid_in(backend, Expr::col(Alias::new("id")), ids));
        backend.build(&query).sql
    }

    #[test]
    fn uuid_in_is_one_statement_for_any_number_of_ids_on_postgres() {
        let ids: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
        let one = sql_for(DbBackend::Postgres, &ids[..1]);
        assert_eq!(one, sql_for(DbBackend::Postgres, &ids));
        assert_eq!(
            one,
            r#"SELECT "id" FROM "t" WHERE "id" = ANY(CAST($1 AS uuid[]))"#
        );
        let sqlite = sql_for(DbBackend::Sqlite, &ids);
        assert_eq!(sqlite, r#"SELECT "id" FROM "t" WHERE "id" IN (?, ?, ?)"#);
    }
}
