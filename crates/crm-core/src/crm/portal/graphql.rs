//! GraphQL surface of the client portal: `inviteContactToPortal`, `updateMyContact`, and the
//! `contact` of a user (`me { contact }`).

use async_graphql::{Context, InputObject, MaybeUndefined, Object};
use identity::invitations::graphql::Invitation;
use kernel::ContextExt;
use uuid::Uuid;

use super::service::{self, MyContactUpdate};
use crate::crm::directory::contacts::graphql::Contact;

/// What a client may change on their own contact.
#[derive(InputObject, Debug, Default)]
pub struct MyContactInput {
    pub phone: MaybeUndefined<String>,
    pub mobile: MaybeUndefined<String>,
    pub address_line1: MaybeUndefined<String>,
    pub address_line2: MaybeUndefined<String>,
    pub city: MaybeUndefined<String>,
    pub state: MaybeUndefined<String>,
    pub postal_code: MaybeUndefined<String>,
    pub country: MaybeUndefined<String>,
}

/// Portal mutations.
#[derive(Default)]
pub struct PortalMutation;

#[Object]
impl PortalMutation {
    /// Invites a contact to the client portal (anyone who may edit the contact). The returned
    /// `token` is shown once; the contact accepts with `acceptInvitation` and becomes a CLIENT
    /// user linked to the contact.
    async fn invite_contact_to_portal(
        &self,
        ctx: &Context<'_>,
        contact_id: Uuid,
    ) -> async_graphql::Result<Invitation> {
        let (model, token) = service::invite_contact(ctx.store()?, ctx.auth()?, contact_id).await?;
        Ok(Invitation::new(model, Some(token)))
    }

    /// A client portal user updates their own contact details.
    async fn update_my_contact(
        &self,
        ctx: &Context<'_>,
        data: MyContactInput,
    ) -> async_graphql::Result<Contact> {
        let update = MyContactUpdate {
            phone: data.phone,
            mobile: data.mobile,
            address_line1: data.address_line1,
            address_line2: data.address_line2,
            city: data.city,
            state: data.state,
            postal_code: data.postal_code,
            country: data.country,
        };
        Ok(Contact(
            service::update_my_contact(ctx.store()?, ctx.auth()?, update).await?,
        ))
    }
}
