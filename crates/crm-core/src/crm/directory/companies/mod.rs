//! Companies (accounts): name, domain, industry, size, revenue, addresses and the rest, a unique domain per organization,
//! an owner, custom fields and soft delete.

pub mod graphql;
pub mod service;

kernel::db_enum! {
    /// The size range of a company (stored as `1-10`, `11-50`, ... `5000+`).
    pub enum CompanySize {
        #[graphql(name = "SIZE_1_10")]
        Size1To10 = "1-10",
        #[graphql(name = "SIZE_11_50")]
        Size11To50 = "11-50",
        #[graphql(name = "SIZE_51_200")]
        Size51To200 = "51-200",
        #[graphql(name = "SIZE_201_500")]
        Size201To500 = "201-500",
        #[graphql(name = "SIZE_501_1000")]
        Size501To1000 = "501-1000",
        #[graphql(name = "SIZE_1001_5000")]
        Size1001To5000 = "1001-5000",
        #[graphql(name = "SIZE_5000_PLUS")]
        Size5000Plus = "5000+",
    }
}

kernel::db_enum! {
    /// The relationship with a company.
    pub enum CompanyType {
        Prospect = "prospect",
        Customer = "customer",
        Partner = "partner",
        Vendor = "vendor",
        Competitor = "competitor",
        Other = "other",
    }
}

kernel::db_enum! {
    /// The account tier, by segment: STRATEGIC accounts first, then ENTERPRISE, MID_MARKET, SMB.
    pub enum CompanyTier {
        Strategic = "strategic",
        Enterprise = "enterprise",
        MidMarket = "mid_market",
        Smb = "smb",
    }
}
