//! Access tokens: HS256 JWTs, algorithm pinned, every registered claim required, short leeway.

use std::collections::HashSet;
use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use kernel::db::DbEnum;
use kernel::{AppError, AppResult, Role};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Issuer claim of every token this server signs.
pub const ISSUER: &str = "crm";
/// Audience claim of every token this server signs.
pub const AUDIENCE: &str = "crm-api";
/// How long an access token lives.
pub const ACCESS_TOKEN_TTL: Duration = Duration::from_secs(15 * 60);
/// Clock skew tolerated on `exp` and `nbf`.
pub const LEEWAY_SECS: u64 = 30;

/// The claims of an access token. Every field is required: a token missing one fails to decode.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub sub: Uuid,
    pub org: Uuid,
    pub role: String,
    /// The user's session version when the token was issued.
    pub ver: i32,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
}

/// Signing and verification keys with the pinned validation rules.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys(..)")
    }
}

impl TokenKeys {
    /// Keys from the shared HS256 secret.
    pub fn from_secret(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.required_spec_claims = ["exp", "nbf", "iss", "aud", "sub"]
            .into_iter()
            .map(String::from)
            .collect::<HashSet<_>>();
        validation.leeway = LEEWAY_SECS;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    /// Signs an access token for a user.
    pub fn issue(
        &self,
        user_id: Uuid,
        organization_id: Uuid,
        role: Role,
        version: i32,
    ) -> AppResult<String> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id,
            org: organization_id,
            role: role.as_db().to_owned(),
            ver: version,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: now,
            nbf: now,
            exp: now + ACCESS_TOKEN_TTL.as_secs() as i64,
        };
        self.sign(&claims)
    }

    /// Signs arbitrary claims (tests use it to forge expired or future tokens with the right key).
    pub fn sign(&self, claims: &Claims) -> AppResult<String> {
        encode(&Header::new(Algorithm::HS256), claims, &self.encoding).map_err(AppError::internal)
    }

    /// Verifies signature, algorithm and every claim; any failure is `UNAUTHENTICATED`.
    pub fn verify(&self, token: &str) -> AppResult<Claims> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|err| {
                tracing::debug!(error = %err, "access token refused");
                AppError::unauthenticated("invalid or expired token")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_verify_with_the_same_key_only() {
        let keys = TokenKeys::from_secret(b"0123456789abcdef0123456789abcdef");
        let user = Uuid::now_v7();
        let org = Uuid::now_v7();
        let token = keys.issue(user, org, Role::Admin, 0).expect("issue");
        let claims = keys.verify(&token).expect("verify");
        assert_eq!(
            (claims.sub, claims.org, claims.role.as_str()),
            (user, org, "admin")
        );
        let other = TokenKeys::from_secret(b"another secret another secret!!!");
        assert!(other.verify(&token).is_err());
    }
}
