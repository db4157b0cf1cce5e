//! Demo data for a first look: one organization with a team, users of each staff role, and a
//! realistic CRM (companies, contacts, leads, deals over two pipelines, activities, segments).

use identity::IdentityState;
use identity::entity::organization;
use identity::organizations::service::{NewOrganization, create_organization, find_by_slug};
use identity::teams::service::{NewTeam, create_team};
use identity::users::service::{UserUpdate, create_user_trusted, update_user};
use kernel::object::TenantObject;
use kernel::{AppError, AuthContext, Role};
use sea_orm::{EntityTrait, PaginatorTrait};

/// The demo organization's sign-in.
pub const DEMO_EMAIL: &str = "admin@demo.example";
/// The demo password (development only; the demo is never seeded in production by default).
pub const DEMO_PASSWORD: &str = "demo-password-1";
const DEMO_ORGANIZATION: &str = "Demo Company";

/// What seeding did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seeded {
    Created { email: String, password: String },
    AlreadyPresent,
}

/// Seeds the demo organization unless it exists.
pub async fn seed_demo(core: &IdentityState) -> anyhow::Result<Seeded> {
    let store = core.store();
    if find_by_slug(&store.db, "demo-company")
        .await
        .map_err(app)?
        .is_some()
    {
        return Ok(Seeded::AlreadyPresent);
    }
    let (organization, admin) = create_organization(
        core,
        NewOrganization {
            name: DEMO_ORGANIZATION.into(),
            email: DEMO_EMAIL.into(),
            password: DEMO_PASSWORD.into(),
            first_name: "Ada".into(),
            last_name: "Admin".into(),
            role: Role::Admin,
        },
    )
    .await
    .map_err(app)?;
    let scope = organization::Entity::scope_of(&organization);
    let auth = AuthContext {
        user_id: admin.id,
        organization_id: organization.id,
        role: Role::Admin,
    };
    let sales = create_team(
        store,
        &auth,
        NewTeam {
            name: "Sales".into(),
            description: Some("New business".into()),
            lead_id: None,
        },
    )
    .await
    .map_err(app)?;
    let people = [
        (
            "maria.manager@demo.example",
            "Maria",
            "Manager",
            Role::Manager,
        ),
        ("sam.sales@demo.example", "Sam", "Seller", Role::SalesRep),
        ("rita.rep@demo.example", "Rita", "Rep", Role::SalesRep),
        (
            "mark.marketing@demo.example",
            "Mark",
            "Marketer",
            Role::Marketing,
        ),
        (
            "olga.observer@demo.example",
            "Olga",
            "Observer",
            Role::Readonly,
        ),
    ];
    let mut manager_id = None;
    let mut owners = vec![admin.id];
    for (email, first, last, role) in people {
        let user =
            create_user_trusted(store, scope, email, DEMO_PASSWORD.into(), first, last, role)
                .await
                .map_err(app)?;
        let update = UserUpdate {
            team_id: async_graphql::MaybeUndefined::Value(sales.id),
            manager_id: manager_id.map_or(
                async_graphql::MaybeUndefined::Undefined,
                async_graphql::MaybeUndefined::Value,
            ),
            ..UserUpdate::default()
        };
        update_user(core, &auth, user.id, update)
            .await
            .map_err(app)?;
        if role == Role::Manager {
            manager_id = Some(user.id);
        }
        if matches!(role, Role::Manager | Role::SalesRep) {
            owners.push(user.id);
        }
    }
    crm_core::crm::demo::seed_demo_crm(store, &auth, &owners)
        .await
        .map_err(app)?;
    Ok(Seeded::Created {
        email: DEMO_EMAIL.into(),
        password: DEMO_PASSWORD.into(),
    })
}

/// Whether the database has no organization yet.
#[expect(
    clippy::disallowed_methods,
    reason = "whether any organization exists at all"
)]
pub async fn is_empty(core: &IdentityState) -> anyhow::Result<bool> {
    let count = identity::entity::organization::Entity::find()
        .count(&core.store().db)
        .await?;
    Ok(count == 0)
}

fn app(error: AppError) -> anyhow::Error {
    match error {
        AppError::Internal(cause) => cause,
        other => anyhow::anyhow!(other.message()),
    }
}
