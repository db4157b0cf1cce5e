//! The audit log. Every mutation runs in a [`Tx`], which writes one audit row per changed object
//! in the same transaction as the change, and publishes the matching domain events only after the
//! transaction has committed (so no listener hears of a change that was rolled back).

pub mod graphql;
pub mod lifecycle;
pub mod service;

use kernel::db::{insert_all, now};
use kernel::events::{Action, DomainEvent};
use kernel::object::TenantObject;
use kernel::{AppResult, AuthContext, DbResultExt, Store, TenantScope};
use sea_orm::{
    ActiveModelTrait, ActiveValue, DatabaseTransaction, Iterable, ModelTrait, Set, Value,
};
use serde::Serialize;
use serde_json::Value as Json;
use uuid::Uuid;

use crate::entity::audit_log;

/// Ids per `IN (...)` list and rows per multi-row upsert: well under the bind-parameter limits
/// of SQLite (32766) and PostgreSQL (65535) for every table.
pub const BULK_CHUNK: usize = 500;

/// A write transaction that records what it changes.
pub struct Tx<'s> {
    txn: DatabaseTransaction,
    store: &'s Store,
    scope: TenantScope,
    actor_id: Option<Uuid>,
    events: Vec<DomainEvent>,
}

impl<'s> Tx<'s> {
    /// Starts a write transaction on behalf of the caller.
    pub async fn begin(store: &'s Store, auth: &AuthContext) -> AppResult<Self> {
        Self::begin_as(store, auth.scope(), Some(auth.user_id)).await
    }

    /// Starts a write transaction for a trusted server-side flow (registration, invitations,
    /// command-line administration) whose actor may not exist yet.
    pub async fn begin_as(
        store: &'s Store,
        scope: TenantScope,
        actor_id: Option<Uuid>,
    ) -> AppResult<Self> {
        let txn = kernel::db::begin_write(&store.db).await?;
        Ok(Self {
            txn,
            store,
            scope,
            actor_id,
            events: Vec::new(),
        })
    }

    /// Continues an already started write transaction as an audited one.
    pub fn wrap(
        store: &'s Store,
        txn: DatabaseTransaction,
        scope: TenantScope,
        actor_id: Option<Uuid>,
    ) -> Self {
        Self {
            txn,
            store,
            scope,
            actor_id,
            events: Vec::new(),
        }
    }

    /// The transaction, for queries.
    pub fn db(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// The tenant this transaction writes to.
    pub fn scope(&self) -> TenantScope {
        self.scope
    }

    /// Sets the actor once it exists (registration creates its own actor).
    pub fn set_actor(&mut self, actor_id: Uuid) {
        self.actor_id = Some(actor_id);
    }

    /// The event (and audit row) of a change by this transaction's actor.
    fn event(
        &self,
        action: Action,
        entity_type: &'static str,
        entity_id: Uuid,
        before: Option<Json>,
        after: Option<Json>,
        at: chrono::DateTime<chrono::Utc>,
    ) -> DomainEvent {
        DomainEvent {
            id: Uuid::now_v7(),
            organization_id: self.scope.organization_id(),
            actor_id: self.actor_id,
            action,
            entity_type,
            entity_id,
            before,
            after,
            at,
        }
    }

    /// Audits the creation of `after`.
    pub async fn created<E: TenantObject>(&mut self, after: &E::Model) -> AppResult<()> {
        self.record(
            Action::Create,
            E::LABEL,
            E::id_of(after),
            None,
            snapshot(after),
        )
        .await
    }

    /// Audits a change of `before` into `after` (an update unless `action` says more).
    pub async fn changed<E: TenantObject>(
        &mut self,
        action: Action,
        before: &E::Model,
        after: &E::Model,
    ) -> AppResult<()> {
        self.record(
            action,
            E::LABEL,
            E::id_of(after),
            snapshot(before),
            snapshot(after),
        )
        .await
    }

    /// Audits something that happened to an object without changing its row (sign-out,
    /// renewed session, new password): no snapshots.
    pub async fn occurred<E: TenantObject>(&mut self, action: Action, id: Uuid) -> AppResult<()> {
        self.record(action, E::LABEL, id, None, None).await
    }

    /// Audits an update of `before` into `after`.
    pub async fn updated<E: TenantObject>(
        &mut self,
        before: &E::Model,
        after: &E::Model,
    ) -> AppResult<()> {
        self.changed::<E>(Action::Update, before, after).await
    }

    /// Writes the changes patched onto `model` (the active model of `before`) with `updated_at`
    /// stamped, and audits them. Fields set to the values they already have are no change, so
    /// an update that changes nothing writes and records nothing and returns `before` as it was:
    /// repeating an update is harmless.
    pub async fn save<E: TenantObject>(
        &mut self,
        before: E::Model,
        model: E::ActiveModel,
    ) -> AppResult<E::Model> {
        self.write::<E>(before, model, None).await
    }

    /// [`Tx::save`] for a row under a unique constraint: a violation is `CONFLICT` with `taken`.
    pub async fn save_unique<E: TenantObject>(
        &mut self,
        before: E::Model,
        model: E::ActiveModel,
        taken: &str,
    ) -> AppResult<E::Model> {
        self.write::<E>(before, model, Some(taken)).await
    }

    async fn write<E: TenantObject>(
        &mut self,
        before: E::Model,
        mut model: E::ActiveModel,
        taken: Option<&str>,
    ) -> AppResult<E::Model> {
        // A field set to the value it already has is no change: an update that repeats the
        // current values writes nothing, stamps nothing and records nothing.
        for column in E::Column::iter() {
            if let ActiveValue::Set(value) = model.get(column)
                && before.get(column) == value
            {
                model.not_set(column);
            }
        }
        if !model.is_changed() {
            return Ok(before);
        }
        if let Some(updated_at) = E::UPDATED_AT {
            model.set(updated_at, Value::ChronoDateTimeUtc(Some(now())));
        }
        let written = model.update(self.db()).await;
        let after = match taken {
            Some(message) => written.on_unique_violation(message)?,
            None => written?,
        };
        self.updated::<E>(&before, &after).await?;
        Ok(after)
    }

    /// Writes an audit row for something that happened to one object: the general form behind
    /// [`Tx::created`] and [`Tx::changed`], for events whose snapshots are not the object's
    /// rows (sign-in, merges). `entity_type` is an object's label (`TenantObject::LABEL`).
    pub async fn record(
        &mut self,
        action: Action,
        entity_type: &'static str,
        entity_id: Uuid,
        before: Option<Json>,
        after: Option<Json>,
    ) -> AppResult<()> {
        let event = self.event(
            action,
            entity_type,
            entity_id,
            before,
            after,
            kernel::db::now(),
        );
        audit_log::ActiveModel {
            id: Set(event.id),
            organization_id: Set(event.organization_id),
            actor_id: Set(event.actor_id),
            action: Set(event.action.as_str().to_owned()),
            entity_type: Set(event.entity_type.to_owned()),
            entity_id: Set(event.entity_id),
            before: Set(event.before.clone()),
            after: Set(event.after.clone()),
            at: Set(event.at),
        }
        .insert(&self.txn)
        .await?;
        self.events.push(event);
        Ok(())
    }

    /// Writes audit rows for many objects at once (imports), in bulk ([`insert_all`]). Instead
    /// of one event per row, a single summary event (`summary`) is published after commit.
    pub async fn record_bulk(
        &mut self,
        action: Action,
        entity_type: &'static str,
        rows: Vec<(Uuid, Option<Json>, Option<Json>)>,
        summary: Option<(Uuid, Json)>,
    ) -> AppResult<()> {
        let at = kernel::db::now();
        let models: Vec<audit_log::Model> = rows
            .into_iter()
            .map(|(entity_id, before, after)| audit_log::Model {
                id: Uuid::now_v7(),
                organization_id: self.scope.organization_id(),
                actor_id: self.actor_id,
                action: action.as_str().to_owned(),
                entity_type: entity_type.to_owned(),
                entity_id,
                before,
                after,
                at,
            })
            .collect();
        insert_all::<audit_log::Entity>(&self.txn, &models).await?;
        if let Some((entity_id, payload)) = summary {
            let event = self.event(action, entity_type, entity_id, None, Some(payload), at);
            self.events.push(event);
        }
        Ok(())
    }

    /// Inserts new objects in bulk ([`insert_all`]) and audits each as created (imports, demo
    /// and scale data). Each audit snapshot keeps only the fields that have a value: an absent
    /// field of a new object is null, and an import of 100,000 contacts writes half the audit
    /// JSON.
    pub async fn insert_created<E: TenantObject>(&mut self, rows: &[E::Model]) -> AppResult<()> {
        insert_all::<E>(&self.txn, rows).await?;
        let audit = rows
            .iter()
            .map(|row| (E::id_of(row), None, snapshot(row).map(without_nulls)))
            .collect();
        self.record_bulk(Action::Create, E::LABEL, audit, None)
            .await
    }

    /// Commits, then publishes the recorded events.
    pub async fn commit(self) -> AppResult<()> {
        self.txn.commit().await?;
        for event in self.events {
            self.store.events.publish(event);
        }
        Ok(())
    }
}

/// The JSON snapshot of an object for the audit log (secrets are skipped by the models' serde).
pub fn snapshot(model: &impl Serialize) -> Option<Json> {
    serde_json::to_value(model).ok()
}

/// A snapshot without its null fields (top level only).
fn without_nulls(snapshot: Json) -> Json {
    match snapshot {
        Json::Object(fields) => Json::Object(
            fields
                .into_iter()
                .filter(|(_, value)| !value.is_null())
                .collect(),
        ),
        other => other,
    }
}
