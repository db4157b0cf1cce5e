//! The demo organization is realistic: the counts README promises, two pipelines, activities over
//! the last 90 days, tags and segments.

use gateway::seed::{DEMO_EMAIL, DEMO_PASSWORD, Seeded, seed_demo};
use serde_json::json;
use test_support::TestApp;

use crate::helpers::{login, text};

#[tokio::test]
async fn the_demo_organization_has_a_realistic_crm() {
    let app = TestApp::new().await;
    let seeded = seed_demo(&app.state().core).await.expect("seed");
    assert!(matches!(seeded, Seeded::Created { .. }));
    assert_eq!(
        seed_demo(&app.state().core).await.expect("again"),
        Seeded::AlreadyPresent
    );

    let session = login(&app, DEMO_EMAIL, DEMO_PASSWORD).await;
    let token = text(session.data(), "/login/token").to_owned();
    let counts = app
        .gql(
            "{ companies { totalCount } contacts { totalCount } leads { totalCount } opportunities { totalCount }
               pipelines { totalCount } activities { totalCount } tags { totalCount } segments { totalCount } }",
            json!({}),
            Some(&token),
        )
        .await;
    let data = counts.data();
    assert_eq!(data["companies"]["totalCount"], 50);
    assert_eq!(data["contacts"]["totalCount"], 300);
    assert_eq!(data["leads"]["totalCount"], 40);
    assert_eq!(data["opportunities"]["totalCount"], 60);
    assert_eq!(data["pipelines"]["totalCount"], 2);
    assert!(
        data["activities"]["totalCount"]
            .as_i64()
            .is_some_and(|n| n >= 500)
    );
    assert!(data["tags"]["totalCount"].as_i64().is_some_and(|n| n >= 5));
    assert_eq!(data["segments"]["totalCount"], 2);

    let germany = app
        .gql(
            "{ segments(filter: { kind: { eq: DYNAMIC } }) { edges { node { contactCount } } } }",
            json!({}),
            Some(&token),
        )
        .await;
    assert!(
        germany
            .at("/segments/edges/0/node/contactCount")
            .as_i64()
            .is_some_and(|n| n > 0)
    );
}
