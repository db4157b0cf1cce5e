//! What the binary-level tests share: a scratch database per test, the `crm` executable with a
//! clean environment, a served instance, and a minimal HTTP client (no client library: the
//! requests are exactly what goes over the wire).

#![allow(
    dead_code,
    reason = "each test binary compiles this module and uses a different part of it"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A data folder, and with `CRM_TEST_DATABASE_URL` set a fresh PostgreSQL database too (the
/// default otherwise: the SQLite file in the folder). Both disappear with the test.
pub(crate) struct DataDir {
    pub path: PathBuf,
    postgres: Option<(String, String)>,
}

/// Runs a future to completion on a runtime of its own (tests here are plain `#[test]`s, so
/// that dropping a [`DataDir`] may block on its own runtime).
pub(crate) fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(future)
}

async fn admin_execute(server_url: &str, sql: &str) {
    use sea_orm::ConnectionTrait;
    let admin = sea_orm::Database::connect(server_url)
        .await
        .expect("connect to PostgreSQL");
    admin.execute_unprepared(sql).await.expect(sql);
    let _ = admin.close().await;
}

impl DataDir {
    pub(crate) fn new() -> Self {
        let path = std::env::temp_dir().join(format!("crm-cli-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&path).expect("temp dir");
        let postgres = std::env::var("CRM_TEST_DATABASE_URL")
            .ok()
            .filter(|url| !url.is_empty())
            .map(|server_url| {
                let name = format!("crm_cli_{}", uuid::Uuid::now_v7().simple());
                block_on(admin_execute(
                    &server_url,
                    &format!("CREATE DATABASE \"{name}\""),
                ));
                let root = server_url
                    .rsplit_once('/')
                    .map_or(server_url.as_str(), |(root, _)| root)
                    .to_owned();
                (server_url, format!("{root}/{name}"))
            });
        Self { path, postgres }
    }

    /// The PostgreSQL database's URL, if the test runs on PostgreSQL.
    pub(crate) fn database_url(&self) -> Option<&str> {
        self.postgres.as_ref().map(|(_, url)| url.as_str())
    }

    /// The database's URL on either backend (the SQLite file in the folder by default).
    pub(crate) fn url(&self) -> String {
        self.database_url().map_or_else(
            || format!("sqlite://{}?mode=rwc", self.sqlite_file().display()),
            str::to_owned,
        )
    }

    /// The SQLite file the server uses when no PostgreSQL database is set.
    pub(crate) fn sqlite_file(&self) -> PathBuf {
        self.path.join("crm.db")
    }

    pub(crate) fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
        if let Some((server_url, url)) = self.postgres.take() {
            let name = url.rsplit('/').next().unwrap_or_default().to_owned();
            block_on(admin_execute(
                &server_url,
                &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            ));
        }
    }
}

/// The binary with a clean environment: only what the test sets.
pub(crate) fn crm(data: &DataDir) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_crm"));
    command
        .env_clear()
        .env("CRM_DATA_DIR", &data.path)
        .env("CRM_LOG", "warn")
        .current_dir(&data.path);
    if let Some(url) = data.database_url() {
        command.env("DATABASE_URL", url);
    }
    if let Ok(path) = std::env::var("PATH") {
        command.env("PATH", path);
    }
    command
}

pub(crate) fn run(command: &mut Command) -> Output {
    command.output().expect("run crm")
}

/// Runs and asserts success, showing what crm said otherwise.
pub(crate) fn succeed(command: &mut Command) -> Output {
    let output = run(command);
    assert!(
        output.status.success(),
        "crm failed ({}): {}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

/// An HTTP answer: status, headers (names in lower case) and body.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }
}

/// One request over a fresh connection; `None` if the server could not be reached or did not
/// answer within `timeout`.
pub(crate) fn request(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&Value>,
    token: Option<&str>,
    timeout: Duration,
) -> Option<Answer> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(timeout)).ok()?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let (head, body) = response.split_once("\r\n\r\n")?;
    let mut lines = head.lines();
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Some(Answer {
        status,
        headers,
        body: body.to_owned(),
    })
}

/// [`request`] with a 10 s timeout, as status and body.
pub(crate) fn http(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&Value>,
    token: Option<&str>,
) -> Option<(u16, String)> {
    request(port, method, path, body, token, Duration::from_secs(10)).map(|a| (a.status, a.body))
}

pub(crate) fn wait_ready(port: u16, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Some((200, _)) = http(port, "GET", "/readyz", None, None) {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("crm exited early: {status}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("crm did not become ready");
}

/// A `crm serve` child process on a free port; killed if the test ends without stopping it.
/// Its log is read as it comes (a pipe left unread would block the server once full, and a
/// file would be subject to the file-size limits that some tests set on the process).
pub(crate) struct Server {
    pub port: u16,
    pub child: Child,
    log: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `crm serve` over the test's database with these extra environment variables and
    /// waits until it is ready.
    pub(crate) fn start(data: &DataDir, env: &[(&str, &str)]) -> Self {
        let port = free_port();
        let mut command = crm(data);
        command
            .arg("serve")
            .env("CRM_BIND", format!("127.0.0.1:{port}"))
            .env("CRM_SEED_DEMO", "false")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("spawn crm serve");
        let log = Arc::new(Mutex::new(String::new()));
        let outputs: [Option<Box<dyn Read + Send>>; 2] = [
            child
                .stdout
                .take()
                .map(|o| Box::new(o) as Box<dyn Read + Send>),
            child
                .stderr
                .take()
                .map(|e| Box::new(e) as Box<dyn Read + Send>),
        ];
        for output in outputs.into_iter().flatten() {
            let log = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(output).lines().map_while(Result::ok) {
                    let mut log = log.lock().unwrap_or_else(|e| e.into_inner());
                    log.push_str(&line);
                    log.push('\n');
                }
            });
        }
        wait_ready(port, &mut child);
        Self { port, child, log }
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A GraphQL operation; the answer, whatever its status.
    pub(crate) fn graphql(&self, query: &str, variables: Value, token: Option<&str>) -> Answer {
        let body = json!({ "query": query, "variables": variables });
        request(
            self.port,
            "POST",
            "/graphql",
            Some(&body),
            token,
            Duration::from_secs(30),
        )
        .unwrap_or_else(|| panic!("no answer from the server; its log:\n{}", self.log()))
    }

    /// Registers an organization and returns its admin's token.
    pub(crate) fn register(&self, name: &str) -> String {
        let answer = self.graphql(
            "mutation($d: RegisterInput!) { register(data: $d) { token } }",
            json!({ "d": {
                "organizationName": name,
                "email": format!("admin@{}.example", name.to_lowercase()),
                "password": "a long password",
                "firstName": "Ann",
                "lastName": "Lee"
            } }),
            None,
        );
        answer
            .json()
            .pointer("/data/register/token")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("register: {}", answer.body))
            .to_owned()
    }

    /// Sends SIGTERM.
    pub(crate) fn terminate(&self) {
        let killed = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("kill");
        assert!(killed.success());
    }

    /// Waits for the process to exit, at most `limit`; `None` if it is still running.
    pub(crate) fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// What the server has written so far, to standard output and standard error.
    pub(crate) fn log(&self) -> String {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
