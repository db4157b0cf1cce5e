//! Opportunities (deals): value and probability, line items that can drive the value, and the
//! stage history every move writes.

pub mod graphql;
pub mod service;

kernel::db_enum! {
    /// Where an opportunity stands; derived from the flags of its stage, never set directly.
    pub enum OpportunityStatus {
        /// In an ordinary stage.
        Open = "open",
        /// In the won stage.
        Won = "won",
        /// In the lost stage.
        Lost = "lost",
    }
}
