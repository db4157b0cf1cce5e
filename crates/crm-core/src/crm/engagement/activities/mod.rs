//! Activities: calls, e-mails, meetings, notes and other interactions logged on a contact,
//! company, lead or opportunity.

pub mod graphql;
pub mod service;

kernel::db_enum! {
    /// The kind of interaction.
    pub enum ActivityType {
        Call = "call",
        Email = "email",
        Meeting = "meeting",
        Note = "note",
        Other = "other",
    }
}
