//! Opportunities: defaults, lists and search, moves between stages with their history, line
//! items driving the value, bad input, roles and tenancy.

use chrono::{Duration, Utc};
use crm_core::entity::{company, lead, note, opportunity};
use kernel::Role;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use serde_json::{Value, json};
use test_support::{TestApp, TestUser};
use uuid::Uuid;

use crate::helpers::{count_rows, text};

const FIELDS: &str = "id name description value currency probability weightedValue expectedCloseDate actualCloseDate \
    pipelineId stageId stage { id name } pipeline { id } contactId companyId leadId owner { id } status lossReason \
    competitor nextStep tags customFields stageChangedAt daysInStage createdAt updatedAt deletedAt";

fn create() -> String {
    format!(
        "mutation($data: OpportunityCreateInput!) {{ createOpportunity(data: $data) {{ {FIELDS} }} }}"
    )
}

fn update() -> String {
    format!(
        "mutation($id: UUID!, $data: OpportunityUpdateInput!) {{ updateOpportunity(id: $id, data: $data) {{ {FIELDS} }} }}"
    )
}

fn read() -> String {
    format!("query($id: UUID!) {{ opportunity(id: $id) {{ {FIELDS} }} }}")
}

const MOVE: &str = "mutation($id: UUID!, $stageId: UUID!, $lossReason: String) { moveOpportunity(id: $id, stageId: $stageId, lossReason: $lossReason) { id status probability weightedValue actualCloseDate lossReason stage { name } stageHistory { fromStage { name } toStage { name } fromStatus toStatus probability value secondsInPreviousStage changedBy { id } } } }";
const ADD_ITEM: &str = "mutation($id: UUID!, $data: LineItemInput!) { addLineItem(opportunityId: $id, data: $data) { id product quantity unitPrice discount total position } }";
const UPDATE_ITEM: &str = "mutation($id: UUID!, $data: LineItemUpdateInput!) { updateLineItem(id: $id, data: $data) { id quantity total } }";
const REMOVE_ITEM: &str = "mutation($id: UUID!) { removeLineItem(id: $id) }";
const STAGES: &str = "{ pipelines(filter: { isDefault: { eq: true } }) { edges { node { id stages { id name } } } } }";

/// A decimal returned as a string, as a number (SQLite keeps fewer trailing zeros).
fn num(value: &Value) -> f64 {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not a decimal: {value}"))
}

/// The default pipeline's id and its stage ids by name.
async fn default_stages(user: &TestUser) -> (String, Vec<(String, String)>) {
    let response = user.gql(STAGES, json!({})).await;
    let node = response.at("/pipelines/edges/0/node");
    let stages = node["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| (text(s, "/name").to_owned(), text(s, "/id").to_owned()))
        .collect();
    (text(node, "/id").to_owned(), stages)
}

fn stage<'a>(stages: &'a [(String, String)], name: &str) -> &'a str {
    &stages
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no stage {name}"))
        .1
}

async fn make(user: &TestUser, data: Value) -> Value {
    user.gql(&create(), json!({ "data": data }))
        .await
        .at("/createOpportunity")
        .clone()
}

async fn insert_company(app: &TestApp, organization_id: Uuid) -> Uuid {
    let now = Utc::now();
    company::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(organization_id),
        name: Set("Initech".into()),
        custom_fields: Set(json!({})),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(app.db())
    .await
    .expect("company")
    .id
}

#[tokio::test]
async fn an_opportunity_gets_its_defaults_from_the_organization_and_the_default_pipeline() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    acme.admin
        .gql(
            "mutation { createCustomFieldDefinition(data: { entityType: OPPORTUNITY, key: \"source\", label: \"source\", fieldType: TEXT }) { id } }",
            json!({}),
        )
        .await
        .data();
    let (pipeline_id, stages) = default_stages(&rep).await;
    let created = make(
        &rep,
        json!({ "name": " Big deal ", "value": "1000", "tags": ["hot lead", "HOT LEAD", "q4"], "expectedCloseDate": "2030-01-31",
                "customFields": { "source": "fair" }, "competitor": "Globex", "nextStep": "Call back" }),
    )
    .await;
    assert_eq!(created["name"], "Big deal");
    assert_eq!(created["pipelineId"], json!(pipeline_id));
    assert_eq!(created["stage"]["name"], "Prospecting");
    assert_eq!(created["status"], "OPEN");
    assert_eq!(created["currency"], "USD");
    assert_eq!(created["probability"], 10);
    assert_eq!(num(&created["value"]), 1000.0);
    assert_eq!(num(&created["weightedValue"]), 100.0);
    assert_eq!(created["owner"]["id"], json!(rep.id));
    assert_eq!(created["tags"], json!(["Hot Lead", "Q4"]));
    assert_eq!(created["customFields"], json!({ "source": "fair" }));
    assert_eq!(created["expectedCloseDate"], "2030-01-31");
    assert!(created["actualCloseDate"].is_null());
    assert_eq!(created["daysInStage"], 0);
    let id = text(&created, "/id");
    let history = rep
        .gql(
            "query($id: UUID!) { opportunity(id: $id) { stageHistory { fromStageId fromStatus toStage { id } toStatus probability value changedBy { id } } } }",
            json!({ "id": id }),
        )
        .await;
    let rows = history.at("/opportunity/stageHistory");
    assert_eq!(rows.as_array().map(Vec::len), Some(1));
    assert!(rows[0]["fromStageId"].is_null() && rows[0]["fromStatus"].is_null());
    assert_eq!(
        rows[0]["toStage"]["id"],
        json!(stage(&stages, "Prospecting"))
    );
    assert_eq!(rows[0]["toStatus"], "OPEN");
    assert_eq!(rows[0]["changedBy"]["id"], json!(rep.id));

    // The organization's currency is the default; an explicit stage sets the probability.
    acme.admin
        .gql(
            "mutation { updateOrganization(data: { defaultCurrency: \"EUR\" }) { name } }",
            json!({}),
        )
        .await
        .data();
    let second = make(
        &rep,
        json!({ "name": "Second", "value": "200", "stageId": stage(&stages, "Proposal") }),
    )
    .await;
    assert_eq!(second["currency"], "EUR");
    assert_eq!(second["probability"], 50);
    assert_eq!(num(&second["weightedValue"]), 100.0);
    // An explicit probability wins over the stage's.
    let third = make(
        &rep,
        json!({ "name": "Third", "value": "99.99", "probability": 33, "currency": "gbp" }),
    )
    .await;
    assert_eq!(third["currency"], "GBP");
    assert_eq!(third["probability"], 33);
    assert_eq!(num(&third["weightedValue"]), 33.0);
}

#[tokio::test]
async fn opportunities_are_read_listed_updated_deleted_restored_and_destroyed() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    acme.admin
        .gql(
            "mutation { createCustomFieldDefinition(data: { entityType: OPPORTUNITY, key: \"x\", label: \"x\", fieldType: NUMBER }) { id } }",
            json!({}),
        )
        .await
        .data();
    let admin = &acme.admin;
    let (_, stages) = default_stages(admin).await;
    let company_id = insert_company(&app, acme.id).await;
    let batch = admin
        .gql(
            "mutation($data: [OpportunityCreateInput!]!) { createOpportunities(data: $data) { id name } }",
            json!({ "data": (1..=5).map(|i| json!({ "name": format!("Deal {i}"), "value": format!("{}", i * 100),
                                                     "competitor": if i == 3 { "Globex" } else { "Hooli" } })).collect::<Vec<_>>() }),
        )
        .await;
    let ids: Vec<String> = (0..5)
        .map(|i| text(batch.data(), &format!("/createOpportunities/{i}/id")).to_owned())
        .collect();

    // Sort by value, two per page, across pages.
    let query = "query($after: String) { opportunities(first: 2, after: $after, orderBy: [{ value: DescNullsLast }]) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }";
    let mut names = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = admin.gql(query, json!({ "after": after })).await;
        assert_eq!(page.at("/opportunities/totalCount"), 5);
        for edge in page.at("/opportunities/edges").as_array().expect("edges") {
            names.push(text(edge, "/node/name").to_owned());
        }
        if page.at("/opportunities/pageInfo/hasNextPage") == false {
            break;
        }
        after = page.at("/opportunities/pageInfo/endCursor").clone();
    }
    assert_eq!(names, ["Deal 5", "Deal 4", "Deal 3", "Deal 2", "Deal 1"]);
    let filtered = admin
        .gql(
            "{ opportunities(filter: { value: { gte: \"300\" }, status: { eq: OPEN } }, orderBy: [{ name: AscNullsLast }]) { totalCount edges { node { name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(filtered.at("/opportunities/totalCount"), 3);
    assert_eq!(filtered.at("/opportunities/edges/0/node/name"), "Deal 3");
    let by_stage = admin
        .gql(
            "query($stage: UUID!) { opportunities(filter: { stageId: { eq: $stage } }) { totalCount } }",
            json!({ "stage": stage(&stages, "Proposal") }),
        )
        .await;
    assert_eq!(by_stage.at("/opportunities/totalCount"), 0);

    // Search: by word of the name or competitor, on both databases.
    let search = |term: &str| {
        let term = term.to_owned();
        async move {
            let response = admin
                .gql(
                    "query($q: String) { opportunities(search: $q, orderBy: [{ name: AscNullsLast }]) { edges { node { name } } } }",
                    json!({ "q": term }),
                )
                .await;
            response
                .at("/opportunities/edges")
                .as_array()
                .expect("edges")
                .iter()
                .map(|e| text(e, "/node/name").to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(search("globex").await, ["Deal 3"]);
    assert_eq!(search("Deal Globex").await, ["Deal 3"]);
    assert_eq!(search("hooli").await.len(), 4);
    assert!(search("nothing").await.is_empty());
    assert!(search("100%").await.is_empty());

    // Update.
    let updated = admin
        .gql(
            &update(),
            json!({ "id": ids[0], "data": { "name": "Renamed", "value": "150.5", "probability": 40, "companyId": company_id,
                                            "expectedCloseDate": "2031-12-01", "tags": ["a", "A", "b c"], "nextStep": "Demo",
                                            "competitor": null, "customFields": { "x": 1 } } }),
        )
        .await;
    let node = updated.at("/updateOpportunity");
    assert_eq!(node["name"], "Renamed");
    assert_eq!(num(&node["value"]), 150.5);
    assert_eq!(num(&node["weightedValue"]), 60.2);
    assert_eq!(node["companyId"], json!(company_id));
    assert_eq!(node["tags"], json!(["A", "B C"]));
    assert!(node["competitor"].is_null());
    assert_eq!(node["expectedCloseDate"], "2031-12-01");
    let cleared = admin
        .gql(
            &update(),
            json!({ "id": ids[0], "data": { "companyId": null, "expectedCloseDate": null } }),
        )
        .await;
    assert!(cleared.at("/updateOpportunity/companyId").is_null());
    assert!(cleared.at("/updateOpportunity/expectedCloseDate").is_null());

    // Soft delete, restore.
    let deleted = admin
        .gql(
            "mutation($id: UUID!) { deleteOpportunity(id: $id) { deletedAt } }",
            json!({ "id": ids[1] }),
        )
        .await;
    assert!(deleted.at("/deleteOpportunity/deletedAt").is_string());
    let listed = admin
        .gql("{ opportunities { totalCount } }", json!({}))
        .await;
    assert_eq!(listed.at("/opportunities/totalCount"), 4);
    let trash = admin
        .gql(
            "{ opportunities(filter: { deletedAt: { is: NOT_NULL } }) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(trash.at("/opportunities/edges/0/node/id"), &json!(ids[1]));
    let restored = admin
        .gql(
            "mutation($id: UUID!) { restoreOpportunity(id: $id) { deletedAt } }",
            json!({ "id": ids[1] }),
        )
        .await;
    assert!(restored.at("/restoreOpportunity/deletedAt").is_null());

    // Destroy (administrators only) takes line items and history with it.
    admin
        .gql(
            ADD_ITEM,
            json!({ "id": ids[2], "data": { "product": "Seat", "quantity": "2", "unitPrice": "10" } }),
        )
        .await
        .data();
    let manager = acme.with_user(Role::Manager).await;
    manager
        .gql(
            "mutation($id: UUID!) { destroyOpportunity(id: $id) }",
            json!({ "id": ids[2] }),
        )
        .await
        .expect_code("FORBIDDEN");
    // A lead converted into it and a note on it stay, unlinked.
    let target: Uuid = ids[2].parse().expect("uuid");
    let now = Utc::now();
    let lead_id = lead::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(acme.id),
        status: Set("converted".into()),
        tags: Set(json!([])),
        custom_fields: Set(json!({})),
        converted_opportunity_id: Set(Some(target)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(app.db())
    .await
    .expect("lead")
    .id;
    let note_id = note::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(acme.id),
        body: Set("Call them".into()),
        pinned: Set(false),
        opportunity_id: Set(Some(target)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(app.db())
    .await
    .expect("note")
    .id;
    let history = count_rows(&app, "opportunity_stage_history").await;
    let destroyed = admin
        .gql(
            "mutation($id: UUID!) { destroyOpportunity(id: $id) }",
            json!({ "id": ids[2] }),
        )
        .await;
    assert_eq!(destroyed.at("/destroyOpportunity"), &json!(ids[2]));
    assert_eq!(count_rows(&app, "opportunity_line_items").await, 0);
    assert_eq!(
        count_rows(&app, "opportunity_stage_history").await,
        history - 1
    );
    assert_eq!(count_rows(&app, "opportunities").await, 4);
    let lead = lead::Entity::find_by_id(lead_id)
        .one(app.db())
        .await
        .expect("query")
        .expect("lead stays");
    assert!(lead.converted_opportunity_id.is_none());
    let note = note::Entity::find_by_id(note_id)
        .one(app.db())
        .await
        .expect("query")
        .expect("note stays");
    assert!(note.opportunity_id.is_none());
    assert!(
        admin
            .gql(&read(), json!({ "id": ids[2] }))
            .await
            .at("/opportunity")
            .is_null()
    );
}

#[tokio::test]
async fn moving_through_the_stages_to_won_sets_status_close_date_probability_and_history() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    let (_, stages) = default_stages(&rep).await;
    let created = make(&rep, json!({ "name": "Deal", "value": "1000" })).await;
    let id = text(&created, "/id").to_owned();

    let qualified = rep
        .gql(
            MOVE,
            json!({ "id": id, "stageId": stage(&stages, "Qualification") }),
        )
        .await;
    assert_eq!(qualified.at("/moveOpportunity/status"), "OPEN");
    assert_eq!(qualified.at("/moveOpportunity/probability"), 25);
    assert_eq!(num(qualified.at("/moveOpportunity/weightedValue")), 250.0);
    // The same stage again changes nothing and writes no history.
    let again = rep
        .gql(
            MOVE,
            json!({ "id": id, "stageId": stage(&stages, "Qualification") }),
        )
        .await;
    assert_eq!(
        again
            .at("/moveOpportunity/stageHistory")
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    rep.gql(
        MOVE,
        json!({ "id": id, "stageId": stage(&stages, "Negotiation") }),
    )
    .await
    .data();
    let won = rep
        .gql(MOVE, json!({ "id": id, "stageId": stage(&stages, "Won") }))
        .await;
    let node = won.at("/moveOpportunity");
    assert_eq!(node["status"], "WON");
    assert_eq!(node["stage"]["name"], "Won");
    assert_eq!(node["probability"], 100);
    assert_eq!(num(&node["weightedValue"]), 1000.0);
    assert_eq!(
        node["actualCloseDate"],
        json!(Utc::now().date_naive().to_string())
    );
    let history: Vec<Value> = node["stageHistory"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| {
            json!([
                h["fromStage"]["name"],
                h["toStage"]["name"],
                h["fromStatus"],
                h["toStatus"]
            ])
        })
        .collect();
    assert_eq!(
        history,
        vec![
            json!([null, "Prospecting", null, "OPEN"]),
            json!(["Prospecting", "Qualification", "OPEN", "OPEN"]),
            json!(["Qualification", "Negotiation", "OPEN", "OPEN"]),
            json!(["Negotiation", "Won", "OPEN", "WON"]),
        ]
    );
    let last = &node["stageHistory"][3];
    assert_eq!(last["probability"], 100);
    assert_eq!(num(&last["value"]), 1000.0);
    assert!(
        last["secondsInPreviousStage"]
            .as_i64()
            .is_some_and(|s| s >= 0)
    );
    assert_eq!(last["changedBy"]["id"], json!(rep.id));
    assert_eq!(count_rows(&app, "opportunity_stage_history").await, 4);

    // Reopening clears the close date.
    let reopened = rep
        .gql(
            MOVE,
            json!({ "id": id, "stageId": stage(&stages, "Proposal") }),
        )
        .await;
    assert_eq!(reopened.at("/moveOpportunity/status"), "OPEN");
    assert!(reopened.at("/moveOpportunity/actualCloseDate").is_null());
}

#[tokio::test]
async fn losing_needs_a_reason_and_a_refused_move_changes_nothing() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let admin = &acme.admin;
    let (_, stages) = default_stages(admin).await;
    let created = make(admin, json!({ "name": "Deal", "value": "500" })).await;
    let id = text(&created, "/id").to_owned();
    let history = count_rows(&app, "opportunity_stage_history").await;
    for reason in [Value::Null, json!(""), json!("   ")] {
        let refused = admin
            .gql(
                MOVE,
                json!({ "id": id, "stageId": stage(&stages, "Lost"), "lossReason": reason }),
            )
            .await;
        refused.expect_code("BAD_USER_INPUT");
        assert_eq!(refused.field(), Some("lossReason"));
    }
    let unchanged = admin.gql(&read(), json!({ "id": id })).await;
    assert_eq!(unchanged.at("/opportunity"), &created);
    assert_eq!(count_rows(&app, "opportunity_stage_history").await, history);

    let lost = admin
        .gql(
            MOVE,
            json!({ "id": id, "stageId": stage(&stages, "Lost"), "lossReason": "Too expensive" }),
        )
        .await;
    assert_eq!(lost.at("/moveOpportunity/status"), "LOST");
    assert_eq!(lost.at("/moveOpportunity/lossReason"), "Too expensive");
    assert_eq!(num(lost.at("/moveOpportunity/weightedValue")), 0.0);
    assert!(lost.at("/moveOpportunity/actualCloseDate").is_string());
    // A lost opportunity keeps a reason.
    let cleared = admin
        .gql(
            &update(),
            json!({ "id": id, "data": { "lossReason": null } }),
        )
        .await;
    assert_eq!(cleared.field(), Some("lossReason"));

    // Stages of another pipeline are refused by name; random ones are not found.
    let other = admin
        .gql(
            "mutation { createPipeline(data: { name: \"Other\" }) { stages { id } } }",
            json!({}),
        )
        .await;
    let foreign_stage = text(other.data(), "/createPipeline/stages/0/id").to_owned();
    let elsewhere = admin
        .gql(MOVE, json!({ "id": id, "stageId": foreign_stage }))
        .await;
    elsewhere.expect_code("BAD_USER_INPUT");
    assert_eq!(elsewhere.field(), Some("stageId"));
    admin
        .gql(MOVE, json!({ "id": id, "stageId": Uuid::now_v7() }))
        .await
        .expect_code("NOT_FOUND");
}

#[tokio::test]
async fn line_items_drive_the_value_and_weighted_value() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    let created = make(
        &rep,
        json!({ "name": "Deal", "value": "999", "probability": 50 }),
    )
    .await;
    let id = text(&created, "/id").to_owned();

    let first = rep
        .gql(
            ADD_ITEM,
            json!({ "id": id, "data": { "product": "Licence", "quantity": "3", "unitPrice": "100", "discount": "10" } }),
        )
        .await;
    let item = first.at("/addLineItem");
    assert_eq!(num(&item["total"]), 270.0);
    assert_eq!(item["position"], 0);
    let first_id = text(item, "/id").to_owned();
    let second = rep
        .gql(
            ADD_ITEM,
            json!({ "id": id, "data": { "product": "Setup", "quantity": "1.5", "unitPrice": "33.33" } }),
        )
        .await;
    assert_eq!(num(second.at("/addLineItem/total")), 50.0);
    assert_eq!(second.at("/addLineItem/position"), 1);
    let read_value = |body: &Value| (num(&body["value"]), num(&body["weightedValue"]));
    let current = rep.gql(&read(), json!({ "id": id })).await;
    assert_eq!(read_value(current.at("/opportunity")), (320.0, 160.0));

    let changed = rep
        .gql(
            UPDATE_ITEM,
            json!({ "id": first_id, "data": { "quantity": "1", "discount": "0" } }),
        )
        .await;
    assert_eq!(num(changed.at("/updateLineItem/total")), 100.0);
    let current = rep.gql(&read(), json!({ "id": id })).await;
    assert_eq!(read_value(current.at("/opportunity")), (150.0, 75.0));

    // While line items exist the value cannot be set directly.
    let refused = rep
        .gql(&update(), json!({ "id": id, "data": { "value": "5" } }))
        .await;
    refused.expect_code("BAD_USER_INPUT");
    assert_eq!(refused.field(), Some("value"));

    rep.gql(REMOVE_ITEM, json!({ "id": first_id })).await.data();
    let current = rep
        .gql(
            "query($id: UUID!) { opportunity(id: $id) { value weightedValue lineItems { product } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(read_value(current.at("/opportunity")), (50.0, 25.0));
    assert_eq!(
        current.at("/opportunity/lineItems"),
        &json!([{ "product": "Setup" }])
    );

    // Bad line items name their field and write nothing.
    let items = count_rows(&app, "opportunity_line_items").await;
    for (data, field) in [
        (
            json!({ "product": "X", "quantity": "0", "unitPrice": "1" }),
            "quantity",
        ),
        (
            json!({ "product": "X", "quantity": "-1", "unitPrice": "1" }),
            "quantity",
        ),
        (
            json!({ "product": "X", "quantity": "1", "unitPrice": "-1" }),
            "unitPrice",
        ),
        (
            json!({ "product": "X", "quantity": "1", "unitPrice": "1", "discount": "101" }),
            "discount",
        ),
        (
            json!({ "product": "", "quantity": "1", "unitPrice": "1" }),
            "product",
        ),
    ] {
        let response = rep.gql(ADD_ITEM, json!({ "id": id, "data": data })).await;
        response.expect_code("BAD_USER_INPUT");
        assert_eq!(response.field(), Some(field), "{data}");
    }
    assert_eq!(count_rows(&app, "opportunity_line_items").await, items);
}

#[tokio::test]
async fn days_in_stage_is_derived_from_when_the_stage_changed() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let created = make(&acme.admin, json!({ "name": "Old deal" })).await;
    let id: Uuid = text(&created, "/id").parse().expect("uuid");
    let row = opportunity::Entity::find_by_id(id)
        .one(app.db())
        .await
        .expect("query")
        .expect("row");
    let mut model = row.into_active_model();
    model.stage_changed_at = Set(Utc::now() - Duration::hours(24 * 3 + 5));
    model.update(app.db()).await.expect("update");
    let read = acme
        .admin
        .gql(
            "query($id: UUID!) { opportunity(id: $id) { daysInStage } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(read.at("/opportunity/daysInStage"), 3);
}

#[tokio::test]
async fn invalid_opportunity_input_names_the_field_and_writes_nothing() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let admin = &acme.admin;
    let (pipeline_id, _) = default_stages(admin).await;
    let other = admin
        .gql(
            "mutation { createPipeline(data: { name: \"Other\" }) { stages { id } } }",
            json!({}),
        )
        .await;
    let other_stage = text(other.data(), "/createPipeline/stages/0/id").to_owned();
    let opportunities = count_rows(&app, "opportunities").await;
    let history = count_rows(&app, "opportunity_stage_history").await;
    for (data, field) in [
        (json!({ "name": "" }), "name"),
        (json!({ "name": "X", "probability": 101 }), "probability"),
        (json!({ "name": "X", "probability": -1 }), "probability"),
        (json!({ "name": "X", "value": "-5" }), "value"),
        (json!({ "name": "X", "value": "1.234" }), "value"),
        (json!({ "name": "X", "currency": "EURO" }), "currency"),
        (
            json!({ "name": "X", "pipelineId": pipeline_id, "stageId": other_stage }),
            "stageId",
        ),
        (
            json!({ "name": "X", "customFields": [1, 2] }),
            "customFields",
        ),
        (json!({ "name": "X", "tags": [""] }), "tags"),
        (json!({ "name": "X\u{0}" }), "name"),
    ] {
        let response = admin.gql(&create(), json!({ "data": data })).await;
        response.expect_code("BAD_USER_INPUT");
        assert_eq!(response.field(), Some(field), "{data}");
    }
    // A batch is all or nothing.
    let batch = admin
        .gql(
            "mutation($data: [OpportunityCreateInput!]!) { createOpportunities(data: $data) { id } }",
            json!({ "data": [{ "name": "Fine" }, { "name": "Bad", "currency": "NOPE" }] }),
        )
        .await;
    assert_eq!(batch.field(), Some("data.1.currency"));
    let too_many = admin
        .gql(
            "mutation($data: [OpportunityCreateInput!]!) { createOpportunities(data: $data) { id } }",
            json!({ "data": (0..101).map(|i| json!({ "name": format!("D{i}") })).collect::<Vec<_>>() }),
        )
        .await;
    too_many.expect_code("BAD_USER_INPUT");
    assert_eq!(count_rows(&app, "opportunities").await, opportunities);
    assert_eq!(count_rows(&app, "opportunity_stage_history").await, history);

    let created = make(admin, json!({ "name": "Deal", "value": "10" })).await;
    let id = text(&created, "/id");
    for (data, field) in [
        (json!({ "probability": 101 }), "probability"),
        (json!({ "value": "-0.01" }), "value"),
        (json!({ "currency": "EURO" }), "currency"),
        (json!({ "name": "  " }), "name"),
    ] {
        let response = admin
            .gql(&update(), json!({ "id": id, "data": data }))
            .await;
        response.expect_code("BAD_USER_INPUT");
        assert_eq!(response.field(), Some(field), "{data}");
    }
    // Probabilities are whole percents: a fraction or a decimal string is not an Int.
    for probability in [json!(33.5), json!("40")] {
        admin
            .gql(
                &update(),
                json!({ "id": id, "data": { "probability": probability } }),
            )
            .await
            .expect_code("GRAPHQL_VALIDATION_FAILED");
    }
    assert_eq!(
        admin
            .gql(&read(), json!({ "id": id }))
            .await
            .at("/opportunity"),
        &created
    );
}

#[tokio::test]
async fn marketing_sees_no_values_and_cannot_create_or_edit() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let created = make(&acme.admin, json!({ "name": "Deal", "value": "700" })).await;
    let id = text(&created, "/id").to_owned();
    acme.admin
        .gql(
            ADD_ITEM,
            json!({ "id": id, "data": { "product": "Seat", "quantity": "7", "unitPrice": "100" } }),
        )
        .await
        .data();
    let marketing = acme.with_user(Role::Marketing).await;
    let read = marketing
        .gql(
            "query($id: UUID!) { opportunity(id: $id) { name value weightedValue probability lineItems { quantity unitPrice total } stageHistory { value } } }",
            json!({ "id": id }),
        )
        .await;
    let node = read.at("/opportunity");
    assert_eq!(node["name"], "Deal");
    assert!(node["value"].is_null() && node["weightedValue"].is_null());
    assert!(node["lineItems"][0]["unitPrice"].is_null() && node["lineItems"][0]["total"].is_null());
    assert_eq!(num(&node["lineItems"][0]["quantity"]), 7.0);
    assert!(node["stageHistory"][0]["value"].is_null());
    let listed = marketing
        .gql("{ opportunities { edges { node { value } } } }", json!({}))
        .await;
    assert!(listed.at("/opportunities/edges/0/node/value").is_null());
    // Values cannot be probed through filters or order either.
    marketing
        .gql(
            "{ opportunities(filter: { or: [{ value: { gt: \"500\" } }] }) { totalCount } }",
            json!({}),
        )
        .await
        .expect_code("FORBIDDEN");
    marketing
        .gql(
            "{ opportunities(orderBy: [{ weightedValue: AscNullsLast }]) { totalCount } }",
            json!({}),
        )
        .await
        .expect_code("FORBIDDEN");
    let count = count_rows(&app, "opportunities").await;
    marketing
        .gql(&create(), json!({ "data": { "name": "Mine" } }))
        .await
        .expect_code("FORBIDDEN");
    marketing
        .gql(&update(), json!({ "id": id, "data": { "name": "Mine" } }))
        .await
        .expect_code("FORBIDDEN");
    assert_eq!(count_rows(&app, "opportunities").await, count);
}

#[tokio::test]
async fn sales_reps_edit_their_own_deals_and_see_what_the_organization_allows() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let (_, stages) = default_stages(&acme.admin).await;
    let rep = acme.with_user(Role::SalesRep).await;
    let other_rep = acme.with_user(Role::SalesRep).await;
    let mine = make(&rep, json!({ "name": "Mine" })).await;
    let theirs = make(&other_rep, json!({ "name": "Theirs" })).await;
    let mine_id = text(&mine, "/id").to_owned();
    let theirs_id = text(&theirs, "/id").to_owned();

    rep.gql(
        &update(),
        json!({ "id": mine_id, "data": { "nextStep": "Call" } }),
    )
    .await
    .data();
    for (query, variables) in [
        (
            update(),
            json!({ "id": theirs_id, "data": { "nextStep": "Steal" } }),
        ),
        (
            MOVE.to_owned(),
            json!({ "id": theirs_id, "stageId": stage(&stages, "Proposal") }),
        ),
        (
            "mutation($id: UUID!) { deleteOpportunity(id: $id) { id } }".to_owned(),
            json!({ "id": theirs_id }),
        ),
        (
            ADD_ITEM.to_owned(),
            json!({ "id": theirs_id, "data": { "product": "X", "quantity": "1", "unitPrice": "1" } }),
        ),
        (
            "mutation($id: UUID!) { destroyOpportunity(id: $id) }".to_owned(),
            json!({ "id": mine_id }),
        ),
    ] {
        rep.gql(&query, variables).await.expect_code("FORBIDDEN");
    }
    // With visibility ALL they read everything.
    let all = rep.gql("{ opportunities { totalCount } }", json!({})).await;
    assert_eq!(all.at("/opportunities/totalCount"), 2);

    acme.admin
        .gql(
            "mutation { updateOrganization(data: { salesRepVisibility: OWN }) { name } }",
            json!({}),
        )
        .await
        .data();
    let own = rep
        .gql(
            "{ opportunities { totalCount edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(own.at("/opportunities/totalCount"), 1);
    assert_eq!(own.at("/opportunities/edges/0/node/id"), &json!(mine_id));
    assert!(
        rep.gql(&read(), json!({ "id": theirs_id }))
            .await
            .at("/opportunity")
            .is_null()
    );
    rep.gql(
        &update(),
        json!({ "id": theirs_id, "data": { "nextStep": "Steal" } }),
    )
    .await
    .expect_code("NOT_FOUND");

    // READONLY reads but never writes; CLIENT does not read.
    let readonly = acme.with_user(Role::Readonly).await;
    assert_eq!(
        readonly
            .gql("{ opportunities { totalCount } }", json!({}))
            .await
            .at("/opportunities/totalCount"),
        2
    );
    readonly
        .gql(&create(), json!({ "data": { "name": "X" } }))
        .await
        .expect_code("FORBIDDEN");
    readonly
        .gql(&update(), json!({ "id": mine_id, "data": { "name": "X" } }))
        .await
        .expect_code("FORBIDDEN");
    let client = acme.with_user(Role::Client).await;
    client
        .gql("{ opportunities { totalCount } }", json!({}))
        .await
        .expect_code("FORBIDDEN");
    // Managers edit anyone's.
    let manager = acme.with_user(Role::Manager).await;
    manager
        .gql(
            MOVE,
            json!({ "id": theirs_id, "stageId": stage(&stages, "Proposal") }),
        )
        .await
        .data();
}

#[tokio::test]
async fn another_organizations_opportunities_and_references_are_not_found() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let beta = app.with_org("Beta").await;
    let (their_pipeline, their_stages) = default_stages(&beta.admin).await;
    let theirs = make(&beta.admin, json!({ "name": "Theirs", "value": "5" })).await;
    let their_id = text(&theirs, "/id").to_owned();
    let their_item = beta
        .admin
        .gql(
            ADD_ITEM,
            json!({ "id": their_id, "data": { "product": "X", "quantity": "1", "unitPrice": "1" } }),
        )
        .await;
    let their_item_id = text(their_item.data(), "/addLineItem/id").to_owned();
    let their_company = insert_company(&app, beta.id).await;
    let admin = &acme.admin;
    let mine = make(admin, json!({ "name": "Mine" })).await;
    let mine_id = text(&mine, "/id").to_owned();
    let (_, our_stages) = default_stages(admin).await;

    assert!(
        admin
            .gql(&read(), json!({ "id": their_id }))
            .await
            .at("/opportunity")
            .is_null()
    );
    let listed = admin
        .gql("{ opportunities { totalCount } }", json!({}))
        .await;
    assert_eq!(listed.at("/opportunities/totalCount"), 1);

    for (query, variables) in [
        (
            update(),
            json!({ "id": their_id, "data": { "name": "Mine" } }),
        ),
        (
            MOVE.to_owned(),
            json!({ "id": their_id, "stageId": stage(&our_stages, "Proposal") }),
        ),
        (
            MOVE.to_owned(),
            json!({ "id": mine_id, "stageId": stage(&their_stages, "Proposal") }),
        ),
        (
            "mutation($id: UUID!) { deleteOpportunity(id: $id) { id } }".to_owned(),
            json!({ "id": their_id }),
        ),
        (
            "mutation($id: UUID!) { restoreOpportunity(id: $id) { id } }".to_owned(),
            json!({ "id": their_id }),
        ),
        (
            "mutation($id: UUID!) { destroyOpportunity(id: $id) }".to_owned(),
            json!({ "id": their_id }),
        ),
        (
            ADD_ITEM.to_owned(),
            json!({ "id": their_id, "data": { "product": "X", "quantity": "1", "unitPrice": "1" } }),
        ),
        (
            UPDATE_ITEM.to_owned(),
            json!({ "id": their_item_id, "data": { "quantity": "2" } }),
        ),
        (REMOVE_ITEM.to_owned(), json!({ "id": their_item_id })),
        (
            create(),
            json!({ "data": { "name": "X", "pipelineId": their_pipeline } }),
        ),
        (
            create(),
            json!({ "data": { "name": "X", "stageId": stage(&their_stages, "Proposal") } }),
        ),
        (
            create(),
            json!({ "data": { "name": "X", "companyId": their_company } }),
        ),
        (
            create(),
            json!({ "data": { "name": "X", "contactId": Uuid::now_v7() } }),
        ),
        (
            create(),
            json!({ "data": { "name": "X", "leadId": Uuid::now_v7() } }),
        ),
        (
            create(),
            json!({ "data": { "name": "X", "ownerId": beta.admin.id } }),
        ),
        (
            update(),
            json!({ "id": mine_id, "data": { "companyId": their_company } }),
        ),
        (
            update(),
            json!({ "id": mine_id, "data": { "ownerId": beta.admin.id } }),
        ),
    ] {
        admin
            .gql(&query, variables.clone())
            .await
            .expect_code("NOT_FOUND");
    }
    let unchanged = beta.admin.gql(&read(), json!({ "id": their_id })).await;
    assert_eq!(unchanged.at("/opportunity/name"), "Theirs");
    assert_eq!(unchanged.at("/opportunity/stageId"), &theirs["stageId"]);
    assert!(unchanged.at("/opportunity/deletedAt").is_null());
    assert_eq!(num(unchanged.at("/opportunity/value")), 1.0);
    assert_eq!(count_rows(&app, "opportunity_line_items").await, 1);
}

#[tokio::test]
async fn a_page_of_opportunities_runs_a_constant_number_of_statements() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let admin = &acme.admin;
    let create_many =
        "mutation($data: [OpportunityCreateInput!]!) { createOpportunities(data: $data) { id } }";
    let page = "{ opportunities(first: 50) { totalCount edges { node { id name stage { name } pipeline { name } owner { id } lineItems { product total } stageHistory { toStatus } } } } }";
    let batch = |from: usize, to: usize| json!({ "data": (from..to).map(|i| json!({ "name": format!("Deal {i}") })).collect::<Vec<_>>() });
    let first = admin.gql(create_many, batch(0, 3)).await;
    let id = text(first.data(), "/createOpportunities/0/id").to_owned();
    admin
        .gql(
            ADD_ITEM,
            json!({ "id": id, "data": { "product": "Seat", "quantity": "1", "unitPrice": "5" } }),
        )
        .await
        .data();
    admin.gql(page, json!({})).await.data();

    let before = app.statements();
    let small = admin.gql(page, json!({})).await;
    let small_cost = app.statements() - before;
    assert_eq!(small.at("/opportunities/totalCount"), 3);

    let more = admin.gql(create_many, batch(3, 40)).await;
    let other = text(more.data(), "/createOpportunities/5/id").to_owned();
    admin
        .gql(
            ADD_ITEM,
            json!({ "id": other, "data": { "product": "Seat", "quantity": "1", "unitPrice": "5" } }),
        )
        .await
        .data();
    admin.gql(page, json!({})).await.data();
    let before = app.statements();
    let large = admin.gql(page, json!({})).await;
    let large_cost = app.statements() - before;
    assert_eq!(large.at("/opportunities/totalCount"), 40);
    assert_eq!(large_cost, small_cost);
}

#[tokio::test]
async fn stage_changes_stream_the_moves_of_one_pipeline_of_the_callers_organization() {
    use futures_util::StreamExt;
    use kernel::AuthContext;

    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let beta = app.with_org("Beta").await;
    let (pipeline_id, stages) = default_stages(&acme.admin).await;
    let store = app.state().core.store().clone();
    let auth = AuthContext {
        user_id: acme.admin.id,
        organization_id: acme.id,
        role: Role::Admin,
    };
    // Another organization's pipeline is not found.
    let (their_pipeline, their_stages) = default_stages(&beta.admin).await;
    let foreign = crm_core::crm::pipeline::opportunities::service::stage_changes(
        &store,
        &auth,
        their_pipeline.parse().expect("uuid"),
    )
    .await;
    assert!(foreign.is_err());

    let stream = crm_core::crm::pipeline::opportunities::service::stage_changes(
        &store,
        &auth,
        pipeline_id.parse().expect("uuid"),
    )
    .await
    .expect("stream");
    let mut stream = Box::pin(stream);

    // Moves elsewhere (another organization, another pipeline) and other changes are skipped.
    let theirs = make(&beta.admin, json!({ "name": "Theirs" })).await;
    beta.admin
        .gql(
            MOVE,
            json!({ "id": theirs["id"], "stageId": stage(&their_stages, "Proposal") }),
        )
        .await
        .data();
    let other = acme
        .admin
        .gql(
            "mutation { createPipeline(data: { name: \"Other\" }) { stages { id } } }",
            json!({}),
        )
        .await;
    let elsewhere = make(
        &acme.admin,
        json!({ "name": "Elsewhere", "stageId": text(other.data(), "/createPipeline/stages/0/id") }),
    )
    .await;
    acme.admin
        .gql(
            MOVE,
            json!({ "id": elsewhere["id"], "stageId": text(other.data(), "/createPipeline/stages/1/id") }),
        )
        .await
        .data();
    let deal = make(&acme.admin, json!({ "name": "Deal" })).await;
    acme.admin
        .gql(
            &update(),
            json!({ "id": deal["id"], "data": { "nextStep": "Call" } }),
        )
        .await
        .data();
    acme.admin
        .gql(
            MOVE,
            json!({ "id": deal["id"], "stageId": stage(&stages, "Proposal") }),
        )
        .await
        .data();
    let moved = tokio::time::timeout(std::time::Duration::from_secs(5), stream.next())
        .await
        .expect("an event in time")
        .expect("an opportunity");
    assert_eq!(moved.id.to_string(), text(&deal, "/id"));
    assert_eq!(moved.stage_id.to_string(), stage(&stages, "Proposal"));
}
