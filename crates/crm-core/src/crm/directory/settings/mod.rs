//! The organization's settings lists: contact statuses with their category,
//! services and traffic sources. New organizations get defaults (`crm::bootstrap`); deleting an
//! entry in use needs a replacement, to which its contacts move in the same transaction.

pub mod entries;
pub mod graphql;
pub mod service;

kernel::db_enum! {
    /// The fixed category of a configurable contact status, which reports and rules reason about.
    pub enum ContactStatusCategory {
        Lead = "lead",
        Prospect = "prospect",
        Customer = "customer",
        Other = "other",
    }
}
