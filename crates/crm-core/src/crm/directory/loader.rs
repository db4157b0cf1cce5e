//! The directory's DataLoaders: a page of contacts loads its companies, statuses, traffic
//! sources, tags and services in one statement each, whatever the page size.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Lookahead};
use kernel::loader::{TenantKey, TenantLoader, load_one, tenant_condition};
use kernel::{AppError, AppResult, ContextExt};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Order, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult, Iterable};
use uuid::Uuid;

use crate::entity::{company, contact, contact_status, service, tag, traffic_source};

/// Loads, per contact, the rows linked to it through a link table.
pub struct LinkedLoader<E: EntityTrait> {
    db: DatabaseConnection,
    link: Link,
    _entity: std::marker::PhantomData<E>,
}

/// Which link table a [`LinkedLoader`] reads.
#[derive(Debug, Clone, Copy)]
enum Link {
    Tags,
    Services,
}

/// Every loader of the directory, registered on the schema as one value.
pub struct DirectoryLoaders {
    pub companies: kernel::loader::RequestLoader<TenantLoader<company::Entity>>,
    pub statuses: kernel::loader::RequestLoader<TenantLoader<contact_status::Entity>>,
    pub traffic_sources: kernel::loader::RequestLoader<TenantLoader<traffic_source::Entity>>,
    pub contact_tags: kernel::loader::RequestLoader<LinkedLoader<tag::Entity>>,
    pub contact_services: kernel::loader::RequestLoader<LinkedLoader<service::Entity>>,
}

/// The directory's loaders over a connection.
pub fn loaders(db: &DatabaseConnection) -> DirectoryLoaders {
    DirectoryLoaders {
        companies: TenantLoader::new(
            db.clone(),
            company::Column::OrganizationId,
            company::Column::Id,
            |row: &company::Model| TenantKey {
                organization_id: row.organization_id,
                id: row.id,
            },
        ),
        statuses: TenantLoader::new(
            db.clone(),
            contact_status::Column::OrganizationId,
            contact_status::Column::Id,
            |row: &contact_status::Model| TenantKey {
                organization_id: row.organization_id,
                id: row.id,
            },
        ),
        traffic_sources: TenantLoader::new(
            db.clone(),
            traffic_source::Column::OrganizationId,
            traffic_source::Column::Id,
            |row: &traffic_source::Model| TenantKey {
                organization_id: row.organization_id,
                id: row.id,
            },
        ),
        contact_tags: kernel::loader::data_loader(LinkedLoader {
            db: db.clone(),
            link: Link::Tags,
            _entity: std::marker::PhantomData,
        }),
        contact_services: kernel::loader::data_loader(LinkedLoader {
            db: db.clone(),
            link: Link::Services,
            _entity: std::marker::PhantomData,
        }),
    }
}

impl<E> Loader<TenantKey> for LinkedLoader<E>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Clone + Send + Sync + 'static,
{
    type Value = Vec<E::Model>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[TenantKey],
    ) -> Result<HashMap<TenantKey, Vec<E::Model>>, Arc<DbErr>> {
        let (link_table, link_target) = match self.link {
            Link::Tags => (Alias::new("contact_tags"), Alias::new("tag_id")),
            Link::Services => (Alias::new("contact_services"), Alias::new("service_id")),
        };
        let link_org = Alias::new("organization_id");
        let link_contact = Alias::new("contact_id");
        let target = E::default();
        let mut query = Query::select();
        for column in E::Column::iter() {
            query.column((target, column));
        }
        query
            .expr_as(
                Expr::col((link_table.clone(), link_contact.clone())),
                Alias::new("linked_contact_id"),
            )
            .from(target)
            .inner_join(
                link_table.clone(),
                Condition::all()
                    .add(
                        Expr::col((link_table.clone(), link_target))
                            .equals((target, Alias::new("id"))),
                    )
                    .add(
                        Expr::col((link_table.clone(), link_org.clone()))
                            .equals((target, Alias::new("organization_id"))),
                    ),
            );
        let backend = self.db.get_database_backend();
        let any = tenant_condition(
            backend,
            keys,
            Expr::col((link_table.clone(), link_org)),
            Expr::col((link_table, link_contact)),
        );
        query
            .cond_where(any)
            .order_by((target, Alias::new("name")), Order::Asc);
        let statement = backend.build(&query);
        let rows = self.db.query_all_raw(statement).await?;
        // Every key gets an entry, empty when it has no links: the request's cache keeps only
        // the keys a batch returns, and a missing key would be loaded again.
        let mut result: HashMap<TenantKey, Vec<E::Model>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            let model = E::Model::from_query_result(&row, "")?;
            let contact_id: Uuid = row.try_get("", "linked_contact_id")?;
            let organization_id: Uuid = row.try_get("", "organization_id")?;
            result
                .entry(TenantKey {
                    organization_id,
                    id: contact_id,
                })
                .or_default()
                .push(model);
        }
        Ok(result)
    }
}

fn loaders_of<'c>(ctx: &'c Context<'_>) -> AppResult<&'c DirectoryLoaders> {
    ctx.state::<DirectoryLoaders>()
}

/// Loads a company through the request's batch.
pub async fn load_company(
    ctx: &Context<'_>,
    organization_id: Uuid,
    id: Uuid,
) -> AppResult<Option<company::Model>> {
    load_one(&loaders_of(ctx)?.companies, organization_id, id).await
}

/// Loads a contact status through the request's batch.
pub async fn load_status(
    ctx: &Context<'_>,
    organization_id: Uuid,
    id: Uuid,
) -> AppResult<Option<contact_status::Model>> {
    load_one(&loaders_of(ctx)?.statuses, organization_id, id).await
}

/// Loads a traffic source through the request's batch.
pub async fn load_traffic_source(
    ctx: &Context<'_>,
    organization_id: Uuid,
    id: Uuid,
) -> AppResult<Option<traffic_source::Model>> {
    load_one(&loaders_of(ctx)?.traffic_sources, organization_id, id).await
}

fn loader_error(err: Arc<DbErr>) -> AppError {
    AppError::internal(anyhow::anyhow!("loader query failed: {err}"))
}

/// A contact's tags, by name, through the request's batch.
pub async fn load_contact_tags(
    ctx: &Context<'_>,
    organization_id: Uuid,
    contact_id: Uuid,
) -> AppResult<Vec<tag::Model>> {
    Ok(loaders_of(ctx)?
        .contact_tags
        .load_one(TenantKey {
            organization_id,
            id: contact_id,
        })
        .await
        .map_err(loader_error)?
        .unwrap_or_default())
}

/// A contact's services, by name, through the request's batch.
pub async fn load_contact_services(
    ctx: &Context<'_>,
    organization_id: Uuid,
    contact_id: Uuid,
) -> AppResult<Vec<service::Model>> {
    Ok(loaders_of(ctx)?
        .contact_services
        .load_one(TenantKey {
            organization_id,
            id: contact_id,
        })
        .await
        .map_err(loader_error)?
        .unwrap_or_default())
}

/// Loads, in one batch each, the relations the selection `node` asks of these contacts (a
/// page's `edges.node`, or one contact's own selection), so a page costs the same number of
/// statements at any size and none of them waits for the DataLoader's batching delay.
pub async fn prefetch_contacts(
    ctx: &Context<'_>,
    node: Lookahead<'_>,
    contacts: &[&contact::Model],
) -> AppResult<()> {
    let loaders = loaders_of(ctx)?;
    let key = |organization_id: Uuid, id: Uuid| TenantKey {
        organization_id,
        id,
    };
    if node.field("company").exists() {
        kernel::loader::prime(
            &loaders.companies,
            contacts
                .iter()
                .filter_map(|c| c.company_id.map(|id| key(c.organization_id, id))),
        )
        .await?;
    }
    if node.field("status").exists() {
        kernel::loader::prime(
            &loaders.statuses,
            contacts
                .iter()
                .filter_map(|c| c.status_id.map(|id| key(c.organization_id, id))),
        )
        .await?;
    }
    if node.field("trafficSource").exists() {
        kernel::loader::prime(
            &loaders.traffic_sources,
            contacts
                .iter()
                .filter_map(|c| c.traffic_source_id.map(|id| key(c.organization_id, id))),
        )
        .await?;
    }
    if node.field("tags").exists() {
        kernel::loader::prime(
            &loaders.contact_tags,
            contacts.iter().map(|c| key(c.organization_id, c.id)),
        )
        .await?;
    }
    if node.field("services").exists() {
        kernel::loader::prime(
            &loaders.contact_services,
            contacts.iter().map(|c| key(c.organization_id, c.id)),
        )
        .await?;
    }
    if node.field("owner").exists() || node.field("assignedTo").exists() {
        let users = ctx.state::<identity::loader::UserLoader>()?;
        let ids = contacts.iter().flat_map(|c| {
            [c.owner_id, c.assigned_to_id]
                .into_iter()
                .flatten()
                .map(|id| key(c.organization_id, id))
        });
        kernel::loader::prime(users, ids).await?;
    }
    Ok(())
}
