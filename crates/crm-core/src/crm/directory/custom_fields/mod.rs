//! Custom fields: per-organization definitions of extra fields on contacts, companies, leads and
//! opportunities, and the one validator every write of `customFields` goes through.

pub mod graphql;
pub mod service;

pub use service::validate_custom_fields;

kernel::db_enum! {
    /// The kinds of objects that carry custom fields.
    pub enum CustomFieldEntity {
        Contact = "contact",
        Company = "company",
        Lead = "lead",
        Opportunity = "opportunity",
    }
}

kernel::db_enum! {
    /// The type of a custom field's values.
    pub enum CustomFieldType {
        /// Text of at most 10,000 characters.
        Text = "text",
        /// A JSON number.
        Number = "number",
        /// A calendar date `YYYY-MM-DD`.
        Date = "date",
        /// `true` or `false`.
        Boolean = "boolean",
        /// One of the field's options.
        Select = "select",
        /// A list of the field's options.
        MultiSelect = "multi_select",
        /// An http(s) URL.
        Url = "url",
        /// An e-mail address (stored in lower case).
        Email = "email",
    }
}

impl CustomFieldType {
    /// Whether values are chosen from the definition's options.
    pub fn has_options(self) -> bool {
        matches!(self, Self::Select | Self::MultiSelect)
    }
}
