//! The handles every service needs: the database pool and the event bus.

use sea_orm::DatabaseConnection;

use crate::events::SharedEventBus;

/// Database and event bus, cheap to clone (both are shared handles).
#[derive(Clone)]
pub struct Store {
    pub db: DatabaseConnection,
    pub events: SharedEventBus,
}

impl Store {
    /// Bundles a pool and a bus.
    pub fn new(db: DatabaseConnection, events: SharedEventBus) -> Self {
        Self { db, events }
    }
}
