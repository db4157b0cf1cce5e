//! Benchmark-sized data (`crm seed --scale`): 50 organizations with 10 users each and, per
//! organization, 200 companies, 2,000 contacts (tags, statuses), 600 opportunities and 6,000
//! activities: 10,000 / 100,000 / 30,000 / 300,000 in all. Names, values and links come from
//! a fixed seed per organization, so every run generates the same data (ids and timestamps are
//! new). Written with the bulk inserts of the import (`kernel::db::insert_all`), one
//! transaction per organization; organizations already present are left as they are. The
//! database's statistics are refreshed at the end.
//! `--scale-factor` shrinks every count (CI seeds a tiny version on SQLite).

use crm_core::crm::demo::{CrmVolume, seed_crm};
use identity::IdentityState;
use identity::entity::user;
use identity::organizations::service::{NewOrganization, create_organization, find_by_slug};
use kernel::db::{DbEnum, insert_all, now};
use kernel::{AppError, AuthContext, Role};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::progress::Progress;

/// Every scale user's password.
pub const SCALE_PASSWORD: &str = "scale-password-1";
/// The random seed the data derives from (plus the organization's number).
const SCALE_SEED: u64 = 0x5ca1_e000_0000_0001;

/// How much data `crm seed --scale` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScaleSizes {
    pub organizations: usize,
    pub users_per_organization: usize,
    pub per_organization: CrmVolume,
}

impl ScaleSizes {
    /// The benchmark's data set.
    pub const FULL: Self = Self {
        organizations: 50,
        users_per_organization: 10,
        per_organization: CrmVolume {
            companies: 200,
            contacts: 2_000,
            leads: 40,
            opportunities: 600,
            activities: 6_000,
            notes: 100,
        },
    };

    /// Every total times `factor`: the organizations are `factor` times as many (at least one,
    /// rounded up), and each holds its share of every total, so that 0.02 is one full-sized
    /// organization and 2.0 is 100 (at least one user, company and contact each).
    pub fn scaled(factor: f64) -> Self {
        let factor = factor.max(0.0);
        let organizations = ((Self::FULL.organizations as f64 * factor).ceil() as usize).max(1);
        let share = |per_organization: usize, at_least: usize| {
            // Counts are small enough for f64 to hold exactly.
            let total = (per_organization * Self::FULL.organizations) as f64 * factor;
            ((total / organizations as f64).round() as usize).max(at_least)
        };
        let full = Self::FULL.per_organization;
        Self {
            organizations,
            users_per_organization: share(Self::FULL.users_per_organization, 1),
            per_organization: CrmVolume {
                companies: share(full.companies, 1),
                contacts: share(full.contacts, 1),
                leads: share(full.leads, 0),
                opportunities: share(full.opportunities, 0),
                activities: share(full.activities, 0),
                notes: share(full.notes, 0),
            },
        }
    }

    /// Contacts over all organizations.
    pub fn total_contacts(&self) -> usize {
        self.organizations * self.per_organization.contacts
    }
}

/// The administrator of scale organization `n`.
pub fn admin_email(n: usize) -> String {
    format!("admin@scale-{n:02}.example")
}

/// What seeding wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaleReport {
    /// Organizations created by this run.
    pub created: usize,
    /// Organizations that were there already.
    pub present: usize,
}

/// Seeds `sizes` of scale data (see the module documentation).
pub async fn seed_scale(core: &IdentityState, sizes: ScaleSizes) -> anyhow::Result<ScaleReport> {
    let store = core.store();
    let mut report = ScaleReport {
        created: 0,
        present: 0,
    };
    let mut progress = Progress::new("organizations", sizes.organizations);
    for n in 0..sizes.organizations {
        let contacts = n * sizes.per_organization.contacts;
        progress.update(n, &format!("{contacts} contacts"));
        let name = format!("Scale Org {n:02}");
        if find_by_slug(&store.db, &format!("scale-org-{n:02}"))
            .await
            .map_err(app)?
            .is_some()
        {
            report.present += 1;
            continue;
        }
        let (organization, admin) = create_organization(
            core,
            NewOrganization {
                name,
                email: admin_email(n),
                password: SCALE_PASSWORD.into(),
                first_name: "Scale".into(),
                last_name: format!("Admin {n:02}"),
                role: Role::Admin,
            },
        )
        .await
        .map_err(app)?;
        // The other users share the admin's password hash: hashing 500 passwords would take
        // longer than writing everything else.
        let roles = [
            Role::SalesRep,
            Role::SalesRep,
            Role::Manager,
            Role::Marketing,
        ];
        let at = now();
        let others: Vec<user::Model> = (1..sizes.users_per_organization)
            .map(|k| user::Model {
                id: Uuid::now_v7(),
                email: format!("user{k:02}@scale-{n:02}.example"),
                first_name: "Scale".into(),
                last_name: format!("User {k:02}"),
                role: roles[k % roles.len()].as_db().to_owned(),
                last_login: None,
                created_at: at,
                updated_at: at,
                ..admin.clone()
            })
            .collect();
        insert_all::<user::Entity>(&store.db, &others).await?;
        let people: Vec<Uuid> = std::iter::once(admin.id)
            .chain(others.iter().map(|u| u.id))
            .collect();
        let auth = AuthContext {
            user_id: admin.id,
            organization_id: organization.id,
            role: Role::Admin,
        };
        seed_crm(
            store,
            &auth,
            &people,
            sizes.per_organization,
            SCALE_SEED.wrapping_add(n as u64),
        )
        .await
        .map_err(app)?;
        report.created += 1;
    }
    progress.update(
        sizes.organizations,
        &format!("{} contacts", sizes.total_contacts()),
    );
    if report.created > 0 {
        // Fresh statistics, so that the first benchmark run gets the plans the indexes allow
        // rather than those of an empty table (autovacuum would catch up only minutes later).
        store.db.execute_unprepared("ANALYZE").await?;
    }
    Ok(report)
}

fn app(error: AppError) -> anyhow::Error {
    anyhow::anyhow!("{}", error.message())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_full_set_has_the_issue_s_totals() {
        let full = ScaleSizes::FULL;
        let total = |per: usize| per * full.organizations;
        assert_eq!(full.organizations * full.users_per_organization, 500);
        assert_eq!(total(full.per_organization.companies), 10_000);
        assert_eq!(total(full.per_organization.contacts), 100_000);
        assert_eq!(total(full.per_organization.opportunities), 30_000);
        assert_eq!(total(full.per_organization.activities), 300_000);
        assert_eq!(ScaleSizes::scaled(1.0), full);
    }

    #[test]
    fn a_factor_scales_the_totals_not_their_square() {
        let totals = |sizes: ScaleSizes| {
            (
                sizes.organizations,
                sizes.organizations * sizes.users_per_organization,
                sizes.organizations * sizes.per_organization.companies,
                sizes.total_contacts(),
                sizes.organizations * sizes.per_organization.opportunities,
            )
        };
        assert_eq!(totals(ScaleSizes::scaled(0.02)), (1, 10, 200, 2_000, 600));
        assert_eq!(
            totals(ScaleSizes::scaled(2.0)),
            (100, 1_000, 20_000, 200_000, 60_000)
        );
        // 0.05: three organizations holding 5% of everything, users besides the admins.
        let small = ScaleSizes::scaled(0.05);
        assert_eq!(small.organizations, 3);
        assert_eq!(small.users_per_organization, 8);
        assert!((4_900..=5_100).contains(&small.total_contacts()));
    }

    #[test]
    fn a_tiny_factor_keeps_at_least_one_of_what_others_need() {
        let tiny = ScaleSizes::scaled(0.000_001);
        assert_eq!(tiny.organizations, 1);
        assert_eq!(tiny.users_per_organization, 1);
        assert_eq!(tiny.per_organization.companies, 1);
        assert_eq!(tiny.per_organization.contacts, 1);
        assert_eq!(tiny.per_organization.activities, 0);
    }
}
