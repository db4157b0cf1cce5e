//! Reading the audit log (administrators only).

use kernel::listing::{ListArgs, OrderDirection, Page, SortKey, list};
use kernel::object::{TenantObject, TenantTable};
use kernel::{AppResult, AuthContext};
use sea_orm::ConnectionTrait;

use crate::entity::audit_log;

kernel::entity_filter! {
    /// Filters audit log entries.
    pub struct AuditLogFilterInput {
        id: UuidFilter => audit_log::Column::Id,
        actor_id: UuidFilter => audit_log::Column::ActorId,
        action: StringFilter => audit_log::Column::Action,
        entity_type: StringFilter => audit_log::Column::EntityType,
        entity_id: UuidFilter => audit_log::Column::EntityId,
        at: DateTimeFilter => audit_log::Column::At,
    }
}

kernel::entity_order_by! {
    /// Orders audit log entries.
    pub struct AuditLogOrderByInput for audit_log::Entity {
        at => audit_log::Column::At,
        action => audit_log::Column::Action,
        entity_type => audit_log::Column::EntityType,
    }
}

/// Lists the caller's organization's audit log, newest first by default.
pub async fn list_audit_logs(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    args: &ListArgs<AuditLogFilterInput, AuditLogOrderByInput>,
) -> AppResult<Page<audit_log::Model>> {
    auth.require_admin()?;
    let select = audit_log::Entity::scoped(auth.scope());
    list(
        db,
        select,
        args,
        &[SortKey::new(
            audit_log::Column::At,
            OrderDirection::DescNullsLast,
        )],
        audit_log::Column::Id,
    )
    .await
}

/// One audit entry of the caller's organization (administrators only); `None` for another
/// organization's entry, exactly as for a random id.
pub async fn get_audit_log(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: uuid::Uuid,
) -> AppResult<Option<audit_log::Model>> {
    auth.require_admin()?;
    audit_log::Entity::find_in(db, auth.scope(), id).await
}
