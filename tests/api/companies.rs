//! Companies: create, read, list, update, soft delete, restore, destroy; domains, search,
//! roles and tenancy.

use kernel::Role;
use serde_json::{Value, json};
use test_support::{TestApp, TestUser};

use crate::helpers::{count_rows, text};

const CREATE: &str = "mutation($data: CompanyCreateInput!) {
  createCompany(data: $data) { id name domain industry companySize annualRevenue foundedYear country type tier healthScore employeeCount customFields owner { id } contactCount deletedAt }
}";
const UPDATE: &str = "mutation($id: UUID!, $data: CompanyUpdateInput!) {
  updateCompany(id: $id, data: $data) { id name domain industry type tier annualRevenue }
}";
const GET: &str = "query($id: UUID!) { company(id: $id) { id name deletedAt } }";
const LIST: &str = "query($filter: CompanyFilterInput, $orderBy: [CompanyOrderByInput!], $first: Int, $after: String, $search: String) {
  companies(filter: $filter, orderBy: $orderBy, first: $first, after: $after, search: $search) {
    totalCount edges { node { name } } pageInfo { hasNextPage endCursor }
  }
}";

async fn create(user: &TestUser, data: Value) -> String {
    let response = user.gql(CREATE, json!({ "data": data })).await;
    text(response.data(), "/createCompany/id").to_owned()
}

fn names(response: &test_support::GqlResponse) -> Vec<String> {
    response
        .at("/companies/edges")
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["name"].as_str().expect("name").to_owned())
        .collect()
}

#[tokio::test]
async fn companies_are_created_read_updated_deleted_restored_and_destroyed() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let created = acme
        .admin
        .gql(
            CREATE,
            json!({ "data": {
                "name": " Globex ", "domain": "https://WWW.Globex.com/about", "industry": "Energy",
                "companySize": "SIZE_51_200", "annualRevenue": "1250000.50", "foundedYear": 1989,
                "country": "de", "type": "CUSTOMER", "tier": "MID_MARKET", "healthScore": 80,
                "employeeCount": 120
            } }),
        )
        .await;
    let company = created.at("/createCompany");
    assert_eq!(company["name"], "Globex");
    assert_eq!(company["domain"], "globex.com");
    assert_eq!(company["companySize"], "SIZE_51_200");
    assert_eq!(
        company["annualRevenue"]
            .as_str()
            .and_then(|v| v.parse::<f64>().ok()),
        Some(1_250_000.5)
    );
    assert_eq!(company["country"], "DE");
    assert_eq!(company["type"], "CUSTOMER");
    assert_eq!(company["tier"], "MID_MARKET");
    assert_eq!(company["owner"]["id"], json!(acme.admin.id));
    assert_eq!(company["customFields"], json!({}));
    assert_eq!(company["contactCount"], 0);
    let id = text(created.data(), "/createCompany/id").to_owned();

    let updated = acme
        .admin
        .gql(
            UPDATE,
            json!({ "id": id, "data": { "name": "Globex Corp", "industry": null, "type": "PARTNER" } }),
        )
        .await;
    assert_eq!(updated.at("/updateCompany/name"), "Globex Corp");
    assert!(updated.at("/updateCompany/industry").is_null());
    assert_eq!(updated.at("/updateCompany/domain"), "globex.com");

    let deleted = acme
        .admin
        .gql(
            "mutation($id: UUID!) { deleteCompany(id: $id) { deletedAt } }",
            json!({ "id": id }),
        )
        .await;
    assert!(!deleted.at("/deleteCompany/deletedAt").is_null());
    let hidden = acme.admin.gql(LIST, json!({})).await;
    assert_eq!(hidden.at("/companies/totalCount"), 0);
    let trash = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": { "deletedAt": { "is": "NOT_NULL" } } }),
        )
        .await;
    assert_eq!(names(&trash), ["Globex Corp"]);
    let restored = acme
        .admin
        .gql(
            "mutation($id: UUID!) { restoreCompany(id: $id) { deletedAt } }",
            json!({ "id": id }),
        )
        .await;
    assert!(restored.at("/restoreCompany/deletedAt").is_null());

    // A contact linked to the company loses the link when the company is destroyed.
    let contact = acme
        .admin
        .gql(
            "mutation($data: ContactCreateInput!) { createContact(data: $data) { id company { name } } }",
            json!({ "data": { "firstName": "Ann", "companyId": id } }),
        )
        .await;
    assert_eq!(contact.at("/createContact/company/name"), "Globex Corp");
    let contact_id = text(contact.data(), "/createContact/id").to_owned();
    let counted = acme
        .admin
        .gql(
            "query($id: UUID!) { company(id: $id) { contactCount } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(counted.at("/company/contactCount"), 1);
    let manager = acme.with_user(Role::Manager).await;
    manager
        .gql(
            "mutation($id: UUID!) { destroyCompany(id: $id) }",
            json!({ "id": id }),
        )
        .await
        .expect_code("FORBIDDEN");
    let destroyed = acme
        .admin
        .gql(
            "mutation($id: UUID!) { destroyCompany(id: $id) }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(destroyed.at("/destroyCompany"), &json!(id));
    assert!(
        acme.admin
            .gql(GET, json!({ "id": id }))
            .await
            .at("/company")
            .is_null()
    );
    let orphan = acme
        .admin
        .gql(
            "query($id: UUID!) { contact(id: $id) { companyId company { id } } }",
            json!({ "id": contact_id }),
        )
        .await;
    assert!(orphan.at("/contact/companyId").is_null());
}

#[tokio::test]
async fn companies_are_filtered_sorted_and_paged() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    let batch = acme
        .admin
        .gql(
            "mutation($data: [CompanyCreateInput!]!) { createCompanies(data: $data) { name } }",
            json!({ "data": [
                { "name": "Alpha", "industry": "Energy", "annualRevenue": "100", "healthScore": 10, "country": "DE" },
                { "name": "Bravo", "industry": "Retail", "annualRevenue": "300", "healthScore": 90, "country": "FR" },
                { "name": "Charlie", "industry": "Energy", "annualRevenue": "200", "healthScore": 50, "country": "DE", "ownerId": rep.id },
                { "name": "Delta", "industry": "Energy", "healthScore": 70, "type": "VENDOR" }
            ] }),
        )
        .await;
    assert_eq!(
        batch.at("/createCompanies").as_array().map(Vec::len),
        Some(4)
    );

    let energy = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": { "industry": { "eq": "Energy" } }, "orderBy": [{ "name": "AscNullsLast" }] }),
        )
        .await;
    assert_eq!(names(&energy), ["Alpha", "Charlie", "Delta"]);
    let by_revenue = acme
        .admin
        .gql(
            LIST,
            json!({ "orderBy": [{ "annualRevenue": "DescNullsLast" }] }),
        )
        .await;
    assert_eq!(names(&by_revenue), ["Bravo", "Charlie", "Alpha", "Delta"]);
    let mixed = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": { "or": [{ "type": { "eq": "VENDOR" } }, { "ownerId": { "eq": rep.id } }], "country": { "is": "NULL" } } }),
        )
        .await;
    assert_eq!(names(&mixed), ["Delta"]);

    let first = acme
        .admin
        .gql(
            LIST,
            json!({ "orderBy": [{ "healthScore": "AscNullsLast" }], "first": 3 }),
        )
        .await;
    assert_eq!(names(&first), ["Alpha", "Charlie", "Delta"]);
    assert_eq!(first.at("/companies/pageInfo/hasNextPage"), true);
    assert_eq!(first.at("/companies/totalCount"), 4);
    let cursor = text(first.data(), "/companies/pageInfo/endCursor").to_owned();
    let second = acme
        .admin
        .gql(
            LIST,
            json!({ "orderBy": [{ "healthScore": "AscNullsLast" }], "first": 3, "after": cursor }),
        )
        .await;
    assert_eq!(names(&second), ["Bravo"]);
    assert_eq!(second.at("/companies/pageInfo/hasNextPage"), false);
}

#[tokio::test]
async fn company_domains_are_unique_per_organization() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    create(
        &acme.admin,
        json!({ "name": "Initech", "domain": "initech.com" }),
    )
    .await;
    acme.admin
        .gql(
            CREATE,
            json!({ "data": { "name": "Initech 2", "domain": "http://www.INITECH.com" } }),
        )
        .await
        .expect_code("CONFLICT");
    let other = create(
        &acme.admin,
        json!({ "name": "Other", "domain": "other.com" }),
    )
    .await;
    acme.admin
        .gql(
            UPDATE,
            json!({ "id": other, "data": { "domain": "initech.com" } }),
        )
        .await
        .expect_code("CONFLICT");
    let beta = app.with_org("Beta").await;
    create(
        &beta.admin,
        json!({ "name": "Initech", "domain": "initech.com" }),
    )
    .await;
    // Companies without a domain never collide.
    create(&acme.admin, json!({ "name": "No Domain 1" })).await;
    create(&acme.admin, json!({ "name": "No Domain 2" })).await;
}

#[tokio::test]
async fn bad_company_input_names_the_field_and_writes_nothing() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let before = count_rows(&app, "companies").await;
    for (data, field) in [
        (json!({ "name": "" }), "name"),
        (json!({ "name": "X", "domain": "not a domain" }), "domain"),
        (
            json!({ "name": "X", "annualRevenue": "-1" }),
            "annualRevenue",
        ),
        (json!({ "name": "X", "foundedYear": 1700 }), "foundedYear"),
        (json!({ "name": "X", "foundedYear": 3000 }), "foundedYear"),
        (json!({ "name": "X", "country": "Germany" }), "country"),
        (json!({ "name": "X", "healthScore": 101 }), "healthScore"),
        (json!({ "name": "X", "employeeCount": -5 }), "employeeCount"),
        (
            json!({ "name": "X", "website": "javascript:alert(1)" }),
            "website",
        ),
        (json!({ "name": "X\u{0}" }), "name"),
        (json!({ "name": "X", "customFields": [1] }), "customFields"),
        (
            json!({ "name": "X", "customFields": { "nope": 1 } }),
            "customFields.nope",
        ),
    ] {
        let response = acme.admin.gql(CREATE, json!({ "data": data })).await;
        response.expect_code("BAD_USER_INPUT");
        assert_eq!(response.field(), Some(field), "{data}");
    }
    // All or nothing: one bad company in a batch writes none.
    let batch = acme
        .admin
        .gql(
            "mutation($data: [CompanyCreateInput!]!) { createCompanies(data: $data) { id } }",
            json!({ "data": [{ "name": "Good" }, { "name": "Bad", "country": "XX" }] }),
        )
        .await;
    assert_eq!(batch.field(), Some("data.1.country"));
    assert_eq!(count_rows(&app, "companies").await, before);
    let too_many: Vec<Value> = (0..101)
        .map(|i| json!({ "name": format!("C{i}") }))
        .collect();
    acme.admin
        .gql(
            "mutation($data: [CompanyCreateInput!]!) { createCompanies(data: $data) { id } }",
            json!({ "data": too_many }),
        )
        .await
        .expect_code("BAD_USER_INPUT");
    assert_eq!(count_rows(&app, "companies").await, before);
}

#[tokio::test]
async fn company_search_matches_words_on_both_databases() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    create(
        &acme.admin,
        json!({ "name": "Umbrella Corporation", "industry": "Pharma", "city": "Raccoon" }),
    )
    .await;
    create(
        &acme.admin,
        json!({ "name": "Wayne Enterprises", "industry": "Defense", "city": "Gotham" }),
    )
    .await;
    create(
        &acme.admin,
        json!({ "name": "Stark Industries", "domain": "stark.com", "industry": "Defense" }),
    )
    .await;
    let one = acme.admin.gql(LIST, json!({ "search": "umbrella" })).await;
    assert_eq!(names(&one), ["Umbrella Corporation"]);
    let two = acme
        .admin
        .gql(
            LIST,
            json!({ "search": "defense gotham", "orderBy": [{ "name": "AscNullsLast" }] }),
        )
        .await;
    assert_eq!(names(&two), ["Wayne Enterprises"]);
    let industry = acme
        .admin
        .gql(
            LIST,
            json!({ "search": "Defense", "orderBy": [{ "name": "AscNullsLast" }] }),
        )
        .await;
    assert_eq!(names(&industry), ["Stark Industries", "Wayne Enterprises"]);
    let none = acme.admin.gql(LIST, json!({ "search": "initech" })).await;
    assert_eq!(none.at("/companies/totalCount"), 0);
}

#[tokio::test]
async fn company_roles_and_tenancy() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    let other_rep = acme.with_user(Role::SalesRep).await;
    let marketing = acme.with_user(Role::Marketing).await;
    let readonly = acme.with_user(Role::Readonly).await;
    let client = acme.with_user(Role::Client).await;

    let mine = create(&rep, json!({ "name": "Rep Co" })).await;
    let admins = create(&acme.admin, json!({ "name": "Admin Co" })).await;
    create(&marketing, json!({ "name": "Marketing Co" })).await;
    readonly
        .gql(CREATE, json!({ "data": { "name": "Nope" } }))
        .await
        .expect_code("FORBIDDEN");
    client
        .gql(CREATE, json!({ "data": { "name": "Nope" } }))
        .await
        .expect_code("FORBIDDEN");
    client.gql(LIST, json!({})).await.expect_code("FORBIDDEN");

    rep.gql(
        UPDATE,
        json!({ "id": mine, "data": { "name": "Rep Co 2" } }),
    )
    .await
    .data();
    rep.gql(
        UPDATE,
        json!({ "id": admins, "data": { "name": "Mine now" } }),
    )
    .await
    .expect_code("FORBIDDEN");
    other_rep
        .gql(
            "mutation($id: UUID!) { deleteCompany(id: $id) { id } }",
            json!({ "id": mine }),
        )
        .await
        .expect_code("FORBIDDEN");
    marketing
        .gql(
            UPDATE,
            json!({ "id": admins, "data": { "industry": "Media" } }),
        )
        .await
        .data();
    readonly
        .gql(
            UPDATE,
            json!({ "id": admins, "data": { "industry": "Media" } }),
        )
        .await
        .expect_code("FORBIDDEN");
    rep.gql(
        "mutation($id: UUID!) { destroyCompany(id: $id) }",
        json!({ "id": mine }),
    )
    .await
    .expect_code("FORBIDDEN");

    // Visibility OWN: the rep sees only companies they own.
    let all = rep.gql(LIST, json!({})).await;
    assert_eq!(all.at("/companies/totalCount"), 3);
    acme.admin
        .gql(
            "mutation { updateOrganization(data: { salesRepVisibility: OWN }) { id } }",
            json!({}),
        )
        .await
        .data();
    let own = rep.gql(LIST, json!({})).await;
    assert_eq!(names(&own), ["Rep Co 2"]);
    assert!(
        rep.gql(GET, json!({ "id": admins }))
            .await
            .at("/company")
            .is_null()
    );
    rep.gql(UPDATE, json!({ "id": admins, "data": { "name": "X" } }))
        .await
        .expect_code("NOT_FOUND");

    // Another organization sees nothing of it and cannot point at its users.
    let beta = app.with_org("Beta").await;
    assert!(
        beta.admin
            .gql(GET, json!({ "id": mine }))
            .await
            .at("/company")
            .is_null()
    );
    beta.admin
        .gql(UPDATE, json!({ "id": mine, "data": { "name": "Stolen" } }))
        .await
        .expect_code("NOT_FOUND");
    beta.admin
        .gql(
            "mutation($id: UUID!) { destroyCompany(id: $id) }",
            json!({ "id": mine }),
        )
        .await
        .expect_code("NOT_FOUND");
    beta.admin
        .gql(
            CREATE,
            json!({ "data": { "name": "B", "ownerId": rep.id } }),
        )
        .await
        .expect_code("NOT_FOUND");
    let beta_list = beta.admin.gql(LIST, json!({})).await;
    assert_eq!(beta_list.at("/companies/totalCount"), 0);
}
