//! The state identity's resolvers and the gateway share: store, token keys, limiter, sessions
//! and the hooks of the crates above.

use std::sync::Arc;

use kernel::{AppResult, AuthContext, Store};

use crate::hooks::Hooks;
use crate::rate_limit::{AuthLimiter, RateLimits};
use crate::sessions::{self, SessionCache};
use crate::tokens::TokenKeys;

/// Settings of the identity domain.
#[derive(Debug, Clone)]
pub struct IdentityConfig {
    /// The HS256 secret for access tokens.
    pub jwt_secret: Vec<u8>,
    /// Login attempt quotas.
    pub rate_limits: RateLimits,
    /// Whether anyone may sign up a new organization (`register`); when off, operators create
    /// organizations with `crm create-organization`.
    pub allow_registration: bool,
}

/// Shared, cheap-to-clone state of identity.
#[derive(Clone)]
pub struct IdentityState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    tokens: TokenKeys,
    limiter: AuthLimiter,
    sessions: SessionCache,
    allow_registration: bool,
    hooks: Hooks,
}

impl IdentityState {
    /// Builds the state around a store, with the hooks of the crates above.
    pub fn new(store: Store, config: &IdentityConfig, hooks: Hooks) -> Self {
        Self {
            inner: Arc::new(Inner {
                store,
                tokens: TokenKeys::from_secret(&config.jwt_secret),
                limiter: AuthLimiter::new(config.rate_limits),
                sessions: SessionCache::default(),
                allow_registration: config.allow_registration,
                hooks,
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

    /// What the crates above add to identity's flows.
    pub fn hooks(&self) -> &Hooks {
        &self.inner.hooks
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
