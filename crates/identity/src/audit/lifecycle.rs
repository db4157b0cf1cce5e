//! Delete, restore and destroy, audited, for every tenant object: one behaviour for all.
//!
//! An object says how the caller finds it for a change, what its rules refuse and what goes
//! with it when it is destroyed ([`Lifecycle`]); [`delete`], [`restore`] and [`destroy`] do the
//! rest, the same way for every object. Repeated operations are idempotent: deleting a deleted
//! object or restoring a live one returns it unchanged, writes nothing and records nothing.
//! Destroy removes the row of the caller's organization after the object's hook has cleared or
//! removed what refers to it.

use std::future::Future;

use kernel::db::now;
use kernel::events::Action;
use kernel::object::{SoftDeletable, TenantObject};
use kernel::{AppResult, AuthContext, Store};
use sea_orm::{ActiveModelTrait, DatabaseTransaction};
use uuid::Uuid;

use super::{Tx, snapshot};

impl Tx<'_> {
    /// Soft-deletes `before`; an already deleted object is returned unchanged.
    pub async fn soft_delete<E: SoftDeletable>(&mut self, before: E::Model) -> AppResult<E::Model> {
        self.set_deleted::<E>(before, true).await
    }

    /// Restores `before`; a live object is returned unchanged.
    pub async fn restore<E: SoftDeletable>(&mut self, before: E::Model) -> AppResult<E::Model> {
        self.set_deleted::<E>(before, false).await
    }

    async fn set_deleted<E: SoftDeletable>(
        &mut self,
        before: E::Model,
        delete: bool,
    ) -> AppResult<E::Model> {
        if E::deleted(&before).is_some() == delete {
            return Ok(before);
        }
        let at = now();
        let after = E::set_deleted(before.clone(), delete.then_some(at), at)
            .update(self.db())
            .await?;
        let action = if delete {
            Action::Delete
        } else {
            Action::Restore
        };
        self.changed::<E>(action, &before, &after).await?;
        Ok(after)
    }

    /// Removes `before` for good and records it as destroyed.
    pub async fn destroy<E: TenantObject>(&mut self, before: &E::Model) -> AppResult<Uuid> {
        self.remove::<E>(before, Action::Destroy).await
    }

    /// Removes `before` for good and records it as `action`: objects without soft delete
    /// (settings entries, tags, stages) record their removal as a `delete`.
    pub async fn remove<E: TenantObject>(
        &mut self,
        before: &E::Model,
        action: Action,
    ) -> AppResult<Uuid> {
        let id = E::id_of(before);
        E::delete_in(self.scope(), id).exec(self.db()).await?;
        self.record(action, E::LABEL, id, snapshot(before), None)
            .await?;
        Ok(id)
    }
}

/// How the API deletes, restores and destroys one kind of soft-deletable object.
pub trait Lifecycle: SoftDeletable {
    /// The object as the caller may delete or restore it: `NOT_FOUND` unless it is in their
    /// organization and visible to them, `FORBIDDEN` unless they may change it.
    fn require_writable(
        db: &DatabaseTransaction,
        auth: &AuthContext,
        id: Uuid,
    ) -> impl Future<Output = AppResult<Self::Model>> + Send;

    /// What the object's rules refuse to delete (`CONFLICT`); nothing unless overridden.
    fn check_delete(_model: &Self::Model) -> AppResult<()> {
        Ok(())
    }

    /// Who may destroy: administrators.
    fn require_destroy(auth: &AuthContext) -> AppResult<()> {
        auth.require_admin()
    }

    /// In the destroying transaction, before the row goes: refuses (`CONFLICT`), or clears and
    /// removes what refers to the object. Nothing unless overridden.
    fn before_destroy(
        _tx: &mut Tx<'_>,
        _model: &Self::Model,
    ) -> impl Future<Output = AppResult<()>> + Send {
        async { Ok(()) }
    }
}

/// Soft-deletes the object (a deleted one is returned unchanged).
pub async fn delete<E: Lifecycle>(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<E::Model> {
    let mut tx = Tx::begin(store, auth).await?;
    let before = E::require_writable(tx.db(), auth, id).await?;
    E::check_delete(&before)?;
    let after = tx.soft_delete::<E>(before).await?;
    tx.commit().await?;
    Ok(after)
}

/// Restores the object (a live one is returned unchanged).
pub async fn restore<E: Lifecycle>(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<E::Model> {
    let mut tx = Tx::begin(store, auth).await?;
    let before = E::require_writable(tx.db(), auth, id).await?;
    let after = tx.restore::<E>(before).await?;
    tx.commit().await?;
    Ok(after)
}

/// Destroys the object for good, with what its hook clears or removes first.
pub async fn destroy<E: Lifecycle>(store: &Store, auth: &AuthContext, id: Uuid) -> AppResult<Uuid> {
    E::require_destroy(auth)?;
    let mut tx = Tx::begin(store, auth).await?;
    let before = E::require_in(tx.db(), auth.scope(), id).await?;
    E::before_destroy(&mut tx, &before).await?;
    tx.destroy::<E>(&before).await?;
    tx.commit().await?;
    Ok(id)
}
