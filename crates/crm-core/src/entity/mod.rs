//! SeaORM models of crm-core's tables, and nothing else: no business rules, no GraphQL.

pub mod activity;
pub mod audit_log;
pub mod company;
pub mod contact;
pub mod contact_service;
pub mod contact_status;
pub mod contact_tag;
pub mod custom_field_definition;
pub mod invitation;
pub mod lead;
pub mod line_item;
pub mod note;
pub mod opportunity;
pub mod organization;
pub mod organization_settings;
pub mod pipeline;
pub mod refresh_token;
pub mod segment;
pub mod segment_member;
pub mod service;
pub mod stage;
pub mod stage_history;
pub mod tag;
pub mod team;
pub mod traffic_source;
pub mod user;

// The tenant-owned tables (kernel::object): objects with their label and soft delete where
// the table has it, and the link tables.
kernel::tenant_object!(audit_log, "AuditLogEntry", no_updated_at);
kernel::tenant_object!(contact_service, table);
kernel::tenant_object!(contact_tag, table);
kernel::tenant_object!(organization_settings, table);
kernel::tenant_object!(refresh_token, "RefreshToken", no_updated_at);
kernel::tenant_object!(segment_member, table);
kernel::tenant_object!(stage_history, "OpportunityStageHistory", no_updated_at);
kernel::tenant_object!(activity, "Activity", soft_delete);
kernel::tenant_object!(company, "Company", soft_delete);
kernel::tenant_object!(contact, "Contact", soft_delete);
kernel::tenant_object!(contact_status, "ContactStatus");
kernel::tenant_object!(custom_field_definition, "CustomFieldDefinition");
kernel::tenant_object!(invitation, "Invitation");
kernel::tenant_object!(lead, "Lead", soft_delete);
kernel::tenant_object!(line_item, "LineItem");
kernel::tenant_object!(note, "Note", soft_delete);
kernel::tenant_object!(opportunity, "Opportunity", soft_delete);
kernel::tenant_object!(pipeline, "Pipeline", soft_delete);
kernel::tenant_object!(segment, "Segment", soft_delete);
kernel::tenant_object!(service, "Service");
kernel::tenant_object!(stage, "Stage");
kernel::tenant_object!(tag, "Tag");
kernel::tenant_object!(team, "Team");
kernel::tenant_object!(traffic_source, "TrafficSource");
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
