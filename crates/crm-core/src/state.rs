//! The state crm-core's resolvers and the gateway share: store, token keys, limiter, sessions.

use std::sync::Arc;

use kernel::{AppResult, AuthContext, Store};

use crate::identity::rate_limit::{AuthLimiter, RateLimits};
use crate::identity::sessions::{self, SessionCache};
use crate::identity::tokens::TokenKeys;

/// Settings of the identity domain.
#[derive(Debug, Clone)]
pub struct CoreConfig {
    /// The HS256 secret for access tokens.
    pub jwt_secret: Vec<u8>,
    /// Login attempt quotas.
    pub rate_limits: RateLimits,
    /// Whether anyone may sign up a new organization (`register`); when off, operators create
    /// organizations with `crm create-organization`.
    pub allow_registration: bool,
}

/// Shared, cheap-to-clone state of crm-core.
#[derive(Clone)]
pub struct CoreState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    tokens: TokenKeys,
    limiter: AuthLimiter,
    sessions: SessionCache,
    allow_registration: bool,
}

impl CoreState {
    /// Builds the state around a store.
    pub fn new(store: Store, config: &CoreConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                store,
                tokens: TokenKeys::from_secret(&config.jwt_secret),
                limiter: AuthLimiter::new(config.rate_limits),
                sessions: SessionCache::default(),
                allow_registration: config.allow_registration,
            }),
        }
    }

    /// Database and event bus.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Token signing and verification.
    pub fn tokens(&self) -> &TokenKeys {
        &self.inner.tokens
    }

    /// Login throttling.
    pub fn limiter(&self) -> &AuthLimiter {
        &self.inner.limiter
    }

    /// Whether self-service sign-up of new organizations is open.
    pub fn allows_registration(&self) -> bool {
        self.inner.allow_registration
    }

    /// Cached user state.
    pub fn sessions(&self) -> &SessionCache {
        &self.inner.sessions
    }

    /// Verifies a bearer token into the caller's context.
    pub async fn authenticate(&self, token: &str) -> AppResult<AuthContext> {
        sessions::authenticate(
            &self.inner.store.db,
            &self.inner.tokens,
            &self.inner.sessions,
            token,
        )
        .await
    }
}
