//! Who is calling, and the tenant every service function is scoped to.
//!
//! Both come from a verified token (or the login that issued it), never from client input.

use uuid::Uuid;

use crate::error::{AppError, AppResult};

crate::db_enum! {
    /// The fixed set of roles. Stored as text (`as_db`); sent as SCREAMING_SNAKE_CASE enum values.
    #[graphql(name = "Role")]
    pub enum Role {
        /// Platform operator: may list organizations, nothing else across tenants.
        SuperAdmin = "super_admin",
        /// Administers one organization.
        Admin = "admin",
        /// Manages teams, sees everything in the organization.
        Manager = "manager",
        /// Works their own contacts, leads and deals.
        SalesRep = "sales_rep",
        /// Works contacts, companies, leads, tags and segments.
        Marketing = "marketing",
        /// Reads only.
        Readonly = "readonly",
        /// A client portal user linked to one contact.
        Client = "client",
    }
}

impl Role {
    /// Organization administrators (and the platform operator inside their own organization).
    pub fn is_admin(self) -> bool {
        matches!(self, Self::SuperAdmin | Self::Admin)
    }

    /// Roles that see and change everything in their organization.
    pub fn is_manager_or_above(self) -> bool {
        matches!(self, Self::SuperAdmin | Self::Admin | Self::Manager)
    }

    /// Whether this role may change data at all.
    pub fn can_write(self) -> bool {
        !matches!(self, Self::Readonly)
    }

    /// Staff roles, as opposed to client portal users.
    pub fn is_staff(self) -> bool {
        !matches!(self, Self::Client)
    }
}

/// The tenant a service call is confined to. Built only from an [`AuthContext`] (or a trusted
/// server-side flow such as registration), so a client can never choose it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantScope {
    organization_id: Uuid,
}

impl TenantScope {
    /// Scopes to an organization. Only call with an organization id the server itself resolved.
    pub fn trusted(organization_id: Uuid) -> Self {
        Self { organization_id }
    }

    /// The organization every query of this call is limited to.
    pub fn organization_id(&self) -> Uuid {
        self.organization_id
    }
}

/// The authenticated caller of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthContext {
    pub user_id: Uuid,
    pub organization_id: Uuid,
    pub role: Role,
}

impl AuthContext {
    /// The tenant scope of this caller.
    #[expect(
        clippy::disallowed_methods,
        reason = "the organization of a verified token and the user's current row"
    )]
    pub fn scope(&self) -> TenantScope {
        TenantScope::trusted(self.organization_id)
    }

    /// Fails with `FORBIDDEN` unless the caller has one of the given roles.
    pub fn require_any(&self, roles: &[Role]) -> AppResult<()> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::forbidden("your role does not allow this"))
        }
    }

    /// Fails with `FORBIDDEN` unless the caller administers the organization.
    pub fn require_admin(&self) -> AppResult<()> {
        if self.role.is_admin() {
            Ok(())
        } else {
            Err(AppError::forbidden("administrators only"))
        }
    }

    /// Fails with `FORBIDDEN` unless the caller is a manager or administrator.
    pub fn require_manager(&self) -> AppResult<()> {
        if self.role.is_manager_or_above() {
            Ok(())
        } else {
            Err(AppError::forbidden("managers and administrators only"))
        }
    }

    /// Fails with `FORBIDDEN` for read-only and client users.
    pub fn require_writer(&self) -> AppResult<()> {
        if self.role.can_write() && self.role.is_staff() {
            Ok(())
        } else {
            Err(AppError::forbidden("your role is read-only"))
        }
    }

    /// Fails with `FORBIDDEN` for client portal users.
    pub fn require_staff(&self) -> AppResult<()> {
        if self.role.is_staff() {
            Ok(())
        } else {
            Err(AppError::forbidden("staff only"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::DbEnum;

    fn ctx(role: Role) -> AuthContext {
        AuthContext {
            user_id: Uuid::nil(),
            organization_id: Uuid::nil(),
            role,
        }
    }

    #[test]
    fn roles_round_trip_through_their_stored_form() {
        for role in Role::VALUES {
            assert_eq!(Role::from_db(role.as_db()), Some(*role));
        }
        assert_eq!(Role::from_db("root"), None);
    }

    #[test]
    fn readonly_and_client_cannot_write() {
        assert!(ctx(Role::Readonly).require_writer().is_err());
        assert!(ctx(Role::Client).require_writer().is_err());
        assert!(ctx(Role::SalesRep).require_writer().is_ok());
    }

    #[test]
    fn only_admins_pass_the_admin_guard() {
        assert!(ctx(Role::Admin).require_admin().is_ok());
        assert!(ctx(Role::SuperAdmin).require_admin().is_ok());
        assert!(ctx(Role::Manager).require_admin().is_err());
    }
}
