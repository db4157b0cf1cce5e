//! Who may do what with CRM records: the role matrix, in one place.
//!
//! - ADMIN, MANAGER (and SUPER_ADMIN in their own organization): everything.
//! - SALES_REP: create anything they work with; edit or delete only records they own or are
//!   assigned; read what the organization's `salesRepVisibility` allows (ALL, TEAM, OWN).
//! - MARKETING: contacts, companies, leads, tags, segments and their activities; opportunities
//!   are readable but without their values.
//! - READONLY: read only. CLIENT: nothing here (the portal has its own fields).

use identity::organizations::SalesRepVisibility;
use kernel::db::DbEnum;
use kernel::object::{TenantObject, TenantTable};
use kernel::{AppError, AppResult, AuthContext, Role};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::entity::{organization_settings, user};

/// The kinds of CRM records, for permission checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Contacts,
    Companies,
    Leads,
    Opportunities,
    /// Activities and notes.
    Engagement,
    Tags,
    Segments,
    /// Pipelines, stages, settings lists, custom field definitions, imports.
    Configuration,
}

impl Area {
    fn marketing_works_here(self) -> bool {
        matches!(
            self,
            Self::Contacts
                | Self::Companies
                | Self::Leads
                | Self::Tags
                | Self::Segments
                | Self::Engagement
        )
    }

    /// Areas whose records have an owner and an assignee that limit sales reps.
    fn owned(self) -> bool {
        matches!(
            self,
            Self::Contacts | Self::Companies | Self::Leads | Self::Opportunities
        )
    }
}

/// Staff may read every area (sales reps within their visibility); clients may not.
pub fn require_read(auth: &AuthContext) -> AppResult<()> {
    auth.require_staff()
}

/// Whether the caller may create records of the area.
pub fn require_create(auth: &AuthContext, area: Area) -> AppResult<()> {
    let allowed = match auth.role {
        Role::SuperAdmin | Role::Admin | Role::Manager => true,
        Role::SalesRep => area != Area::Configuration && area != Area::Segments,
        Role::Marketing => area.marketing_works_here(),
        Role::Readonly | Role::Client => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::forbidden("your role cannot create these records"))
    }
}

/// Whether the caller may change or soft-delete a record with this owner and assignee.
pub fn require_edit(
    auth: &AuthContext,
    area: Area,
    owner_id: Option<Uuid>,
    assignee_id: Option<Uuid>,
) -> AppResult<()> {
    let allowed = match auth.role {
        Role::SuperAdmin | Role::Admin | Role::Manager => true,
        Role::SalesRep if area.owned() => {
            owner_id == Some(auth.user_id) || assignee_id == Some(auth.user_id)
        }
        Role::SalesRep => matches!(area, Area::Engagement | Area::Tags),
        Role::Marketing => area.marketing_works_here(),
        Role::Readonly | Role::Client => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "you can only change records you own or are assigned",
        ))
    }
}

/// Hard deletes are for administrators.
pub fn require_destroy(auth: &AuthContext) -> AppResult<()> {
    auth.require_admin()
}

/// Configuration (pipelines, stages, settings lists, custom fields) is for managers and admins.
pub fn require_configure(auth: &AuthContext) -> AppResult<()> {
    auth.require_manager()
}

/// Whether the caller sees monetary values of opportunities.
pub fn sees_values(auth: &AuthContext) -> bool {
    auth.role != Role::Marketing && auth.role.is_staff()
}

/// What a caller may read of owned records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// Everything in the organization.
    All,
    /// Records owned by or assigned to any of these users (the caller's team, caller included).
    Users(Vec<Uuid>),
}

/// The caller's read visibility, from their role and the organization's setting.
pub async fn visibility(db: &impl ConnectionTrait, auth: &AuthContext) -> AppResult<Visibility> {
    if auth.role != Role::SalesRep {
        return Ok(Visibility::All);
    }
    let setting = organization_settings::Entity::scoped(auth.scope())
        .one(db)
        .await?
        .and_then(|s| SalesRepVisibility::from_db(&s.sales_rep_visibility))
        .unwrap_or(SalesRepVisibility::All);
    match setting {
        SalesRepVisibility::All => Ok(Visibility::All),
        SalesRepVisibility::Own => Ok(Visibility::Users(vec![auth.user_id])),
        SalesRepVisibility::Team => {
            let me = user::Entity::find_in(db, auth.scope(), auth.user_id).await?;
            let Some(team_id) = me.and_then(|u| u.team_id) else {
                return Ok(Visibility::Users(vec![auth.user_id]));
            };
            let members: Vec<Uuid> = user::Entity::scoped(auth.scope())
                .select_only()
                .column(user::Column::Id)
                .filter(user::Column::TeamId.eq(team_id))
                .into_tuple()
                .all(db)
                .await?;
            Ok(Visibility::Users(members))
        }
    }
}

impl Visibility {
    /// The condition limiting a query to what may be read: owner or assignee among the users.
    pub fn condition<C: ColumnTrait>(&self, owner: C, assignee: Option<C>) -> Option<Condition> {
        match self {
            Self::All => None,
            Self::Users(users) => {
                let mut any = Condition::any().add(owner.is_in(users.clone()));
                if let Some(assignee) = assignee {
                    any = any.add(assignee.is_in(users.clone()));
                }
                Some(any)
            }
        }
    }

    /// Whether a single record with this owner and assignee may be read.
    pub fn allows(&self, owner_id: Option<Uuid>, assignee_id: Option<Uuid>) -> bool {
        match self {
            Self::All => true,
            Self::Users(users) => {
                owner_id.is_some_and(|o| users.contains(&o))
                    || assignee_id.is_some_and(|a| users.contains(&a))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(role: Role) -> AuthContext {
        AuthContext {
            user_id: Uuid::from_u128(1),
            organization_id: Uuid::nil(),
            role,
        }
    }

    #[test]
    fn sales_reps_edit_only_what_they_own_or_are_assigned() {
        let rep = ctx(Role::SalesRep);
        let other = Some(Uuid::from_u128(2));
        assert!(require_edit(&rep, Area::Contacts, Some(rep.user_id), None).is_ok());
        assert!(require_edit(&rep, Area::Contacts, other, Some(rep.user_id)).is_ok());
        assert!(require_edit(&rep, Area::Opportunities, other, None).is_err());
        assert!(require_edit(&ctx(Role::Manager), Area::Opportunities, other, None).is_ok());
    }

    #[test]
    fn marketing_works_contacts_but_not_deals_and_readonly_nothing() {
        let marketing = ctx(Role::Marketing);
        assert!(require_create(&marketing, Area::Leads).is_ok());
        assert!(require_create(&marketing, Area::Opportunities).is_err());
        assert!(!sees_values(&marketing));
        for area in [Area::Contacts, Area::Tags, Area::Configuration] {
            assert!(require_create(&ctx(Role::Readonly), area).is_err());
            assert!(require_edit(&ctx(Role::Readonly), area, None, None).is_err());
            assert!(require_create(&ctx(Role::Client), area).is_err());
        }
        assert!(require_create(&ctx(Role::SalesRep), Area::Configuration).is_err());
    }

    #[test]
    fn visibility_by_users_checks_owner_or_assignee() {
        let me = Uuid::from_u128(1);
        let visibility = Visibility::Users(vec![me]);
        assert!(visibility.allows(Some(me), None));
        assert!(visibility.allows(None, Some(me)));
        assert!(!visibility.allows(Some(Uuid::from_u128(9)), None));
        assert!(Visibility::All.allows(None, None));
    }
}
