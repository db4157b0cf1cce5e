//! Opportunities (deals): value and probability, line items that can drive the value, and the
//! stage history every move writes.

pub mod graphql;
pub mod service;

use async_graphql::Enum;
use kernel::db::DbEnum;

/// Where an opportunity stands; derived from the flags of its stage, never set directly.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpportunityStatus {
    /// In an ordinary stage.
    Open,
    /// In the won stage.
    Won,
    /// In the lost stage.
    Lost,
}

impl DbEnum for OpportunityStatus {
    const VALUES: &'static [Self] = &[Self::Open, Self::Won, Self::Lost];

    fn as_db(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Won => "won",
            Self::Lost => "lost",
        }
    }
}
