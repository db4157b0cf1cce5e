//! Companies (accounts): name, domain, industry, size, revenue, addresses and the rest, a unique domain per organization,
//! an owner, custom fields and soft delete.

pub mod graphql;
pub mod service;

use async_graphql::Enum;
use kernel::db::DbEnum;

/// The size range of a company (stored as `1-10`, `11-50`, ... `5000+`).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompanySize {
    #[graphql(name = "SIZE_1_10")]
    Size1To10,
    #[graphql(name = "SIZE_11_50")]
    Size11To50,
    #[graphql(name = "SIZE_51_200")]
    Size51To200,
    #[graphql(name = "SIZE_201_500")]
    Size201To500,
    #[graphql(name = "SIZE_501_1000")]
    Size501To1000,
    #[graphql(name = "SIZE_1001_5000")]
    Size1001To5000,
    #[graphql(name = "SIZE_5000_PLUS")]
    Size5000Plus,
}

impl DbEnum for CompanySize {
    const VALUES: &'static [Self] = &[
        Self::Size1To10,
        Self::Size11To50,
        Self::Size51To200,
        Self::Size201To500,
        Self::Size501To1000,
        Self::Size1001To5000,
        Self::Size5000Plus,
    ];

    fn as_db(self) -> &'static str {
        match self {
            Self::Size1To10 => "1-10",
            Self::Size11To50 => "11-50",
            Self::Size51To200 => "51-200",
            Self::Size201To500 => "201-500",
            Self::Size501To1000 => "501-1000",
            Self::Size1001To5000 => "1001-5000",
            Self::Size5000Plus => "5000+",
        }
    }
}

/// The relationship with a company.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompanyType {
    Prospect,
    Customer,
    Partner,
    Vendor,
    Competitor,
    Other,
}

impl DbEnum for CompanyType {
    const VALUES: &'static [Self] = &[
        Self::Prospect,
        Self::Customer,
        Self::Partner,
        Self::Vendor,
        Self::Competitor,
        Self::Other,
    ];

    fn as_db(self) -> &'static str {
        match self {
            Self::Prospect => "prospect",
            Self::Customer => "customer",
            Self::Partner => "partner",
            Self::Vendor => "vendor",
            Self::Competitor => "competitor",
            Self::Other => "other",
        }
    }
}

/// The account tier, by segment: STRATEGIC accounts first, then ENTERPRISE, MID_MARKET, SMB.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompanyTier {
    Strategic,
    Enterprise,
    MidMarket,
    Smb,
}

impl DbEnum for CompanyTier {
    const VALUES: &'static [Self] = &[
        Self::Strategic,
        Self::Enterprise,
        Self::MidMarket,
        Self::Smb,
    ];

    fn as_db(self) -> &'static str {
        match self {
            Self::Strategic => "strategic",
            Self::Enterprise => "enterprise",
            Self::MidMarket => "mid_market",
            Self::Smb => "smb",
        }
    }
}
