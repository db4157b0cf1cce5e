//! Pipelines and stages: the default pipeline, configuration, ordering, deleting stages that
//! hold opportunities, roles and tenancy.

use kernel::Role;
use serde_json::{Value, json};
use test_support::{TestApp, TestUser};

use crate::helpers::{count_rows, text};

const PIPELINE_FIELDS: &str = "id name description isDefault isActive deletedAt stages { id name probability position color description isWon isLost pipeline { id } }";

fn create_pipeline() -> String {
    format!(
        "mutation($data: PipelineCreateInput!) {{ createPipeline(data: $data) {{ {PIPELINE_FIELDS} }} }}"
    )
}

const UPDATE_PIPELINE: &str = "mutation($id: UUID!, $data: PipelineUpdateInput!) { updatePipeline(id: $id, data: $data) { id name description isDefault isActive } }";
const CREATE_STAGE: &str = "mutation($pipelineId: UUID!, $data: StageInput!) { createStage(pipelineId: $pipelineId, data: $data) { id name probability position color isWon isLost pipeline { id } } }";
const UPDATE_STAGE: &str = "mutation($id: UUID!, $data: StageUpdateInput!) { updateStage(id: $id, data: $data) { id name probability color description isWon isLost } }";
const REORDER: &str = "mutation($pipelineId: UUID!, $stageIds: [UUID!]!) { reorderStages(pipelineId: $pipelineId, stageIds: $stageIds) { id stages { id position } } }";
const DELETE_STAGE: &str =
    "mutation($id: UUID!, $target: UUID) { deleteStage(id: $id, targetStageId: $target) }";
const CREATE_OPPORTUNITY: &str = "mutation($data: OpportunityCreateInput!) { createOpportunity(data: $data) { id stage { id } status probability } }";

/// The caller's default pipeline.
async fn default_pipeline(user: &TestUser) -> Value {
    let response = user
        .gql(
            &format!("{{ pipelines(filter: {{ isDefault: {{ eq: true }} }}) {{ totalCount edges {{ node {{ {PIPELINE_FIELDS} }} }} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(response.at("/pipelines/totalCount"), 1);
    response.at("/pipelines/edges/0/node").clone()
}

fn stage_ids(pipeline: &Value) -> Vec<String> {
    pipeline["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| text(s, "/id").to_owned())
        .collect()
}

async fn make_pipeline(user: &TestUser, name: &str, stages: Option<Value>) -> Value {
    let mut data = json!({ "name": name });
    if let Some(stages) = stages {
        data["stages"] = stages;
    }
    let response = user.gql(&create_pipeline(), json!({ "data": data })).await;
    response.at("/createPipeline").clone()
}

#[tokio::test]
async fn a_new_organization_has_a_default_pipeline_with_the_six_default_stages() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let pipeline = default_pipeline(&acme.admin).await;
    assert_eq!(pipeline["isDefault"], true);
    assert_eq!(pipeline["isActive"], true);
    let stages: Vec<Value> = pipeline["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| {
            json!([
                s["name"],
                s["probability"],
                s["position"],
                s["isWon"],
                s["isLost"]
            ])
        })
        .collect();
    assert_eq!(
        stages,
        vec![
            json!(["Prospecting", 10, 0, false, false]),
            json!(["Qualification", 25, 1, false, false]),
            json!(["Proposal", 50, 2, false, false]),
            json!(["Negotiation", 75, 3, false, false]),
            json!(["Won", 100, 4, true, false]),
            json!(["Lost", 0, 5, false, true]),
        ]
    );
    assert_eq!(pipeline["stages"][0]["pipeline"]["id"], pipeline["id"]);
}

#[tokio::test]
async fn pipelines_are_created_listed_updated_deleted_restored_and_destroyed() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let manager = acme.with_user(Role::Manager).await;

    // Without stages a pipeline gets the default ones.
    let renewals = make_pipeline(&manager, " Renewals ", None).await;
    assert_eq!(renewals["name"], "Renewals");
    assert_eq!(renewals["isDefault"], false);
    assert_eq!(renewals["stages"].as_array().map(Vec::len), Some(6));
    // With stages, exactly those, in order.
    let partners = make_pipeline(
        &manager,
        "Partners",
        Some(json!([
            { "name": "Intro", "probability": 20, "color": "#AABBCC", "description": "First call" },
            { "name": "Signed", "isWon": true },
            { "name": "Dropped", "isLost": true }
        ])),
    )
    .await;
    let stages: Vec<Value> = partners["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| {
            json!([
                s["name"],
                s["probability"],
                s["position"],
                s["color"],
                s["isWon"],
                s["isLost"]
            ])
        })
        .collect();
    assert_eq!(
        stages,
        vec![
            json!(["Intro", 20, 0, "#aabbcc", false, false]),
            json!(["Signed", 100, 1, null, true, false]),
            json!(["Dropped", 0, 2, null, false, true]),
        ]
    );
    let partners_id = text(&partners, "/id").to_owned();

    // Read.
    let read = manager
        .gql(
            "query($id: UUID!) { pipeline(id: $id) { name stages { name } } }",
            json!({ "id": partners_id }),
        )
        .await;
    assert_eq!(read.at("/pipeline/name"), "Partners");

    // List: filter, sort and pages.
    make_pipeline(&manager, "Alpha", None).await;
    let page = manager
        .gql(
            "query($after: String) { pipelines(first: 2, after: $after, orderBy: [{ name: DescNullsLast }]) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }",
            json!({ "after": null }),
        )
        .await;
    assert_eq!(page.at("/pipelines/totalCount"), 4);
    let names: Vec<&Value> = (0..2)
        .map(|i| page.at(&format!("/pipelines/edges/{i}/node/name")))
        .collect();
    assert_eq!(names, [&json!("Sales Pipeline"), &json!("Renewals")]);
    assert_eq!(page.at("/pipelines/pageInfo/hasNextPage"), true);
    let cursor = page.at("/pipelines/pageInfo/endCursor").clone();
    let next = manager
        .gql(
            "query($after: String) { pipelines(first: 2, after: $after, orderBy: [{ name: DescNullsLast }]) { pageInfo { hasNextPage } edges { node { name } } } }",
            json!({ "after": cursor }),
        )
        .await;
    assert_eq!(
        next.at("/pipelines/edges"),
        &json!([{ "node": { "name": "Partners" } }, { "node": { "name": "Alpha" } }])
    );
    assert_eq!(next.at("/pipelines/pageInfo/hasNextPage"), false);
    let filtered = manager
        .gql(
            "{ pipelines(filter: { name: { startsWith: \"Part\" } }) { totalCount edges { node { name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(filtered.at("/pipelines/totalCount"), 1);

    // Update.
    let updated = manager
        .gql(
            UPDATE_PIPELINE,
            json!({ "id": partners_id, "data": { "name": "Channel", "description": "Resellers", "isActive": false } }),
        )
        .await;
    assert_eq!(
        updated.at("/updatePipeline"),
        &json!({ "id": partners_id, "name": "Channel", "description": "Resellers", "isDefault": false, "isActive": false })
    );

    // Soft delete hides it from lists unless asked for.
    let deleted = manager
        .gql(
            "mutation($id: UUID!) { deletePipeline(id: $id) { deletedAt } }",
            json!({ "id": partners_id }),
        )
        .await;
    assert!(deleted.at("/deletePipeline/deletedAt").is_string());
    let listed = manager.gql("{ pipelines { totalCount } }", json!({})).await;
    assert_eq!(listed.at("/pipelines/totalCount"), 3);
    let trash = manager
        .gql(
            "{ pipelines(filter: { deletedAt: { is: NOT_NULL } }) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(trash.at("/pipelines/edges/0/node/id"), &json!(partners_id));
    let restored = manager
        .gql(
            "mutation($id: UUID!) { restorePipeline(id: $id) { deletedAt } }",
            json!({ "id": partners_id }),
        )
        .await;
    assert!(restored.at("/restorePipeline/deletedAt").is_null());

    // Destroy: administrators only; the stages go with it.
    let stages_before = count_rows(&app, "stages").await;
    manager
        .gql(
            "mutation($id: UUID!) { destroyPipeline(id: $id) }",
            json!({ "id": partners_id }),
        )
        .await
        .expect_code("FORBIDDEN");
    let destroyed = acme
        .admin
        .gql(
            "mutation($id: UUID!) { destroyPipeline(id: $id) }",
            json!({ "id": partners_id }),
        )
        .await;
    assert_eq!(destroyed.at("/destroyPipeline"), &json!(partners_id));
    assert_eq!(count_rows(&app, "stages").await, stages_before - 3);
    let gone = manager
        .gql(
            "query($id: UUID!) { pipeline(id: $id) { id } }",
            json!({ "id": partners_id }),
        )
        .await;
    assert!(gone.at("/pipeline").is_null());
}

#[tokio::test]
async fn there_is_always_exactly_one_default_pipeline() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let admin = &acme.admin;
    let original = default_pipeline(admin).await;
    let original_id = text(&original, "/id").to_owned();
    let created = admin
        .gql(
            &create_pipeline(),
            json!({ "data": { "name": "Enterprise", "isDefault": true } }),
        )
        .await;
    let enterprise_id = text(created.data(), "/createPipeline/id").to_owned();
    assert_eq!(text(&default_pipeline(admin).await, "/id"), enterprise_id);

    // Moving the default back by update unsets the other one.
    admin
        .gql(
            UPDATE_PIPELINE,
            json!({ "id": original_id, "data": { "isDefault": true } }),
        )
        .await
        .data();
    assert_eq!(text(&default_pipeline(admin).await, "/id"), original_id);

    // The default cannot be unset directly, deleted, deactivated or destroyed.
    let unset = admin
        .gql(
            UPDATE_PIPELINE,
            json!({ "id": original_id, "data": { "isDefault": false } }),
        )
        .await;
    unset.expect_code("BAD_USER_INPUT");
    assert_eq!(unset.field(), Some("isDefault"));
    let inactive = admin
        .gql(
            UPDATE_PIPELINE,
            json!({ "id": original_id, "data": { "isActive": false } }),
        )
        .await;
    assert_eq!(inactive.field(), Some("isActive"));
    admin
        .gql(
            "mutation($id: UUID!) { deletePipeline(id: $id) { id } }",
            json!({ "id": original_id }),
        )
        .await
        .expect_code("CONFLICT");
    admin
        .gql(
            "mutation($id: UUID!) { destroyPipeline(id: $id) }",
            json!({ "id": original_id }),
        )
        .await
        .expect_code("CONFLICT");
    assert_eq!(text(&default_pipeline(admin).await, "/id"), original_id);
}

#[tokio::test]
async fn pipeline_and_stage_names_are_unique() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let admin = &acme.admin;
    admin
        .gql(
            &create_pipeline(),
            json!({ "data": { "name": "Sales Pipeline" } }),
        )
        .await
        .expect_code("CONFLICT");
    admin
        .gql(
            &create_pipeline(),
            json!({ "data": { "name": "Twice", "stages": [{ "name": "A" }, { "name": "A" }] } }),
        )
        .await
        .expect_code("CONFLICT");
    let pipeline = default_pipeline(admin).await;
    admin
        .gql(
            CREATE_STAGE,
            json!({ "pipelineId": pipeline["id"], "data": { "name": "Proposal" } }),
        )
        .await
        .expect_code("CONFLICT");
    let ids = stage_ids(&pipeline);
    admin
        .gql(
            UPDATE_STAGE,
            json!({ "id": ids[0], "data": { "name": "Qualification" } }),
        )
        .await
        .expect_code("CONFLICT");
    // Another organization may use the same names.
    let beta = app.with_org("Beta").await;
    make_pipeline(&beta.admin, "Renewals", None).await;
    make_pipeline(&acme.admin, "Renewals", None).await;
}

#[tokio::test]
async fn invalid_pipeline_and_stage_input_names_the_field_and_writes_nothing() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let admin = &acme.admin;
    let pipelines = count_rows(&app, "pipelines").await;
    let stages = count_rows(&app, "stages").await;
    for (data, field) in [
        (json!({ "name": "" }), "name"),
        (json!({ "name": "X", "stages": [] }), "stages"),
        (
            json!({ "name": "X", "stages": [{ "name": "A", "probability": 101 }] }),
            "probability",
        ),
        (
            json!({ "name": "X", "stages": [{ "name": "A", "probability": -1 }] }),
            "probability",
        ),
        (
            json!({ "name": "X", "stages": [{ "name": "A", "color": "red" }] }),
            "color",
        ),
        (
            json!({ "name": "X", "stages": [{ "name": "A", "isWon": true, "isLost": true }] }),
            "isLost",
        ),
        (
            json!({ "name": "X", "stages": [{ "name": "A", "isWon": true }, { "name": "B", "isWon": true }] }),
            "isWon",
        ),
        (
            json!({ "name": "X", "stages": [{ "name": "Bad\u{0}" }] }),
            "name",
        ),
    ] {
        let response = admin.gql(&create_pipeline(), json!({ "data": data })).await;
        response.expect_code("BAD_USER_INPUT");
        assert_eq!(response.field(), Some(field), "{data}");
    }
    let pipeline = default_pipeline(admin).await;
    let ids = stage_ids(&pipeline);
    for (data, field) in [
        (json!({ "name": "Z", "probability": 150 }), "probability"),
        (json!({ "name": "Z", "color": "#12345" }), "color"),
        (json!({ "name": "Second won", "isWon": true }), "isWon"),
    ] {
        let response = admin
            .gql(
                CREATE_STAGE,
                json!({ "pipelineId": pipeline["id"], "data": data }),
            )
            .await;
        assert_eq!(response.field(), Some(field), "{data}");
    }
    for (data, field) in [
        (json!({ "probability": 101 }), "probability"),
        (json!({ "isLost": true }), "isLost"),
        (json!({ "name": " " }), "name"),
    ] {
        let response = admin
            .gql(UPDATE_STAGE, json!({ "id": ids[0], "data": data }))
            .await;
        assert_eq!(response.field(), Some(field), "{data}");
    }
    assert_eq!(count_rows(&app, "pipelines").await, pipelines);
    assert_eq!(count_rows(&app, "stages").await, stages);
    assert_eq!(default_pipeline(admin).await, pipeline);
}

#[tokio::test]
async fn stages_are_added_updated_and_reordered() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let manager = acme.with_user(Role::Manager).await;
    let pipeline = default_pipeline(&manager).await;
    let pipeline_id = text(&pipeline, "/id").to_owned();
    let created = manager
        .gql(
            CREATE_STAGE,
            json!({ "pipelineId": pipeline_id, "data": { "name": "Contract", "probability": 90, "color": "#00ff00" } }),
        )
        .await;
    assert_eq!(created.at("/createStage/position"), 6);
    assert_eq!(created.at("/createStage/pipeline/id"), &json!(pipeline_id));
    let contract = text(created.data(), "/createStage/id").to_owned();
    let read = manager
        .gql(
            "query($id: UUID!) { stage(id: $id) { name probability } }",
            json!({ "id": contract }),
        )
        .await;
    assert_eq!(
        read.at("/stage"),
        &json!({ "name": "Contract", "probability": 90 })
    );

    let updated = manager
        .gql(
            UPDATE_STAGE,
            json!({ "id": contract, "data": { "name": "Legal", "probability": 85, "color": null, "description": "Lawyers" } }),
        )
        .await;
    assert_eq!(
        updated.at("/updateStage"),
        &json!({ "id": contract, "name": "Legal", "probability": 85, "color": null, "description": "Lawyers", "isWon": false, "isLost": false })
    );

    // Reverse the order.
    let mut ids = stage_ids(&default_pipeline(&manager).await);
    ids.reverse();
    let reordered = manager
        .gql(
            REORDER,
            json!({ "pipelineId": pipeline_id, "stageIds": ids }),
        )
        .await;
    let after: Vec<String> = reordered
        .at("/reorderStages/stages")
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| text(s, "/id").to_owned())
        .collect();
    assert_eq!(after, ids);
    let positions: Vec<i64> = reordered
        .at("/reorderStages/stages")
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| s["position"].as_i64().expect("position"))
        .collect();
    assert_eq!(positions, (0..7).collect::<Vec<i64>>());

    // Anything but exactly the pipeline's stages, each once, is refused.
    let other = make_pipeline(&manager, "Other", None).await;
    let foreign_stage = stage_ids(&other)[0].clone();
    let mut duplicate = ids.clone();
    duplicate[1] = duplicate[0].clone();
    let mut with_foreign = ids.clone();
    with_foreign[0] = foreign_stage;
    for stage_ids in [ids[1..].to_vec(), duplicate, with_foreign, vec![]] {
        let response = manager
            .gql(
                REORDER,
                json!({ "pipelineId": pipeline_id, "stageIds": stage_ids }),
            )
            .await;
        response.expect_code("BAD_USER_INPUT");
        assert_eq!(response.field(), Some("stageIds"));
    }
    assert_eq!(stage_ids(&default_pipeline(&manager).await), ids);
}

#[tokio::test]
async fn deleting_a_stage_with_opportunities_needs_a_target_and_moves_them_there() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let admin = &acme.admin;
    let pipeline = default_pipeline(admin).await;
    let ids = stage_ids(&pipeline);
    let (prospecting, qualification, proposal) = (&ids[0], &ids[1], &ids[2]);

    // An empty stage goes without a target.
    let deleted = admin
        .gql(DELETE_STAGE, json!({ "id": proposal, "target": null }))
        .await;
    assert_eq!(deleted.at("/deleteStage"), &json!(proposal));
    let positions: Vec<(String, i64)> = default_pipeline(admin).await["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| {
            (
                text(s, "/name").to_owned(),
                s["position"].as_i64().expect("position"),
            )
        })
        .collect();
    assert_eq!(
        positions,
        [
            ("Prospecting", 0),
            ("Qualification", 1),
            ("Negotiation", 2),
            ("Won", 3),
            ("Lost", 4)
        ]
        .map(|(n, p)| (n.to_owned(), p))
    );

    let mut opportunities = Vec::new();
    for name in ["One", "Two"] {
        let created = admin
            .gql(
                CREATE_OPPORTUNITY,
                json!({ "data": { "name": name, "value": "100", "stageId": prospecting } }),
            )
            .await;
        opportunities.push(text(created.data(), "/createOpportunity/id").to_owned());
    }
    // A soft-deleted opportunity still holds the stage.
    admin
        .gql(
            "mutation($id: UUID!) { deleteOpportunity(id: $id) { id } }",
            json!({ "id": opportunities[1] }),
        )
        .await
        .data();
    let other = make_pipeline(admin, "Other", None).await;
    let history = count_rows(&app, "opportunity_stage_history").await;
    let stages = count_rows(&app, "stages").await;

    let missing = admin
        .gql(DELETE_STAGE, json!({ "id": prospecting, "target": null }))
        .await;
    missing.expect_code("BAD_USER_INPUT");
    assert_eq!(missing.field(), Some("targetStageId"));
    let elsewhere = admin
        .gql(
            DELETE_STAGE,
            json!({ "id": prospecting, "target": stage_ids(&other)[0] }),
        )
        .await;
    assert_eq!(elsewhere.field(), Some("targetStageId"));
    let itself = admin
        .gql(
            DELETE_STAGE,
            json!({ "id": prospecting, "target": prospecting }),
        )
        .await;
    assert_eq!(itself.field(), Some("targetStageId"));
    admin
        .gql(
            DELETE_STAGE,
            json!({ "id": prospecting, "target": uuid::Uuid::now_v7() }),
        )
        .await
        .expect_code("NOT_FOUND");
    assert_eq!(count_rows(&app, "stages").await, stages);
    assert_eq!(count_rows(&app, "opportunity_stage_history").await, history);

    let moved = admin
        .gql(
            DELETE_STAGE,
            json!({ "id": prospecting, "target": qualification }),
        )
        .await;
    assert_eq!(moved.at("/deleteStage"), &json!(prospecting));
    assert_eq!(count_rows(&app, "stages").await, stages - 1);
    assert_eq!(
        count_rows(&app, "opportunity_stage_history").await,
        history + 2
    );
    for id in &opportunities {
        let read = admin
            .gql(
                "query($id: UUID!) { opportunity(id: $id) { stage { id } probability stageHistory { fromStageId toStage { id } } } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(read.at("/opportunity/stage/id"), &json!(qualification));
        assert_eq!(read.at("/opportunity/probability"), 25);
        assert_eq!(
            read.at("/opportunity/stageHistory/1/fromStageId"),
            &json!(prospecting)
        );
        assert_eq!(
            read.at("/opportunity/stageHistory/1/toStage/id"),
            &json!(qualification)
        );
    }
}

#[tokio::test]
async fn a_pipeline_keeps_at_least_one_stage_and_one_with_opportunities_is_not_destroyed() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let admin = &acme.admin;
    let single = make_pipeline(admin, "Single", Some(json!([{ "name": "Only" }]))).await;
    admin
        .gql(
            DELETE_STAGE,
            json!({ "id": stage_ids(&single)[0], "target": null }),
        )
        .await
        .expect_code("CONFLICT");
    admin
        .gql(
            CREATE_OPPORTUNITY,
            json!({ "data": { "name": "Deal", "pipelineId": single["id"] } }),
        )
        .await
        .data();
    admin
        .gql(
            "mutation($id: UUID!) { destroyPipeline(id: $id) }",
            json!({ "id": single["id"] }),
        )
        .await
        .expect_code("CONFLICT");
    // A stage's won/lost flags cannot change under its opportunities.
    admin
        .gql(
            UPDATE_STAGE,
            json!({ "id": stage_ids(&single)[0], "data": { "isWon": true } }),
        )
        .await
        .expect_code("CONFLICT");
}

#[tokio::test]
async fn only_managers_and_admins_configure_pipelines_and_staff_read_them() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let pipeline = default_pipeline(&acme.admin).await;
    let pipeline_id = text(&pipeline, "/id").to_owned();
    let ids = stage_ids(&pipeline);
    for role in [Role::SalesRep, Role::Marketing, Role::Readonly] {
        let user = acme.with_user(role).await;
        // Reading is fine.
        assert_eq!(
            text(&default_pipeline(&user).await, "/id"),
            pipeline_id,
            "{role:?}"
        );
        let stage = user
            .gql(
                "query($id: UUID!) { stage(id: $id) { name } }",
                json!({ "id": ids[0] }),
            )
            .await;
        assert_eq!(stage.at("/stage/name"), "Prospecting");
        // Changing is not.
        for (query, variables) in [
            (create_pipeline(), json!({ "data": { "name": "Mine" } })),
            (
                UPDATE_PIPELINE.to_owned(),
                json!({ "id": pipeline_id, "data": { "name": "Mine" } }),
            ),
            (
                CREATE_STAGE.to_owned(),
                json!({ "pipelineId": pipeline_id, "data": { "name": "Mine" } }),
            ),
            (
                UPDATE_STAGE.to_owned(),
                json!({ "id": ids[0], "data": { "name": "Mine" } }),
            ),
            (
                REORDER.to_owned(),
                json!({ "pipelineId": pipeline_id, "stageIds": ids }),
            ),
            (
                DELETE_STAGE.to_owned(),
                json!({ "id": ids[2], "target": null }),
            ),
        ] {
            user.gql(&query, variables).await.expect_code("FORBIDDEN");
        }
    }
    let client = acme.with_user(Role::Client).await;
    client
        .gql("{ pipelines { totalCount } }", json!({}))
        .await
        .expect_code("FORBIDDEN");
    let manager = acme.with_user(Role::Manager).await;
    make_pipeline(&manager, "Managed", None).await;
    assert_eq!(count_rows(&app, "pipelines").await, 2);
}

#[tokio::test]
async fn another_organizations_pipelines_and_stages_are_not_found() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let beta = app.with_org("Beta").await;
    let theirs = default_pipeline(&beta.admin).await;
    let their_id = text(&theirs, "/id").to_owned();
    let their_stages = stage_ids(&theirs);
    let ours = default_pipeline(&acme.admin).await;
    let our_stages = stage_ids(&ours);
    let admin = &acme.admin;

    let pipeline = admin
        .gql(
            "query($id: UUID!) { pipeline(id: $id) { id } }",
            json!({ "id": their_id }),
        )
        .await;
    assert!(pipeline.at("/pipeline").is_null());
    let stage = admin
        .gql(
            "query($id: UUID!) { stage(id: $id) { id } }",
            json!({ "id": their_stages[0] }),
        )
        .await;
    assert!(stage.at("/stage").is_null());
    let listed = admin
        .gql(
            "{ pipelines(filter: { deletedAt: { is: NULL } }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(listed.at("/pipelines/totalCount"), 1);

    for (query, variables) in [
        (
            UPDATE_PIPELINE,
            json!({ "id": their_id, "data": { "name": "Mine" } }),
        ),
        (
            "mutation($id: UUID!) { deletePipeline(id: $id) { id } }",
            json!({ "id": their_id }),
        ),
        (
            "mutation($id: UUID!) { restorePipeline(id: $id) { id } }",
            json!({ "id": their_id }),
        ),
        (
            "mutation($id: UUID!) { destroyPipeline(id: $id) }",
            json!({ "id": their_id }),
        ),
        (
            CREATE_STAGE,
            json!({ "pipelineId": their_id, "data": { "name": "Mine" } }),
        ),
        (
            UPDATE_STAGE,
            json!({ "id": their_stages[0], "data": { "name": "Mine" } }),
        ),
        (
            REORDER,
            json!({ "pipelineId": their_id, "stageIds": their_stages }),
        ),
        (
            DELETE_STAGE,
            json!({ "id": their_stages[2], "target": null }),
        ),
        (
            DELETE_STAGE,
            json!({ "id": our_stages[2], "target": their_stages[0] }),
        ),
    ] {
        admin
            .gql(query, variables.clone())
            .await
            .expect_code("NOT_FOUND");
    }
    assert_eq!(default_pipeline(&beta.admin).await, theirs);
    assert_eq!(default_pipeline(&acme.admin).await, ours);
}
