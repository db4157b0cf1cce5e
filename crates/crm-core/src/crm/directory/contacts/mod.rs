//! Contacts: people with their details (tags as the many-to-many `contact_tags`),
//! a configurable status, services and a traffic source from the settings lists, an owner and
//! an assignee, a linked company, custom fields and soft delete.

pub mod graphql;
pub mod service;

/// Where a contact or lead came from. One type for contacts and
/// leads: the engagement slice declared it first, so it is re-exported here under the path
/// the directory promised.
pub use crate::crm::engagement::leads::LeadSource;

kernel::db_enum! {
    /// Where a contact stands in the customer lifecycle.
    pub enum LifecycleStage {
        Subscriber = "subscriber",
        Lead = "lead",
        MarketingQualified = "marketing_qualified",
        SalesQualified = "sales_qualified",
        Opportunity = "opportunity",
        Customer = "customer",
        Evangelist = "evangelist",
        Other = "other",
    }
}
