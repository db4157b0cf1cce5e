//! Organizations: the tenants. Each has one settings row, created with it.

pub mod graphql;
pub mod service;

use async_graphql::Enum;
use kernel::db::DbEnum;

/// The organization's subscription plan.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    Starter,
    Pro,
    Enterprise,
}

impl DbEnum for Plan {
    const VALUES: &'static [Self] = &[Self::Starter, Self::Pro, Self::Enterprise];

    fn as_db(self) -> &'static str {
        match self {
            Self::Starter => "starter",
            Self::Pro => "pro",
            Self::Enterprise => "enterprise",
        }
    }
}

/// Which records a sales rep can read.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SalesRepVisibility {
    /// Everything in the organization.
    All,
    /// Records owned by or assigned to members of their team.
    Team,
    /// Only records they own or are assigned.
    Own,
}

impl DbEnum for SalesRepVisibility {
    const VALUES: &'static [Self] = &[Self::All, Self::Team, Self::Own];

    fn as_db(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Team => "team",
            Self::Own => "own",
        }
    }
}
