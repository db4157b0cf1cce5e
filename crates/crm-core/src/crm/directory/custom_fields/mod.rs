//! Custom fields: per-organization definitions of extra fields on contacts, companies, leads and
//! opportunities, and the one validator every write of `customFields` goes through.

pub mod graphql;
pub mod service;

use async_graphql::Enum;
use kernel::db::DbEnum;

pub use service::validate_custom_fields;

/// The kinds of objects that carry custom fields.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CustomFieldEntity {
    Contact,
    Company,
    Lead,
    Opportunity,
}

impl DbEnum for CustomFieldEntity {
    const VALUES: &'static [Self] = &[Self::Contact, Self::Company, Self::Lead, Self::Opportunity];

    fn as_db(self) -> &'static str {
        match self {
            Self::Contact => "contact",
            Self::Company => "company",
            Self::Lead => "lead",
            Self::Opportunity => "opportunity",
        }
    }
}

/// The type of a custom field's values.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CustomFieldType {
    /// Text of at most 10,000 characters.
    Text,
    /// A JSON number.
    Number,
    /// A calendar date `YYYY-MM-DD`.
    Date,
    /// `true` or `false`.
    Boolean,
    /// One of the field's options.
    Select,
    /// A list of the field's options.
    MultiSelect,
    /// An http(s) URL.
    Url,
    /// An e-mail address (stored in lower case).
    Email,
}

impl DbEnum for CustomFieldType {
    const VALUES: &'static [Self] = &[
        Self::Text,
        Self::Number,
        Self::Date,
        Self::Boolean,
        Self::Select,
        Self::MultiSelect,
        Self::Url,
        Self::Email,
    ];

    fn as_db(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Number => "number",
            Self::Date => "date",
            Self::Boolean => "boolean",
            Self::Select => "select",
            Self::MultiSelect => "multi_select",
            Self::Url => "url",
            Self::Email => "email",
        }
    }
}

impl CustomFieldType {
    /// Whether values are chosen from the definition's options.
    pub fn has_options(self) -> bool {
        matches!(self, Self::Select | Self::MultiSelect)
    }
}
