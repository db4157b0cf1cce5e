//! Delete, restore and destroy, audited, for every tenant object: one behaviour for all.
//!
//! Each object loads the row with its own visibility rule and checks its own permissions; these
//! do the rest. Repeated operations are idempotent: deleting a deleted object or restoring a
//! live one returns it unchanged, writes nothing and records nothing. Destroy removes the row
//! of the transaction's organization (the object clears its references first).

use kernel::AppResult;
use kernel::db::now;
use kernel::events::Action;
use kernel::object::{SoftDeletable, TenantObject};
use sea_orm::ActiveModelTrait;
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
