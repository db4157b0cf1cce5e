//! SeaORM models of identity's tables, and nothing else: no business rules, no GraphQL.

pub mod audit_log;
pub mod invitation;
pub mod organization;
pub mod organization_settings;
pub mod refresh_token;
pub mod team;
pub mod user;

// The tenant-owned tables (kernel::object).
kernel::tenant_object!(audit_log, "AuditLogEntry", no_updated_at);
kernel::tenant_object!(organization_settings, table);
kernel::tenant_object!(refresh_token, "RefreshToken", no_updated_at);
kernel::tenant_object!(invitation, "Invitation");
kernel::tenant_object!(team, "Team");
kernel::tenant_object!(user, "User");

// An organization's own row belongs to it: its id is its organization.
impl kernel::object::TenantTable for organization::Entity {
    const ORGANIZATION_ID: organization::Column = organization::Column::Id;
}

impl kernel::object::TenantObject for organization::Entity {
    const LABEL: &'static str = "Organization";
    const ID: organization::Column = organization::Column::Id;
    const UPDATED_AT: Option<organization::Column> = Some(organization::Column::UpdatedAt);

    fn id_of(model: &organization::Model) -> uuid::Uuid {
        model.id
    }
}

// Settings are one row per organization, keyed by it.
impl kernel::object::TenantObject for organization_settings::Entity {
    const LABEL: &'static str = "OrganizationSettings";
    const ID: organization_settings::Column = organization_settings::Column::OrganizationId;
    const UPDATED_AT: Option<organization_settings::Column> =
        Some(organization_settings::Column::UpdatedAt);

    fn id_of(model: &organization_settings::Model) -> uuid::Uuid {
        model.organization_id
    }
}
