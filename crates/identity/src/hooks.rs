//! What crates above identity add to identity's flows, without identity depending on them.
//!
//! Identity creates organizations and lets invited users join; the CRM gives a new organization
//! its default pipeline and lists, links a portal user to the contact it was invited as, and
//! answers `User.contact`. A crate implements [`IdentityHooks`] and registers it in its
//! [`Domain::hooks`](crate::domain::Domain::hooks). Identity calls the hooks inside the flow's
//! transaction, so a hook that fails rolls the whole flow back.

use std::sync::Arc;

use async_graphql::Context;
use kernel::AppResult;
use kernel::foreign::{Foreign, ForeignType};
use uuid::Uuid;

use crate::audit::Tx;
use crate::entity::{invitation, user};

/// The CRM's `Contact` type, which `User.contact` returns.
pub enum ContactType {}

impl ForeignType for ContactType {
    const NAME: &'static str = "Contact";
}

/// One crate's additions to identity's flows; every method does nothing unless overridden.
#[async_trait::async_trait]
pub trait IdentityHooks: Send + Sync + 'static {
    /// A new organization was created, with its settings and first user, in `tx`: add the
    /// records every organization starts with.
    async fn organization_created(
        &self,
        _tx: &mut Tx<'_>,
        _organization_id: Uuid,
    ) -> AppResult<()> {
        Ok(())
    }

    /// `user` was created in `tx` by accepting `invitation`.
    async fn invitation_accepted(
        &self,
        _tx: &mut Tx<'_>,
        _invitation: &invitation::Model,
        _user: &user::Model,
    ) -> AppResult<()> {
        Ok(())
    }

    /// `User.contact`: the contact a (portal) user stands for, if this crate knows it and the
    /// caller may see it.
    async fn contact_of_user(
        &self,
        _ctx: &Context<'_>,
        _user: &user::Model,
    ) -> async_graphql::Result<Option<Foreign<ContactType>>> {
        Ok(None)
    }
}

/// Every registered crate's hooks, in registration order.
#[derive(Clone, Default)]
pub struct Hooks(Vec<Arc<dyn IdentityHooks>>);

impl Hooks {
    /// Registers one crate's hooks.
    pub fn add(&mut self, hooks: impl IdentityHooks) {
        self.0.push(Arc::new(hooks));
    }

    pub(crate) async fn organization_created(
        &self,
        tx: &mut Tx<'_>,
        organization_id: Uuid,
    ) -> AppResult<()> {
        for hooks in &self.0 {
            hooks.organization_created(tx, organization_id).await?;
        }
        Ok(())
    }

    pub(crate) async fn invitation_accepted(
        &self,
        tx: &mut Tx<'_>,
        invitation: &invitation::Model,
        user: &user::Model,
    ) -> AppResult<()> {
        for hooks in &self.0 {
            hooks.invitation_accepted(tx, invitation, user).await?;
        }
        Ok(())
    }

    /// The first answer of a crate that knows the user's contact.
    pub(crate) async fn contact_of_user(
        &self,
        ctx: &Context<'_>,
        user: &user::Model,
    ) -> async_graphql::Result<Option<Foreign<ContactType>>> {
        for hooks in &self.0 {
            if let Some(contact) = hooks.contact_of_user(ctx, user).await? {
                return Ok(Some(contact));
            }
        }
        Ok(None)
    }
}
