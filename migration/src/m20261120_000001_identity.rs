//! Identity, tenancy and audit: organizations and their settings, teams, users, invitations,
//! refresh tokens and the audit log.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
    Name,
    Slug,
    LogoUrl,
    Plan,
    IsActive,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrganizationSettings {
    Table,
    OrganizationId,
    DefaultCurrency,
    Timezone,
    Locale,
    SalesRepVisibility,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
    OrganizationId,
    Name,
    Description,
    LeadId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    OrganizationId,
    Email,
    PasswordHash,
    FirstName,
    LastName,
    Phone,
    AvatarUrl,
    Role,
    JobTitle,
    Department,
    Timezone,
    Locale,
    TeamId,
    ManagerId,
    IsActive,
    IsStaff,
    IsSuperuser,
    LastLogin,
    SessionVersion,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    OrganizationId,
    Email,
    Role,
    FirstName,
    LastName,
    TeamId,
    TokenHash,
    InvitedById,
    ExpiresAt,
    AcceptedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    OrganizationId,
    UserId,
    FamilyId,
    TokenHash,
    ExpiresAt,
    UsedAt,
    RevokedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    OrganizationId,
    ActorId,
    Action,
    EntityType,
    EntityId,
    Before,
    After,
    At,
}

const TEAM_LEAD_FK: &str = "fk_teams_lead";

fn teams_table(with_lead_fk: bool) -> TableCreateStatement {
    let mut table = Table::create()
        .table(Teams::Table)
        .col(id(Teams::Id))
        .col(uuid(Teams::OrganizationId))
        .col(text(Teams::Name, 255))
        .col(ColumnDef::new(Teams::Description).text().null())
        .col(uuid_null(Teams::LeadId))
        .col(timestamp(Teams::CreatedAt))
        .col(timestamp(Teams::UpdatedAt))
        .index(&mut tenant_key("teams"))
        .index(
            Index::create()
                .name("uq_teams_org_name")
                .col(Teams::OrganizationId)
                .col(Teams::Name)
                .unique(),
        )
        .foreign_key(&mut org_fk("fk_teams_org", Teams::Table))
        .to_owned();
    if with_lead_fk {
        table.foreign_key(&mut tenant_fk(
            TEAM_LEAD_FK,
            Teams::Table,
            Teams::LeadId,
            Users::Table,
        ));
    }
    table
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One transaction on every backend (sea-orm-migration skips it on SQLite by default): all
    /// statements then run on one connection, and a failure leaves nothing half-applied.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sqlite = manager.get_database_backend() == DbBackend::Sqlite;

        manager
            .create_table(
                Table::create()
                    .table(Organizations::Table)
                    .col(id(Organizations::Id))
                    .col(text(Organizations::Name, 255))
                    .col(text(Organizations::Slug, 100).unique_key().to_owned())
                    .col(text_null(Organizations::LogoUrl, 500))
                    .col(text(Organizations::Plan, 20).default("starter").to_owned())
                    .col(flag(Organizations::IsActive, true))
                    .col(timestamp(Organizations::CreatedAt))
                    .col(timestamp(Organizations::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_organizations_plan_active",
                Organizations::Table,
                &["plan", "is_active"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrganizationSettings::Table)
                    .col(
                        ColumnDef::new(OrganizationSettings::OrganizationId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(text(OrganizationSettings::DefaultCurrency, 3))
                    .col(text(OrganizationSettings::Timezone, 50))
                    .col(text(OrganizationSettings::Locale, 10))
                    .col(text(OrganizationSettings::SalesRepVisibility, 10))
                    .col(timestamp(OrganizationSettings::CreatedAt))
                    .col(timestamp(OrganizationSettings::UpdatedAt))
                    .foreign_key(&mut org_fk(
                        "fk_org_settings_org",
                        OrganizationSettings::Table,
                    ))
                    .to_owned(),
            )
            .await?;

        // Teams and users point at each other (team lead, user's team). SQLite resolves foreign
        // keys lazily, so both can be declared inline; PostgreSQL needs the lead key added after
        // the users table exists.
        manager.create_table(teams_table(sqlite)).await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(id(Users::Id))
                    .col(uuid(Users::OrganizationId))
                    .col(text(Users::Email, 254).unique_key().to_owned())
                    .col(text(Users::PasswordHash, 255))
                    .col(text(Users::FirstName, 150))
                    .col(text(Users::LastName, 150))
                    .col(text_null(Users::Phone, 20))
                    .col(text_null(Users::AvatarUrl, 500))
                    .col(text(Users::Role, 20))
                    .col(text_null(Users::JobTitle, 100))
                    .col(text_null(Users::Department, 100))
                    .col(text(Users::Timezone, 50).default("UTC").to_owned())
                    .col(text(Users::Locale, 10).default("en").to_owned())
                    .col(uuid_null(Users::TeamId))
                    .col(uuid_null(Users::ManagerId))
                    .col(flag(Users::IsActive, true))
                    .col(flag(Users::IsStaff, true))
                    .col(flag(Users::IsSuperuser, false))
                    .col(timestamp_null(Users::LastLogin))
                    .col(
                        ColumnDef::new(Users::SessionVersion)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(timestamp(Users::CreatedAt))
                    .col(timestamp(Users::UpdatedAt))
                    .index(&mut tenant_key("users"))
                    .foreign_key(&mut org_fk("fk_users_org", Users::Table))
                    .foreign_key(&mut tenant_fk(
                        "fk_users_team",
                        Users::Table,
                        Users::TeamId,
                        Teams::Table,
                    ))
                    .foreign_key(&mut tenant_fk(
                        "fk_users_manager",
                        Users::Table,
                        Users::ManagerId,
                        Users::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        if !sqlite {
            manager
                .create_foreign_key(tenant_fk(
                    TEAM_LEAD_FK,
                    Teams::Table,
                    Teams::LeadId,
                    Users::Table,
                ))
                .await?;
        }
        manager
            .create_index(index(
                "ix_users_org_role",
                Users::Table,
                &["organization_id", "role"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_users_org_created",
                Users::Table,
                &["organization_id", "created_at", "id"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_users_org_team",
                Users::Table,
                &["organization_id", "team_id"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_users_org_manager",
                Users::Table,
                &["organization_id", "manager_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(id(Invitations::Id))
                    .col(uuid(Invitations::OrganizationId))
                    .col(text(Invitations::Email, 254))
                    .col(text(Invitations::Role, 20))
                    .col(text(Invitations::FirstName, 150))
                    .col(text(Invitations::LastName, 150))
                    .col(uuid_null(Invitations::TeamId))
                    .col(text(Invitations::TokenHash, 64).unique_key().to_owned())
                    .col(uuid_null(Invitations::InvitedById))
                    .col(timestamp(Invitations::ExpiresAt))
                    .col(timestamp_null(Invitations::AcceptedAt))
                    .col(timestamp(Invitations::CreatedAt))
                    .col(timestamp(Invitations::UpdatedAt))
                    .index(&mut tenant_key("invitations"))
                    .foreign_key(&mut org_fk("fk_invitations_org", Invitations::Table))
                    .foreign_key(&mut tenant_fk(
                        "fk_invitations_team",
                        Invitations::Table,
                        Invitations::TeamId,
                        Teams::Table,
                    ))
                    .foreign_key(&mut tenant_fk(
                        "fk_invitations_inviter",
                        Invitations::Table,
                        Invitations::InvitedById,
                        Users::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_invitations_org_email",
                Invitations::Table,
                &["organization_id", "email"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(id(RefreshTokens::Id))
                    .col(uuid(RefreshTokens::OrganizationId))
                    .col(uuid(RefreshTokens::UserId))
                    .col(uuid(RefreshTokens::FamilyId))
                    .col(text(RefreshTokens::TokenHash, 64).unique_key().to_owned())
                    .col(timestamp(RefreshTokens::ExpiresAt))
                    .col(timestamp_null(RefreshTokens::UsedAt))
                    .col(timestamp_null(RefreshTokens::RevokedAt))
                    .col(timestamp(RefreshTokens::CreatedAt))
                    .foreign_key(&mut org_fk("fk_refresh_tokens_org", RefreshTokens::Table))
                    .foreign_key(
                        tenant_fk(
                            "fk_refresh_tokens_user",
                            RefreshTokens::Table,
                            RefreshTokens::UserId,
                            Users::Table,
                        )
                        .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_refresh_tokens_family",
                RefreshTokens::Table,
                &["organization_id", "family_id"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_refresh_tokens_user",
                RefreshTokens::Table,
                &["organization_id", "user_id"],
            ))
            .await?;

        // The actor is kept without a foreign key: the log must outlive whatever it describes.
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(id(AuditLog::Id))
                    .col(uuid(AuditLog::OrganizationId))
                    .col(uuid_null(AuditLog::ActorId))
                    .col(text(AuditLog::Action, 64))
                    .col(text(AuditLog::EntityType, 64))
                    .col(uuid(AuditLog::EntityId))
                    .col(ColumnDef::new(AuditLog::Before).json_binary().null())
                    .col(ColumnDef::new(AuditLog::After).json_binary().null())
                    .col(timestamp(AuditLog::At))
                    .foreign_key(&mut org_fk("fk_audit_log_org", AuditLog::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_audit_log_org_at",
                AuditLog::Table,
                &["organization_id", "at", "id"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_audit_log_org_entity",
                AuditLog::Table,
                &["organization_id", "entity_type", "entity_id"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_audit_log_org_actor",
                AuditLog::Table,
                &["organization_id", "actor_id", "at"],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sqlite = manager.get_database_backend() == DbBackend::Sqlite;
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RefreshTokens::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Invitations::Table).to_owned())
            .await?;
        if !sqlite {
            manager
                .drop_foreign_key(
                    ForeignKey::drop()
                        .name(TEAM_LEAD_FK)
                        .table(Teams::Table)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(Users::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Teams::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(OrganizationSettings::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Organizations::Table).to_owned())
            .await?;
        Ok(())
    }
}
