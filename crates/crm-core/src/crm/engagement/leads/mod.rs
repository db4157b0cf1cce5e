//! Leads: prospective customers before qualification, and their conversion into a contact,
//! a company and an opportunity.

pub mod conversion;
pub mod graphql;
pub mod service;

use async_graphql::Enum;
use kernel::db::DbEnum;

/// Where a lead stands in qualification.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadStatus {
    /// Newly created.
    New,
    /// Initial contact made.
    Contacted,
    /// Responding to outreach.
    Engaged,
    /// Meets the qualification criteria.
    Qualified,
    /// Converted into a contact (and usually an opportunity); set only by `convertLead`.
    Converted,
    /// Does not meet the criteria.
    Disqualified,
    /// Long-term nurture.
    Nurturing,
}

impl DbEnum for LeadStatus {
    const VALUES: &'static [Self] = &[
        Self::New,
        Self::Contacted,
        Self::Engaged,
        Self::Qualified,
        Self::Converted,
        Self::Disqualified,
        Self::Nurturing,
    ];

    fn as_db(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Contacted => "contacted",
            Self::Engaged => "engaged",
            Self::Qualified => "qualified",
            Self::Converted => "converted",
            Self::Disqualified => "disqualified",
            Self::Nurturing => "nurturing",
        }
    }
}

/// Where a lead came from.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadSource {
    /// Website form.
    Website,
    /// Customer or partner referral.
    Referral,
    /// Outbound call.
    ColdCall,
    /// Outbound e-mail.
    ColdEmail,
    /// Trade show or conference.
    Event,
    /// Social media.
    Social,
    /// Paid advertising.
    PaidAds,
    /// Organic search.
    Organic,
    /// Partner channel.
    Partner,
    /// Anything else.
    Other,
}

impl DbEnum for LeadSource {
    const VALUES: &'static [Self] = &[
        Self::Website,
        Self::Referral,
        Self::ColdCall,
        Self::ColdEmail,
        Self::Event,
        Self::Social,
        Self::PaidAds,
        Self::Organic,
        Self::Partner,
        Self::Other,
    ];

    fn as_db(self) -> &'static str {
        match self {
            Self::Website => "website",
            Self::Referral => "referral",
            Self::ColdCall => "cold_call",
            Self::ColdEmail => "cold_email",
            Self::Event => "event",
            Self::Social => "social",
            Self::PaidAds => "paid_ads",
            Self::Organic => "organic",
            Self::Partner => "partner",
            Self::Other => "other",
        }
    }
}
