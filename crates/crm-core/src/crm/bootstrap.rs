//! What every new organization starts with (its settings lists and a default pipeline): contact statuses (Lead, Prospect, Customer, Contact), basic services, traffic
//! sources, and the default pipeline Prospecting 10, Qualification 25, Proposal 50,
//! Negotiation 75, Won 100 (won), Lost 0 (lost). Runs inside the registration transaction.

use identity::audit::Tx;
use kernel::AppResult;
use kernel::db::now;
use sea_orm::{ActiveModelTrait, Set};
use uuid::Uuid;

use crate::entity::{contact_status, pipeline, service, stage, traffic_source};

/// Default contact statuses: name, category, colour.
pub const DEFAULT_STATUSES: [(&str, &str, &str); 4] = [
    ("Lead", "lead", "#6366f1"),
    ("Prospect", "prospect", "#f59e0b"),
    ("Customer", "customer", "#10b981"),
    ("Contact", "other", "#64748b"),
];

/// Default services.
pub const DEFAULT_SERVICES: [&str; 4] = ["Consulting", "Implementation", "Support", "Training"];

/// Default traffic sources.
pub const DEFAULT_TRAFFIC_SOURCES: [&str; 7] = [
    "Website",
    "Referral",
    "Social Media",
    "Email",
    "Event",
    "Paid Ads",
    "Other",
];

/// The default pipeline's stages: name, probability, won, lost.
pub const DEFAULT_STAGES: [(&str, i32, bool, bool); 6] = [
    ("Prospecting", 10, false, false),
    ("Qualification", 25, false, false),
    ("Proposal", 50, false, false),
    ("Negotiation", 75, false, false),
    ("Won", 100, true, false),
    ("Lost", 0, false, true),
];

/// Creates the defaults for a new organization, audited in the caller's transaction.
pub async fn seed_organization_defaults(tx: &mut Tx<'_>, organization_id: Uuid) -> AppResult<()> {
    let at = now();
    for (position, (name, category, color)) in DEFAULT_STATUSES.into_iter().enumerate() {
        let row = contact_status::ActiveModel {
            id: Set(Uuid::now_v7()),
            organization_id: Set(organization_id),
            name: Set(name.into()),
            category: Set(category.into()),
            color: Set(Some(color.into())),
            position: Set(position as i32),
            is_default: Set(position == 0),
            created_at: Set(at),
            updated_at: Set(at),
        }
        .insert(tx.db())
        .await?;
        tx.created::<contact_status::Entity>(&row).await?;
    }
    for (position, name) in DEFAULT_SERVICES.into_iter().enumerate() {
        let row = service::ActiveModel {
            id: Set(Uuid::now_v7()),
            organization_id: Set(organization_id),
            name: Set(name.into()),
            description: Set(None),
            position: Set(position as i32),
            created_at: Set(at),
            updated_at: Set(at),
        }
        .insert(tx.db())
        .await?;
        tx.created::<service::Entity>(&row).await?;
    }
    for (position, name) in DEFAULT_TRAFFIC_SOURCES.into_iter().enumerate() {
        let row = traffic_source::ActiveModel {
            id: Set(Uuid::now_v7()),
            organization_id: Set(organization_id),
            name: Set(name.into()),
            description: Set(None),
            position: Set(position as i32),
            created_at: Set(at),
            updated_at: Set(at),
        }
        .insert(tx.db())
        .await?;
        tx.created::<traffic_source::Entity>(&row).await?;
    }
    seed_pipeline(tx, organization_id, "Sales Pipeline", true).await?;
    Ok(())
}

/// Creates a pipeline with the default stages.
pub async fn seed_pipeline(
    tx: &mut Tx<'_>,
    organization_id: Uuid,
    name: &str,
    is_default: bool,
) -> AppResult<Uuid> {
    let at = now();
    let pipeline = pipeline::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(organization_id),
        name: Set(name.into()),
        description: Set(None),
        is_default: Set(is_default),
        is_active: Set(true),
        created_at: Set(at),
        updated_at: Set(at),
        deleted_at: Set(None),
    }
    .insert(tx.db())
    .await?;
    tx.created::<pipeline::Entity>(&pipeline).await?;
    for (position, (stage_name, probability, is_won, is_lost)) in
        DEFAULT_STAGES.into_iter().enumerate()
    {
        let row = stage::ActiveModel {
            id: Set(Uuid::now_v7()),
            organization_id: Set(organization_id),
            pipeline_id: Set(pipeline.id),
            name: Set(stage_name.into()),
            probability: Set(probability),
            position: Set(position as i32),
            color: Set(None),
            description: Set(None),
            is_won: Set(is_won),
            is_lost: Set(is_lost),
            created_at: Set(at),
            updated_at: Set(at),
        }
        .insert(tx.db())
        .await?;
        tx.created::<stage::Entity>(&row).await?;
    }
    Ok(pipeline.id)
}
