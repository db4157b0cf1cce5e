//! The client portal: a contact is invited, accepts with a password, and becomes a CLIENT user
//! linked to that contact. CLIENT users see only themselves and their contact, and may change
//! only their own contact details (phone, address and similar).

use identity::audit::Tx;
use identity::entity::invitation;
use identity::invitations::service::{Invitee, insert_invitation};
use kernel::db::now;
use kernel::object::TenantTable;
use kernel::{AppError, AppResult, AuthContext, Role, Store, TenantScope, validate};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, IntoActiveModel, QueryFilter};
use uuid::Uuid;

use crate::crm::access::{self, Area};
use crate::entity::contact;

/// Invites a contact to the client portal; returns the invitation and its one-time token.
pub async fn invite_contact(
    store: &Store,
    auth: &AuthContext,
    contact_id: Uuid,
) -> AppResult<(invitation::Model, String)> {
    access::require_read(auth)?;
    let mut tx = Tx::begin(store, auth).await?;
    let contact = contact::Entity::scoped(auth.scope())
        .filter(contact::Column::Id.eq(contact_id))
        .filter(contact::Column::DeletedAt.is_null())
        .one(tx.db())
        .await?
        .ok_or_else(|| AppError::not_found("Contact"))?;
    let visibility = access::visibility(tx.db(), auth).await?;
    if !visibility.allows(contact.owner_id, contact.assigned_to_id) {
        return Err(AppError::not_found("Contact"));
    }
    access::require_edit(
        auth,
        Area::Contacts,
        contact.owner_id,
        contact.assigned_to_id,
    )?;
    let email = contact.email.clone().ok_or_else(|| {
        AppError::invalid("contactId", "the contact has no e-mail address to invite")
    })?;
    if contact.portal_user_id.is_some() {
        return Err(AppError::conflict("the contact already has portal access"));
    }
    let invitee = Invitee {
        email,
        role: Role::Client,
        first_name: contact.first_name,
        last_name: contact.last_name.unwrap_or_default(),
        team_id: None,
        contact_id: Some(contact.id),
    };
    let created = insert_invitation(&mut tx, auth, invitee).await?;
    tx.commit().await?;
    Ok(created)
}

/// Links a contact to the portal user created from its invitation (inside the acceptance
/// transaction). Fails when the contact is gone or already linked.
pub async fn link_portal_user(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    contact_id: Uuid,
    user_id: Uuid,
) -> AppResult<()> {
    let linked = contact::Entity::update_scoped(scope)
        .col_expr(contact::Column::PortalUserId, Expr::value(user_id))
        .col_expr(contact::Column::UpdatedAt, Expr::value(now()))
        .filter(contact::Column::Id.eq(contact_id))
        .filter(contact::Column::DeletedAt.is_null())
        .filter(contact::Column::PortalUserId.is_null())
        .exec(db)
        .await?;
    if linked.rows_affected == 1 {
        Ok(())
    } else {
        Err(AppError::invalid(
            "token",
            "this invitation is invalid, used or expired",
        ))
    }
}

/// The contact a portal user is linked to.
pub async fn contact_of_user(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    user_id: Uuid,
) -> AppResult<Option<contact::Model>> {
    Ok(contact::Entity::scoped(scope)
        .filter(contact::Column::PortalUserId.eq(user_id))
        .filter(contact::Column::DeletedAt.is_null())
        .one(db)
        .await?)
}

/// The details a client may change on their own contact; absent fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct MyContactUpdate {
    pub phone: async_graphql::MaybeUndefined<String>,
    pub mobile: async_graphql::MaybeUndefined<String>,
    pub address_line1: async_graphql::MaybeUndefined<String>,
    pub address_line2: async_graphql::MaybeUndefined<String>,
    pub city: async_graphql::MaybeUndefined<String>,
    pub state: async_graphql::MaybeUndefined<String>,
    pub postal_code: async_graphql::MaybeUndefined<String>,
    pub country: async_graphql::MaybeUndefined<String>,
}

/// Updates the calling client's own contact.
pub async fn update_my_contact(
    store: &Store,
    auth: &AuthContext,
    input: MyContactUpdate,
) -> AppResult<contact::Model> {
    if auth.role != Role::Client {
        return Err(AppError::forbidden(
            "only client portal users have a contact of their own",
        ));
    }
    let mut tx = Tx::begin(store, auth).await?;
    let before = contact_of_user(tx.db(), auth.scope(), auth.user_id)
        .await?
        .ok_or_else(|| AppError::not_found("Contact"))?;
    let mut model = before.clone().into_active_model();
    kernel::patch::clearable(&mut model.phone, &input.phone, |text| {
        validate::optional_text("phone", Some(text), 20)
    })?;
    kernel::patch::clearable(&mut model.mobile, &input.mobile, |text| {
        validate::optional_text("mobile", Some(text), 20)
    })?;
    kernel::patch::clearable(&mut model.address_line1, &input.address_line1, |text| {
        validate::optional_text("addressLine1", Some(text), 255)
    })?;
    kernel::patch::clearable(&mut model.address_line2, &input.address_line2, |text| {
        validate::optional_text("addressLine2", Some(text), 255)
    })?;
    kernel::patch::clearable(&mut model.city, &input.city, |text| {
        validate::optional_text("city", Some(text), 100)
    })?;
    kernel::patch::clearable(&mut model.state, &input.state, |text| {
        validate::optional_text("state", Some(text), 100)
    })?;
    kernel::patch::clearable(&mut model.postal_code, &input.postal_code, |text| {
        validate::optional_text("postalCode", Some(text), 20)
    })?;
    kernel::patch::clearable(&mut model.country, &input.country, |code| {
        validate::country("country", Some(code))
    })?;
    let after = tx.save::<contact::Entity>(before, model).await?;
    tx.commit().await?;
    Ok(after)
}
