//! Filters, ordering and pagination against an in-memory SQLite database, and through a GraphQL
//! schema as a resolver would use them.

use std::cmp::Ordering;
use std::fmt::Debug;

use async_graphql::{Context, EmptyMutation, EmptySubscription, Object, Schema, SimpleObject};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QueryTrait,
};
use uuid::Uuid;

use super::*;
use crate::db::DbEnum;
use crate::error::{AppError, AppResult};
use crate::scalars::{Date, Timestamp};

/// The test-only entity the lists run on.
mod item {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "items")]
    pub(crate) struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name: Option<String>,
        pub score: Option<i64>,
        pub created_at: DateTimeUtc,
        pub flag: bool,
        pub amount: Option<Decimal>,
        pub day: Option<Date>,
        pub kind: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub(crate) enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

crate::db_enum! {
    /// A stored enumeration, for the enum filter.
    pub enum Kind {
        Alpha = "alpha",
        Beta = "beta",
        Gamma = "gamma",
    }
}

crate::enum_filter!(KindFilter, Kind, "Filters on a kind.");

crate::entity_filter! {
    /// Filters items.
    pub(super) struct ItemFilterInput {
        id: UuidFilter => item::Column::Id,
        /// The item's name.
        name: StringFilter => item::Column::Name,
        score: IntFilter => item::Column::Score,
        created_at: DateTimeFilter => item::Column::CreatedAt,
        flag: BooleanFilter => item::Column::Flag,
        amount: DecimalFilter => item::Column::Amount,
        day: DateFilter => item::Column::Day,
        kind: KindFilter => item::Column::Kind,
    }
}

crate::entity_order_by! {
    /// Orders items.
    pub(super) struct ItemOrderByInput for item::Entity {
        name => item::Column::Name,
        score => item::Column::Score,
        created_at => item::Column::CreatedAt,
    }
}

const NAMES: [Option<&str>; 13] = [
    Some("alpha"),
    Some("Alpha"),
    None,
    Some("beta"),
    Some("alpha"),
    Some("50% off"),
    Some("500 units"),
    Some("a_b"),
    Some("axb"),
    None,
    Some(r"back\slash"),
    Some("gamma"),
    Some("Beta"),
];
const SCORES: [Option<i64>; 13] = [
    Some(5),
    None,
    Some(3),
    Some(5),
    None,
    Some(1),
    Some(3),
    Some(5),
    None,
    Some(2),
    Some(3),
    None,
    Some(4),
];

fn base_time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-02T03:04:05.123456Z")
        .expect("valid")
        .with_timezone(&Utc)
}

/// Thirteen rows with duplicate and missing names and scores; ids are not in insertion order.
fn rows() -> Vec<item::Model> {
    (0..13u16)
        .map(|i| {
            let n = usize::from(i);
            item::Model {
                id: Uuid::from_u128(u128::from((i * 7) % 13 + 1)),
                name: NAMES[n].map(str::to_owned),
                score: SCORES[n],
                // Rows 3 and 4 share a timestamp, so that the id must break the tie.
                created_at: base_time()
                    + Duration::microseconds(i64::from(if i == 4 { 3 } else { i }) * 1_000_123),
                flag: i % 3 == 0,
                amount: (i % 4 != 0).then(|| Decimal::new(i64::from(i) * 125, 2)),
                day: (i % 5 != 0)
                    .then(|| NaiveDate::from_ymd_opt(2026, 1, u32::from(i) + 1).expect("valid")),
                kind: Kind::VALUES[n % 3].as_db().to_owned(),
            }
        })
        .collect()
}

async fn db() -> DatabaseConnection {
    let mut options = ConnectOptions::new("sqlite::memory:");
    // One connection: every connection to `sqlite::memory:` is a database of its own.
    options.max_connections(1).min_connections(1);
    let db = Database::connect(options).await.expect("connect to SQLite");
    db.execute_unprepared("PRAGMA case_sensitive_like = ON")
        .await
        .expect("pragma");
    db.execute_unprepared(
        "CREATE TABLE items (
            id BLOB NOT NULL PRIMARY KEY,
            name TEXT,
            score INTEGER,
            created_at TEXT NOT NULL,
            flag BOOLEAN NOT NULL,
            amount DECIMAL,
            day TEXT,
            kind TEXT NOT NULL
        )",
    )
    .await
    .expect("create table");
    item::Entity::insert_many(rows().into_iter().map(item::ActiveModel::from))
        .exec(&db)
        .await
        .expect("insert rows");
    db
}

fn assert_bad_input<T: Debug>(result: AppResult<T>, expected_field: &str) {
    match result {
        Err(AppError::BadUserInput {
            field: Some(field), ..
        }) => assert_eq!(field, expected_field),
        other => panic!("expected BAD_USER_INPUT on {expected_field}, got {other:?}"),
    }
}

/// The ids of the rows the filter selects, sorted.
async fn select_ids(db: &DatabaseConnection, filter: &ItemFilterInput) -> AppResult<Vec<Uuid>> {
    let condition = filter.to_condition()?;
    let mut ids: Vec<Uuid> = item::Entity::find()
        .filter(condition)
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.id)
        .collect();
    ids.sort();
    Ok(ids)
}

/// Checks that the filter selects exactly the rows `expected` accepts, and that this is neither
/// no row nor every row unless said so (a filter that is ignored must not pass).
async fn check(
    db: &DatabaseConnection,
    filter: ItemFilterInput,
    trivial_ok: bool,
    expected: impl Fn(&item::Model) -> bool,
) {
    let mut want: Vec<Uuid> = rows()
        .into_iter()
        .filter(|row| expected(row))
        .map(|r| r.id)
        .collect();
    want.sort();
    if !trivial_ok {
        assert!(
            !want.is_empty() && want.len() < 13,
            "non-trivial case for {filter:?}"
        );
    }
    let got = select_ids(db, &filter).await.expect("filter runs");
    assert_eq!(got, want, "filter {filter:?}");
}

fn name(f: StringFilter) -> ItemFilterInput {
    ItemFilterInput {
        name: Some(f),
        ..Default::default()
    }
}

fn score(f: IntFilter) -> ItemFilterInput {
    ItemFilterInput {
        score: Some(f),
        ..Default::default()
    }
}

fn has_name(row: &item::Model, pred: impl Fn(&str) -> bool) -> bool {
    row.name.as_deref().is_some_and(pred)
}

#[tokio::test]
async fn string_filters() {
    let db = db().await;
    let s = |v: &str| Some(v.to_owned());
    check(
        &db,
        name(StringFilter {
            eq: s("alpha"),
            ..Default::default()
        }),
        false,
        |r| has_name(r, |n| n == "alpha"),
    )
    .await;
    check(
        &db,
        name(StringFilter {
            neq: s("alpha"),
            ..Default::default()
        }),
        false,
        |r| has_name(r, |n| n != "alpha"),
    )
    .await;
    check(
        &db,
        name(StringFilter {
            in_: Some(vec!["alpha".into(), "gamma".into()]),
            ..Default::default()
        }),
        false,
        |r| has_name(r, |n| n == "alpha" || n == "gamma"),
    )
    .await;
    check(
        &db,
        name(StringFilter {
            in_: Some(vec![]),
            ..Default::default()
        }),
        true,
        |_| false,
    )
    .await;
    check(
        &db,
        name(StringFilter {
            is: Some(NullCheck::Null),
            ..Default::default()
        }),
        false,
        |r| r.name.is_none(),
    )
    .await;
    check(
        &db,
        name(StringFilter {
            is: Some(NullCheck::NotNull),
            ..Default::default()
        }),
        false,
        |r| r.name.is_some(),
    )
    .await;
    // `_` is one character, `%` any run; the match is case-sensitive.
    check(
        &db,
        name(StringFilter {
            like: s("a_b"),
            ..Default::default()
        }),
        false,
        |r| has_name(r, |n| n == "a_b" || n == "axb"),
    )
    .await;
    check(
        &db,
        name(StringFilter {
            like: s("%ph%"),
            ..Default::default()
        }),
        false,
        |r| has_name(r, |n| n.contains("ph")),
    )
    .await;
    check(
        &db,
        name(StringFilter {
            like: s("alpha"),
            ..Default::default()
        }),
        false,
        |r| has_name(r, |n| n == "alpha"),
    )
    .await;
    check(
        &db,
        name(StringFilter {
            like: s("50%"),
            ..Default::default()
        }),
        false,
        |r| has_name(r, |n| n.starts_with("50")),
    )
    .await;
    // A backslash is literal, not an escape.
    check(
        &db,
        name(StringFilter {
            like: s(r"back\slash"),
            ..Default::default()
        }),
        false,
        |r| has_name(r, |n| n == r"back\slash"),
    )
    .await;
    check(
        &db,
        name(StringFilter {
            like: s(r"%\s%"),
            ..Default::default()
        }),
        false,
        |r| has_name(r, |n| n.contains(r"\s")),
    )
    .await;
    check(
        &db,
        name(StringFilter {
            ilike: s("ALPHA"),
            ..Default::default()
        }),
        false,
        |r| has_name(r, |n| n.eq_ignore_ascii_case("alpha")),
    )
    .await;
    check(
        &db,
        name(StringFilter {
            ilike: s("%ET_"),
            ..Default::default()
        }),
        false,
        |r| has_name(r, |n| n.eq_ignore_ascii_case("beta")),
    )
    .await;
    // `startsWith` takes its text literally: `%` and `_` are not wildcards there.
    check(
        &db,
        name(StringFilter {
            starts_with: s("50%"),
            ..Default::default()
        }),
        false,
        |r| has_name(r, |n| n == "50% off"),
    )
    .await;
    check(
        &db,
        name(StringFilter {
            starts_with: s("a_"),
            ..Default::default()
        }),
        false,
        |r| has_name(r, |n| n == "a_b"),
    )
    .await;
    check(
        &db,
        name(StringFilter {
            starts_with: s("al"),
            ..Default::default()
        }),
        false,
        |r| has_name(r, |n| n.starts_with("al")),
    )
    .await;
    check(
        &db,
        name(StringFilter {
            starts_with: s(r"back\"),
            ..Default::default()
        }),
        false,
        |r| has_name(r, |n| n.starts_with(r"back\")),
    )
    .await;
    // Several operators are ANDed.
    check(
        &db,
        name(StringFilter {
            ilike: s("alpha"),
            neq: s("alpha"),
            ..Default::default()
        }),
        false,
        |r| has_name(r, |n| n == "Alpha"),
    )
    .await;
}

#[tokio::test]
async fn malicious_strings_are_only_values() {
    let db = db().await;
    let evil = "'; DROP TABLE items; --".to_owned();
    for filter in [
        StringFilter {
            eq: Some(evil.clone()),
            ..Default::default()
        },
        StringFilter {
            like: Some(evil.clone()),
            ..Default::default()
        },
        StringFilter {
            ilike: Some(evil.clone()),
            ..Default::default()
        },
        StringFilter {
            starts_with: Some(evil.clone()),
            ..Default::default()
        },
        StringFilter {
            in_: Some(vec![evil.clone()]),
            ..Default::default()
        },
    ] {
        assert_eq!(
            select_ids(&db, &name(filter)).await.expect("runs"),
            Vec::<Uuid>::new()
        );
    }
    assert_eq!(
        item::Entity::find()
            .count(&db)
            .await
            .expect("table still there"),
        13
    );

    // The values are bound parameters in the SQL sent to PostgreSQL too.
    let filter = name(StringFilter {
        eq: Some(evil.clone()),
        ilike: Some(evil.clone()),
        starts_with: Some(evil.clone()),
        ..Default::default()
    });
    let statement = item::Entity::find()
        .filter(filter.to_condition().expect("valid"))
        .build(DbBackend::Postgres);
    assert!(!statement.sql.contains("DROP"), "{}", statement.sql);
    assert!(
        statement
            .sql
            .contains(r#"LOWER("items"."name") LIKE LOWER($2) ESCAPE E'\\'"#),
        "{}",
        statement.sql
    );
    assert!(
        statement
            .sql
            .contains(r#""items"."name" LIKE $3 ESCAPE E'\\'"#),
        "{}",
        statement.sql
    );
    let values = statement.values.expect("bound values").0;
    assert!(values.contains(&sea_orm::Value::String(Some(evil))));
}

#[tokio::test]
async fn string_limits_are_bad_input() {
    let long = "x".repeat(MAX_STRING_CHARS + 1);
    let fine = "é".repeat(MAX_STRING_CHARS);
    assert!(
        name(StringFilter {
            eq: Some(fine),
            ..Default::default()
        })
        .to_condition()
        .is_ok()
    );
    assert_bad_input(
        name(StringFilter {
            like: Some(long),
            ..Default::default()
        })
        .to_condition(),
        "name",
    );
    assert_bad_input(
        name(StringFilter {
            eq: Some("a\0b".into()),
            ..Default::default()
        })
        .to_condition(),
        "name",
    );
    assert_bad_input(
        name(StringFilter {
            in_: Some(vec!["a\0".into()]),
            ..Default::default()
        })
        .to_condition(),
        "name",
    );
    let many = |n: usize| (0..n).map(|i| i.to_string()).collect::<Vec<_>>();
    assert!(
        name(StringFilter {
            in_: Some(many(MAX_IN_LIST)),
            ..Default::default()
        })
        .to_condition()
        .is_ok()
    );
    assert_bad_input(
        name(StringFilter {
            in_: Some(many(MAX_IN_LIST + 1)),
            ..Default::default()
        })
        .to_condition(),
        "name",
    );
    let ids = vec![Uuid::nil(); MAX_IN_LIST + 1];
    let filter = ItemFilterInput {
        id: Some(UuidFilter {
            in_: Some(ids),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_bad_input(filter.to_condition(), "id");
    let filter = ItemFilterInput {
        created_at: Some(DateTimeFilter::default()),
        score: Some(IntFilter {
            in_: Some(vec![1; MAX_IN_LIST + 1]),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_bad_input(filter.to_condition(), "score");
    let filter = ItemFilterInput {
        kind: Some(KindFilter {
            in_: Some(vec![Kind::Beta; MAX_IN_LIST + 1]),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_bad_input(filter.to_condition(), "kind");
}

#[tokio::test]
async fn numeric_filters() {
    let db = db().await;
    let sc = |r: &item::Model| r.score;
    check(
        &db,
        score(IntFilter {
            eq: Some(5),
            ..Default::default()
        }),
        false,
        |r| sc(r) == Some(5),
    )
    .await;
    check(
        &db,
        score(IntFilter {
            neq: Some(5),
            ..Default::default()
        }),
        false,
        |r| sc(r).is_some_and(|s| s != 5),
    )
    .await;
    check(
        &db,
        score(IntFilter {
            in_: Some(vec![1, 2, 9]),
            ..Default::default()
        }),
        false,
        |r| matches!(sc(r), Some(1 | 2)),
    )
    .await;
    check(
        &db,
        score(IntFilter {
            in_: Some(vec![]),
            ..Default::default()
        }),
        true,
        |_| false,
    )
    .await;
    check(
        &db,
        score(IntFilter {
            gt: Some(3),
            ..Default::default()
        }),
        false,
        |r| sc(r).is_some_and(|s| s > 3),
    )
    .await;
    check(
        &db,
        score(IntFilter {
            gte: Some(3),
            ..Default::default()
        }),
        false,
        |r| sc(r).is_some_and(|s| s >= 3),
    )
    .await;
    check(
        &db,
        score(IntFilter {
            lt: Some(3),
            ..Default::default()
        }),
        false,
        |r| sc(r).is_some_and(|s| s < 3),
    )
    .await;
    check(
        &db,
        score(IntFilter {
            lte: Some(3),
            ..Default::default()
        }),
        false,
        |r| sc(r).is_some_and(|s| s <= 3),
    )
    .await;
    check(
        &db,
        score(IntFilter {
            gt: Some(1),
            lt: Some(5),
            ..Default::default()
        }),
        false,
        |r| sc(r).is_some_and(|s| s > 1 && s < 5),
    )
    .await;
    check(
        &db,
        score(IntFilter {
            is: Some(NullCheck::Null),
            ..Default::default()
        }),
        false,
        |r| sc(r).is_none(),
    )
    .await;
    check(
        &db,
        score(IntFilter {
            is: Some(NullCheck::NotNull),
            ..Default::default()
        }),
        false,
        |r| sc(r).is_some(),
    )
    .await;

    let amount = |f: DecimalFilter| ItemFilterInput {
        amount: Some(f),
        ..Default::default()
    };
    let d = |cents: i64| Decimal::new(cents, 2);
    check(
        &db,
        amount(DecimalFilter {
            eq: Some(d(250)),
            ..Default::default()
        }),
        false,
        |r| r.amount == Some(d(250)),
    )
    .await;
    check(
        &db,
        amount(DecimalFilter {
            neq: Some(d(250)),
            ..Default::default()
        }),
        false,
        |r| r.amount.is_some_and(|a| a != d(250)),
    )
    .await;
    check(
        &db,
        amount(DecimalFilter {
            in_: Some(vec![d(125), d(375)]),
            ..Default::default()
        }),
        false,
        |r| r.amount == Some(d(125)) || r.amount == Some(d(375)),
    )
    .await;
    check(
        &db,
        amount(DecimalFilter {
            gt: Some(d(1000)),
            ..Default::default()
        }),
        false,
        |r| r.amount.is_some_and(|a| a > d(1000)),
    )
    .await;
    check(
        &db,
        amount(DecimalFilter {
            gte: Some(d(1000)),
            ..Default::default()
        }),
        false,
        |r| r.amount.is_some_and(|a| a >= d(1000)),
    )
    .await;
    check(
        &db,
        amount(DecimalFilter {
            lt: Some(d(375)),
            ..Default::default()
        }),
        false,
        |r| r.amount.is_some_and(|a| a < d(375)),
    )
    .await;
    check(
        &db,
        amount(DecimalFilter {
            lte: Some(d(375)),
            ..Default::default()
        }),
        false,
        |r| r.amount.is_some_and(|a| a <= d(375)),
    )
    .await;
    check(
        &db,
        amount(DecimalFilter {
            is: Some(NullCheck::Null),
            ..Default::default()
        }),
        false,
        |r| r.amount.is_none(),
    )
    .await;
}

#[tokio::test]
async fn time_bool_uuid_and_enum_filters() {
    let db = db().await;
    let at = |i: i64| base_time() + Duration::microseconds(i * 1_000_123);
    let created = |f: DateTimeFilter| ItemFilterInput {
        created_at: Some(f),
        ..Default::default()
    };
    check(
        &db,
        created(DateTimeFilter {
            eq: Some(Timestamp(at(3))),
            ..Default::default()
        }),
        false,
        |r| r.created_at == at(3),
    )
    .await;
    check(
        &db,
        created(DateTimeFilter {
            gt: Some(Timestamp(at(3))),
            ..Default::default()
        }),
        false,
        |r| r.created_at > at(3),
    )
    .await;
    check(
        &db,
        created(DateTimeFilter {
            gte: Some(Timestamp(at(3))),
            ..Default::default()
        }),
        false,
        |r| r.created_at >= at(3),
    )
    .await;
    check(
        &db,
        created(DateTimeFilter {
            lt: Some(Timestamp(at(3))),
            ..Default::default()
        }),
        false,
        |r| r.created_at < at(3),
    )
    .await;
    check(
        &db,
        created(DateTimeFilter {
            lte: Some(Timestamp(at(3))),
            ..Default::default()
        }),
        false,
        |r| r.created_at <= at(3),
    )
    .await;
    check(
        &db,
        created(DateTimeFilter {
            is: Some(NullCheck::Null),
            ..Default::default()
        }),
        true,
        |_| false,
    )
    .await;

    let day = |f: DateFilter| ItemFilterInput {
        day: Some(f),
        ..Default::default()
    };
    let date = |d: u32| NaiveDate::from_ymd_opt(2026, 1, d).expect("valid");
    check(
        &db,
        day(DateFilter {
            eq: Some(Date(date(3))),
            ..Default::default()
        }),
        false,
        |r| r.day == Some(date(3)),
    )
    .await;
    check(
        &db,
        day(DateFilter {
            gt: Some(Date(date(7))),
            ..Default::default()
        }),
        false,
        |r| r.day.is_some_and(|d| d > date(7)),
    )
    .await;
    check(
        &db,
        day(DateFilter {
            gte: Some(Date(date(7))),
            ..Default::default()
        }),
        false,
        |r| r.day.is_some_and(|d| d >= date(7)),
    )
    .await;
    check(
        &db,
        day(DateFilter {
            lt: Some(Date(date(7))),
            ..Default::default()
        }),
        false,
        |r| r.day.is_some_and(|d| d < date(7)),
    )
    .await;
    check(
        &db,
        day(DateFilter {
            lte: Some(Date(date(7))),
            ..Default::default()
        }),
        false,
        |r| r.day.is_some_and(|d| d <= date(7)),
    )
    .await;
    check(
        &db,
        day(DateFilter {
            is: Some(NullCheck::Null),
            ..Default::default()
        }),
        false,
        |r| r.day.is_none(),
    )
    .await;

    let flag = |f: BooleanFilter| ItemFilterInput {
        flag: Some(f),
        ..Default::default()
    };
    check(
        &db,
        flag(BooleanFilter {
            eq: Some(true),
            ..Default::default()
        }),
        false,
        |r| r.flag,
    )
    .await;
    check(
        &db,
        flag(BooleanFilter {
            eq: Some(false),
            ..Default::default()
        }),
        false,
        |r| !r.flag,
    )
    .await;
    check(
        &db,
        flag(BooleanFilter {
            is: Some(NullCheck::NotNull),
            ..Default::default()
        }),
        true,
        |_| true,
    )
    .await;

    let id = |f: UuidFilter| ItemFilterInput {
        id: Some(f),
        ..Default::default()
    };
    let u = |n: u128| Uuid::from_u128(n);
    check(
        &db,
        id(UuidFilter {
            eq: Some(u(4)),
            ..Default::default()
        }),
        false,
        |r| r.id == u(4),
    )
    .await;
    check(
        &db,
        id(UuidFilter {
            neq: Some(u(4)),
            ..Default::default()
        }),
        false,
        |r| r.id != u(4),
    )
    .await;
    check(
        &db,
        id(UuidFilter {
            in_: Some(vec![u(1), u(2), u(99)]),
            ..Default::default()
        }),
        false,
        |r| r.id == u(1) || r.id == u(2),
    )
    .await;
    check(
        &db,
        id(UuidFilter {
            in_: Some(vec![]),
            ..Default::default()
        }),
        true,
        |_| false,
    )
    .await;
    check(
        &db,
        id(UuidFilter {
            is: Some(NullCheck::Null),
            ..Default::default()
        }),
        true,
        |_| false,
    )
    .await;

    let kind = |f: KindFilter| ItemFilterInput {
        kind: Some(f),
        ..Default::default()
    };
    check(
        &db,
        kind(KindFilter {
            eq: Some(Kind::Beta),
            ..Default::default()
        }),
        false,
        |r| r.kind == "beta",
    )
    .await;
    check(
        &db,
        kind(KindFilter {
            neq: Some(Kind::Beta),
            ..Default::default()
        }),
        false,
        |r| r.kind != "beta",
    )
    .await;
    check(
        &db,
        kind(KindFilter {
            in_: Some(vec![Kind::Alpha, Kind::Gamma]),
            ..Default::default()
        }),
        false,
        |r| r.kind != "beta",
    )
    .await;
    check(
        &db,
        kind(KindFilter {
            in_: Some(vec![]),
            ..Default::default()
        }),
        true,
        |_| false,
    )
    .await;
}

#[tokio::test]
async fn and_or_not_combine() {
    let db = db().await;
    let eq5 = || {
        score(IntFilter {
            eq: Some(5),
            ..Default::default()
        })
    };
    let flagged = || ItemFilterInput {
        flag: Some(BooleanFilter {
            eq: Some(true),
            ..Default::default()
        }),
        ..Default::default()
    };
    let no_name = || {
        name(StringFilter {
            is: Some(NullCheck::Null),
            ..Default::default()
        })
    };

    // Fields of one object are ANDed.
    let both = ItemFilterInput {
        flag: eq5().flag.or(flagged().flag),
        ..eq5()
    };
    check(&db, both, false, |r| r.score == Some(5) && r.flag).await;
    check(
        &db,
        ItemFilterInput {
            and: Some(vec![eq5(), flagged()]),
            ..Default::default()
        },
        false,
        |r| r.score == Some(5) && r.flag,
    )
    .await;
    check(
        &db,
        ItemFilterInput {
            or: Some(vec![eq5(), no_name()]),
            ..Default::default()
        },
        false,
        |r| r.score == Some(5) || r.name.is_none(),
    )
    .await;
    check(
        &db,
        ItemFilterInput {
            not: Some(Box::new(eq5())),
            ..Default::default()
        },
        false,
        |r| {
            // SQL semantics: NOT (score = 5) is unknown, so false, where score is NULL.
            r.score.is_some_and(|s| s != 5)
        },
    )
    .await;
    check(
        &db,
        ItemFilterInput {
            not: Some(Box::new(ItemFilterInput {
                or: Some(vec![eq5(), no_name()]),
                ..Default::default()
            })),
            flag: flagged().flag,
            ..Default::default()
        },
        false,
        |r| r.flag && !(r.score == Some(5) || r.name.is_none()) && r.score.is_some(),
    )
    .await;
    // Empty combinations: `or: []` and `not: {}` match nothing, `and: []` and `{}` everything.
    check(
        &db,
        ItemFilterInput {
            or: Some(vec![]),
            ..Default::default()
        },
        true,
        |_| false,
    )
    .await;
    check(
        &db,
        ItemFilterInput {
            not: Some(Box::default()),
            ..Default::default()
        },
        true,
        |_| false,
    )
    .await;
    check(
        &db,
        ItemFilterInput {
            and: Some(vec![]),
            ..Default::default()
        },
        true,
        |_| true,
    )
    .await;
    check(&db, ItemFilterInput::default(), true, |_| true).await;
    check(
        &db,
        ItemFilterInput {
            or: Some(vec![ItemFilterInput::default(), eq5()]),
            ..Default::default()
        },
        true,
        |_| true,
    )
    .await;
    check(
        &db,
        ItemFilterInput {
            or: Some(vec![]),
            and: Some(vec![eq5()]),
            ..Default::default()
        },
        true,
        |_| false,
    )
    .await;
}

#[test]
fn nesting_and_size_are_limited() {
    let nested = |depth: usize| {
        let mut filter = score(IntFilter {
            eq: Some(5),
            ..Default::default()
        });
        for _ in 1..depth {
            filter = ItemFilterInput {
                not: Some(Box::new(filter)),
                ..Default::default()
            };
        }
        filter
    };
    assert!(nested(MAX_FILTER_DEPTH).to_condition().is_ok());
    assert_bad_input(nested(MAX_FILTER_DEPTH + 1).to_condition(), "filter");
    let deep_or = ItemFilterInput {
        or: Some(vec![ItemFilterInput {
            and: Some(vec![nested(MAX_FILTER_DEPTH - 1)]),
            ..Default::default()
        }]),
        ..Default::default()
    };
    assert_bad_input(deep_or.to_condition(), "filter");

    let wide = |items: usize| ItemFilterInput {
        or: Some(vec![
            score(IntFilter {
                eq: Some(1),
                ..Default::default()
            });
            items
        ]),
        ..Default::default()
    };
    assert!(wide(MAX_FILTER_NODES - 1).to_condition().is_ok());
    assert_bad_input(wide(MAX_FILTER_NODES).to_condition(), "filter");
}

#[test]
fn mentions_uses_graphql_names_at_the_top_level() {
    let filter = ItemFilterInput {
        created_at: Some(DateTimeFilter {
            is: Some(NullCheck::NotNull),
            ..Default::default()
        }),
        or: Some(vec![name(StringFilter::default())]),
        ..Default::default()
    };
    assert!(filter.mentions("createdAt"));
    assert!(filter.mentions("or"));
    assert!(!filter.mentions("created_at"));
    assert!(!filter.mentions("name"));
    assert!(!filter.mentions("score"));
    assert!(!ItemFilterInput::default().mentions("createdAt"));
}

#[test]
fn order_by_lists_become_sort_keys() {
    use OrderDirection::*;
    let list = [
        ItemOrderByInput {
            score: Some(DescNullsLast),
            ..Default::default()
        },
        ItemOrderByInput {
            created_at: Some(AscNullsFirst),
            name: Some(AscNullsLast),
            ..Default::default()
        },
        ItemOrderByInput::default(),
    ];
    let keys = ItemOrderByInput::sort_keys(&list).expect("valid");
    assert_eq!(
        keys,
        vec![
            SortKey::new(item::Column::Score, DescNullsLast),
            SortKey::new(item::Column::Name, AscNullsLast),
            SortKey::new(item::Column::CreatedAt, AscNullsFirst),
        ]
    );
    let full = ItemOrderByInput {
        name: Some(AscNullsFirst),
        score: Some(AscNullsFirst),
        created_at: Some(AscNullsFirst),
    };
    assert_eq!(
        ItemOrderByInput::sort_keys(&[
            full.clone(),
            ItemOrderByInput {
                name: Some(DescNullsLast),
                ..Default::default()
            }
        ])
        .map(|k| k.len())
        .ok(),
        Some(4)
    );
    let five = ItemOrderByInput::sort_keys(&[full.clone(), full.clone()]);
    assert_bad_input(five, "orderBy");
}

/// The direction-aware comparison the database must reproduce, id ascending last.
fn compare<T: Ord>(a: &Option<T>, b: &Option<T>, direction: OrderDirection) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) if direction.nulls_first() => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) if direction.nulls_first() => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) if direction.is_ascending() => x.cmp(y),
        (Some(x), Some(y)) => y.cmp(x),
    }
}

fn expected_order(keys: &[SortKey<item::Entity>]) -> Vec<Uuid> {
    let mut all = rows();
    all.sort_by(|a, b| {
        keys.iter()
            .map(|key| match key.column {
                item::Column::Name => compare(&a.name, &b.name, key.direction),
                item::Column::Score => compare(&a.score, &b.score, key.direction),
                item::Column::CreatedAt => {
                    compare(&Some(a.created_at), &Some(b.created_at), key.direction)
                }
                other => panic!("no reference order for {other:?}"),
            })
            .fold(Ordering::Equal, Ordering::then)
            .then(a.id.cmp(&b.id))
    });
    all.into_iter().map(|row| row.id).collect()
}

async fn page(
    db: &DatabaseConnection,
    keys: &[SortKey<item::Entity>],
    args: PageArgs,
) -> AppResult<Page<item::Model>> {
    paginate(
        db,
        item::Entity::find(),
        keys.to_vec(),
        item::Column::Id,
        &args,
        true,
    )
    .await
}

/// Pages forward with `first`/`after` to the end, checking page information on the way.
async fn walk_forward(
    db: &DatabaseConnection,
    keys: &[SortKey<item::Entity>],
    size: i32,
) -> Vec<Uuid> {
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..=13 {
        let args = PageArgs::new(Some(size), after.clone(), None, None);
        let page = page(db, keys, args).await.expect("page");
        assert_eq!(page.total_count, Some(13));
        assert_eq!(page.has_previous_page, after.is_some());
        assert!(!page.edges.is_empty());
        seen.extend(page.edges.iter().map(|(_, row)| row.id));
        if !page.has_next_page {
            return seen;
        }
        assert_eq!(page.edges.len(), usize::try_from(size).expect("positive"));
        after = page.edges.last().map(|(cursor, _)| cursor.clone());
    }
    panic!("paging forward did not end");
}

/// Pages backward with `last`/`before` to the start, checking page information on the way.
async fn walk_backward(
    db: &DatabaseConnection,
    keys: &[SortKey<item::Entity>],
    size: i32,
) -> Vec<Uuid> {
    let mut seen = Vec::new();
    let mut before: Option<String> = None;
    for _ in 0..=13 {
        let args = PageArgs::new(None, None, Some(size), before.clone());
        let page = page(db, keys, args).await.expect("page");
        assert_eq!(page.total_count, Some(13));
        assert_eq!(page.has_next_page, before.is_some());
        assert!(!page.edges.is_empty());
        let ids: Vec<Uuid> = page.edges.iter().map(|(_, row)| row.id).collect();
        seen.splice(0..0, ids);
        if !page.has_previous_page {
            return seen;
        }
        assert_eq!(page.edges.len(), usize::try_from(size).expect("positive"));
        before = page.edges.first().map(|(cursor, _)| cursor.clone());
    }
    panic!("paging backward did not end");
}

const DIRECTIONS: [OrderDirection; 4] = [
    OrderDirection::AscNullsFirst,
    OrderDirection::AscNullsLast,
    OrderDirection::DescNullsFirst,
    OrderDirection::DescNullsLast,
];

#[tokio::test]
async fn paging_covers_every_row_once_in_every_direction() {
    let db = db().await;
    let mut sorts: Vec<Vec<SortKey<item::Entity>>> = vec![vec![]];
    for direction in DIRECTIONS {
        sorts.push(vec![SortKey::new(item::Column::Score, direction)]);
        sorts.push(vec![SortKey::new(item::Column::Name, direction)]);
        sorts.push(vec![SortKey::new(item::Column::CreatedAt, direction)]);
        sorts.push(vec![
            SortKey::new(item::Column::Score, direction),
            SortKey::new(item::Column::Name, direction.reversed()),
        ]);
    }
    for keys in &sorts {
        let expected = expected_order(keys);
        let all = page(&db, keys, PageArgs::new(Some(100), None, None, None))
            .await
            .expect("page");
        let ids: Vec<Uuid> = all.edges.iter().map(|(_, row)| row.id).collect();
        assert_eq!(ids, expected, "one page, sort {keys:?}");
        assert!(!all.has_next_page && !all.has_previous_page);
        for size in [1, 3, 5] {
            assert_eq!(
                walk_forward(&db, keys, size).await,
                expected,
                "forward by {size}, {keys:?}"
            );
            assert_eq!(
                walk_backward(&db, keys, size).await,
                expected,
                "backward by {size}, {keys:?}"
            );
        }
    }
}

/// A relevance with ties (scores modulo 3), so the ordinary keys must order within a rank.
fn score_relevance() -> Relevance {
    Relevance(sea_orm::sea_query::Expr::cust(
        "CAST(COALESCE(\"items\".\"score\", 0) % 3 AS REAL)",
    ))
}

async fn ranked_page(
    db: &DatabaseConnection,
    keys: &[SortKey<item::Entity>],
    args: PageArgs,
) -> AppResult<Page<item::Model>> {
    paginate_ranked(
        db,
        item::Entity::find(),
        Some(score_relevance()),
        keys.to_vec(),
        item::Column::Id,
        &args,
        true,
    )
    .await
}

#[tokio::test]
async fn ranked_pages_come_by_relevance_then_by_the_sort() {
    let db = db().await;
    let keys = [SortKey::new(
        item::Column::CreatedAt,
        OrderDirection::DescNullsLast,
    )];
    let rank = |row: &item::Model| row.score.unwrap_or(0) % 3;
    let by_rank: std::collections::HashMap<Uuid, i64> =
        rows().iter().map(|row| (row.id, rank(row))).collect();
    // The reference order is stable, so the date order survives within each rank.
    let mut expected = expected_order(&keys);
    expected.sort_by_key(|id| std::cmp::Reverse(by_rank[id]));

    for size in [1, 4, 13] {
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let args = PageArgs::new(Some(size), after.clone(), None, None);
            let page = ranked_page(&db, &keys, args).await.expect("page");
            seen.extend(page.edges.iter().map(|(_, row)| row.id));
            if !page.has_next_page {
                break;
            }
            after = page.edges.last().map(|(cursor, _)| cursor.clone());
        }
        assert_eq!(seen, expected, "forward by {size}");

        let mut seen = Vec::new();
        let mut before = None;
        loop {
            let args = PageArgs::new(None, None, Some(size), before.clone());
            let page = ranked_page(&db, &keys, args).await.expect("page");
            let ids: Vec<Uuid> = page.edges.iter().map(|(_, row)| row.id).collect();
            seen.splice(0..0, ids);
            if !page.has_previous_page {
                break;
            }
            before = page.edges.first().map(|(cursor, _)| cursor.clone());
        }
        assert_eq!(seen, expected, "backward by {size}");
    }

    // A ranked cursor only fits the ranked list, and the other way round.
    let first = ranked_page(&db, &keys, PageArgs::new(Some(2), None, None, None))
        .await
        .expect("page");
    let ranked_cursor = first.edges[1].0.clone();
    assert_bad_input(
        page(
            &db,
            &keys,
            PageArgs::new(Some(2), Some(ranked_cursor), None, None),
        )
        .await,
        "after",
    );
    let plain = page(&db, &keys, PageArgs::new(Some(2), None, None, None))
        .await
        .expect("page");
    let plain_cursor = plain.edges[1].0.clone();
    assert_bad_input(
        ranked_page(
            &db,
            &keys,
            PageArgs::new(Some(2), Some(plain_cursor), None, None),
        )
        .await,
        "after",
    );
    // A relevance that is not a number is a bad cursor, not a database error.
    let forged = serde_json::json!({
        "k": ["_relevance:dl", "created_at:dl", "id:al"],
        "v": [{"s": "x"}, {"n": null}, {"u": Uuid::nil()}],
    });
    let forged = URL_SAFE_NO_PAD.encode(forged.to_string());
    assert_bad_input(
        ranked_page(&db, &keys, PageArgs::new(Some(2), Some(forged), None, None)).await,
        "after",
    );
}

#[tokio::test]
async fn pages_between_two_cursors_and_against_the_grain() {
    let db = db().await;
    let keys = [SortKey::new(
        item::Column::Score,
        OrderDirection::AscNullsLast,
    )];
    let expected = expected_order(&keys);
    let all = page(&db, &keys, PageArgs::new(Some(13), None, None, None))
        .await
        .expect("page");
    let cursor = |i: usize| all.edges[i].0.clone();

    // Between two cursors, from either end.
    let between = page(
        &db,
        &keys,
        PageArgs::new(Some(20), Some(cursor(2)), None, Some(cursor(9))),
    )
    .await
    .expect("page");
    let ids: Vec<Uuid> = between.edges.iter().map(|(_, row)| row.id).collect();
    assert_eq!(ids, expected[3..9]);
    let between = page(
        &db,
        &keys,
        PageArgs::new(None, Some(cursor(2)), Some(2), Some(cursor(9))),
    )
    .await
    .expect("page");
    let ids: Vec<Uuid> = between.edges.iter().map(|(_, row)| row.id).collect();
    assert_eq!(ids, expected[7..9]);
    assert!(between.has_previous_page && between.has_next_page);

    // `first` before a cursor, `last` after one.
    let head = page(
        &db,
        &keys,
        PageArgs::new(Some(2), None, None, Some(cursor(9))),
    )
    .await
    .expect("page");
    let ids: Vec<Uuid> = head.edges.iter().map(|(_, row)| row.id).collect();
    assert_eq!(ids, expected[0..2]);
    let tail = page(
        &db,
        &keys,
        PageArgs::new(None, Some(cursor(2)), Some(3), None),
    )
    .await
    .expect("page");
    let ids: Vec<Uuid> = tail.edges.iter().map(|(_, row)| row.id).collect();
    assert_eq!(ids, expected[10..13]);
    assert!(tail.has_previous_page && !tail.has_next_page);

    // Past the end.
    let none = page(
        &db,
        &keys,
        PageArgs::new(Some(5), Some(cursor(12)), None, None),
    )
    .await
    .expect("page");
    assert!(none.edges.is_empty() && !none.has_next_page && none.has_previous_page);
    assert_eq!(none.total_count, Some(13));
}

#[tokio::test]
async fn totals_and_empty_pages() {
    let db = db().await;
    let keys = [SortKey::new(
        item::Column::Score,
        OrderDirection::DescNullsFirst,
    )];
    let zero = page(&db, &keys, PageArgs::new(Some(0), None, None, None))
        .await
        .expect("page");
    assert!(zero.edges.is_empty());
    assert!(zero.has_next_page && !zero.has_previous_page);
    assert_eq!(zero.total_count, Some(13));

    // The default page size, and no total unless asked for.
    let args = PageArgs::default();
    let select = item::Entity::find().filter(
        score(IntFilter {
            is: Some(NullCheck::NotNull),
            ..Default::default()
        })
        .to_condition()
        .expect("valid"),
    );
    let filtered = paginate(
        &db,
        select.clone(),
        keys.to_vec(),
        item::Column::Id,
        &args,
        false,
    )
    .await
    .expect("page");
    assert_eq!(filtered.total_count, None);
    assert_eq!(filtered.edges.len(), 9);
    assert!(!filtered.has_next_page);
    // The total counts the filtered rows, not the page.
    let args = PageArgs::new(Some(2), None, None, None);
    let filtered = paginate(&db, select, keys.to_vec(), item::Column::Id, &args, true)
        .await
        .expect("page");
    assert_eq!(filtered.total_count, Some(9));
    assert_eq!(filtered.edges.len(), 2);
    assert!(filtered.has_next_page);

    // A caller's own order does not interfere with the keyset.
    let ordered = item::Entity::find().order_by_desc(item::Column::Name);
    let args = PageArgs::new(Some(13), None, None, None);
    let page = paginate(&db, ordered, keys.to_vec(), item::Column::Id, &args, true)
        .await
        .expect("page");
    let ids: Vec<Uuid> = page.edges.iter().map(|(_, row)| row.id).collect();
    assert_eq!(ids, expected_order(&keys));
}

#[tokio::test]
async fn bad_arguments_and_cursors_are_bad_input() {
    let db = db().await;
    let by_score = [SortKey::new(
        item::Column::Score,
        OrderDirection::AscNullsLast,
    )];
    let by_score_desc = [SortKey::new(
        item::Column::Score,
        OrderDirection::DescNullsLast,
    )];
    let by_name = [SortKey::new(
        item::Column::Name,
        OrderDirection::AscNullsLast,
    )];

    assert_bad_input(
        page(&db, &by_score, PageArgs::new(Some(101), None, None, None)).await,
        "first",
    );
    assert_bad_input(
        page(&db, &by_score, PageArgs::new(Some(-1), None, None, None)).await,
        "first",
    );
    assert_bad_input(
        page(&db, &by_score, PageArgs::new(None, None, Some(101), None)).await,
        "last",
    );
    assert_bad_input(
        page(&db, &by_score, PageArgs::new(Some(1), None, Some(1), None)).await,
        "last",
    );
    match page(&db, &by_score, PageArgs::new(Some(101), None, None, None)).await {
        Err(err) => assert!(err.message().contains("100"), "{err:?}"),
        Ok(_) => panic!("first: 101 accepted"),
    }

    let first = page(&db, &by_score, PageArgs::new(Some(2), None, None, None))
        .await
        .expect("page");
    let cursor = first.edges[1].0.clone();
    for keys in [&by_name[..], &by_score_desc[..], &[]] {
        let args = PageArgs::new(Some(2), Some(cursor.clone()), None, None);
        assert_bad_input(page(&db, keys, args).await, "after");
        let args = PageArgs::new(None, None, Some(2), Some(cursor.clone()));
        assert_bad_input(page(&db, keys, args).await, "before");
    }

    let forged = |json: &str| URL_SAFE_NO_PAD.encode(json);
    for garbage in [
        "garbage!".to_owned(),
        String::new(),
        forged("{}"),
        forged("[1,2]"),
        forged(r#"{"k":["score:al","id:al"],"v":[{"i8":1}]}"#),
        // A string where the id column holds UUIDs.
        forged(r#"{"k":["score:al","id:al"],"v":[{"i8":1},{"s":"x"}]}"#),
        // A timestamp where the score column holds integers.
        forged(
            r#"{"k":["score:al","id:al"],"v":[{"t":"2026-01-01T00:00:00Z"},{"u":"00000000-0000-0000-0000-000000000001"}]}"#,
        ),
        "A".repeat(20_000),
    ] {
        let args = PageArgs::new(Some(2), Some(garbage.clone()), None, None);
        assert_bad_input(page(&db, &by_score, args).await, "after");
    }
    // A well-formed forged cursor is just a position.
    let args = PageArgs::new(
        Some(20),
        Some(forged(
            r#"{"k":["score:al","id:al"],"v":[{"i8":4},{"u":"00000000-0000-0000-0000-000000000000"}]}"#,
        )),
        None,
        None,
    );
    let rest = page(&db, &by_score, args).await.expect("page");
    let ids: Vec<Uuid> = rest.edges.iter().map(|(_, row)| row.id).collect();
    let expected = expected_order(&by_score);
    let from = rows()
        .iter()
        .filter(|r| r.score.is_some_and(|s| s < 4))
        .count();
    assert_eq!(ids, expected[from..]);
}

#[tokio::test]
async fn paginate_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let db = db().await;
    let args = PageArgs::default();
    let future = paginate(
        &db,
        item::Entity::find(),
        vec![],
        item::Column::Id,
        &args,
        true,
    );
    assert_send(&future);
    assert_eq!(future.await.expect("page").edges.len(), 13);
}

/// An item as the schema shows it.
#[derive(SimpleObject)]
#[graphql(name = "Item")]
struct ItemNode {
    id: Uuid,
    name: Option<String>,
    score: Option<i64>,
}

struct Query;

#[Object]
impl Query {
    async fn items(
        &self,
        ctx: &Context<'_>,
        filter: Option<ItemFilterInput>,
        order_by: Option<Vec<ItemOrderByInput>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<ListConnection<ItemNode>> {
        let db = ctx.data::<DatabaseConnection>()?;
        let with_total = ctx.look_ahead().field("totalCount").exists();
        let select = item::Entity::find().filter(filter.unwrap_or_default().to_condition()?);
        let sort = ItemOrderByInput::sort_keys(&order_by.unwrap_or_default())?;
        let args = PageArgs::new(first, after, last, before);
        let page = paginate(db, select, sort, item::Column::Id, &args, with_total).await?;
        Ok(page.into_connection(|row| ItemNode {
            id: row.id,
            name: row.name,
            score: row.score,
        }))
    }
}

#[tokio::test]
async fn works_through_graphql() {
    let db = db().await;
    let schema = Schema::build(Query, EmptyMutation, EmptySubscription)
        .data(db)
        .finish();

    let sdl = schema.sdl();
    for expected in [
        "input UUIDFilter {",
        "input StringFilter {",
        "startsWith: String",
        "in: [String!]",
        "is: NullCheck",
        "enum NullCheck {\n\t\"\"\"\n\tThe value is not set.\n\t\"\"\"\n\tNULL",
        "NOT_NULL",
        "AscNullsFirst",
        "DescNullsLast",
        "input ItemFilterInput {",
        "createdAt: DateTimeFilter",
        "and: [ItemFilterInput!]",
        "not: ItemFilterInput",
        "input ItemOrderByInput {",
        "createdAt: OrderDirection",
        "input KindFilter {",
        "type ItemConnection {",
        "type ItemEdge {",
        "totalCount: Int!",
        "day: DateFilter",
    ] {
        assert!(sdl.contains(expected), "SDL lacks {expected:?}:\n{sdl}");
    }

    let query = r#"{
        items(
            filter: { or: [{ score: { in: [5, 3] } }, { name: { is: NULL } }], kind: { neq: GAMMA } }
            orderBy: [{ score: DescNullsLast }]
            first: 3
        ) {
            totalCount
            edges { cursor node { id name score } }
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        }
    }"#;
    let response = schema.execute(query).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let data = response.data.into_json().expect("json");
    let items = &data["items"];
    let mut want: Vec<item::Model> = rows()
        .into_iter()
        .filter(|r| (matches!(r.score, Some(5 | 3)) || r.name.is_none()) && r.kind != "gamma")
        .collect();
    want.sort_by(|a, b| {
        compare(&a.score, &b.score, OrderDirection::DescNullsLast).then(a.id.cmp(&b.id))
    });
    assert_eq!(items["totalCount"], serde_json::json!(want.len()));
    let ids: Vec<String> = items["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"]["id"].as_str().expect("id").to_owned())
        .collect();
    let want_ids: Vec<String> = want.iter().take(3).map(|r| r.id.to_string()).collect();
    assert_eq!(ids, want_ids);
    assert_eq!(items["pageInfo"]["hasNextPage"], serde_json::json!(true));
    assert_eq!(
        items["pageInfo"]["hasPreviousPage"],
        serde_json::json!(false)
    );
    assert_eq!(items["pageInfo"]["endCursor"], items["edges"][2]["cursor"]);

    // Errors carry BAD_USER_INPUT and the field.
    let response = schema.execute("{ items(first: 101) { totalCount } }").await;
    let error = response.errors.first().expect("an error");
    let ext = error.extensions.as_ref().expect("extensions");
    assert_eq!(
        ext.get("code"),
        Some(&async_graphql::Value::from("BAD_USER_INPUT"))
    );
    assert_eq!(ext.get("field"), Some(&async_graphql::Value::from("first")));
}
