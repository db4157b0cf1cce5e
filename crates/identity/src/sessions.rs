//! Turning a bearer token into an [`AuthContext`]. The token proves who signed in; the user's
//! current state (active, role, organization active, session version) comes from the database
//! through a short-lived cache, so a deactivation or role change takes effect within
//! [`SESSION_TTL`] everywhere and at once on the instance that made it.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use kernel::db::DbEnum;
use kernel::{AppError, AppResult, AuthContext, Role};
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use crate::entity::{organization, user};
use crate::tokens::TokenKeys;

/// How long a user's state may be served from the cache.
pub const SESSION_TTL: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
struct UserState {
    organization_id: Uuid,
    role: Role,
    usable: bool,
    session_version: i32,
    fetched: Instant,
}

/// Cache of users' current state, keyed by user id.
#[derive(Debug, Default)]
pub struct SessionCache {
    entries: RwLock<HashMap<Uuid, UserState>>,
}

impl SessionCache {
    /// Forgets a user's cached state (after deactivation, role change, logout).
    pub fn invalidate(&self, user_id: Uuid) {
        if let Ok(mut entries) = self.entries.write() {
            entries.remove(&user_id);
        }
    }

    fn cached(&self, user_id: Uuid) -> Option<UserState> {
        let entries = self.entries.read().ok()?;
        entries
            .get(&user_id)
            .filter(|s| s.fetched.elapsed() < SESSION_TTL)
            .cloned()
    }

    fn store(&self, user_id: Uuid, state: UserState) {
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() > 50_000 {
                entries.retain(|_, s| s.fetched.elapsed() < SESSION_TTL);
            }
            entries.insert(user_id, state);
        }
    }

    #[expect(
        clippy::disallowed_methods,
        reason = "the verified token names the user; the user row names its organization"
    )]
    async fn load(&self, db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Option<UserState>> {
        if let Some(state) = self.cached(user_id) {
            return Ok(Some(state));
        }
        // Unscoped on purpose: the verified token names the user, and the row says its organization.
        let Some(user) = user::Entity::find_by_id(user_id).one(db).await? else {
            return Ok(None);
        };
        let org_active = organization::Entity::find_by_id(user.organization_id)
            .one(db)
            .await?
            .is_some_and(|org| org.is_active);
        let role = Role::from_db(&user.role).ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("unknown stored role {}", user.role))
        })?;
        let state = UserState {
            organization_id: user.organization_id,
            role,
            usable: user.is_active && org_active,
            session_version: user.session_version,
            fetched: Instant::now(),
        };
        self.store(user_id, state.clone());
        Ok(Some(state))
    }
}

/// Verifies a bearer token and the user's current state; any failure is `UNAUTHENTICATED`.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    keys: &TokenKeys,
    cache: &SessionCache,
    token: &str,
) -> AppResult<AuthContext> {
    let claims = keys.verify(token)?;
    let refused = || AppError::unauthenticated("invalid or expired token");
    let state = cache.load(db, claims.sub).await?.ok_or_else(refused)?;
    let revoked = state.session_version != claims.ver;
    if state.organization_id != claims.org || !state.usable || revoked {
        return Err(refused());
    }
    Ok(AuthContext {
        user_id: claims.sub,
        organization_id: state.organization_id,
        role: state.role,
    })
}
