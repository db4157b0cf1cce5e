//! Configuration, read once from the environment (or flags) with defaults that make a bare
//! `crm` work on a fresh machine. Tests build a [`Config`] in code and never read the shell.

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use rand::RngCore;

/// Development or production behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Environment {
    /// Generated JWT secret, demo data, GraphiQL and introspection on.
    #[default]
    Development,
    /// JWT secret required; introspection and suggestions off; GraphiQL only on request.
    Production,
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Server configuration.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Database URL: `sqlite://path?mode=rwc` or `postgres://user@host/db`. Default: the SQLite
    /// file `./data/crm.db`, created if missing.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Address to listen on: `127.0.0.1:8080`, `localhost:8080`, `0.0.0.0:8080` (every
    /// interface), or `:8080` (this machine only).
    #[arg(long, env = "CRM_BIND", default_value = "127.0.0.1:8080", value_parser = bind_address, global = true)]
    pub bind: SocketAddr,

    /// `development` or `production`.
    #[arg(long = "env", env = "CRM_ENV", value_enum, default_value_t = Environment::Development, global = true)]
    pub environment: Environment,

    /// HS256 secret for access tokens (at least 32 bytes). Required in production; in
    /// development one is generated and kept in the data folder.
    #[arg(long, env = "CRM_JWT_SECRET", hide_env_values = true, global = true)]
    pub jwt_secret: Option<String>,

    /// Log filter, e.g. `info` or `gateway=debug,sqlx=warn`.
    #[arg(long, env = "CRM_LOG", default_value = "info", global = true)]
    pub log: String,

    /// `text` or `json` log lines.
    #[arg(long, env = "CRM_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,

    /// Seed a demo organization on an empty database at start. Default: on in development.
    #[arg(long, env = "CRM_SEED_DEMO", global = true)]
    pub seed_demo: Option<bool>,

    /// Serve GraphiQL at `/` in production too.
    #[arg(long, env = "CRM_PLAYGROUND", default_value_t = false, global = true)]
    pub playground: bool,

    /// Seconds in-flight requests get to finish after SIGTERM or Ctrl-C.
    #[arg(
        long,
        env = "CRM_SHUTDOWN_TIMEOUT",
        default_value_t = 10,
        global = true
    )]
    pub shutdown_timeout_secs: u64,

    /// Largest number of pooled database connections.
    #[arg(
        long,
        env = "CRM_DB_MAX_CONNECTIONS",
        default_value_t = 10,
        global = true
    )]
    pub db_max_connections: u32,

    /// Seconds a request waits for a database connection (all busy, or the database
    /// restarting) before it is answered `SERVICE_UNAVAILABLE`.
    #[arg(long, env = "CRM_DB_ACQUIRE_TIMEOUT", default_value_t = 2.0, value_parser = positive_seconds, global = true)]
    pub db_acquire_timeout_secs: f64,

    /// Browser origins allowed to call the API, comma-separated (`https://app.example.com`),
    /// or `*` for any. Default: every localhost origin in development, none in production.
    #[arg(long, env = "CRM_CORS_ORIGINS", global = true)]
    pub cors_origins: Option<String>,

    /// Let browsers send cookies with cross-origin requests (off: the API uses bearer tokens).
    #[arg(
        long,
        env = "CRM_CORS_CREDENTIALS",
        default_value_t = false,
        global = true
    )]
    pub cors_credentials: bool,

    /// Let anyone sign up a new organization (`register`). Default: on in development, off in
    /// production, where operators use `crm create-organization`.
    #[arg(long, env = "CRM_ALLOW_REGISTRATION", global = true)]
    pub allow_registration: Option<bool>,

    /// Bearer token for `GET /metrics`. Without it, metrics are open in development and not
    /// served in production.
    #[arg(long, env = "CRM_METRICS_TOKEN", hide_env_values = true, global = true)]
    pub metrics_token: Option<String>,

    /// Folder for the default SQLite database and the development JWT secret.
    #[arg(long, env = "CRM_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
}

/// A listening address: an IP and port, a host name and port (resolved now), or `:port` for
/// this machine only (listening on every interface must be asked for with `0.0.0.0`).
fn bind_address(value: &str) -> Result<SocketAddr, String> {
    if let Some(port) = value.strip_prefix(':') {
        let port: u16 = port
            .parse()
            .map_err(|_| format!("`{value}`: `{port}` is not a port number"))?;
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    if let Ok(address) = value.parse() {
        return Ok(address);
    }
    let (host, port) = value
        .rsplit_once(':')
        .ok_or_else(|| format!("`{value}` needs a port: host:port, or :port"))?;
    let port: u16 = port
        .parse()
        .map_err(|_| format!("`{value}`: `{port}` is not a port number"))?;
    (host, port)
        .to_socket_addrs()
        .map_err(|error| format!("`{host}` cannot be resolved: {error}"))?
        .next()
        .ok_or_else(|| format!("`{host}` has no address"))
}

/// A number of seconds above zero and at most an hour.
fn positive_seconds(value: &str) -> Result<f64, String> {
    let seconds: f64 = value
        .parse()
        .map_err(|_| format!("`{value}` is not a number of seconds"))?;
    if seconds > 0.0 && seconds <= 3600.0 {
        Ok(seconds)
    } else {
        Err(format!(
            "`{value}` must be above 0 and at most 3600 seconds"
        ))
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: None,
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            environment: Environment::Development,
            jwt_secret: None,
            log: "info".into(),
            log_format: LogFormat::Text,
            seed_demo: None,
            playground: false,
            shutdown_timeout_secs: 10,
            db_max_connections: 10,
            db_acquire_timeout_secs: 2.0,
            allow_registration: None,
            metrics_token: None,
            cors_origins: None,
            cors_credentials: false,
            data_dir: PathBuf::from("./data"),
        }
    }
}

impl Config {
    /// Whether production rules apply.
    pub fn is_production(&self) -> bool {
        self.environment == Environment::Production
    }

    /// Whether to seed demo data on an empty database.
    pub fn seed_demo(&self) -> bool {
        self.seed_demo.unwrap_or(!self.is_production())
    }

    /// Whether anyone may sign up a new organization.
    pub fn allow_registration(&self) -> bool {
        self.allow_registration.unwrap_or(!self.is_production())
    }

    /// Whether GraphiQL is served.
    pub fn playground_enabled(&self) -> bool {
        !self.is_production() || self.playground
    }

    /// How long shutdown waits for in-flight work.
    pub fn shutdown_timeout(&self) -> Duration {
        Duration::from_secs(self.shutdown_timeout_secs)
    }

    /// How long a request waits for a database connection.
    pub fn db_acquire_timeout(&self) -> Duration {
        Duration::from_secs_f64(self.db_acquire_timeout_secs)
    }

    /// The database URL, defaulting to the SQLite file in the data folder.
    pub fn database_url(&self) -> anyhow::Result<String> {
        if let Some(url) = &self.database_url {
            return Ok(url.clone());
        }
        std::fs::create_dir_all(&self.data_dir)
            .with_context(|| format!("creating data folder {}", self.data_dir.display()))?;
        Ok(format!(
            "sqlite://{}?mode=rwc",
            self.data_dir.join("crm.db").display()
        ))
    }

    /// The JWT secret: configured, or in development generated once and kept in the data folder.
    /// Production refuses to start without a configured secret of at least 32 bytes.
    pub fn jwt_secret(&self) -> anyhow::Result<Vec<u8>> {
        if let Some(secret) = &self.jwt_secret {
            if secret.len() < 32 {
                bail!("CRM_JWT_SECRET must be at least 32 bytes long");
            }
            return Ok(secret.as_bytes().to_vec());
        }
        if self.is_production() {
            bail!("CRM_JWT_SECRET is required when CRM_ENV=production; refusing to start");
        }
        let secret = development_secret(&self.data_dir)?;
        tracing::warn!(
            path = %self.data_dir.join("jwt-secret").display(),
            "CRM_JWT_SECRET is not set: using a generated development secret (never do this in production)"
        );
        Ok(secret)
    }
}

fn development_secret(data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    let path = data_dir.join("jwt-secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let trimmed = existing.trim();
        if trimmed.len() >= 32 {
            return Ok(trimmed.as_bytes().to_vec());
        }
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    write_private(&path, &secret).with_context(|| format!("writing {}", path.display()))?;
    Ok(secret.into_bytes())
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_refuses_to_start_without_a_secret() {
        let config = Config {
            environment: Environment::Production,
            ..Config::default()
        };
        assert!(config.jwt_secret().is_err());
        let short = Config {
            jwt_secret: Some("short".into()),
            ..config.clone()
        };
        assert!(short.jwt_secret().is_err());
        let good = Config {
            jwt_secret: Some("x".repeat(32)),
            ..config
        };
        assert_eq!(good.jwt_secret().ok().map(|s| s.len()), Some(32));
    }

    #[test]
    fn development_keeps_its_generated_secret() {
        let dir = std::env::temp_dir().join(format!("crm-config-test-{}", uuid::Uuid::now_v7()));
        let config = Config {
            data_dir: dir.clone(),
            ..Config::default()
        };
        let first = config.jwt_secret().expect("secret");
        let second = config.jwt_secret().expect("secret");
        assert_eq!(first, second);
        assert!(first.len() >= 32);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn defaults_follow_the_environment() {
        let dev = Config::default();
        assert!(dev.seed_demo() && dev.playground_enabled());
        let prod = Config {
            environment: Environment::Production,
            ..Config::default()
        };
        assert!(!prod.seed_demo() && !prod.playground_enabled());
    }
}
