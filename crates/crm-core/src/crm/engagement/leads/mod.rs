//! Leads: prospective customers before qualification, and their conversion into a contact,
//! a company and an opportunity.

pub mod conversion;
pub mod graphql;
pub mod service;

kernel::db_enum! {
    /// Where a lead stands in qualification.
    pub enum LeadStatus {
        /// Newly created.
        New = "new",
        /// Initial contact made.
        Contacted = "contacted",
        /// Responding to outreach.
        Engaged = "engaged",
        /// Meets the qualification criteria.
        Qualified = "qualified",
        /// Converted into a contact (and usually an opportunity); set only by `convertLead`.
        Converted = "converted",
        /// Does not meet the criteria.
        Disqualified = "disqualified",
        /// Long-term nurture.
        Nurturing = "nurturing",
    }
}

kernel::db_enum! {
    /// Where a lead came from.
    pub enum LeadSource {
        /// Website form.
        Website = "website",
        /// Customer or partner referral.
        Referral = "referral",
        /// Outbound call.
        ColdCall = "cold_call",
        /// Outbound e-mail.
        ColdEmail = "cold_email",
        /// Trade show or conference.
        Event = "event",
        /// Social media.
        Social = "social",
        /// Paid advertising.
        PaidAds = "paid_ads",
        /// Organic search.
        Organic = "organic",
        /// Partner channel.
        Partner = "partner",
        /// Anything else.
        Other = "other",
    }
}
