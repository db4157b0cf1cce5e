//! Refresh tokens: opaque random strings stored only as SHA-256 hashes, rotated on every use.
//! Tokens rotated from one login form a family; presenting an already-used token means it was
//! stolen (or replayed), so the whole family is revoked.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use kernel::db::now;
use kernel::object::{TenantObject, TenantTable};
use kernel::{AppResult, TenantScope};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::entity::refresh_token;

/// How long a refresh token can be used.
pub const REFRESH_TOKEN_DAYS: i64 = 30;

/// A new random token (256 bits) in URL-safe text.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Issues a refresh token for a user, in a new family unless one is given.
pub async fn issue(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    user_id: Uuid,
    family_id: Option<Uuid>,
) -> AppResult<String> {
    let token = random_token();
    let at = now();
    refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(scope.organization_id()),
        user_id: Set(user_id),
        family_id: Set(family_id.unwrap_or_else(Uuid::now_v7)),
        token_hash: Set(token_hash(&token)),
        expires_at: Set(at + Duration::days(REFRESH_TOKEN_DAYS)),
        used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(at),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The outcome of presenting a refresh token.
#[derive(Debug)]
pub enum Presented {
    /// Valid and now used up: rotate within this family.
    Valid(refresh_token::Model),
    /// Already used: the family was revoked (commit the transaction so the revocation sticks).
    Reused,
    /// Unknown, expired or revoked.
    Invalid,
}

/// Marks a presented token as used, exactly once even under concurrent use.
#[expect(
    clippy::disallowed_methods,
    reason = "the refresh token is the credential; its row names the user and organization"
)]
pub async fn consume(db: &impl ConnectionTrait, token: &str) -> AppResult<Presented> {
    // Unscoped on purpose: the token itself is the credential that names its organization.
    let Some(row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await?
    else {
        return Ok(Presented::Invalid);
    };
    let at = now();
    if row.revoked_at.is_some() || row.expires_at <= at {
        return Ok(Presented::Invalid);
    }
    // The conditional update is the check: of two concurrent uses only one changes the row.
    let updated = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(at))
        .filter(refresh_token::Column::Id.eq(row.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if updated.rows_affected == 1 {
        return Ok(Presented::Valid(row));
    }
    revoke_family(db, refresh_token::Entity::scope_of(&row), row.family_id).await?;
    Ok(Presented::Reused)
}

/// Revokes every token of a family.
pub async fn revoke_family(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    family_id: Uuid,
) -> AppResult<()> {
    refresh_token::Entity::update_scoped(scope)
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now()))
        .filter(refresh_token::Column::FamilyId.eq(family_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every token of a user.
pub async fn revoke_all(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    user_id: Uuid,
) -> AppResult<()> {
    refresh_token::Entity::update_scoped(scope)
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now()))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_eq!(token_hash(&a).len(), 64);
    }
}
