//! What an operator sees of a running `crm serve`: its version, and one log line per request
//! with what is needed to follow traffic and nothing secret.

mod support;

use serde_json::{Value, json};
use support::{DataDir, Server, crm, request, run, stdout};

#[test]
fn version_names_the_build_everywhere() {
    let data = DataDir::new();
    let printed = stdout(&run(crm(&data).arg("--version")));
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        printed.starts_with(&format!("crm {version} (")),
        "{printed}"
    );

    let server = Server::start(&data, &[]);
    let health = request(
        server.port,
        "GET",
        "/healthz",
        None,
        None,
        std::time::Duration::from_secs(5),
    )
    .expect("healthz");
    let health = health.json();
    assert_eq!(health["version"], json!(version));
    let commit = health["commit"].as_str().expect("a commit").to_owned();
    assert!(
        printed.contains(&format!("({commit})")),
        "{printed} vs {commit}"
    );
}

#[test]
fn json_logs_hold_one_line_per_request_and_no_secret() {
    let data = DataDir::new();
    let server = Server::start(&data, &[("CRM_LOG", "info"), ("CRM_LOG_FORMAT", "json")]);
    server.register("Logs");
    let password = "a long password";
    let login = server.graphql(
        "mutation SignIn($d: LoginInput!) { login(data: $d) { token user { organization { id } } } }",
        json!({ "d": { "email": "admin@logs.example", "password": password } }),
        None,
    );
    let body = login.json();
    let token = body["data"]["login"]["token"]
        .as_str()
        .expect("a token")
        .to_owned();
    let organization = body["data"]["login"]["user"]["organization"]["id"]
        .as_str()
        .expect("an organization")
        .to_owned();
    let secret_search = "needle-in-the-variables";
    let answer = server.graphql(
        "query FindContacts($s: String) { contacts(search: $s) { totalCount } }",
        json!({ "s": secret_search }),
        Some(&token),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    let request_id = answer
        .header("x-request-id")
        .expect("a request id")
        .to_owned();

    // The log line is written once the answer is ready; give the reader thread a moment.
    std::thread::sleep(std::time::Duration::from_millis(200));
    let log = server.log();
    for line in log.lines() {
        assert!(
            serde_json::from_str::<Value>(line).is_ok(),
            "JSON mode writes only JSON: {line}"
        );
        assert!(!line.contains('\u{1b}'), "no colour codes: {line}");
    }
    for secret in [password, token.as_str(), secret_search] {
        assert!(!log.contains(secret), "the log holds a secret: {secret}");
    }
    let lines: Vec<Value> = log
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["target"] == "crm::request")
        .collect();
    let find = lines
        .iter()
        .find(|line| line["fields"]["request_id"] == json!(request_id))
        .unwrap_or_else(|| panic!("a line for {request_id} in {log}"));
    let fields = &find["fields"];
    assert_eq!(find["level"], "INFO");
    assert_eq!(fields["method"], "POST");
    assert_eq!(fields["path"], "/graphql");
    assert_eq!(fields["status"], 200);
    assert!(fields["duration_ms"].as_f64().is_some(), "{fields}");
    assert_eq!(fields["operation"], "FindContacts");
    assert_eq!(fields["operation_type"], "query");
    assert_eq!(fields["organization_id"], json!(organization));
    assert!(fields["user_id"].is_string(), "{fields}");
    let sign_in = lines
        .iter()
        .find(|line| line["fields"]["operation"] == "SignIn")
        .expect("the sign-in is logged too");
    assert_eq!(sign_in["fields"]["operation_type"], "mutation");
    assert!(sign_in["fields"].get("organization_id").is_none());
}
