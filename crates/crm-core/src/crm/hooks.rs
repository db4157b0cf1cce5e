//! The CRM's part in identity's flows (`identity::hooks`): a new organization gets its default
//! records, a portal user joins as the contact it was invited for, and `User.contact` reads
//! that link.

use async_graphql::Context;
use identity::audit::Tx;
use identity::entity::{invitation, user};
use identity::hooks::{ContactType, IdentityHooks};
use kernel::foreign::Foreign;
use kernel::{AppResult, ContextExt};
use uuid::Uuid;

use crate::crm::directory::contacts::graphql::Contact;
use crate::crm::{bootstrap, links, portal};

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
        // Batched over the users of one request, with the caller's visibility read once.
        let Some(contact) =
            links::visible_portal_contact(ctx, user.organization_id, user.id).await?
        else {
            return Ok(None);
        };
        Ok(Some(Foreign::new(Contact(contact))))
    }
}
