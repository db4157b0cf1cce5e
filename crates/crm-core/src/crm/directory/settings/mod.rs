//! The organization's settings lists: contact statuses with their category,
//! services and traffic sources. New organizations get defaults (`crm::bootstrap`); deleting an
//! entry in use needs a replacement, to which its contacts move in the same transaction.

pub mod entries;
pub mod graphql;
pub mod service;

use async_graphql::Enum;
use kernel::db::DbEnum;

/// The fixed category of a configurable contact status, which reports and rules reason about.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContactStatusCategory {
    Lead,
    Prospect,
    Customer,
    Other,
}

impl DbEnum for ContactStatusCategory {
    const VALUES: &'static [Self] = &[Self::Lead, Self::Prospect, Self::Customer, Self::Other];

    fn as_db(self) -> &'static str {
        match self {
            Self::Lead => "lead",
            Self::Prospect => "prospect",
            Self::Customer => "customer",
            Self::Other => "other",
        }
    }
}
