//! Activities: calls, e-mails, meetings, notes and other interactions logged on a contact,
//! company, lead or opportunity.

pub mod graphql;
pub mod service;

use async_graphql::Enum;
use kernel::db::DbEnum;

/// The kind of interaction.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityType {
    Call,
    Email,
    Meeting,
    Note,
    Other,
}

impl DbEnum for ActivityType {
    const VALUES: &'static [Self] = &[
        Self::Call,
        Self::Email,
        Self::Meeting,
        Self::Note,
        Self::Other,
    ];

    fn as_db(self) -> &'static str {
        match self {
            Self::Call => "call",
            Self::Email => "email",
            Self::Meeting => "meeting",
            Self::Note => "note",
            Self::Other => "other",
        }
    }
}
