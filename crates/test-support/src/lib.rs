//! The test harness: [`TestApp`] runs the real router in-process against a fresh, migrated
//! database per test: in-memory SQLite by default, or with `CRM_TEST_DATABASE_URL=postgres://...`
//! a new PostgreSQL database with a random name, dropped when the app is dropped.
//!
//! ```ignore
//! let app = TestApp::new().await;
//! let acme = app.with_org("acme").await;
//! let rep = acme.with_user(Role::SalesRep).await;
//! let response = rep.gql("{ me { email } }", json!({})).await;
//! ```

mod database;
mod response;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use gateway::http::cors::CorsSettings;
use gateway::limits::QueryLimits;
use gateway::{AppSettings, AppState};
use identity::organizations::service::{NewOrganization, create_organization};
use identity::rate_limit::RateLimits;
use identity::users::service::create_user_trusted;
use kernel::{Role, TenantScope};
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use tower::ServiceExt;
use uuid::Uuid;

pub use crate::database::TestDatabase;
pub use crate::response::GqlResponse;

/// The password every test user gets.
pub const TEST_PASSWORD: &str = "correct horse battery staple";

/// The client address requests appear to come from.
pub const TEST_CLIENT: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 40000);

/// A running application over its own database.
#[derive(Clone)]
pub struct TestApp {
    state: AppState,
    router: Router,
    database: Arc<TestDatabase>,
    settings: AppSettings,
    counter: Arc<AtomicUsize>,
}

/// Options for a [`TestApp`].
#[derive(Debug, Clone)]
pub struct TestAppBuilder {
    settings: AppSettings,
}

impl Default for TestAppBuilder {
    fn default() -> Self {
        Self {
            settings: AppSettings {
                production: false,
                playground: true,
                jwt_secret: b"test-secret-test-secret-test-secret!".to_vec(),
                // Generous, so tests that sign in often are not throttled; rate-limit tests lower them.
                rate_limits: RateLimits {
                    per_account_per_minute: 1000,
                    per_address_per_minute: 1000,
                },
                limits: QueryLimits::default(),
                cors: CorsSettings::development(),
                allow_registration: true,
                metrics_token: None,
            },
        }
    }
}

impl TestAppBuilder {
    /// Production mode: introspection and suggestions off, GraphiQL off, no cross-origin
    /// callers.
    pub fn production(mut self) -> Self {
        self.settings.production = true;
        self.settings.playground = false;
        self.settings.cors = CorsSettings::from_config(None, false, true).expect("default");
        self.settings.allow_registration = false;
        self
    }

    /// The bearer token `/metrics` asks for.
    pub fn metrics_token(mut self, token: &str) -> Self {
        self.settings.metrics_token = Some(token.to_owned());
        self
    }

    /// Whether anyone may sign up a new organization.
    pub fn allow_registration(mut self, allow: bool) -> Self {
        self.settings.allow_registration = allow;
        self
    }

    /// The cross-origin policy.
    pub fn cors(mut self, cors: CorsSettings) -> Self {
        self.settings.cors = cors;
        self
    }

    /// Login quotas.
    pub fn rate_limits(mut self, per_account_per_minute: u32, per_address_per_minute: u32) -> Self {
        self.settings.rate_limits = RateLimits {
            per_account_per_minute,
            per_address_per_minute,
        };
        self
    }

    /// Builds the app over a fresh database.
    pub async fn build(self) -> TestApp {
        let database = TestDatabase::create().await;
        let state = gateway::build_state(database.connection().clone(), &self.settings);
        TestApp {
            router: gateway::router(state.clone()),
            state,
            database: Arc::new(database),
            settings: self.settings,
            counter: Arc::new(AtomicUsize::new(0)),
        }
    }
}

impl TestApp {
    /// An app with default settings over a fresh database.
    pub async fn new() -> Self {
        Self::builder().build().await
    }

    /// Options first.
    pub fn builder() -> TestAppBuilder {
        TestAppBuilder::default()
    }

    /// The application state (schema, services).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The database.
    pub fn db(&self) -> &DatabaseConnection {
        self.database.connection()
    }

    /// The settings the app was built with.
    pub fn settings(&self) -> &AppSettings {
        &self.settings
    }

    /// How many SQL statements the app has run so far (for constant-statement-count tests).
    pub fn statements(&self) -> usize {
        self.database.statements()
    }

    /// Starts keeping every SQL statement the app runs (for query-plan tests).
    pub fn start_recording(&self) {
        self.database.start_recording();
    }

    /// The statements run since [`Self::start_recording`], with their values; recording stops.
    pub fn take_recorded(&self) -> Vec<sea_orm::Statement> {
        self.database.take_recorded()
    }

    /// Whether the tests run on PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.database.is_postgres()
    }

    fn unique(&self, prefix: &str) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        format!("{prefix}{n}-{}", &Uuid::now_v7().simple().to_string()[24..])
    }

    /// Sends a raw HTTP request through the router, as from [`TEST_CLIENT`].
    pub async fn request(
        &self,
        mut request: Request<Body>,
    ) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        request.extensions_mut().insert(ConnectInfo(TEST_CLIENT));
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("response body");
        (status, headers, body.to_vec())
    }

    /// Posts a JSON body to `/graphql`.
    pub async fn post_graphql(&self, body: Value, token: Option<&str>) -> GqlResponse {
        let mut request =
            Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let request = request.body(Body::from(body.to_string())).expect("request");
        let (status, _, body) = self.request(request).await;
        GqlResponse::new(status, &body)
    }

    /// Runs a GraphQL operation, optionally with a token.
    pub async fn gql(&self, query: &str, variables: Value, token: Option<&str>) -> GqlResponse {
        self.post_graphql(json!({ "query": query, "variables": variables }), token)
            .await
    }

    /// Creates an organization with an administrator, signed in.
    pub async fn with_org(&self, name: &str) -> TestOrg {
        let email = format!(
            "{}@{}.test",
            self.unique("admin"),
            name.to_lowercase().replace(' ', "-")
        );
        let (organization, admin) = create_organization(
            &self.state.core,
            NewOrganization {
                name: name.to_owned(),
                email: email.clone(),
                password: TEST_PASSWORD.into(),
                first_name: "Admin".into(),
                last_name: name.to_owned(),
                role: Role::Admin,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("creating organization {name}: {e:?}"));
        let admin = self.signed_in(admin, Role::Admin);
        TestOrg {
            app: self.clone(),
            id: organization.id,
            slug: organization.slug,
            admin,
        }
    }

    fn signed_in(&self, user: identity::entity::user::Model, role: Role) -> TestUser {
        let token = self
            .state
            .core
            .tokens()
            .issue(user.id, user.organization_id, role, user.session_version)
            .expect("token");
        TestUser {
            app: self.clone(),
            id: user.id,
            organization_id: user.organization_id,
            email: user.email,
            role,
            token,
        }
    }

    /// Starts the real server on a random local port (for WebSocket and shutdown tests).
    pub async fn serve(&self) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        let (trigger, signal) = tokio::sync::oneshot::channel::<()>();
        let state = self.state.clone();
        let handle = tokio::spawn(gateway::run(
            listener,
            state,
            async move {
                let _ = signal.await;
            },
            std::time::Duration::from_secs(5),
        ));
        TestServer {
            address,
            trigger: Some(trigger),
            handle,
        }
    }
}

/// An organization created for a test, with its administrator.
#[derive(Clone)]
pub struct TestOrg {
    app: TestApp,
    pub id: Uuid,
    pub slug: String,
    pub admin: TestUser,
}

impl TestOrg {
    /// Creates a user with the role in this organization, signed in.
    #[expect(
        clippy::disallowed_methods,
        reason = "the test names the organization it created itself"
    )]
    pub async fn with_user(&self, role: Role) -> TestUser {
        let email = format!("{}@{}.test", self.app.unique(role_prefix(role)), self.slug);
        let user = create_user_trusted(
            self.app.state.core.store(),
            TenantScope::trusted(self.id),
            &email,
            TEST_PASSWORD.into(),
            "Test",
            role_prefix(role),
            role,
        )
        .await
        .unwrap_or_else(|e| panic!("creating {role:?}: {e:?}"));
        self.app.signed_in(user, role)
    }
}

fn role_prefix(role: Role) -> &'static str {
    match role {
        Role::SuperAdmin => "super",
        Role::Admin => "admin",
        Role::Manager => "manager",
        Role::SalesRep => "rep",
        Role::Marketing => "marketing",
        Role::Readonly => "readonly",
        Role::Client => "client",
    }
}

/// A signed-in user.
#[derive(Clone)]
pub struct TestUser {
    app: TestApp,
    pub id: Uuid,
    pub organization_id: Uuid,
    pub email: String,
    pub role: Role,
    pub token: String,
}

impl TestUser {
    /// Runs a GraphQL operation as this user.
    pub async fn gql(&self, query: &str, variables: Value) -> GqlResponse {
        self.app.gql(query, variables, Some(&self.token)).await
    }
}

/// A server listening on a local port.
pub struct TestServer {
    pub address: SocketAddr,
    trigger: Option<tokio::sync::oneshot::Sender<()>>,
    handle: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl TestServer {
    /// Sends the shutdown signal (as SIGTERM would) and waits for the server to stop.
    pub async fn shutdown(mut self) -> anyhow::Result<()> {
        if let Some(trigger) = self.trigger.take() {
            let _ = trigger.send(());
        }
        self.handle.await?
    }

    /// Signals shutdown without waiting.
    pub fn begin_shutdown(&mut self) {
        if let Some(trigger) = self.trigger.take() {
            let _ = trigger.send(());
        }
    }

    /// Waits for the server task.
    pub async fn wait(self) -> anyhow::Result<()> {
        self.handle.await?
    }
}
