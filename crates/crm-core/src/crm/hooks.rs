//! The CRM's part in identity's flows (`identity::hooks`): a new organization gets its default
//! records, a portal user joins as the contact it was invited for, and `User.contact` reads
//! that link.

use async_graphql::Context;
use identity::audit::Tx;
use identity::entity::{invitation, user};
use identity::hooks::{ContactType, IdentityHooks};
use kernel::foreign::Foreign;
use kernel::object::TenantObject;
use kernel::{AppResult, ContextExt};
use uuid::Uuid;

use crate::crm::directory::contacts::graphql::Contact;
use crate::crm::{access, bootstrap, portal};

/// The CRM's hooks, registered by its `Domain::hooks`.
pub(crate) struct CrmHooks;

#[async_trait::async_trait]
impl IdentityHooks for CrmHooks {
    async fn organization_created(&self, tx: &mut Tx<'_>, organization_id: Uuid) -> AppResult<()> {
        bootstrap::seed_organization_defaults(tx, organization_id).await
    }

    async fn invitation_accepted(
        &self,
        tx: &mut Tx<'_>,
        invitation: &invitation::Model,
        user: &user::Model,
    ) -> AppResult<()> {
        match invitation.contact_id {
            Some(contact_id) => {
                portal::service::link_portal_user(tx.db(), tx.scope(), contact_id, user.id).await
            }
            None => Ok(()),
        }
    }

    async fn contact_of_user(
        &self,
        ctx: &Context<'_>,
        user: &user::Model,
    ) -> async_graphql::Result<Option<Foreign<ContactType>>> {
        let auth = ctx.auth()?;
        if !auth.role.is_staff() && auth.user_id != user.id {
            return Ok(None);
        }
        let store = ctx.store()?;
        // The user row names its organization; the link lives in that organization's contacts.
        let scope = user::Entity::scope_of(user);
        let Some(contact) = portal::service::contact_of_user(&store.db, scope, user.id).await?
        else {
            return Ok(None);
        };
        if auth.role.is_staff()
            && !access::visibility(&store.db, auth)
                .await?
                .allows(contact.owner_id, contact.assigned_to_id)
        {
            return Ok(None);
        }
        Ok(Some(Foreign::new(Contact(contact))))
    }
}
