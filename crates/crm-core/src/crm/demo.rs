//! Realistic demo data for the demo organization: about 50 companies, 300 contacts, 40 leads,
//! 60 opportunities over two pipelines with stage history, activities over the last 90 days,
//! notes, tags and two segments. Deterministic (a fixed-seed generator), written in one
//! audited transaction with multi-row inserts.

use chrono::{Duration, Utc};
use identity::audit::Tx;
use kernel::db::{insert_all, now};
use kernel::object::TenantTable;
use kernel::{AppResult, AuthContext, Store};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

use crate::crm::bootstrap::seed_pipeline;
use crate::entity::{
    activity, company, contact, contact_status, contact_tag, lead, note, opportunity, pipeline,
    segment, segment_member, stage, stage_history, tag,
};

/// A small deterministic generator (xorshift), so the demo is the same on every machine.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const FIRST_NAMES: [&str; 40] = [
    "Ada", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kira",
    "Liam", "Mona", "Nico", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Viktor",
    "Wen", "Xavier", "Yara", "Zane", "Aisha", "Bruno", "Chloe", "Dmitri", "Eva", "Finn", "Greta",
    "Hiro", "Isla", "Jae", "Lena", "Marco", "Nora", "Omar",
];
const LAST_NAMES: [&str; 30] = [
    "Schmidt", "Garcia", "Rossi", "Novak", "Kowalski", "Silva", "Dubois", "Jensen", "Tanaka",
    "Okafor", "Müller", "Fischer", "Lopez", "Nielsen", "Costa", "Horvat", "Berg", "Klein",
    "Moreau", "Weber", "Ivanova", "Park", "Haddad", "Ng", "Patel", "Smith", "Brown", "Wilson",
    "Martin", "Lee",
];
const COMPANY_WORDS: [&str; 25] = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Hooli",
    "Vandelay",
    "Soylent",
    "Tyrell",
    "Cyberdyne",
    "Wonka",
    "Aperture",
    "Gringotts",
    "Oscorp",
    "Pied Piper",
    "Massive",
    "Nakatomi",
    "Virtucon",
    "Monarch",
    "Sirius",
    "Blue Sun",
    "Axiom",
    "Zenith",
    "Orbital",
];
const COMPANY_SUFFIXES: [&str; 5] = ["GmbH", "Inc", "Ltd", "Group", "Labs"];
const INDUSTRIES: [&str; 8] = [
    "Software",
    "Manufacturing",
    "Retail",
    "Finance",
    "Healthcare",
    "Logistics",
    "Energy",
    "Media",
];
const CITIES: [(&str, &str); 10] = [
    ("Berlin", "DE"),
    ("Munich", "DE"),
    ("Paris", "FR"),
    ("Madrid", "ES"),
    ("Milan", "IT"),
    ("Amsterdam", "NL"),
    ("London", "GB"),
    ("New York", "US"),
    ("Austin", "US"),
    ("Toronto", "CA"),
];
const JOB_TITLES: [&str; 8] = [
    "CEO",
    "CTO",
    "Head of Sales",
    "Procurement Manager",
    "Marketing Lead",
    "Operations Director",
    "Engineer",
    "CFO",
];
const TAGS: [&str; 6] = [
    "Vip",
    "Newsletter",
    "Decision Maker",
    "Partner",
    "Churn Risk",
    "Event 2026",
];
const SOURCES: [&str; 6] = [
    "website",
    "referral",
    "event",
    "cold_email",
    "social",
    "partner",
];
const LIFECYCLE: [&str; 5] = [
    "subscriber",
    "lead",
    "marketing_qualified",
    "sales_qualified",
    "customer",
];
const LEAD_STATUSES: [&str; 6] = [
    "new",
    "contacted",
    "engaged",
    "qualified",
    "nurturing",
    "disqualified",
];
const ACTIVITY_TYPES: [&str; 5] = ["call", "email", "meeting", "note", "other"];
const SUBJECTS: [&str; 8] = [
    "Intro call",
    "Sent proposal",
    "Demo of the platform",
    "Follow-up e-mail",
    "Pricing discussion",
    "Quarterly review",
    "Contract questions",
    "Onboarding check-in",
];

/// How much CRM data [`seed_crm`] writes into one organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrmVolume {
    pub companies: usize,
    pub contacts: usize,
    pub leads: usize,
    pub opportunities: usize,
    pub activities: usize,
    pub notes: usize,
}

impl CrmVolume {
    /// The demo organization: a realistic first look.
    pub const DEMO: Self = Self {
        companies: 50,
        contacts: 300,
        leads: 40,
        opportunities: 60,
        activities: 600,
        notes: 40,
    };
}

/// Fills the organization with demo CRM data, owned by the given users (the first is the admin).
pub async fn seed_demo_crm(store: &Store, admin: &AuthContext, people: &[Uuid]) -> AppResult<()> {
    seed_crm(store, admin, people, CrmVolume::DEMO, 0x5eed_c0ff_ee00_1234).await
}

/// Fills the organization with `volume` of generated CRM data, owned by the given users (the
/// first is the admin), in one transaction. The same `seed` gives the same names, values and
/// links (ids and timestamps are new on every run).
pub async fn seed_crm(
    store: &Store,
    admin: &AuthContext,
    people: &[Uuid],
    volume: CrmVolume,
    seed: u64,
) -> AppResult<()> {
    let org = admin.organization_id;
    // xorshift must not start at zero.
    let mut dice = Dice(seed.max(1));
    let at = now();
    let owners: Vec<Uuid> = if people.is_empty() {
        vec![admin.user_id]
    } else {
        people.to_vec()
    };
    let mut tx = Tx::begin(store, admin).await?;

    let statuses = contact_status::Entity::scoped(admin.scope())
        .order_by_asc(contact_status::Column::Position)
        .all(tx.db())
        .await?;
    let status_ids: Vec<Uuid> = statuses.iter().map(|s| s.id).collect();

    let tags: Vec<tag::Model> = TAGS
        .iter()
        .map(|name| tag::Model {
            id: Uuid::now_v7(),
            organization_id: org,
            name: (*name).into(),
            color: None,
            created_at: at,
            updated_at: at,
        })
        .collect();
    tx.insert_created::<tag::Entity>(&tags).await?;

    let mut companies = Vec::new();
    for n in 0..volume.companies {
        let word = COMPANY_WORDS[n % COMPANY_WORDS.len()];
        let suffix = COMPANY_SUFFIXES[(n / COMPANY_WORDS.len() + n) % COMPANY_SUFFIXES.len()];
        // Beyond the demo's fifty the word pairs repeat; a number keeps names and domains unique.
        let name = if n < CrmVolume::DEMO.companies {
            format!("{word} {suffix}")
        } else {
            format!("{word} {suffix} {n}")
        };
        let (city, country) = *dice.pick(&CITIES);
        let slug: String = name
            .to_lowercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        companies.push(company::Model {
            id: Uuid::now_v7(),
            organization_id: org,
            name,
            domain: Some(format!("{slug}.example")),
            industry: Some((*dice.pick(&INDUSTRIES)).into()),
            company_size: Some(
                (*dice.pick(&[
                    "size_11_50",
                    "size_51_200",
                    "size_201_500",
                    "size_1001_5000",
                ]))
                .into(),
            ),
            annual_revenue: Some(Decimal::from(dice.below(500) as i64 * 100_000 + 250_000)),
            founded_year: Some(1960 + dice.below(64) as i32),
            description: None,
            logo_url: None,
            website: Some(format!("https://{slug}.example")),
            linkedin_url: None,
            address_line1: None,
            city: Some(city.into()),
            state: None,
            country: Some(country.into()),
            phone: None,
            employee_count: Some(10 + dice.below(5000) as i32),
            company_type: Some((*dice.pick(&["prospect", "customer", "partner"])).into()),
            tier: None,
            health_score: Some(40 + dice.below(60) as i32),
            custom_fields: json!({}),
            owner_id: Some(*dice.pick(&owners)),
            created_at: at - Duration::days(dice.below(365) as i64),
            updated_at: at,
            deleted_at: None,
        });
    }
    tx.insert_created::<company::Entity>(&companies).await?;

    let mut contacts = Vec::new();
    let mut links = Vec::new();
    for n in 0..volume.contacts {
        let first = FIRST_NAMES[n % FIRST_NAMES.len()];
        let last = LAST_NAMES[(n * 7 + n / 40) % LAST_NAMES.len()];
        let company = &companies[dice.below(companies.len())];
        let id = Uuid::now_v7();
        for tag in &tags {
            if dice.chance(15) {
                links.push(contact_tag::Model {
                    organization_id: org,
                    contact_id: id,
                    tag_id: tag.id,
                    created_at: at,
                });
            }
        }
        let domain = company.domain.clone().unwrap_or_default();
        contacts.push(contact::Model {
            id,
            organization_id: org,
            first_name: first.into(),
            last_name: Some(last.into()),
            email: Some(format!(
                "{}.{}{}@{domain}",
                first.to_lowercase(),
                last.to_lowercase().replace('ü', "ue"),
                n
            )),
            phone: Some(format!("+49 30 {:07}", dice.below(10_000_000))),
            mobile: None,
            company: Some(company.name.clone()),
            job_title: Some((*dice.pick(&JOB_TITLES)).into()),
            department: None,
            website: None,
            linkedin_url: None,
            twitter_handle: None,
            address_line1: None,
            address_line2: None,
            city: company.city.clone(),
            state: None,
            postal_code: None,
            country: company.country.clone(),
            status_id: status_ids.get(dice.below(status_ids.len())).copied(),
            source: Some((*dice.pick(&SOURCES)).into()),
            lifecycle_stage: Some((*dice.pick(&LIFECYCLE)).into()),
            score: Some(dice.below(101) as i32),
            custom_fields: json!({}),
            company_id: Some(company.id),
            traffic_source_id: None,
            last_activity_at: None,
            owner_id: Some(*dice.pick(&owners)),
            assigned_to_id: dice.chance(30).then(|| *dice.pick(&owners)),
            portal_user_id: None,
            created_at: at - Duration::days(dice.below(200) as i64),
            updated_at: at,
            deleted_at: None,
        });
    }

    let mut leads = Vec::new();
    for n in 0..volume.leads {
        let first = FIRST_NAMES[(n * 3 + 5) % FIRST_NAMES.len()];
        let last = LAST_NAMES[(n * 11 + 3) % LAST_NAMES.len()];
        let company = format!(
            "{} {}",
            COMPANY_WORDS[(n * 2 + 1) % COMPANY_WORDS.len()],
            "Prospects"
        );
        leads.push(lead::Model {
            id: Uuid::now_v7(),
            organization_id: org,
            name: Some(format!("{first} {last} at {company}")),
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            email: Some(format!(
                "{}.{}.lead{n}@prospect.example",
                first.to_lowercase(),
                last.to_lowercase().replace('ü', "ue")
            )),
            phone: None,
            company: Some(company),
            job_title: Some((*dice.pick(&JOB_TITLES)).into()),
            website: None,
            source: Some((*dice.pick(&SOURCES)).into()),
            source_detail: None,
            status: (*dice.pick(&LEAD_STATUSES)).into(),
            substatus: None,
            score: Some(dice.below(101) as i32),
            score_breakdown: None,
            grade: Some((*dice.pick(&["A", "B", "C", "D"])).into()),
            estimated_value: Some(Decimal::from(5_000 + dice.below(95) as i64 * 1_000)),
            currency: Some("EUR".into()),
            probability: Some(Decimal::from(dice.below(80) as i64 + 10)),
            utm_source: None,
            utm_medium: None,
            utm_campaign: None,
            referrer_url: None,
            landing_page: None,
            notes: None,
            tags: json!([]),
            custom_fields: json!({}),
            converted_contact_id: None,
            converted_opportunity_id: None,
            campaign_id: None,
            last_activity_at: None,
            first_responded_at: None,
            qualified_at: None,
            converted_at: None,
            owner_id: Some(*dice.pick(&owners)),
            assigned_to_id: None,
            created_at: at - Duration::days(dice.below(60) as i64),
            updated_at: at,
            deleted_at: None,
        });
    }

    // Two pipelines: the default one and a partnerships pipeline.
    let default_pipeline = pipeline::Entity::scoped(admin.scope())
        .filter(pipeline::Column::IsDefault.eq(true))
        .one(tx.db())
        .await?;
    let partnerships = seed_pipeline(&mut tx, org, "Partnerships", false).await?;
    let mut pipelines = vec![partnerships];
    if let Some(default) = default_pipeline {
        pipelines.insert(0, default.id);
    }
    let stages = stage::Entity::scoped(admin.scope())
        .filter(stage::Column::PipelineId.is_in(pipelines.clone()))
        .order_by_asc(stage::Column::Position)
        .all(tx.db())
        .await?;

    let mut opportunities = Vec::new();
    let mut history = Vec::new();
    for n in 0..volume.opportunities {
        let pipeline_id = pipelines[n % pipelines.len()];
        let pipeline_stages: Vec<&stage::Model> = stages
            .iter()
            .filter(|s| s.pipeline_id == pipeline_id)
            .collect();
        let Some(stage) = pipeline_stages
            .get(dice.below(pipeline_stages.len()))
            .copied()
        else {
            continue;
        };
        let contact = &contacts[dice.below(contacts.len())];
        let value = Decimal::from(2_000 + dice.below(200) as i64 * 500);
        let probability = Decimal::from(stage.probability);
        let created = at - Duration::days(10 + dice.below(120) as i64);
        let changed = created + Duration::days(dice.below(10) as i64);
        let status = if stage.is_won {
            "won"
        } else if stage.is_lost {
            "lost"
        } else {
            "open"
        };
        let id = Uuid::now_v7();
        history.push(stage_history::Model {
            id: Uuid::now_v7(),
            organization_id: org,
            opportunity_id: id,
            pipeline_id,
            from_stage_id: None,
            to_stage_id: stage.id,
            from_status: None,
            to_status: status.into(),
            probability,
            value,
            seconds_in_previous_stage: None,
            changed_by_id: contact.owner_id,
            changed_at: changed,
        });
        opportunities.push(opportunity::Model {
            id,
            organization_id: org,
            name: format!(
                "{} – {}",
                contact.company.clone().unwrap_or_default(),
                ["Expansion", "Pilot", "Renewal", "New deal"][n % 4]
            ),
            description: None,
            value,
            currency: "EUR".into(),
            probability,
            weighted_value: (value * probability / Decimal::ONE_HUNDRED).round_dp(2),
            expected_close_date: Some(
                (Utc::now() + Duration::days(dice.below(120) as i64)).date_naive(),
            ),
            actual_close_date: (status != "open").then(|| changed.date_naive()),
            pipeline_id,
            stage_id: stage.id,
            contact_id: Some(contact.id),
            company_id: contact.company_id,
            lead_id: None,
            status: status.into(),
            loss_reason: (status == "lost").then(|| "Went with a competitor".into()),
            competitor: None,
            next_step: (status == "open").then(|| "Schedule a follow-up".into()),
            tags: json!([]),
            custom_fields: json!({}),
            last_activity_at: None,
            stage_changed_at: changed,
            owner_id: contact.owner_id,
            created_at: created,
            updated_at: at,
            deleted_at: None,
        });
    }

    let mut activities = Vec::new();
    for _ in 0..volume.activities {
        let Some(contact) = contacts.get_mut(dice.below(volume.contacts)) else {
            break;
        };
        let occurred = at - Duration::minutes(dice.below(90 * 24 * 60) as i64);
        contact.last_activity_at = contact.last_activity_at.max(Some(occurred));
        activities.push(activity::Model {
            id: Uuid::now_v7(),
            organization_id: org,
            activity_type: (*dice.pick(&ACTIVITY_TYPES)).into(),
            subject: (*dice.pick(&SUBJECTS)).into(),
            body: None,
            occurred_at: occurred,
            duration_minutes: Some(5 + dice.below(60) as i32),
            outcome: None,
            contact_id: Some(contact.id),
            company_id: contact.company_id,
            lead_id: None,
            opportunity_id: None,
            author_id: contact.owner_id,
            created_at: occurred,
            updated_at: occurred,
            deleted_at: None,
        });
    }
    let notes: Vec<note::Model> = contacts
        .iter()
        .take(volume.notes)
        .map(|c| note::Model {
            id: Uuid::now_v7(),
            organization_id: org,
            title: Some("Background".into()),
            body: format!(
                "{} prefers e-mail; decision expected this quarter.",
                c.first_name
            ),
            pinned: false,
            contact_id: Some(c.id),
            company_id: None,
            lead_id: None,
            opportunity_id: None,
            author_id: c.owner_id,
            created_at: at,
            updated_at: at,
            deleted_at: None,
        })
        .collect();

    tx.insert_created::<contact::Entity>(&contacts).await?;
    insert_all::<contact_tag::Entity>(tx.db(), &links).await?;
    tx.insert_created::<lead::Entity>(&leads).await?;
    tx.insert_created::<opportunity::Entity>(&opportunities)
        .await?;
    insert_all::<stage_history::Entity>(tx.db(), &history).await?;
    tx.insert_created::<activity::Entity>(&activities).await?;
    tx.insert_created::<note::Entity>(&notes).await?;

    // A dynamic segment (a saved filter) and a static one.
    let dynamic = segment::Model {
        id: Uuid::now_v7(),
        organization_id: org,
        name: "Contacts In Germany".into(),
        description: Some("Every contact whose country is DE".into()),
        kind: "dynamic".into(),
        filter: Some(json!({ "country": { "eq": "DE" } })),
        created_by_id: Some(admin.user_id),
        created_at: at,
        updated_at: at,
        deleted_at: None,
    };
    let key_accounts = segment::Model {
        id: Uuid::now_v7(),
        name: "Key Accounts".into(),
        description: Some("Hand-picked".into()),
        kind: "static".into(),
        filter: None,
        ..dynamic.clone()
    };
    let members: Vec<segment_member::Model> = contacts
        .iter()
        .step_by(30)
        .map(|c| segment_member::Model {
            organization_id: org,
            segment_id: key_accounts.id,
            contact_id: c.id,
            added_at: at,
        })
        .collect();
    tx.insert_created::<segment::Entity>(&[dynamic, key_accounts])
        .await?;
    segment_member::Entity::insert_many(
        members.into_iter().map(IntoActiveModel::into_active_model),
    )
    .exec(tx.db())
    .await?;
    tx.commit().await?;

    Ok(())
}
