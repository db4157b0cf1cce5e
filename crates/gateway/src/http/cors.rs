//! Cross-origin requests from browser frontends: which origins may call the API, and what a
//! GraphQL client's preflight needs to hear.
//!
//! A frontend served from another origin (a dev server on `localhost:3000`, the production app
//! on `app.example.com`) can only read our answers if we name its origin. In development every
//! localhost origin is allowed, whatever its port, so a frontend team starts without
//! configuring anything; in production only the origins an operator lists. Cookies are never
//! sent unless credentials are switched on: the API authenticates with a bearer token, which
//! needs none.

use std::time::Duration;

use anyhow::bail;
use axum::http::{HeaderName, HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// How long a browser may reuse a preflight's answer (Chromium caps it at two hours).
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(3600);

/// Which origins may call the API from a browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowedOrigins {
    /// None: browsers refuse to hand our answers to pages of another origin.
    None,
    /// `http(s)://localhost`, `127.0.0.1` and `[::1]` on any port (development's default).
    Localhost,
    /// Exactly these origins (`scheme://host[:port]`).
    List(Vec<String>),
    /// Any origin (`*`); never with credentials.
    Any,
}

/// The cross-origin policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorsSettings {
    pub origins: AllowedOrigins,
    /// Whether browsers may send cookies and read answers to credentialed requests.
    pub credentials: bool,
}

impl CorsSettings {
    /// The policy from `CRM_CORS_ORIGINS` (comma-separated origins, `*`, or unset for the
    /// default: localhost in development, none in production) and `CRM_CORS_CREDENTIALS`.
    pub fn from_config(
        origins: Option<&str>,
        credentials: bool,
        production: bool,
    ) -> anyhow::Result<Self> {
        let origins = match origins.map(str::trim) {
            None if production => AllowedOrigins::None,
            None => AllowedOrigins::Localhost,
            Some("") => AllowedOrigins::None,
            Some("*") => AllowedOrigins::Any,
            Some(list) => {
                let origins: Vec<String> = list
                    .split(',')
                    .map(|origin| origin.trim().trim_end_matches('/').to_owned())
                    .filter(|origin| !origin.is_empty())
                    .collect();
                for origin in &origins {
                    if !is_origin(origin) {
                        bail!(
                            "CRM_CORS_ORIGINS: `{origin}` is not an origin (scheme://host[:port], e.g. https://app.example.com)"
                        );
                    }
                }
                AllowedOrigins::List(origins)
            }
        };
        if credentials && origins == AllowedOrigins::Any {
            bail!(
                "CRM_CORS_CREDENTIALS cannot be combined with CRM_CORS_ORIGINS=*: browsers refuse credentials for any origin; list the origins"
            );
        }
        Ok(Self {
            origins,
            credentials,
        })
    }

    /// The policy in development without configuration.
    pub fn development() -> Self {
        Self {
            origins: AllowedOrigins::Localhost,
            credentials: false,
        }
    }

    /// The layer that answers preflights and marks allowed answers.
    pub fn layer(&self) -> CorsLayer {
        let allow_origin = match &self.origins {
            AllowedOrigins::None => AllowOrigin::list([]),
            AllowedOrigins::Any => AllowOrigin::any(),
            AllowedOrigins::Localhost => {
                AllowOrigin::predicate(|origin, _| origin.to_str().is_ok_and(is_localhost_origin))
            }
            AllowedOrigins::List(origins) => {
                AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
            }
        };
        CorsLayer::new()
            .allow_origin(allow_origin)
            .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::ACCEPT,
                HeaderName::from_static("x-request-id"),
                HeaderName::from_static("apollo-require-preflight"),
            ])
            .expose_headers([
                HeaderName::from_static("x-request-id"),
                header::RETRY_AFTER,
                header::CONTENT_DISPOSITION,
            ])
            .allow_credentials(self.credentials)
            .max_age(PREFLIGHT_MAX_AGE)
    }
}

/// Whether `value` has the shape of an origin: `http` or `https`, a host, maybe a port, and
/// nothing after.
fn is_origin(value: &str) -> bool {
    host_of(value).is_some_and(|host| !host.is_empty())
}

/// Whether an origin is this machine's: localhost, 127.0.0.1 or [::1], any port.
fn is_localhost_origin(origin: &str) -> bool {
    matches!(host_of(origin), Some("localhost" | "127.0.0.1" | "[::1]"))
}

/// The host of an `http(s)://host[:port]` origin, if it is one (an IPv6 host keeps its
/// brackets; a port must be a number).
fn host_of(origin: &str) -> Option<&str> {
    let authority = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))?;
    if authority.contains(['/', '?', '#', '@', ' ']) {
        return None;
    }
    // The host runs to its closing bracket (IPv6) or to the first colon; what follows is
    // nothing or a port.
    let host_len = match authority.strip_prefix('[') {
        Some(ipv6) => ipv6.find(']')? + 2,
        None => authority.find(':').unwrap_or(authority.len()),
    };
    let (host, port) = authority.split_at(host_len);
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| p.parse::<u16>().is_ok());
    port_ok.then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localhost_origins_on_any_port_are_recognised() {
        for origin in [
            "http://localhost:3000",
            "http://localhost",
            "https://127.0.0.1:5173",
            "http://[::1]:8080",
        ] {
            assert!(is_localhost_origin(origin), "{origin}");
        }
        for origin in [
            "http://localhost.evil.example",
            "http://127.0.0.1.evil.example:80",
            "http://evil.example",
            "file://localhost",
            "http://localhost:99999",
            "null",
        ] {
            assert!(!is_localhost_origin(origin), "{origin}");
        }
    }

    #[test]
    fn the_default_depends_on_the_environment() {
        let dev = CorsSettings::from_config(None, false, false).expect("dev");
        assert_eq!(dev.origins, AllowedOrigins::Localhost);
        let prod = CorsSettings::from_config(None, false, true).expect("prod");
        assert_eq!(prod.origins, AllowedOrigins::None);
    }

    #[test]
    fn a_list_is_checked_and_normalised() {
        let settings = CorsSettings::from_config(
            Some("https://app.example.com/, http://localhost:3000"),
            true,
            true,
        )
        .expect("valid");
        assert_eq!(
            settings.origins,
            AllowedOrigins::List(vec![
                "https://app.example.com".into(),
                "http://localhost:3000".into()
            ])
        );
        let error =
            CorsSettings::from_config(Some("app.example.com"), false, true).expect_err("no scheme");
        assert!(error.to_string().contains("is not an origin"), "{error}");
        assert!(CorsSettings::from_config(Some("https://a.example/path"), false, true).is_err());
    }

    #[test]
    fn any_origin_never_comes_with_credentials() {
        assert_eq!(
            CorsSettings::from_config(Some("*"), false, true)
                .expect("any")
                .origins,
            AllowedOrigins::Any
        );
        assert!(CorsSettings::from_config(Some("*"), true, true).is_err());
    }
}
