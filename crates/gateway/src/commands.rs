//! What each subcommand does.
#![allow(
    clippy::print_stdout,
    reason = "what the subcommands print is their interface"
)]

use anyhow::Context;
use identity::entity::organization;
use identity::organizations::service::{
    NewOrganization, create_organization, find_by_slug_or_name,
};
use identity::rate_limit::RateLimits;
use identity::users::service::create_user_trusted;
use kernel::Role;
use kernel::object::TenantObject;
use migration::{Migrator, MigratorTrait};
use tokio::net::TcpListener;

use crate::cli::Command;
use crate::config::{Config, LogFormat};
use crate::db::{PoolSettings, connect};
use crate::db_check::check_connection;
use crate::http::cors::CorsSettings;
use crate::limits::QueryLimits;
use crate::scale::{SCALE_PASSWORD, ScaleSizes, admin_email, seed_scale};
use crate::seed::{Seeded, is_empty, seed_demo};
use crate::server::{AppSettings, build_state, run, shutdown_signal, survive_file_size_limit};

/// Runs a subcommand.
pub async fn execute(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Schema => {
            print!("{}", crate::schema::sdl());
            Ok(())
        }
        Command::Serve => serve(config).await,
        Command::Migrate { down } => {
            let db = open(&config).await?;
            match down {
                Some(steps) => Migrator::down(&db, Some(steps))
                    .await
                    .context("rolling back")?,
                None => Migrator::up(&db, None).await.context("migrating")?,
            }
            println!("migrations: done");
            Ok(())
        }
        Command::Seed {
            scale: false,
            scale_factor: _,
        } => {
            let state = prepared_state(&config).await?;
            match seed_demo(&state.core).await? {
                Seeded::Created { email, password } => {
                    println!("demo organization created: sign in as {email} / {password}");
                }
                Seeded::AlreadyPresent => println!("demo organization already present"),
            }
            Ok(())
        }
        Command::Seed {
            scale: true,
            scale_factor,
        } => {
            let state = prepared_state(&config).await?;
            let sizes = ScaleSizes::scaled(scale_factor);
            let started = std::time::Instant::now();
            let report = seed_scale(&state.core, sizes).await?;
            println!(
                "scale data: {} organizations created, {} already present, in {:.1} s",
                report.created,
                report.present,
                started.elapsed().as_secs_f64()
            );
            // Only the logins that exist: a tiny factor leaves the administrators alone.
            let users = if sizes.users_per_organization > 1 {
                " (and users user01@scale-NN.example ..)"
            } else {
                ""
            };
            println!(
                "sign in as {} .. {}{users} with {SCALE_PASSWORD}, \
                 or print a token: crm token --email {}",
                admin_email(0),
                admin_email(sizes.organizations.saturating_sub(1)),
                admin_email(0)
            );
            Ok(())
        }
        Command::Token { email } => {
            // Read-only: a token for a database as it is, never a migration as a side effect.
            let state = build_state(open(&config).await?, &settings(&config)?);
            for email in email {
                let token = access_token(&state.core, &email).await?;
                println!("{token}");
            }
            Ok(())
        }
        Command::CreateAdmin {
            email,
            password,
            super_admin,
            organization,
            create_organization: create_missing,
            first_name,
            last_name,
        } => {
            let state = prepared_state(&config).await?;
            let role = if super_admin {
                Role::SuperAdmin
            } else {
                Role::Admin
            };
            let store = state.core.store();
            // Naming an organization means an existing one, unless asked to create it; with
            // none named, the platform's own organization is used (created the first time).
            let (create, name) = match organization {
                Some(name) => (create_missing, name),
                None => (true, PLATFORM_ORGANIZATION.to_owned()),
            };
            let (organization, user) = match find_by_slug_or_name(&store.db, &name)
                .await
                .map_err(describe)?
            {
                Some(organization) => {
                    let user = create_user_trusted(
                        store,
                        organization::Entity::scope_of(&organization),
                        &email,
                        password,
                        &first_name,
                        &last_name,
                        role,
                    )
                    .await
                    .map_err(describe)?;
                    (organization, user)
                }
                None if create => create_organization(
                    &state.core,
                    NewOrganization {
                        name,
                        email,
                        password,
                        first_name,
                        last_name,
                        role,
                    },
                )
                .await
                .map_err(describe)?,
                None => anyhow::bail!(
                    "no organization has the slug or name `{name}`; check `--organization`, or add --create-organization to create it"
                ),
            };
            println!(
                "created {} {} ({}) in organization {} ({})",
                if super_admin { "SUPER_ADMIN" } else { "ADMIN" },
                user.email,
                user.id,
                organization.name,
                organization.slug
            );
            Ok(())
        }
        Command::CreateOrganization {
            name,
            admin_email,
            admin_password,
            first_name,
            last_name,
        } => {
            let state = prepared_state(&config).await?;
            let (organization, user) = create_organization(
                &state.core,
                NewOrganization {
                    name,
                    email: admin_email,
                    password: admin_password,
                    first_name,
                    last_name,
                    role: Role::Admin,
                },
            )
            .await
            .map_err(describe)?;
            println!(
                "created organization {} ({}, {}) with ADMIN {} ({})",
                organization.name, organization.slug, organization.id, user.email, user.id
            );
            Ok(())
        }
    }
}

/// Where `create-admin` puts administrators when no organization is named.
const PLATFORM_ORGANIZATION: &str = "Administration";

fn describe(error: kernel::AppError) -> anyhow::Error {
    match error {
        kernel::AppError::Internal(cause) => cause,
        other => anyhow::anyhow!(other.message()),
    }
}

async fn open(config: &Config) -> anyhow::Result<sea_orm::DatabaseConnection> {
    let url = config.database_url()?;
    check_connection(&url).await?;
    connect(
        &url,
        &PoolSettings {
            max_connections: config.db_max_connections,
            acquire_timeout: config.db_acquire_timeout(),
        },
    )
    .await
}

/// Migrations run over one dedicated connection: schema changes on SQLite must not meet another
/// pooled connection's open statement ("database table is locked").
async fn migration_connection(config: &Config) -> anyhow::Result<sea_orm::DatabaseConnection> {
    let url = config.database_url()?;
    check_connection(&url).await?;
    let settings = PoolSettings {
        max_connections: 1,
        ..PoolSettings::default()
    };
    connect(&url, &settings).await
}

/// Applies pending migrations, then closes the migration connection.
async fn migrate(config: &Config) -> anyhow::Result<()> {
    let db = migration_connection(config).await?;
    Migrator::up(&db, None).await.context("migrating")?;
    db.close().await.ok();
    Ok(())
}

fn settings(config: &Config) -> anyhow::Result<AppSettings> {
    Ok(AppSettings {
        production: config.is_production(),
        playground: config.playground_enabled(),
        jwt_secret: config.jwt_secret()?,
        rate_limits: RateLimits::default(),
        limits: QueryLimits::default(),
        allow_registration: config.allow_registration(),
        metrics_token: config.metrics_token.clone(),
        cors: CorsSettings::from_config(
            config.cors_origins.as_deref(),
            config.cors_credentials,
            config.is_production(),
        )?,
    })
}

async fn prepared_state(config: &Config) -> anyhow::Result<crate::AppState> {
    let settings = settings(config)?;
    migrate(config).await?;
    let db = open(config).await?;
    Ok(build_state(db, &settings))
}

async fn serve(config: Config) -> anyhow::Result<()> {
    survive_file_size_limit();
    let state = prepared_state(&config).await?;
    if config.seed_demo()
        && is_empty(&state.core).await?
        && let Seeded::Created { email, password } = seed_demo(&state.core).await?
    {
        tracing::info!(%email, %password, "seeded the demo organization; sign in with these");
        // With JSON logs every line a collector reads is JSON: the log line above says it.
        if config.log_format != LogFormat::Json {
            println!("Demo organization ready. Sign in as {email} / {password}");
        }
    }
    let listener = TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("binding {}", config.bind))?;
    tracing::info!(address = %config.bind, playground = config.playground_enabled(), "listening");
    if config.log_format != LogFormat::Json {
        let playground = if config.playground_enabled() {
            format!(" (GraphiQL at http://{}/)", config.bind)
        } else {
            String::new()
        };
        println!(
            "CRM GraphQL API on http://{}/graphql{playground}",
            config.bind
        );
    }
    run(
        listener,
        state,
        shutdown_signal(),
        config.shutdown_timeout(),
    )
    .await
}

/// A fresh access token for the active user with this e-mail.
#[expect(
    clippy::disallowed_methods,
    reason = "operators issue a token for an account by its e-mail, whatever its organization"
)]
async fn access_token(core: &identity::IdentityState, email: &str) -> anyhow::Result<String> {
    use identity::entity::user;
    use kernel::db::DbEnum;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let found = user::Entity::find()
        .filter(user::Column::Email.eq(email.trim().to_lowercase()))
        .one(&core.store().db)
        .await?
        .filter(|u| u.is_active)
        .with_context(|| format!("no active user with e-mail {email}"))?;
    let role =
        Role::from_db(&found.role).with_context(|| format!("unknown role {}", found.role))?;
    core.tokens()
        .issue(found.id, found.organization_id, role, found.session_version)
        .map_err(describe)
}
