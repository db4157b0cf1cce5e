//! SeaORM models of the CRM's tables, and nothing else: no business rules, no GraphQL.

// Identity's tables, under the names the CRM's relations and joins use.
pub use identity::entity::{organization, organization_settings, team, user};

pub mod activity;
pub mod company;
pub mod contact;
pub mod contact_service;
pub mod contact_status;
pub mod contact_tag;
pub mod custom_field_definition;
pub mod lead;
pub mod line_item;
pub mod note;
pub mod opportunity;
pub mod pipeline;
pub mod segment;
pub mod segment_member;
pub mod service;
pub mod stage;
pub mod stage_history;
pub mod tag;
pub mod traffic_source;

// The tenant-owned tables (kernel::object): objects with their label and soft delete where
// the table has it, and the link tables.
kernel::tenant_object!(contact_service, table);
kernel::tenant_object!(contact_tag, table);
kernel::tenant_object!(segment_member, table);
kernel::tenant_object!(stage_history, "OpportunityStageHistory", no_updated_at);
kernel::tenant_object!(activity, "Activity", soft_delete);
kernel::tenant_object!(company, "Company", soft_delete);
kernel::tenant_object!(contact, "Contact", soft_delete);
kernel::tenant_object!(contact_status, "ContactStatus");
kernel::tenant_object!(custom_field_definition, "CustomFieldDefinition");
kernel::tenant_object!(lead, "Lead", soft_delete);
kernel::tenant_object!(line_item, "LineItem");
kernel::tenant_object!(note, "Note", soft_delete);
kernel::tenant_object!(opportunity, "Opportunity", soft_delete);
kernel::tenant_object!(pipeline, "Pipeline", soft_delete);
kernel::tenant_object!(segment, "Segment", soft_delete);
kernel::tenant_object!(service, "Service");
kernel::tenant_object!(stage, "Stage");
kernel::tenant_object!(tag, "Tag");
kernel::tenant_object!(traffic_source, "TrafficSource");
