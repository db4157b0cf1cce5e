//! Every list's tenant condition and default order are served by an index that starts with
//! `organization_id`. The database's planner is asked directly, on the demo organization's data
//! with fresh statistics: on PostgreSQL with sequential scans and full sorts disabled (so that
//! a plan still holding one proves no index can avoid it), on SQLite through EXPLAIN QUERY PLAN.

use gateway::seed::{DEMO_EMAIL, DEMO_PASSWORD, seed_demo};
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
use serde_json::{Value, json};
use test_support::TestApp;

use crate::helpers::{login, text};

/// The page query of one list: the GraphQL that runs it and the table it reads.
struct ListQuery {
    graphql: String,
    table: &'static str,
}

fn list(field: &str, arguments: &str, table: &'static str) -> ListQuery {
    ListQuery {
        graphql: format!("{{ {field}{arguments} {{ edges {{ node {{ id }} }} }} }}"),
        table,
    }
}

/// Every top-level list of an organization in its default order, the common alphabetical
/// orders, and the per-record lists as the record pages ask for them.
fn lists(contact_id: &str) -> Vec<ListQuery> {
    let of_contact = format!("(filter: {{ contactId: {{ eq: \"{contact_id}\" }} }})");
    vec![
        list("contacts", "", "contacts"),
        list(
            "contacts",
            "(orderBy: [{ lastName: AscNullsLast }])",
            "contacts",
        ),
        list("companies", "", "companies"),
        list(
            "companies",
            "(orderBy: [{ name: AscNullsLast }])",
            "companies",
        ),
        list("leads", "", "leads"),
        list("opportunities", "", "opportunities"),
        list("activities", "", "activities"),
        list("activities", &of_contact, "activities"),
        list("notes", "", "notes"),
        list("notes", &of_contact, "notes"),
        list("tags", "", "tags"),
        list("segments", "", "segments"),
        list("pipelines", "", "pipelines"),
        list("users", "", "users"),
        list("teams", "", "teams"),
        list("invitations", "", "invitations"),
        list("auditLogs", "", "audit_log"),
    ]
}

#[tokio::test]
async fn every_list_is_served_by_an_organization_index_in_its_default_order() {
    let app = TestApp::new().await;
    seed_demo(&app.state().core).await.expect("seed");
    app.db()
        .execute_unprepared("ANALYZE")
        .await
        .expect("statistics");
    let session = login(&app, DEMO_EMAIL, DEMO_PASSWORD).await;
    let token = text(session.data(), "/login/token").to_owned();
    let contacts = app
        .gql(
            "{ contacts(first: 1) { edges { node { id } } } }",
            json!({}),
            Some(&token),
        )
        .await;
    let contact_id = text(contacts.data(), "/contacts/edges/0/node/id").to_owned();

    let mut failures = Vec::new();
    for query in lists(&contact_id) {
        app.start_recording();
        app.gql(&query.graphql, json!({}), Some(&token))
            .await
            .data();
        let recorded = app.take_recorded();
        let from = format!("FROM \"{}\"", query.table);
        let pages: Vec<&Statement> = recorded
            .iter()
            .filter(|s| s.sql.contains(&from) && s.sql.contains("ORDER BY"))
            .collect();
        let [page] = pages[..] else {
            panic!("{}: expected one page query, got {pages:#?}", query.graphql);
        };
        let problems = if app.is_postgres() {
            postgres_problems(&app, page, query.table).await
        } else {
            sqlite_problems(&app, page, query.table).await
        };
        if !problems.is_empty() {
            failures.push(format!(
                "{}\n  {}\n  {}",
                query.graphql,
                page.sql,
                problems.join("\n  ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "lists not served by an index:\n{}",
        failures.join("\n\n")
    );
}

/// What is wrong with the PostgreSQL plan of `page`: sequential scans, full sorts, or scans
/// of `table` through an index that does not start with `organization_id`.
async fn postgres_problems(app: &TestApp, page: &Statement, table: &str) -> Vec<String> {
    let txn = app.db().begin().await.expect("begin");
    txn.execute_unprepared("SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off")
        .await
        .expect("planner settings");
    let explain = Statement {
        sql: format!("EXPLAIN (FORMAT JSON) {}", page.sql),
        values: page.values.clone(),
        db_backend: page.db_backend,
    };
    let row = txn
        .query_one_raw(explain)
        .await
        .expect("explain")
        .expect("a plan");
    let plan: Value = row.try_get("", "QUERY PLAN").expect("plan json");
    let indexes = txn
        .query_all_raw(Statement::from_sql_and_values(
            page.db_backend,
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1",
            [table.into()],
        ))
        .await
        .expect("indexes");
    txn.rollback().await.expect("rollback");
    let organization_indexes: Vec<String> = indexes
        .iter()
        .filter(|row| {
            row.try_get::<String>("", "indexdef")
                .is_ok_and(|def| def.contains("btree (organization_id"))
        })
        .filter_map(|row| row.try_get::<String>("", "indexname").ok())
        .collect();

    let mut nodes = Vec::new();
    collect_nodes(&plan[0]["Plan"], &mut nodes);
    let mut problems = Vec::new();
    for node in nodes {
        let kind = node["Node Type"].as_str().unwrap_or_default();
        let relation = node["Relation Name"].as_str();
        match kind {
            "Seq Scan" => problems.push(format!("sequential scan of {relation:?}")),
            "Sort" => problems.push(format!("full sort on {}", node["Sort Key"])),
            "Index Scan" | "Index Only Scan" | "Bitmap Index Scan" => {
                let index = node["Index Name"].as_str().unwrap_or_default();
                let on_table = relation == Some(table)
                    || indexes.iter().any(|row| {
                        row.try_get::<String>("", "indexname")
                            .is_ok_and(|name| name == index)
                    });
                if on_table && !organization_indexes.iter().any(|name| name == index) {
                    problems.push(format!(
                        "{kind} on {index}, which does not lead with organization_id"
                    ));
                }
            }
            _ => {}
        }
    }
    problems
}

fn collect_nodes<'p>(node: &'p Value, into: &mut Vec<&'p Value>) {
    into.push(node);
    for child in node["Plans"].as_array().into_iter().flatten() {
        collect_nodes(child, into);
    }
}

/// What is wrong with the SQLite plan of `page`: a scan of `table` instead of a search by
/// organization, or a temporary b-tree for the order.
async fn sqlite_problems(app: &TestApp, page: &Statement, table: &str) -> Vec<String> {
    let explain = Statement {
        sql: format!("EXPLAIN QUERY PLAN {}", page.sql),
        values: page.values.clone(),
        db_backend: page.db_backend,
    };
    let rows = app.db().query_all_raw(explain).await.expect("explain");
    let details: Vec<String> = rows
        .iter()
        .filter_map(|row| row.try_get::<String>("", "detail").ok())
        .collect();
    let mut problems = Vec::new();
    let searched = details.iter().any(|d| {
        d.starts_with(&format!("SEARCH {table} USING ")) && d.contains("(organization_id=?")
    });
    if !searched {
        problems.push(format!(
            "{table} is not searched by organization: {details:?}"
        ));
    }
    if details
        .iter()
        .any(|d| d.contains("USE TEMP B-TREE FOR ORDER BY"))
    {
        problems.push(format!("full sort: {details:?}"));
    }
    problems
}
