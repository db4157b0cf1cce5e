//! Leads: create, read, list with filters, search and pages, update, soft delete, restore,
//! destroy, validation, roles, tenancy, and conversion into contact, company and opportunity.

use crm_core::entity::{company, contact, lead, opportunity, pipeline, stage, stage_history};
use kernel::Role;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::{Value, json};
use test_support::{TestApp, TestOrg, TestUser};
use uuid::Uuid;

use crate::helpers::{count_rows, text};

pub(crate) const LEAD_FIELDS: &str = "id name firstName lastName email phone company jobTitle website \
    source sourceDetail status substatus score scoreBreakdown grade estimatedValue currency \
    probability utmSource utmMedium utmCampaign referrerUrl landingPage notes tags customFields \
    ownerId owner { id } assignedToId convertedContactId convertedOpportunityId campaignId \
    lastActivityAt firstRespondedAt qualifiedAt convertedAt createdAt updatedAt deletedAt";

const CREATE: &str = "mutation($data: LeadCreateInput!) { createLead(data: $data) { id name email status score ownerId assignedToId tags estimatedValue currency } }";
const UPDATE: &str = "mutation($id: UUID!, $data: LeadUpdateInput!) { updateLead(id: $id, data: $data) { id status qualifiedAt firstRespondedAt assignedToId grade } }";
const GET: &str = "query($id: UUID!) { lead(id: $id) { id name status deletedAt } }";
const LIST: &str = "query($filter: LeadFilterInput, $orderBy: [LeadOrderByInput!], $first: Int, $after: String, $search: String) {
  leads(filter: $filter, orderBy: $orderBy, first: $first, after: $after, search: $search) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id name score } } } }";
const CONVERT: &str = "mutation($id: UUID!, $data: LeadConversionInput!) {
  convertLead(id: $id, data: $data) { lead { id status convertedContactId convertedOpportunityId convertedAt } contactId companyId opportunityId } }";

/// Creates a lead as `user` and returns its id.
pub(crate) async fn create_lead(user: &TestUser, data: Value) -> String {
    let r = user.gql(CREATE, json!({ "data": data })).await;
    text(r.data(), "/createLead/id").to_owned()
}

fn uuid(value: &str) -> Uuid {
    value.parse().expect("uuid")
}

fn decimal(value: &Value) -> f64 {
    value
        .as_str()
        .unwrap_or_else(|| panic!("decimal string, got {value}"))
        .parse()
        .expect("decimal")
}

/// Inserts a contact directly (the contacts API belongs to another slice).
pub(crate) async fn insert_contact(
    app: &TestApp,
    org: &TestOrg,
    email: Option<&str>,
    owner: Uuid,
) -> Uuid {
    let at = kernel::db::now();
    contact::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org.id),
        first_name: Set("Fixture".into()),
        email: Set(email.map(str::to_owned)),
        owner_id: Set(Some(owner)),
        custom_fields: Set(json!({})),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(app.db())
    .await
    .expect("insert contact")
    .id
}

/// Inserts a company directly.
pub(crate) async fn insert_company(
    app: &TestApp,
    org: &TestOrg,
    name: &str,
    domain: Option<&str>,
) -> Uuid {
    let at = kernel::db::now();
    company::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org.id),
        name: Set(name.into()),
        domain: Set(domain.map(str::to_owned)),
        owner_id: Set(Some(org.admin.id)),
        custom_fields: Set(json!({})),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(app.db())
    .await
    .expect("insert company")
    .id
}

async fn default_pipeline(app: &TestApp, org: &TestOrg) -> (Uuid, Vec<stage::Model>) {
    let pipeline = pipeline::Entity::find()
        .filter(pipeline::Column::OrganizationId.eq(org.id))
        .filter(pipeline::Column::IsDefault.eq(true))
        .one(app.db())
        .await
        .expect("query")
        .expect("default pipeline");
    let stages = stage::Entity::find()
        .filter(stage::Column::PipelineId.eq(pipeline.id))
        .order_by_asc(stage::Column::Position)
        .all(app.db())
        .await
        .expect("stages");
    (pipeline.id, stages)
}

async fn insert_pipeline_with_stage(app: &TestApp, org: &TestOrg) -> (Uuid, Uuid) {
    let at = kernel::db::now();
    let p = pipeline::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org.id),
        name: Set("Partners".into()),
        description: Set(None),
        is_default: Set(false),
        is_active: Set(true),
        created_at: Set(at),
        updated_at: Set(at),
        deleted_at: Set(None),
    }
    .insert(app.db())
    .await
    .expect("pipeline");
    let s = stage::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org.id),
        pipeline_id: Set(p.id),
        name: Set("Intro".into()),
        probability: Set(30),
        position: Set(0),
        color: Set(None),
        description: Set(None),
        is_won: Set(false),
        is_lost: Set(false),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(app.db())
    .await
    .expect("stage");
    (p.id, s.id)
}

async fn lead_row(app: &TestApp, id: &str) -> lead::Model {
    lead::Entity::find_by_id(uuid(id))
        .one(app.db())
        .await
        .expect("query")
        .expect("lead row")
}

async fn set_visibility(org: &TestOrg, visibility: &str) {
    org.admin
        .gql(
            &format!("mutation {{ updateOrganization(data: {{ salesRepVisibility: {visibility} }}) {{ name }} }}"),
            json!({}),
        )
        .await
        .data();
}

#[tokio::test]
async fn lead_is_created_with_every_field_and_read_back() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    acme.admin
        .gql(
            "mutation { createCustomFieldDefinition(data: { entityType: LEAD, key: \"size\", label: \"Size\", fieldType: SELECT, options: [\"small\", \"large\"] }) { id } }",
            json!({}),
        )
        .await
        .data();
    let data = json!({
        "name": " Big Opportunity ", "firstName": "Ada", "lastName": "Lovelace",
        "email": " Ada@Example.COM ", "phone": "+44 1234", "company": "Engines Ltd",
        "jobTitle": "CTO", "website": "https://engines.example", "source": "COLD_EMAIL",
        "sourceDetail": "Campaign 7", "status": "CONTACTED", "substatus": "call back",
        "score": 80, "scoreBreakdown": { "fit": 50, "intent": 30 }, "grade": "b",
        "estimatedValue": "1500.50", "currency": "eur", "probability": 35,
        "utmSource": "google", "utmMedium": "cpc", "utmCampaign": "spring",
        "referrerUrl": "https://ref.example/x", "landingPage": "https://engines.example/lp",
        "notes": "Line one\nLine two", "tags": ["hot lead", "HOT LEAD", " vip "],
        "customFields": { "size": "large" }, "assignedToId": acme.admin.id
    });
    let created = rep
        .gql(
            &format!("mutation($data: LeadCreateInput!) {{ createLead(data: $data) {{ {LEAD_FIELDS} }} }}"),
            json!({ "data": data }),
        )
        .await;
    let lead = created.at("/createLead").clone();
    assert_eq!(lead["name"], "Big Opportunity");
    assert_eq!(lead["email"], "ada@example.com");
    assert_eq!(lead["source"], "COLD_EMAIL");
    assert_eq!(lead["status"], "CONTACTED");
    assert_eq!(lead["grade"], "B");
    assert_eq!(lead["currency"], "EUR");
    assert_eq!(lead["tags"], json!(["Hot Lead", "Vip"]));
    assert_eq!(lead["scoreBreakdown"], json!({ "fit": 50, "intent": 30 }));
    assert_eq!(lead["customFields"], json!({ "size": "large" }));
    assert_eq!(lead["ownerId"], json!(rep.id));
    assert_eq!(lead["owner"]["id"], json!(rep.id));
    assert_eq!(lead["assignedToId"], json!(acme.admin.id));
    assert!((decimal(&lead["estimatedValue"]) - 1500.5).abs() < 1e-9);
    assert_eq!(lead["probability"], 35);
    assert!(lead["firstRespondedAt"].is_string(), "left NEW at creation");
    assert!(lead["qualifiedAt"].is_null());
    assert!(lead["deletedAt"].is_null());
    let row = lead_row(&app, lead["id"].as_str().expect("id")).await;
    assert_eq!(row.source.as_deref(), Some("cold_email"));
    assert_eq!(row.status, "contacted");

    let id = lead["id"].as_str().expect("id");
    let read = acme.admin.gql(GET, json!({ "id": id })).await;
    assert_eq!(read.at("/lead/name"), "Big Opportunity");

    let minimal = acme
        .admin
        .gql(CREATE, json!({ "data": { "email": "solo@example.com" } }))
        .await;
    assert_eq!(minimal.at("/createLead/status"), "NEW");
    assert_eq!(minimal.at("/createLead/currency"), "USD");
    assert_eq!(minimal.at("/createLead/tags"), &json!([]));
    assert_eq!(minimal.at("/createLead/ownerId"), &json!(acme.admin.id));
}

#[tokio::test]
async fn leads_are_filtered_sorted_and_paged() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    for score in [10, 50, 70, 90, 30] {
        create_lead(
            &acme.admin,
            json!({ "name": format!("Lead {score}"), "score": score, "source": if score > 40 { "EVENT" } else { "WEBSITE" } }),
        )
        .await;
    }
    let filter = json!({ "score": { "gte": 30 } });
    let order = json!([{ "score": "DescNullsLast" }]);
    let first = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": filter, "orderBy": order, "first": 2 }),
        )
        .await;
    assert_eq!(first.at("/leads/totalCount"), 4);
    assert_eq!(first.at("/leads/edges/0/node/score"), 90);
    assert_eq!(first.at("/leads/edges/1/node/score"), 70);
    assert_eq!(first.at("/leads/pageInfo/hasNextPage"), true);
    let cursor = first.at("/leads/pageInfo/endCursor").clone();
    let second = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": filter, "orderBy": order, "first": 2, "after": cursor }),
        )
        .await;
    assert_eq!(second.at("/leads/edges/0/node/score"), 50);
    assert_eq!(second.at("/leads/edges/1/node/score"), 30);
    assert_eq!(second.at("/leads/pageInfo/hasNextPage"), false);

    let by_source = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": { "source": { "eq": "EVENT" }, "status": { "in": ["NEW"] } } }),
        )
        .await;
    assert_eq!(by_source.at("/leads/totalCount"), 3);
    let by_owner = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": { "ownerId": { "eq": acme.admin.id } } }),
        )
        .await;
    assert_eq!(by_owner.at("/leads/totalCount"), 5);
}

#[tokio::test]
async fn lead_search_matches_every_word_on_both_databases() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    create_lead(
        &acme.admin,
        json!({ "firstName": "Ada", "lastName": "Lovelace", "company": "Analytical Engines" }),
    )
    .await;
    create_lead(
        &acme.admin,
        json!({ "firstName": "Grace", "lastName": "Hopper", "company": "Navy", "email": "grace@navy.example" }),
    )
    .await;
    create_lead(&acme.admin, json!({ "name": "100% sure_thing" })).await;
    let count = |search: &'static str| {
        let admin = acme.admin.clone();
        async move {
            let r = admin.gql(LIST, json!({ "search": search })).await;
            r.at("/leads/totalCount").as_i64().expect("count")
        }
    };
    assert_eq!(count("ada").await, 1);
    assert_eq!(count("Hopper navy").await, 1);
    assert_eq!(count("lovelace navy").await, 0);
    assert_eq!(count("zzz").await, 0);
    assert_eq!(count("   ").await, 3, "blank search is no search");
    if !app.is_postgres() {
        // Wildcards in the search text are literal.
        assert_eq!(count("%").await, 1);
        assert_eq!(count("lo_elace").await, 0);
    }
    let bad = acme.admin.gql(LIST, json!({ "search": "a\u{0}b" })).await;
    bad.expect_code("BAD_USER_INPUT");
    assert_eq!(bad.field(), Some("search"));
}

#[tokio::test]
async fn lead_status_moves_stamp_response_and_qualification() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let id = create_lead(&acme.admin, json!({ "name": "Stamps" })).await;
    let row = lead_row(&app, &id).await;
    assert!(row.first_responded_at.is_none());

    let contacted = acme
        .admin
        .gql(
            UPDATE,
            json!({ "id": id, "data": { "status": "CONTACTED", "grade": "a" } }),
        )
        .await;
    assert_eq!(contacted.at("/updateLead/status"), "CONTACTED");
    assert_eq!(contacted.at("/updateLead/grade"), "A");
    let responded = contacted.at("/updateLead/firstRespondedAt").clone();
    assert!(responded.is_string());
    assert!(contacted.at("/updateLead/qualifiedAt").is_null());

    let qualified = acme
        .admin
        .gql(
            UPDATE,
            json!({ "id": id, "data": { "status": "QUALIFIED", "grade": null } }),
        )
        .await;
    assert!(qualified.at("/updateLead/qualifiedAt").is_string());
    assert_eq!(qualified.at("/updateLead/firstRespondedAt"), &responded);
    assert!(qualified.at("/updateLead/grade").is_null());

    let converted = acme
        .admin
        .gql(
            UPDATE,
            json!({ "id": id, "data": { "status": "CONVERTED" } }),
        )
        .await;
    converted.expect_code("BAD_USER_INPUT");
    assert_eq!(converted.field(), Some("status"));
    assert_eq!(lead_row(&app, &id).await.status, "qualified");

    let cleared = acme
        .admin
        .gql(UPDATE, json!({ "id": id, "data": { "name": null } }))
        .await;
    cleared.expect_code("BAD_USER_INPUT");
    assert_eq!(cleared.field(), Some("name"), "a lead needs some identity");
}

#[tokio::test]
async fn lead_is_soft_deleted_restored_and_destroyed_by_an_admin() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let manager = acme.with_user(Role::Manager).await;
    let id = create_lead(&acme.admin, json!({ "name": "Short lived" })).await;
    let contact = insert_contact(&app, &acme, None, acme.admin.id).await;
    let activity = |lead: &str, contact: Option<Uuid>| json!({ "data": { "type": "CALL", "subject": "Call", "leadId": lead, "contactId": contact } });
    const LOG: &str =
        "mutation($data: ActivityCreateInput!) { createActivity(data: $data) { id } }";
    let only_lead = acme.admin.gql(LOG, activity(&id, None)).await;
    let only_lead = text(only_lead.data(), "/createActivity/id").to_owned();
    let shared = acme.admin.gql(LOG, activity(&id, Some(contact))).await;
    let shared = text(shared.data(), "/createActivity/id").to_owned();

    let deleted = manager
        .gql(
            "mutation($id: UUID!) { deleteLead(id: $id) { id deletedAt } }",
            json!({ "id": id }),
        )
        .await;
    assert!(deleted.at("/deleteLead/deletedAt").is_string());
    let listed = acme.admin.gql(LIST, json!({})).await;
    assert_eq!(listed.at("/leads/totalCount"), 0);
    let with_deleted = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": { "deletedAt": { "is": "NOT_NULL" } } }),
        )
        .await;
    assert_eq!(with_deleted.at("/leads/totalCount"), 1);
    let again = acme
        .admin
        .gql(UPDATE, json!({ "id": id, "data": { "name": "x" } }))
        .await;
    again.expect_code("NOT_FOUND");

    let restored = manager
        .gql(
            "mutation($id: UUID!) { restoreLead(id: $id) { id deletedAt } }",
            json!({ "id": id }),
        )
        .await;
    assert!(restored.at("/restoreLead/deletedAt").is_null());
    assert_eq!(
        acme.admin
            .gql(LIST, json!({}))
            .await
            .at("/leads/totalCount"),
        1
    );

    const DESTROY: &str = "mutation($id: UUID!) { destroyLead(id: $id) }";
    manager
        .gql(DESTROY, json!({ "id": id }))
        .await
        .expect_code("FORBIDDEN");
    let destroyed = acme.admin.gql(DESTROY, json!({ "id": id })).await;
    assert_eq!(destroyed.at("/destroyLead"), &json!(id));
    assert_eq!(count_rows(&app, "leads").await, 0);
    let gone = acme
        .admin
        .gql(
            "query($id: UUID!) { activity(id: $id) { id } }",
            json!({ "id": only_lead }),
        )
        .await;
    assert!(
        gone.at("/activity").is_null(),
        "an activity on the lead alone goes with it"
    );
    let kept = acme
        .admin
        .gql(
            "query($id: UUID!) { activity(id: $id) { leadId contactId } }",
            json!({ "id": shared }),
        )
        .await;
    assert!(kept.at("/activity/leadId").is_null());
    assert_eq!(kept.at("/activity/contactId"), &json!(contact));
    acme.admin
        .gql(DESTROY, json!({ "id": id }))
        .await
        .expect_code("NOT_FOUND");
}

#[tokio::test]
async fn bad_lead_input_names_the_field_and_writes_nothing() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let cases = [
        (json!({ "email": "not-an-email" }), "email"),
        (json!({ "name": "x", "probability": 101 }), "probability"),
        (
            json!({ "name": "x", "estimatedValue": "-1" }),
            "estimatedValue",
        ),
        (json!({ "name": "x", "score": 101 }), "score"),
        (json!({ "name": "x", "score": -1 }), "score"),
        (json!({ "name": "x", "grade": "Z" }), "grade"),
        (json!({ "name": "x", "currency": "XYZ" }), "currency"),
        (
            json!({ "name": "x", "website": "ftp://example.com" }),
            "website",
        ),
        (json!({ "name": "x", "status": "CONVERTED" }), "status"),
        (
            json!({ "name": "x", "scoreBreakdown": [1, 2] }),
            "scoreBreakdown",
        ),
        (
            json!({ "name": "x", "customFields": "text" }),
            "customFields",
        ),
        (json!({ "name": "a\u{0}b" }), "name"),
        (json!({ "firstName": "Only" }), "name"),
        (json!({ "phone": "123" }), "name"),
        // No campaign exists to point at, in this organization or another.
        (
            json!({ "name": "x", "campaignId": Uuid::now_v7() }),
            "campaignId",
        ),
    ];
    for (data, field) in cases {
        let r = acme.admin.gql(CREATE, json!({ "data": data })).await;
        r.expect_code("BAD_USER_INPUT");
        assert_eq!(r.field(), Some(field), "{data}");
    }
    let other_org = app.with_org("Other").await;
    acme.admin
        .gql(
            CREATE,
            json!({ "data": { "name": "x", "ownerId": other_org.admin.id } }),
        )
        .await
        .expect_code("NOT_FOUND");
    assert_eq!(count_rows(&app, "leads").await, 0);

    const MANY: &str = "mutation($data: [LeadCreateInput!]!) { createLeads(data: $data) { id } }";
    let partly_bad = acme
        .admin
        .gql(
            MANY,
            json!({ "data": [{ "name": "good" }, { "name": "bad", "score": 101 }] }),
        )
        .await;
    assert_eq!(partly_bad.field(), Some("data.1.score"));
    let bad_reference = acme
        .admin
        .gql(
            MANY,
            json!({ "data": [{ "name": "good" }, { "name": "bad", "campaignId": Uuid::now_v7() }] }),
        )
        .await;
    assert_eq!(bad_reference.field(), Some("data.1.campaignId"));
    assert_eq!(count_rows(&app, "leads").await, 0, "all or nothing");
    let too_many: Vec<Value> = (0..101)
        .map(|i| json!({ "name": format!("L{i}") }))
        .collect();
    acme.admin
        .gql(MANY, json!({ "data": too_many }))
        .await
        .expect_code("BAD_USER_INPUT");
    let audit_before = count_rows(&app, "audit_log").await;
    let two = acme
        .admin
        .gql(
            MANY,
            json!({ "data": [{ "name": "one" }, { "name": "two" }] }),
        )
        .await;
    assert_eq!(two.at("/createLeads").as_array().map(Vec::len), Some(2));
    assert_eq!(count_rows(&app, "audit_log").await - audit_before, 2);
    assert_eq!(count_rows(&app, "leads").await, 2);

    let id = two.at("/createLeads/0/id").clone();
    let refused = acme
        .admin
        .gql(
            UPDATE,
            json!({ "id": id, "data": { "campaignId": Uuid::now_v7() } }),
        )
        .await;
    refused.expect_code("BAD_USER_INPUT");
    assert_eq!(refused.field(), Some("campaignId"));
    acme.admin
        .gql(UPDATE, json!({ "id": id, "data": { "campaignId": null } }))
        .await
        .data();
}

#[tokio::test]
async fn role_matrix_for_leads() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    let other_rep = acme.with_user(Role::SalesRep).await;
    let marketing = acme.with_user(Role::Marketing).await;
    let readonly = acme.with_user(Role::Readonly).await;
    let client = acme.with_user(Role::Client).await;

    let admins = create_lead(&acme.admin, json!({ "name": "Admin's" })).await;
    let reps = create_lead(&rep, json!({ "name": "Rep's" })).await;
    let assigned = create_lead(
        &acme.admin,
        json!({ "name": "Assigned", "assignedToId": rep.id }),
    )
    .await;

    // Sales reps edit only what they own or are assigned.
    rep.gql(
        UPDATE,
        json!({ "id": reps, "data": { "status": "ENGAGED" } }),
    )
    .await
    .data();
    rep.gql(
        UPDATE,
        json!({ "id": assigned, "data": { "status": "ENGAGED" } }),
    )
    .await
    .data();
    rep.gql(
        UPDATE,
        json!({ "id": admins, "data": { "status": "ENGAGED" } }),
    )
    .await
    .expect_code("FORBIDDEN");
    other_rep
        .gql(
            "mutation($id: UUID!) { deleteLead(id: $id) { id } }",
            json!({ "id": reps }),
        )
        .await
        .expect_code("FORBIDDEN");
    assert_eq!(lead_row(&app, &admins).await.status, "new");

    // Marketing works leads; read-only and clients do not write.
    create_lead(&marketing, json!({ "name": "Campaign lead" })).await;
    marketing
        .gql(
            UPDATE,
            json!({ "id": admins, "data": { "status": "NURTURING" } }),
        )
        .await
        .data();
    readonly
        .gql(CREATE, json!({ "data": { "name": "x" } }))
        .await
        .expect_code("FORBIDDEN");
    readonly
        .gql(UPDATE, json!({ "id": admins, "data": { "name": "x" } }))
        .await
        .expect_code("FORBIDDEN");
    assert_eq!(
        readonly.gql(LIST, json!({})).await.at("/leads/totalCount"),
        4
    );
    client
        .gql(CREATE, json!({ "data": { "name": "x" } }))
        .await
        .expect_code("FORBIDDEN");
    client.gql(LIST, json!({})).await.expect_code("FORBIDDEN");

    // Visibility ALL (default), then OWN.
    assert_eq!(rep.gql(LIST, json!({})).await.at("/leads/totalCount"), 4);
    set_visibility(&acme, "OWN").await;
    let own = rep.gql(LIST, json!({})).await;
    assert_eq!(own.at("/leads/totalCount"), 2, "own and assigned");
    assert!(
        rep.gql(GET, json!({ "id": admins }))
            .await
            .at("/lead")
            .is_null()
    );
    rep.gql(UPDATE, json!({ "id": admins, "data": { "name": "x" } }))
        .await
        .expect_code("NOT_FOUND");
    assert_eq!(
        other_rep.gql(LIST, json!({})).await.at("/leads/totalCount"),
        0
    );
    // TEAM: a rep sees the leads of the reps in their team.
    set_visibility(&acme, "TEAM").await;
    let team = acme
        .admin
        .gql(
            "mutation { createTeam(data: { name: \"East\" }) { id } }",
            json!({}),
        )
        .await;
    let team = text(team.data(), "/createTeam/id").to_owned();
    for member in [&rep, &other_rep] {
        acme.admin
            .gql(
                crate::helpers::UPDATE_USER,
                json!({ "id": member.id, "data": { "teamId": team } }),
            )
            .await
            .data();
    }
    assert_eq!(
        other_rep.gql(LIST, json!({})).await.at("/leads/totalCount"),
        2
    );
    assert_eq!(
        acme.admin
            .gql(LIST, json!({}))
            .await
            .at("/leads/totalCount"),
        4
    );
}

#[tokio::test]
async fn other_organizations_leads_do_not_exist() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let globex = app.with_org("Globex").await;
    let id = create_lead(&globex.admin, json!({ "name": "Secret" })).await;
    assert!(
        acme.admin
            .gql(GET, json!({ "id": id }))
            .await
            .at("/lead")
            .is_null()
    );
    assert_eq!(
        acme.admin
            .gql(LIST, json!({}))
            .await
            .at("/leads/totalCount"),
        0
    );
    acme.admin
        .gql(UPDATE, json!({ "id": id, "data": { "name": "x" } }))
        .await
        .expect_code("NOT_FOUND");
    for mutation in ["deleteLead", "restoreLead"] {
        acme.admin
            .gql(
                &format!("mutation($id: UUID!) {{ {mutation}(id: $id) {{ id }} }}"),
                json!({ "id": id }),
            )
            .await
            .expect_code("NOT_FOUND");
    }
    acme.admin
        .gql(
            "mutation($id: UUID!) { destroyLead(id: $id) }",
            json!({ "id": id }),
        )
        .await
        .expect_code("NOT_FOUND");
    acme.admin
        .gql(CONVERT, json!({ "id": id, "data": {} }))
        .await
        .expect_code("NOT_FOUND");
    acme.admin
        .gql(
            CREATE,
            json!({ "data": { "name": "x", "assignedToId": globex.admin.id } }),
        )
        .await
        .expect_code("NOT_FOUND");
    assert_eq!(lead_row(&app, &id).await.name.as_deref(), Some("Secret"));
}

#[tokio::test]
async fn converting_a_lead_creates_and_links_contact_company_and_opportunity() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    let id = create_lead(
        &rep,
        json!({ "firstName": "Ann", "lastName": "Lee", "email": "ann@initech.example",
                "company": "Initech", "estimatedValue": "1000", "phone": "555",
                "jobTitle": "Buyer", "source": "REFERRAL" }),
    )
    .await;
    let audit_before = count_rows(&app, "audit_log").await;
    let converted = rep
        .gql(
            CONVERT,
            json!({ "id": id, "data": { "expectedCloseDate": "2030-01-31" } }),
        )
        .await;
    let result = converted.at("/convertLead").clone();
    assert_eq!(result["lead"]["status"], "CONVERTED");
    assert!(result["lead"]["convertedAt"].is_string());
    assert_eq!(result["lead"]["convertedContactId"], result["contactId"]);
    assert_eq!(
        result["lead"]["convertedOpportunityId"],
        result["opportunityId"]
    );

    let contact_id = uuid(result["contactId"].as_str().expect("contact"));
    let company_id = uuid(result["companyId"].as_str().expect("company"));
    let opportunity_id = uuid(result["opportunityId"].as_str().expect("opportunity"));
    let contact = contact::Entity::find_by_id(contact_id)
        .one(app.db())
        .await
        .expect("query")
        .expect("contact");
    assert_eq!(contact.first_name, "Ann");
    assert_eq!(contact.last_name.as_deref(), Some("Lee"));
    assert_eq!(contact.email.as_deref(), Some("ann@initech.example"));
    assert_eq!(contact.company_id, Some(company_id));
    assert_eq!(contact.owner_id, Some(rep.id));
    assert_eq!(contact.lifecycle_stage.as_deref(), Some("opportunity"));
    assert_eq!(contact.source.as_deref(), Some("referral"));
    assert!(contact.status_id.is_some(), "the default contact status");
    let company = company::Entity::find_by_id(company_id)
        .one(app.db())
        .await
        .expect("query")
        .expect("company");
    assert_eq!(company.name, "Initech");
    assert_eq!(company.domain.as_deref(), Some("initech.example"));

    let (pipeline_id, stages) = default_pipeline(&app, &acme).await;
    let opportunity = opportunity::Entity::find_by_id(opportunity_id)
        .one(app.db())
        .await
        .expect("query")
        .expect("opportunity");
    assert_eq!(opportunity.name, "Initech deal");
    assert_eq!(opportunity.pipeline_id, pipeline_id);
    assert_eq!(opportunity.stage_id, stages[0].id);
    assert_eq!(opportunity.status, "open");
    assert_eq!(
        opportunity.value.to_string().parse::<f64>().ok(),
        Some(1000.0)
    );
    assert_eq!(
        opportunity.weighted_value.to_string().parse::<f64>().ok(),
        Some(100.0)
    );
    assert_eq!(opportunity.contact_id, Some(contact_id));
    assert_eq!(opportunity.company_id, Some(company_id));
    assert_eq!(opportunity.lead_id, Some(uuid(&id)));
    assert_eq!(opportunity.owner_id, Some(rep.id));
    assert_eq!(opportunity.currency, "USD");
    assert_eq!(
        opportunity
            .expected_close_date
            .map(|d| d.to_string())
            .as_deref(),
        Some("2030-01-31")
    );
    let history = stage_history::Entity::find()
        .filter(stage_history::Column::OpportunityId.eq(opportunity_id))
        .all(app.db())
        .await
        .expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].from_stage_id, None);
    assert_eq!(history[0].to_stage_id, stages[0].id);
    // Company, contact, opportunity, history and lead are audited.
    assert_eq!(count_rows(&app, "audit_log").await - audit_before, 5);

    let twice = rep.gql(CONVERT, json!({ "id": id, "data": {} })).await;
    twice.expect_code("CONFLICT");
    assert_eq!(count_rows(&app, "contacts").await, 1);
    assert_eq!(count_rows(&app, "opportunities").await, 1);
}

#[tokio::test]
async fn conversion_reuses_a_contact_by_email_and_a_company_by_domain() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let company = insert_company(&app, &acme, "Globex Corporation", Some("globex.example")).await;
    let contact = insert_contact(&app, &acme, Some("BOB@Globex.example"), acme.admin.id).await;
    let id = create_lead(
        &acme.admin,
        json!({ "email": "bob@globex.example", "company": "Globex Inc", "website": "https://www.globex.example/about" }),
    )
    .await;
    let converted = acme
        .admin
        .gql(
            CONVERT,
            json!({ "id": id, "data": { "opportunityName": "Globex renewal", "value": "250" } }),
        )
        .await;
    assert_eq!(converted.at("/convertLead/contactId"), &json!(contact));
    assert_eq!(converted.at("/convertLead/companyId"), &json!(company));
    assert_eq!(
        count_rows(&app, "contacts").await,
        1,
        "no duplicate contact"
    );
    assert_eq!(count_rows(&app, "companies").await, 1);
    let linked = contact::Entity::find_by_id(contact)
        .one(app.db())
        .await
        .expect("query")
        .expect("contact");
    assert_eq!(
        linked.company_id,
        Some(company),
        "the reused contact joins the company"
    );
    let opportunity = opportunity::Entity::find()
        .one(app.db())
        .await
        .expect("query")
        .expect("opportunity");
    assert_eq!(opportunity.name, "Globex renewal");
    assert_eq!(
        opportunity.value.to_string().parse::<f64>().ok(),
        Some(250.0)
    );
}

#[tokio::test]
async fn conversion_reuses_a_company_by_name_and_ignores_free_mail_domains() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let company = insert_company(&app, &acme, "Umbrella", None).await;
    let id = create_lead(
        &acme.admin,
        json!({ "name": "Alice", "email": "alice@gmail.com", "company": "UMBRELLA" }),
    )
    .await;
    let converted = acme
        .admin
        .gql(
            CONVERT,
            json!({ "id": id, "data": { "createOpportunity": false } }),
        )
        .await;
    assert_eq!(converted.at("/convertLead/companyId"), &json!(company));
    assert!(converted.at("/convertLead/opportunityId").is_null());
    assert!(
        converted
            .at("/convertLead/lead/convertedOpportunityId")
            .is_null()
    );
    assert_eq!(converted.at("/convertLead/lead/status"), "CONVERTED");
    assert_eq!(count_rows(&app, "opportunities").await, 0);
    let contact_id = uuid(text(converted.data(), "/convertLead/contactId"));
    let contact = contact::Entity::find_by_id(contact_id)
        .one(app.db())
        .await
        .expect("query")
        .expect("contact");
    assert_eq!(contact.first_name, "Alice", "falls back to the lead name");
    assert_eq!(contact.lifecycle_stage.as_deref(), Some("lead"));

    // A lead with a free-mail address and no company gets no company.
    let solo = create_lead(&acme.admin, json!({ "email": "carol@outlook.com" })).await;
    let converted = acme
        .admin
        .gql(
            CONVERT,
            json!({ "id": solo, "data": { "createOpportunity": false } }),
        )
        .await;
    assert!(converted.at("/convertLead/companyId").is_null());
    let contact_id = uuid(text(converted.data(), "/convertLead/contactId"));
    let contact = contact::Entity::find_by_id(contact_id)
        .one(app.db())
        .await
        .expect("query")
        .expect("contact");
    assert_eq!(
        contact.first_name, "carol",
        "falls back to the e-mail's local part"
    );
    assert_eq!(count_rows(&app, "companies").await, 1);
}

#[tokio::test]
async fn conversion_into_a_stage_of_another_pipeline_writes_nothing() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let (pipeline_id, _) = default_pipeline(&app, &acme).await;
    let (other_pipeline, other_stage) = insert_pipeline_with_stage(&app, &acme).await;
    let id = create_lead(
        &acme.admin,
        json!({ "firstName": "Dan", "lastName": "Doe", "email": "dan@hooli.example", "company": "Hooli" }),
    )
    .await;
    let audit_before = count_rows(&app, "audit_log").await;
    let bad_cases = [
        (
            json!({ "pipelineId": pipeline_id, "stageId": other_stage }),
            "stageId",
        ),
        (json!({ "value": "-5" }), "value"),
        (json!({ "currency": "ABC" }), "currency"),
        (json!({ "opportunityName": "  " }), "opportunityName"),
    ];
    for (data, field) in bad_cases {
        let r = acme
            .admin
            .gql(CONVERT, json!({ "id": id, "data": data }))
            .await;
        r.expect_code("BAD_USER_INPUT");
        assert_eq!(r.field(), Some(field), "{data}");
    }
    acme.admin
        .gql(
            CONVERT,
            json!({ "id": id, "data": { "stageId": Uuid::now_v7() } }),
        )
        .await
        .expect_code("NOT_FOUND");
    for table in [
        "contacts",
        "companies",
        "opportunities",
        "opportunity_stage_history",
    ] {
        assert_eq!(count_rows(&app, table).await, 0, "{table}");
    }
    assert_eq!(count_rows(&app, "audit_log").await, audit_before);
    assert_eq!(lead_row(&app, &id).await.status, "new");

    // The stage's own pipeline is used when only the stage is given.
    let converted = acme
        .admin
        .gql(
            CONVERT,
            json!({ "id": id, "data": { "stageId": other_stage } }),
        )
        .await;
    let opportunity_id = uuid(text(converted.data(), "/convertLead/opportunityId"));
    let opportunity = opportunity::Entity::find_by_id(opportunity_id)
        .one(app.db())
        .await
        .expect("query")
        .expect("opportunity");
    assert_eq!(opportunity.pipeline_id, other_pipeline);
    assert_eq!(
        opportunity.probability.to_string().parse::<f64>().ok(),
        Some(30.0)
    );
}

#[tokio::test]
async fn who_may_convert_a_lead() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    let marketing = acme.with_user(Role::Marketing).await;
    let readonly = acme.with_user(Role::Readonly).await;
    let id = create_lead(
        &acme.admin,
        json!({ "name": "Admin's", "email": "z@zeta.example" }),
    )
    .await;
    rep.gql(CONVERT, json!({ "id": id, "data": {} }))
        .await
        .expect_code("FORBIDDEN");
    readonly
        .gql(
            CONVERT,
            json!({ "id": id, "data": { "createOpportunity": false } }),
        )
        .await
        .expect_code("FORBIDDEN");
    marketing
        .gql(CONVERT, json!({ "id": id, "data": {} }))
        .await
        .expect_code("FORBIDDEN");
    assert_eq!(count_rows(&app, "contacts").await, 0);
    assert_eq!(lead_row(&app, &id).await.status, "new");
    let converted = marketing
        .gql(
            CONVERT,
            json!({ "id": id, "data": { "createOpportunity": false } }),
        )
        .await;
    assert_eq!(converted.at("/convertLead/lead/status"), "CONVERTED");

    let deleted = create_lead(&acme.admin, json!({ "name": "Deleted" })).await;
    acme.admin
        .gql(
            "mutation($id: UUID!) { deleteLead(id: $id) { id } }",
            json!({ "id": deleted }),
        )
        .await
        .data();
    acme.admin
        .gql(CONVERT, json!({ "id": deleted, "data": {} }))
        .await
        .expect_code("NOT_FOUND");
}

#[tokio::test]
async fn lead_custom_fields_follow_the_organizations_definitions() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    acme.admin
        .gql(
            "mutation { createCustomFieldDefinition(data: { entityType: LEAD, key: \"budget\", label: \"Budget\", fieldType: NUMBER, required: true }) { id } }",
            json!({}),
        )
        .await
        .data();
    let create =
        "mutation($data: LeadCreateInput!) { createLead(data: $data) { id customFields } }";
    let unknown = acme
        .admin
        .gql(
            create,
            json!({ "data": { "name": "X", "customFields": { "budget": 5, "nope": 1 } } }),
        )
        .await;
    assert_eq!(unknown.field(), Some("customFields.nope"));
    let wrong_type = acme
        .admin
        .gql(
            create,
            json!({ "data": { "name": "X", "customFields": { "budget": "lots" } } }),
        )
        .await;
    assert_eq!(wrong_type.field(), Some("customFields.budget"));
    let missing = acme
        .admin
        .gql(create, json!({ "data": { "name": "X" } }))
        .await;
    assert_eq!(
        missing.field(),
        Some("customFields.budget"),
        "required fields apply on creation"
    );
    let ok = acme
        .admin
        .gql(
            create,
            json!({ "data": { "name": "X", "customFields": { "budget": 5 } } }),
        )
        .await;
    assert_eq!(ok.at("/createLead/customFields"), &json!({ "budget": 5 }));
}
