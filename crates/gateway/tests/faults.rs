//! Faults injected from outside, the way an operator meets them: a full disk under SQLite,
//! requests stuck on a lock at shutdown, an exhausted pool, and a PostgreSQL that goes away
//! and comes back. Each runs the real `crm serve` binary over its own database, on SQLite by
//! default and on PostgreSQL with `CRM_TEST_DATABASE_URL`.
//!
//! What must hold: nothing acknowledged is ever lost and nothing unacknowledged is visible;
//! temporary conditions answer `SERVICE_UNAVAILABLE` (HTTP 503 with `Retry-After`) quickly and
//! pass by themselves; shutdown ends on time.

mod support;

use std::collections::BTreeSet;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, Statement,
    TransactionTrait,
};
use serde_json::{Value, json};
use support::{Answer, DataDir, Server, request};

const CREATE_CONTACT: &str = "mutation($d: ContactCreateInput!) { createContact(data: $d) { id } }";

fn create_contact(server: &Server, token: &str, n: usize) -> Answer {
    server.graphql(
        CREATE_CONTACT,
        json!({ "d": { "firstName": "Fault", "lastName": format!("Test {n}") } }),
        Some(token),
    )
}

/// The id of a created contact, or `None` if the create failed.
fn created_id(answer: &Answer) -> Option<String> {
    answer
        .json()
        .pointer("/data/createContact/id")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The `extensions` of an answer's first error.
fn first_error(answer: &Answer) -> Value {
    answer
        .json()
        .pointer("/errors/0/extensions")
        .cloned()
        .unwrap_or(Value::Null)
}

fn assert_unavailable(answer: &Answer, reasons: &[&str]) {
    let extensions = first_error(answer);
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert_eq!(extensions["code"], "SERVICE_UNAVAILABLE", "{}", answer.body);
    let reason = extensions["reason"].as_str().unwrap_or_default();
    assert!(
        reasons.contains(&reason),
        "reason {reason}: {}",
        answer.body
    );
    let retry_after: u64 = answer
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After header");
    assert!(retry_after >= 1);
    assert_eq!(extensions["retryAfter"], json!(retry_after));
}

/// `/readyz`, which must answer within a second whatever the database does (a probe's
/// usual timeout).
fn readiness(server: &Server) -> Answer {
    let started = Instant::now();
    let answer = request(
        server.port,
        "GET",
        "/readyz",
        None,
        None,
        Duration::from_secs(5),
    )
    .expect("readyz answers");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1), "readyz took {took:?}");
    answer
}

/// A create that must fail fast with `SERVICE_UNAVAILABLE` for one of `reasons`.
fn assert_create_unavailable_fast(server: &Server, token: &str, n: usize, reasons: &[&str]) {
    let started = Instant::now();
    let answer = create_contact(server, token, n);
    let took = started.elapsed();
    assert_unavailable(&answer, reasons);
    assert!(took < Duration::from_millis(2500), "took {took:?}");
}

fn contact_count(server: &Server, token: &str) -> u64 {
    let answer = server.graphql("{ contacts { totalCount } }", json!({}), Some(token));
    answer
        .json()
        .pointer("/data/contacts/totalCount")
        .and_then(Value::as_u64)
        .unwrap_or_else(|| panic!("count: {}", answer.body))
}

fn contact_exists(server: &Server, token: &str, id: &str) -> bool {
    let answer = server.graphql(
        "query($id: UUID!) { contact(id: $id) { id } }",
        json!({ "id": id }),
        Some(token),
    );
    answer
        .json()
        .pointer("/data/contact/id")
        .and_then(Value::as_str)
        == Some(id)
}

fn prlimit(pid: u32, fsize: &str) {
    let status = Command::new("prlimit")
        .args([&format!("--pid={pid}"), &format!("--fsize={fsize}")])
        .status()
        .expect("prlimit (util-linux)");
    assert!(status.success(), "prlimit --fsize={fsize}");
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect(sql)
        .expect("a row")
        .try_get_by_index::<i64>(0)
        .expect("a number")
}

/// Holds the contacts table so that no server request can write it: on PostgreSQL an
/// ACCESS EXCLUSIVE lock (reads of contacts wait too), on SQLite the database's write lock.
async fn lock_contacts(db: &DatabaseConnection) -> DatabaseTransaction {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let txn = db.begin().await.expect("begin");
            txn.execute_unprepared("LOCK TABLE contacts IN ACCESS EXCLUSIVE MODE")
                .await
                .expect("lock");
            txn
        }
        _ => kernel::db::begin_write(db).await.expect("BEGIN IMMEDIATE"),
    }
}

/// A runtime and a connection of the test's own holding [`lock_contacts`] until it is rolled
/// back on that runtime.
fn hold_contacts_lock(
    data: &DataDir,
) -> (
    tokio::runtime::Runtime,
    DatabaseConnection,
    DatabaseTransaction,
) {
    let rt = runtime();
    let db = rt.block_on(async { Database::connect(data.url().as_str()).await.expect("db") });
    let lock = rt.block_on(lock_contacts(&db));
    (rt, db, lock)
}

/// Sends `count` creates from threads of their own; they block on the lock.
fn creates_in_background(
    server: &Server,
    token: &str,
    count: usize,
) -> Vec<std::thread::JoinHandle<Option<Answer>>> {
    (0..count)
        .map(|n| {
            let port = server.port;
            let token = token.to_owned();
            std::thread::spawn(move || {
                let body = json!({
                    "query": CREATE_CONTACT,
                    "variables": { "d": { "firstName": "Stuck", "lastName": format!("{n}") } }
                });
                request(
                    port,
                    "POST",
                    "/graphql",
                    Some(&body),
                    Some(&token),
                    Duration::from_secs(30),
                )
            })
        })
        .collect()
}

#[test]
fn a_full_disk_under_sqlite_loses_no_acknowledged_write_and_recovers_by_itself() {
    let data = DataDir::new();
    if data.is_postgres() {
        // A file-size limit on the server process only affects SQLite's own files; the
        // PostgreSQL side of a full disk (53100) is covered by the error mapping's tests.
        return;
    }
    let url = data.url();
    // Several pooled connections, so that a poisoned one would answer some requests and not
    // others, which is how the loss showed.
    let env = [
        ("DATABASE_URL", url.as_str()),
        ("CRM_DB_MAX_CONNECTIONS", "4"),
    ];
    let mut server = Server::start(&data, &env);
    let token = server.register("Disk");
    let mut acknowledged: BTreeSet<String> = BTreeSet::new();
    for n in 0..3 {
        let answer = create_contact(&server, &token, n);
        acknowledged.insert(created_id(&answer).unwrap_or_else(|| panic!("{}", answer.body)));
    }

    // The disk fills: no file of the server's may grow past 4 KiB (the soft limit), so every write of a page
    // fails (with EFBIG, as SQLITE_IOERR_WRITE), however far the WAL has grown before.
    prlimit(server.pid(), "4096:unlimited");
    let mut failures = 0;
    for n in 3..23 {
        let answer = create_contact(&server, &token, n);
        match created_id(&answer) {
            Some(id) => {
                acknowledged.insert(id);
            }
            None => {
                assert_unavailable(&answer, &["STORAGE_FULL", "DATABASE_BUSY"]);
                failures += 1;
            }
        }
        // Reads go on, and every connection shows exactly what was acknowledged.
        assert_eq!(contact_count(&server, &token), acknowledged.len() as u64);
    }
    assert!(failures > 0, "the limit made writes fail");
    assert!(
        server.child.try_wait().expect("wait").is_none(),
        "the server survives the file-size limit"
    );

    // Space returns: the server recovers by itself.
    prlimit(server.pid(), "unlimited:unlimited");
    for n in 23..28 {
        let answer = create_contact(&server, &token, n);
        let id = created_id(&answer).unwrap_or_else(|| panic!("after recovery: {}", answer.body));
        acknowledged.insert(id);
    }
    for _ in 0..8 {
        assert_eq!(contact_count(&server, &token), acknowledged.len() as u64);
    }

    // Every acknowledged write survives a restart, and nothing else appears.
    server.terminate();
    assert!(server.wait_exit(Duration::from_secs(15)).is_some());
    let server = Server::start(&data, &env);
    assert_eq!(contact_count(&server, &token), acknowledged.len() as u64);
    for id in &acknowledged {
        assert!(contact_exists(&server, &token, id), "{id} was acknowledged");
    }
    let rt = runtime();
    rt.block_on(async {
        let db = Database::connect(url.as_str())
            .await
            .expect("open the file");
        let check = db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA integrity_check",
            ))
            .await
            .expect("integrity check")
            .expect("a row");
        assert_eq!(check.try_get_by_index::<String>(0).expect("text"), "ok");
        db.close().await.ok();
    });
}

#[test]
fn shutdown_with_requests_stuck_on_a_lock_ends_on_time_and_commits_none_of_them() {
    let data = DataDir::new();
    let mut server = Server::start(&data, &[("CRM_SHUTDOWN_TIMEOUT", "2")]);
    let token = server.register("Stuck");
    let (rt, db, lock) = hold_contacts_lock(&data);

    let stuck = creates_in_background(&server, &token, 4);
    std::thread::sleep(Duration::from_millis(500));
    let signalled = Instant::now();
    server.terminate();
    let status = server
        .wait_exit(Duration::from_secs(10))
        .expect("the server exits although the lock is still held");
    let took = signalled.elapsed();
    assert!(
        took < Duration::from_millis(4500),
        "the shutdown timeout is 2 s; it took {took:?}"
    );
    assert!(
        !status.success(),
        "cutting requests off is a non-zero exit: {status}"
    );
    assert!(
        server.log().contains("did not finish in time"),
        "{}",
        server.log()
    );

    rt.block_on(async { lock.rollback().await.expect("release the lock") });
    for handle in stuck {
        let answer = handle.join().expect("client thread");
        if let Some(answer) = answer {
            assert!(
                answer.status == 503 || created_id(&answer).is_none(),
                "a cut-off request is not acknowledged: {}",
                answer.body
            );
        }
    }
    rt.block_on(async {
        if db.get_database_backend() == DbBackend::Postgres {
            // The cut-off sessions go on once the lock is free, then find their client gone
            // and end; wait until none is busy, so a commit among them would have shown.
            let deadline = Instant::now() + Duration::from_secs(10);
            while scalar(
                &db,
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'",
            )
            .await
                > 0
            {
                assert!(Instant::now() < deadline, "server sessions linger");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        assert_eq!(
            scalar(&db, "SELECT COUNT(*) FROM contacts").await,
            0,
            "nothing of the cut-off requests was committed"
        );
        db.close().await.ok();
    });
}

#[test]
fn an_exhausted_pool_answers_service_unavailable_fast_and_recovers() {
    let data = DataDir::new();
    let server = Server::start(
        &data,
        &[
            ("CRM_DB_MAX_CONNECTIONS", "2"),
            ("CRM_DB_ACQUIRE_TIMEOUT", "1"),
        ],
    );
    let token = server.register("Busy");
    let (rt, db, lock) = hold_contacts_lock(&data);
    // Two writers wait on the lock, each holding one of the two connections.
    // SQLite's writers give up after its 5 s busy timeout; what follows takes about 3 s.
    let stuck = creates_in_background(&server, &token, 2);
    std::thread::sleep(Duration::from_millis(500));

    assert_create_unavailable_fast(&server, &token, 9, &["CONNECTION_TIMEOUT"]);

    let ready = readiness(&server);
    assert_eq!(ready.status, 503, "{}", ready.body);
    assert_eq!(ready.json()["reason"], "POOL_EXHAUSTED", "{}", ready.body);
    assert!(ready.header("retry-after").is_some());

    // The REST download says the same, with its status.
    let export = request(
        server.port,
        "GET",
        "/export/contacts.csv",
        None,
        Some(&token),
        Duration::from_secs(5),
    )
    .expect("the export answers");
    assert_unavailable(&export, &["CONNECTION_TIMEOUT"]);

    // The lock goes: the waiting writers finish and everything answers again.
    rt.block_on(async { lock.rollback().await.expect("release") });
    let mut acknowledged = 0;
    for handle in stuck {
        let answer = handle.join().expect("thread").expect("an answer");
        if created_id(&answer).is_some() {
            acknowledged += 1;
        } else {
            assert_unavailable(&answer, &["DATABASE_BUSY", "CONNECTION_TIMEOUT"]);
        }
    }
    let me = server.graphql("{ me { email } }", json!({}), Some(&token));
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(contact_count(&server, &token), acknowledged);
    assert_eq!(readiness(&server).status, 200);
    rt.block_on(async { db.close().await.ok() });
}

/// A TCP forwarder to PostgreSQL that the test can cut and restore, standing in for the
/// network or the server going away: `cut` closes every forwarded connection and stops
/// listening (new connections are refused), `restore` listens again on the same port.
struct Link {
    port: u16,
    target: String,
    alive: Arc<AtomicBool>,
    listener: Option<tokio::task::JoinHandle<()>>,
}

impl Link {
    async fn open(target: String) -> Self {
        let port = support::free_port();
        let mut link = Self {
            port,
            target,
            alive: Arc::new(AtomicBool::new(false)),
            listener: None,
        };
        link.restore().await;
        link
    }

    async fn restore(&mut self) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("bind the link");
        let alive = Arc::new(AtomicBool::new(true));
        self.alive = alive.clone();
        let target = self.target.clone();
        self.listener = Some(tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let alive = alive.clone();
                let target = target.clone();
                tokio::spawn(async move {
                    let Ok(mut server) = tokio::net::TcpStream::connect(target).await else {
                        return;
                    };
                    let copy = tokio::io::copy_bidirectional(&mut client, &mut server);
                    tokio::pin!(copy);
                    loop {
                        tokio::select! {
                            _ = &mut copy => return,
                            () = tokio::time::sleep(Duration::from_millis(20)) => {
                                if !alive.load(Ordering::SeqCst) {
                                    return;
                                }
                            }
                        }
                    }
                });
            }
        }));
    }

    fn cut(&mut self) {
        self.alive.store(false, Ordering::SeqCst);
        if let Some(listener) = self.listener.take() {
            listener.abort();
        }
    }
}

#[test]
fn a_postgres_outage_answers_service_unavailable_fast_and_recovers() {
    let data = DataDir::new();
    let Some(url) = data.database_url().map(str::to_owned) else {
        // SQLite is a file in the process: it has no outage of this kind.
        return;
    };
    let rt = runtime();
    // postgres://user@host:port/db: the link takes host:port's place.
    let (scheme_user, rest) = url.rsplit_once('@').expect("a user in the URL");
    let (host_port, database) = rest.split_once('/').expect("a database in the URL");
    let host_port = if host_port.contains(':') {
        host_port.to_owned()
    } else {
        format!("{host_port}:5432")
    };
    let mut link = rt.block_on(Link::open(host_port));
    let through_link = format!("{scheme_user}@127.0.0.1:{}/{database}", link.port);
    let server = Server::start(
        &data,
        &[
            ("DATABASE_URL", through_link.as_str()),
            ("CRM_DB_ACQUIRE_TIMEOUT", "1"),
        ],
    );
    let token = server.register("Outage");
    let before = create_contact(&server, &token, 0);
    assert!(created_id(&before).is_some(), "{}", before.body);

    rt.block_on(async { link.cut() });
    std::thread::sleep(Duration::from_millis(100));
    for n in 1..4 {
        assert_create_unavailable_fast(
            &server,
            &token,
            n,
            &["DATABASE_UNREACHABLE", "CONNECTION_TIMEOUT"],
        );
    }
    let ready = readiness(&server);
    assert_eq!(ready.status, 503, "{}", ready.body);
    assert_eq!(
        ready.json()["reason"],
        "DATABASE_UNREACHABLE",
        "{}",
        ready.body
    );

    // The database comes back: the server notices by itself.
    rt.block_on(link.restore());
    let deadline = Instant::now() + Duration::from_secs(10);
    let recovered = loop {
        let answer = create_contact(&server, &token, 9);
        if let Some(id) = created_id(&answer) {
            break id;
        }
        assert!(Instant::now() < deadline, "no recovery: {}", answer.body);
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(contact_exists(&server, &token, &recovered));
    assert_eq!(contact_count(&server, &token), 2);
}
