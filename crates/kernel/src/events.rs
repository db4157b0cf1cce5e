//! The in-process domain-event bus. Services publish after their transaction commits;
//! subscriptions (and later webhooks) listen. Every event carries its organization, and
//! listeners filter on it, so no event crosses a tenant.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::Value as JsonValue;
use tokio::sync::broadcast;
use uuid::Uuid;

/// Something that happened to a domain object. Every mutation produces one per changed object,
/// mirroring the audit row written in the same transaction (same id and instant).
#[derive(Debug, Clone, PartialEq)]
pub struct DomainEvent {
    /// The id of the audit row that recorded the change.
    pub id: Uuid,
    /// The tenant the event belongs to.
    pub organization_id: Uuid,
    /// The user who caused it, if any.
    pub actor_id: Option<Uuid>,
    /// What happened (`create`, `update`, `delete`, `login`, ...).
    pub action: String,
    /// The kind of object (`User`).
    pub entity_type: String,
    /// The object's id.
    pub entity_id: Uuid,
    /// The object's state before the change, if it existed.
    pub before: Option<JsonValue>,
    /// The object's state after the change, if it still exists.
    pub after: Option<JsonValue>,
    /// When it happened.
    pub at: DateTime<Utc>,
}

/// Publishes and distributes domain events.
pub trait EventBus: Send + Sync {
    /// Publishes an event to every current subscriber. Never blocks; with no subscriber the
    /// event is dropped.
    fn publish(&self, event: DomainEvent);

    /// Subscribes to every event published from now on.
    fn subscribe(&self) -> broadcast::Receiver<DomainEvent>;
}

/// Shared handle to the bus.
pub type SharedEventBus = Arc<dyn EventBus>;

/// A bus inside one process, over a bounded broadcast channel; a subscriber that falls more
/// than `capacity` events behind loses the oldest ones rather than slowing publishers down.
pub struct InProcessBus {
    sender: broadcast::Sender<DomainEvent>,
}

impl InProcessBus {
    /// A bus keeping at most `capacity` undelivered events per subscriber.
    pub fn new(capacity: usize) -> Self {
        let (sender, _) = broadcast::channel(capacity.max(1));
        Self { sender }
    }

    /// A shared bus with a capacity fit for a server.
    pub fn shared() -> SharedEventBus {
        Arc::new(Self::new(1024))
    }
}

impl EventBus for InProcessBus {
    fn publish(&self, event: DomainEvent) {
        // An error only means nobody is listening right now.
        let _ = self.sender.send(event);
    }

    fn subscribe(&self) -> broadcast::Receiver<DomainEvent> {
        self.sender.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(action: &str) -> DomainEvent {
        DomainEvent {
            id: Uuid::nil(),
            organization_id: Uuid::nil(),
            actor_id: None,
            action: action.into(),
            entity_type: "User".into(),
            entity_id: Uuid::nil(),
            before: None,
            after: None,
            at: Utc::now(),
        }
    }

    #[tokio::test]
    async fn subscribers_receive_events_published_after_they_subscribed() {
        let bus = InProcessBus::new(8);
        bus.publish(event("before"));
        let mut rx = bus.subscribe();
        bus.publish(event("after"));
        let received = rx.recv().await.map(|e| e.action);
        assert_eq!(received.ok().as_deref(), Some("after"));
    }
}
