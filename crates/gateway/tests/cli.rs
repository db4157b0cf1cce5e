//! The `crm` binary as an operator uses it: each test runs the real executable against its own
//! data folder (SQLite file), and talks to `crm serve` over TCP.

mod support;

use std::io::Read;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{DataDir, crm, free_port, http, run, stdout, succeed, wait_ready};

#[test]
fn schema_prints_the_committed_sdl() {
    let data = DataDir::new();
    let output = run(crm(&data).arg("schema"));
    assert!(output.status.success());
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema.graphql"))
            .expect("schema.graphql");
    assert_eq!(stdout(&output), committed);
}

#[test]
fn migrate_create_admin_and_seed_work_on_a_fresh_database() {
    let data = DataDir::new();
    succeed(crm(&data).arg("migrate"));
    if data.database_url().is_none() {
        assert!(
            data.path.join("crm.db").exists(),
            "the default SQLite file is created"
        );
    }

    let created = run(crm(&data).args([
        "create-admin",
        "--email",
        "root@ops.example",
        "--password",
        "operator password",
        "--super",
    ]));
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    assert!(stdout(&created).contains("SUPER_ADMIN root@ops.example"));

    let again = run(crm(&data).args([
        "create-admin",
        "--email",
        "root@ops.example",
        "--password",
        "operator password",
    ]));
    assert!(!again.status.success(), "a taken e-mail must fail");
    let weak = run(crm(&data).args([
        "create-admin",
        "--email",
        "x@ops.example",
        "--password",
        "short",
    ]));
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("at least 10 characters"));

    let seeded = run(crm(&data).arg("seed"));
    assert!(
        stdout(&seeded).contains("admin@demo.example"),
        "{}",
        stdout(&seeded)
    );
    let twice = run(crm(&data).arg("seed"));
    assert!(stdout(&twice).contains("already present"));

    succeed(crm(&data).args(["migrate", "--down", "1"]));
    succeed(crm(&data).arg("migrate"));
}

#[test]
fn seed_scale_with_a_tiny_factor_fills_an_organization_and_token_signs_in() {
    let data = DataDir::new();
    succeed(crm(&data).arg("migrate"));
    // 0.2% of every total: one organization with 200 contacts and only its administrator.
    let seeded = succeed(crm(&data).args(["seed", "--scale", "--scale-factor", "0.002"]));
    assert!(
        stdout(&seeded).contains("1 organizations created"),
        "{}",
        stdout(&seeded)
    );
    assert!(
        !stdout(&seeded).contains("user01@"),
        "no login is advertised that was not created: {}",
        stdout(&seeded)
    );
    assert!(
        String::from_utf8_lossy(&seeded.stderr)
            .contains("progress: 1/1 organizations, 200 contacts"),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let again = succeed(crm(&data).args(["seed", "--scale", "--scale-factor", "0.002"]));
    assert!(
        stdout(&again).contains("1 already present"),
        "{}",
        stdout(&again)
    );
    let unknown = run(crm(&data).args(["token", "--email", "nobody@scale.example"]));
    assert!(!unknown.status.success());
    let issued = succeed(crm(&data).args([
        "token",
        "--email",
        "admin@scale-00.example",
        "--email",
        "ADMIN@scale-00.example",
    ]));
    // One token per --email, one per line (load scripts read them as a list).
    let tokens: Vec<String> = stdout(&issued).lines().map(str::to_owned).collect();
    assert_eq!(tokens.len(), 2, "{tokens:?}");
    assert!(
        tokens.iter().all(|t| t.split('.').count() == 3),
        "{tokens:?}"
    );
    let token = tokens[0].clone();

    // The token works against the served API, which sees the generated data (0.2% of the
    // totals: 20 companies, 200 contacts, 60 opportunities).
    let port = free_port();
    let mut child = crm(&data)
        .arg("serve")
        .env("CRM_BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn crm serve");
    wait_ready(port, &mut child);
    let counts = json!({ "query": "{ companies { totalCount } contacts { totalCount } opportunities { totalCount } }" });
    let answer = http(port, "POST", "/graphql", Some(&counts), Some(&token));
    child.kill().ok();
    child.wait().ok();
    let (status, body) = answer.expect("counts");
    assert_eq!(status, 200, "{body}");
    let body: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(
        body.pointer("/data/companies/totalCount"),
        Some(&json!(20)),
        "{body}"
    );
    assert_eq!(
        body.pointer("/data/contacts/totalCount"),
        Some(&json!(200)),
        "{body}"
    );
    assert_eq!(
        body.pointer("/data/opportunities/totalCount"),
        Some(&json!(60)),
        "{body}"
    );
}

#[test]
fn production_refuses_to_start_without_a_jwt_secret() {
    let data = DataDir::new();
    let output = run(crm(&data)
        .arg("serve")
        .env("CRM_ENV", "production")
        .env("CRM_BIND", "127.0.0.1:0"));
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("CRM_JWT_SECRET is required"));
}

#[test]
fn serve_answers_register_and_me_then_stops_on_sigterm() {
    let data = DataDir::new();
    let port = free_port();
    let mut child = crm(&data)
        .arg("serve")
        .env("CRM_BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn crm serve");
    wait_ready(port, &mut child);

    let (status, page) = http(port, "GET", "/", None, None).expect("GraphiQL");
    assert_eq!(status, 200);
    assert!(page.to_lowercase().contains("graphiql"));

    let register = json!({
        "query": "mutation($d: RegisterInput!) { register(data: $d) { token } }",
        "variables": { "d": { "organizationName": "Acme", "email": "ann@acme.example", "password": "a long password", "firstName": "Ann", "lastName": "Lee" } }
    });
    let (_, body) = http(port, "POST", "/graphql", Some(&register), None).expect("register");
    let body: Value = serde_json::from_str(&body).expect("json");
    let token = body
        .pointer("/data/register/token")
        .and_then(Value::as_str)
        .expect("token")
        .to_owned();
    let (_, me) = http(
        port,
        "POST",
        "/graphql",
        Some(&json!({ "query": "{ me { email } }" })),
        Some(&token),
    )
    .expect("me");
    assert!(me.contains("ann@acme.example"), "{me}");

    let demo = json!({ "query": "mutation { login(data: { email: \"admin@demo.example\", password: \"demo-password-1\" }) { token } }" });
    let (_, login) = http(port, "POST", "/graphql", Some(&demo), None).expect("demo login");
    assert!(
        login.contains("\"token\""),
        "the demo organization is seeded on first start: {login}"
    );

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "crm did not stop after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "crm exits cleanly on SIGTERM: {status}");
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        let _ = stdout.read_to_string(&mut out);
    }
    assert!(
        out.contains("admin@demo.example"),
        "the demo login is printed: {out}"
    );
}

#[test]
fn options_go_before_or_after_the_subcommand_and_bind_takes_names_and_bare_ports() {
    let data = DataDir::new();
    for (before, after) in [
        (
            vec![],
            vec!["--bind".to_owned(), format!(":{}", free_port())],
        ),
        (
            vec!["--bind".to_owned(), format!("localhost:{}", free_port())],
            vec![],
        ),
    ] {
        let port: u16 = before
            .iter()
            .chain(&after)
            .find_map(|a| a.rsplit(':').next().and_then(|p| p.parse().ok()))
            .expect("a port");
        let mut child = crm(&data)
            .args(&before)
            .arg("serve")
            .args(&after)
            .env("CRM_SEED_DEMO", "false")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        wait_ready(port, &mut child);
        child.kill().ok();
        child.wait().ok();
    }
    let refused = run(crm(&data).args(["serve", "--bind", "localhost"]));
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("needs a port"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

#[test]
fn token_reads_the_database_as_it_is_and_never_migrates_it() {
    let data = DataDir::new();
    let output = run(crm(&data).args(["token", "--email", "nobody@example.com"]));
    assert!(!output.status.success());
    let tables = support::block_on(async {
        use sea_orm::ConnectionTrait;
        let db = sea_orm::Database::connect(data.url().as_str())
            .await
            .expect("db");
        let sql = if data.is_postgres() {
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"
        } else {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
        };
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                sql,
            ))
            .await
            .expect("count")
            .expect("a row");
        let count: i64 = row.try_get_by_index(0).expect("a number");
        db.close().await.ok();
        count
    });
    assert_eq!(tables, 0, "crm token created tables");
}

/// `crm create-admin` with a fixed password in the named organization.
fn create_admin(data: &DataDir, email: &str, organization: &str, extra: &[&str]) -> Output {
    run(crm(data)
        .args([
            "create-admin",
            "--email",
            email,
            "--password",
            "admin password 1",
        ])
        .args(["--organization", organization])
        .args(extra))
}

#[test]
fn create_admin_uses_an_existing_organization_and_creates_one_only_when_asked() {
    let data = DataDir::new();
    succeed(crm(&data).arg("migrate"));
    let created = succeed(crm(&data).args([
        "create-organization",
        "--name",
        "Acme Corp",
        "--admin-email",
        "owner@acme.example",
        "--admin-password",
        "owner password 1",
    ]));
    assert!(
        stdout(&created).contains("created organization Acme Corp (acme-corp,"),
        "{}",
        stdout(&created)
    );

    let unknown = create_admin(&data, "a@globex.example", "Globex", &[]);
    assert!(!unknown.status.success());
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("--create-organization"),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );

    // By name in another case, or by slug: the existing organization, named in the output.
    for (email, organization) in [
        ("b@acme.example", "acme corp"),
        ("c@acme.example", "acme-corp"),
    ] {
        let added = create_admin(&data, email, organization, &[]);
        assert!(added.status.success());
        assert!(
            stdout(&added).contains("in organization Acme Corp (acme-corp)"),
            "{}",
            stdout(&added)
        );
    }
    let globex = create_admin(
        &data,
        "a@globex.example",
        "Globex",
        &["--create-organization"],
    );
    assert!(globex.status.success());
    assert!(
        stdout(&globex).contains("in organization Globex (globex)"),
        "{}",
        stdout(&globex)
    );
}

#[test]
fn startup_mistakes_are_said_once_and_plainly() {
    let data = DataDir::new();
    let mut cases = vec![
        (
            "postgres://crm@127.0.0.1:1/crm".to_owned(),
            "cannot connect to PostgreSQL at 127.0.0.1:1: connection refused".to_owned(),
        ),
        (
            "mysql://crm@db/crm".to_owned(),
            "DATABASE_URL must start with postgres:// or sqlite://".to_owned(),
        ),
        (
            "sqlite:///nonexistent/folder/crm.db?mode=rwc".to_owned(),
            "cannot open the SQLite database /nonexistent/folder/crm.db".to_owned(),
        ),
    ];
    if let Ok(server) = std::env::var("CRM_TEST_DATABASE_URL") {
        let root = server.rsplit_once('/').map_or(server.as_str(), |(r, _)| r);
        cases.push((
            format!("{root}/crm_missing_database"),
            "has no database \"crm_missing_database\"; create it with: createdb".to_owned(),
        ));
    }
    for (url, expected) in cases {
        let output = run(crm(&data).arg("migrate").env("DATABASE_URL", &url));
        assert!(!output.status.success(), "{url}");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "said once: {stderr}");
        assert!(lines[0].starts_with("error: "), "{stderr}");
        assert!(lines[0].contains(&expected), "{url}: {stderr}");
        for internal in ["pool timed out", "sqlx", "Connection Error", "at line"] {
            assert!(!stderr.contains(internal), "{url}: {stderr}");
        }
    }
}
