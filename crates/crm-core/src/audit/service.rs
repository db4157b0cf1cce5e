//! Reading the audit log (administrators only).

use kernel::listing::*;
use kernel::{AppResult, AuthContext};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

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
    filter: Option<&AuditLogFilterInput>,
    order_by: &[AuditLogOrderByInput],
    args: &PageArgs,
    with_total: bool,
) -> AppResult<Page<audit_log::Model>> {
    auth.require_admin()?;
    let mut select = audit_log::Entity::find()
        .filter(audit_log::Column::OrganizationId.eq(auth.organization_id));
    if let Some(filter) = filter {
        select = select.filter(filter.to_condition()?);
    }
    let mut sort = AuditLogOrderByInput::sort_keys(order_by)?;
    if sort.is_empty() {
        sort.push(SortKey {
            column: audit_log::Column::At,
            direction: OrderDirection::DescNullsLast,
        });
    }
    paginate(db, select, sort, audit_log::Column::Id, args, with_total).await
}
