//! Typed fields that point from one slice into another (an opportunity's contact, a
//! conversion's opportunity): loaded through per-request loaders, and shown only when the
//! caller may see the target, exactly as if it were read directly.

use async_graphql::Context;
use kernel::loader::{RequestLoader, TenantKey, TenantLoader, load_one};
use kernel::{AppResult, ContextExt};
use sea_orm::DatabaseConnection;
use tokio::sync::OnceCell;
use uuid::Uuid;

use super::access::{self, Visibility};
use crate::entity::{company, contact, lead, opportunity};

/// Batches contact lookups.
pub type ContactLoader = RequestLoader<TenantLoader<contact::Entity>>;
/// Batches lead lookups.
pub type LeadLoader = RequestLoader<TenantLoader<lead::Entity>>;
/// Batches opportunity lookups.
pub type OpportunityLoader = RequestLoader<TenantLoader<opportunity::Entity>>;

/// Batches lookups of the contact a client portal user stands for, keyed by the user's id
/// (a newtype: the request's data holds one value per type).
pub struct PortalContactLoader(ContactLoader);

/// The caller's visibility, computed once per request.
#[derive(Default)]
pub struct RequestVisibility(OnceCell<Visibility>);

/// Adds the link loaders and the visibility cell to one request's data.
pub fn add_loaders(data: &mut async_graphql::Data, db: &DatabaseConnection) {
    let contacts: ContactLoader = TenantLoader::new(
        db.clone(),
        contact::Column::OrganizationId,
        contact::Column::Id,
        contact_key,
    );
    let leads: LeadLoader = TenantLoader::new(
        db.clone(),
        lead::Column::OrganizationId,
        lead::Column::Id,
        lead_key,
    );
    let opportunities: OpportunityLoader = TenantLoader::new(
        db.clone(),
        opportunity::Column::OrganizationId,
        opportunity::Column::Id,
        opportunity_key,
    );
    let portal_contacts = PortalContactLoader(TenantLoader::new(
        db.clone(),
        contact::Column::OrganizationId,
        contact::Column::PortalUserId,
        portal_contact_key,
    ));
    data.insert(contacts);
    data.insert(portal_contacts);
    data.insert(leads);
    data.insert(opportunities);
    data.insert(RequestVisibility::default());
}

fn contact_key(row: &contact::Model) -> TenantKey {
    TenantKey {
        organization_id: row.organization_id,
        id: row.id,
    }
}

/// Rows come from a lookup by `portal_user_id`, so it is set.
fn portal_contact_key(row: &contact::Model) -> TenantKey {
    TenantKey {
        organization_id: row.organization_id,
        id: row.portal_user_id.unwrap_or_default(),
    }
}

fn lead_key(row: &lead::Model) -> TenantKey {
    TenantKey {
        organization_id: row.organization_id,
        id: row.id,
    }
}

fn opportunity_key(row: &opportunity::Model) -> TenantKey {
    TenantKey {
        organization_id: row.organization_id,
        id: row.id,
    }
}

async fn visibility<'c>(ctx: &'c Context<'_>) -> AppResult<&'c Visibility> {
    let auth = ctx.auth()?;
    let store = ctx.state::<kernel::Store>()?;
    let cell = ctx.state::<RequestVisibility>()?;
    cell.0
        .get_or_try_init(|| access::visibility(&store.db, auth))
        .await
}

/// A contact, if it exists, is not deleted and the caller may see it.
pub async fn visible_contact(
    ctx: &Context<'_>,
    organization_id: Uuid,
    id: Uuid,
) -> AppResult<Option<contact::Model>> {
    let Some(found) = load_one(ctx.state::<ContactLoader>()?, organization_id, id).await? else {
        return Ok(None);
    };
    let shown = found.deleted_at.is_none()
        && visibility(ctx)
            .await?
            .allows(found.owner_id, found.assigned_to_id);
    Ok(shown.then_some(found))
}

/// The contact a portal user stands for, if it is not deleted and the caller may see it.
pub async fn visible_portal_contact(
    ctx: &Context<'_>,
    organization_id: Uuid,
    user_id: Uuid,
) -> AppResult<Option<contact::Model>> {
    let loader = &ctx.state::<PortalContactLoader>()?.0;
    let Some(found) = load_one(loader, organization_id, user_id).await? else {
        return Ok(None);
    };
    let shown = found.deleted_at.is_none()
        && visibility(ctx)
            .await?
            .allows(found.owner_id, found.assigned_to_id);
    Ok(shown.then_some(found))
}

/// A company, if it exists, is not deleted and the caller may see it.
pub async fn visible_company(
    ctx: &Context<'_>,
    organization_id: Uuid,
    id: Uuid,
) -> AppResult<Option<company::Model>> {
    let Some(found) = crate::crm::directory::loader::load_company(ctx, organization_id, id).await?
    else {
        return Ok(None);
    };
    let shown = found.deleted_at.is_none() && visibility(ctx).await?.allows(found.owner_id, None);
    Ok(shown.then_some(found))
}

/// A lead, if it exists, is not deleted and the caller may see it.
pub async fn visible_lead(
    ctx: &Context<'_>,
    organization_id: Uuid,
    id: Uuid,
) -> AppResult<Option<lead::Model>> {
    let Some(found) = load_one(ctx.state::<LeadLoader>()?, organization_id, id).await? else {
        return Ok(None);
    };
    let shown = found.deleted_at.is_none()
        && visibility(ctx)
            .await?
            .allows(found.owner_id, found.assigned_to_id);
    Ok(shown.then_some(found))
}

/// An opportunity, if it exists, is not deleted and the caller may see it.
pub async fn visible_opportunity(
    ctx: &Context<'_>,
    organization_id: Uuid,
    id: Uuid,
) -> AppResult<Option<opportunity::Model>> {
    let Some(found) = load_one(ctx.state::<OpportunityLoader>()?, organization_id, id).await?
    else {
        return Ok(None);
    };
    let shown = found.deleted_at.is_none() && visibility(ctx).await?.allows(found.owner_id, None);
    Ok(shown.then_some(found))
}
