//! Contacts: people with their details (tags as the many-to-many `contact_tags`),
//! a configurable status, services and a traffic source from the settings lists, an owner and
//! an assignee, a linked company, custom fields and soft delete.

pub mod filter;
pub mod graphql;
pub mod service;

use async_graphql::Enum;
use kernel::db::DbEnum;

/// Where a contact or lead came from. One type for contacts and
/// leads: the engagement slice declared it first, so it is re-exported here under the path
/// the directory promised.
pub use crate::crm::engagement::leads::LeadSource;

/// Where a contact stands in the customer lifecycle.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LifecycleStage {
    Subscriber,
    Lead,
    MarketingQualified,
    SalesQualified,
    Opportunity,
    Customer,
    Evangelist,
    Other,
}

impl DbEnum for LifecycleStage {
    const VALUES: &'static [Self] = &[
        Self::Subscriber,
        Self::Lead,
        Self::MarketingQualified,
        Self::SalesQualified,
        Self::Opportunity,
        Self::Customer,
        Self::Evangelist,
        Self::Other,
    ];

    fn as_db(self) -> &'static str {
        match self {
            Self::Subscriber => "subscriber",
            Self::Lead => "lead",
            Self::MarketingQualified => "marketing_qualified",
            Self::SalesQualified => "sales_qualified",
            Self::Opportunity => "opportunity",
            Self::Customer => "customer",
            Self::Evangelist => "evangelist",
            Self::Other => "other",
        }
    }
}
