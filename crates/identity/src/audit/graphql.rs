//! GraphQL surface of the audit log: `auditLogs` and the `auditLogCreated` subscription.

use async_graphql::{Context, Json, Object, Subscription};
use futures_util::Stream;
use kernel::ContextExt;
use kernel::events::DomainEvent;
use kernel::scalars::Timestamp;
use uuid::Uuid;

use super::service::{self, AuditLogFilterInput, AuditLogOrderByInput};
use crate::entity::audit_log;
use crate::loader::load_user;
use crate::users::graphql::User;

/// One recorded change.
pub struct AuditLogEntry(audit_log::Model);

impl From<DomainEvent> for AuditLogEntry {
    fn from(event: DomainEvent) -> Self {
        Self(audit_log::Model {
            id: event.id,
            organization_id: event.organization_id,
            actor_id: event.actor_id,
            action: event.action.as_str().to_owned(),
            entity_type: event.entity_type.to_owned(),
            entity_id: event.entity_id,
            before: event.before,
            after: event.after,
            at: event.at,
        })
    }
}

#[Object]
impl AuditLogEntry {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    /// The user who made the change, if it was made by a user.
    async fn actor_id(&self) -> Option<Uuid> {
        self.0.actor_id
    }

    /// The user who made the change.
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.0.actor_id {
            Some(id) => Ok(load_user(ctx, self.0.organization_id, id)
                .await?
                .map(User::from)),
            None => Ok(None),
        }
    }

    /// What was done: `create`, `update`, `delete`, `login`, ...
    async fn action(&self) -> &str {
        &self.0.action
    }

    /// The kind of object changed, e.g. `User`.
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }

    async fn entity_id(&self) -> Uuid {
        self.0.entity_id
    }

    /// The object before the change.
    async fn before(&self) -> Option<Json<serde_json::Value>> {
        self.0.before.clone().map(Json)
    }

    /// The object after the change.
    async fn after(&self) -> Option<Json<serde_json::Value>> {
        self.0.after.clone().map(Json)
    }

    async fn at(&self) -> Timestamp {
        Timestamp(self.0.at)
    }
}

crate::object_queries! {
    /// Audit log queries.
    pub struct AuditQuery for AuditLogEntry;
    /// One audit entry (administrators only); null if absent.
    get audit_log = service::get_audit_log;
    /// The organization's audit log (administrators only), newest first unless ordered otherwise.
    list audit_logs(AuditLogFilterInput, AuditLogOrderByInput) = service::list_audit_logs;
}

/// Audit log subscriptions.
#[derive(Default)]
pub struct AuditSubscription;

#[Subscription]
impl AuditSubscription {
    /// Every change recorded in the caller's organization from now on (administrators only).
    async fn audit_log_created(
        &self,
        ctx: &Context<'_>,
        entity_type: Option<String>,
    ) -> async_graphql::Result<impl Stream<Item = AuditLogEntry>> {
        let auth = ctx.auth()?.clone();
        auth.require_admin()?;
        let receiver = ctx.store()?.events.subscribe();
        Ok(events_of(receiver, auth.organization_id, entity_type))
    }
}

fn events_of(
    receiver: tokio::sync::broadcast::Receiver<DomainEvent>,
    organization_id: Uuid,
    entity_type: Option<String>,
) -> impl Stream<Item = AuditLogEntry> {
    futures_util::stream::unfold(receiver, move |mut receiver| {
        let entity_type = entity_type.clone();
        async move {
            loop {
                match receiver.recv().await {
                    Ok(event)
                        if event.organization_id == organization_id
                            && entity_type.as_ref().is_none_or(|t| *t == event.entity_type) =>
                    {
                        return Some((AuditLogEntry::from(event), receiver));
                    }
                    Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                }
            }
        }
    })
}
