//! Organizations: the tenants. Each has one settings row, created with it.

pub mod graphql;
pub mod service;

kernel::db_enum! {
    /// The organization's subscription plan.
    pub enum Plan {
        Starter = "starter",
        Pro = "pro",
        Enterprise = "enterprise",
    }
}

kernel::db_enum! {
    /// Which records a sales rep can read.
    pub enum SalesRepVisibility {
        /// Everything in the organization.
        All = "all",
        /// Records owned by or assigned to members of their team.
        Team = "team",
        /// Only records they own or are assigned.
        Own = "own",
    }
}
