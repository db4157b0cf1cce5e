//! The in-process domain-event bus. Services publish after their transaction commits;
//! subscriptions (and later webhooks) listen. Every event carries its organization, and
//! listeners filter on it, so no event crosses a tenant.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::Value as JsonValue;
use tokio::sync::broadcast;
use uuid::Uuid;

/// What happened to an object, as its audit row and event say it. Stored and sent as the
/// lower-case text of [`Action::as_str`], which never changes for an existing action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Create,
    Update,
    /// Soft delete.
    Delete,
    Restore,
    /// Removal for good.
    Destroy,
    /// An opportunity moved to another stage.
    Move,
    /// A lead converted into a contact, company and opportunity.
    Convert,
    /// Duplicates merged into one object.
    Merge,
    Tag,
    Untag,
    /// Contacts added to a hand-picked segment.
    AddMembers,
    /// Contacts removed from a hand-picked segment.
    RemoveMembers,
    /// An invitation accepted.
    Accept,
    Login,
    Logout,
    RefreshToken,
    ChangePassword,
}

impl Action {
    /// The stored and published text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::Restore => "restore",
            Self::Destroy => "destroy",
            Self::Move => "move",
            Self::Convert => "convert",
            Self::Merge => "merge",
            Self::Tag => "tag",
            Self::Untag => "untag",
            Self::AddMembers => "add_members",
            Self::RemoveMembers => "remove_members",
            Self::Accept => "accept",
            Self::Login => "login",
            Self::Logout => "logout",
            Self::RefreshToken => "refresh_token",
            Self::ChangePassword => "change_password",
        }
    }
}

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
    /// What happened.
    pub action: Action,
    /// The kind of object: its label (`TenantObject::LABEL`, such as `User`).
    pub entity_type: &'static str,
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

    fn event(action: Action) -> DomainEvent {
        DomainEvent {
            id: Uuid::nil(),
            organization_id: Uuid::nil(),
            actor_id: None,
            action,
            entity_type: "User",
            entity_id: Uuid::nil(),
            before: None,
            after: None,
            at: Utc::now(),
        }
    }

    /// Stored audit rows and subscribers read these texts: they never change.
    #[test]
    fn action_texts_are_stable() {
        let all = [
            (Action::Create, "create"),
            (Action::Update, "update"),
            (Action::Delete, "delete"),
            (Action::Restore, "restore"),
            (Action::Destroy, "destroy"),
            (Action::Move, "move"),
            (Action::Convert, "convert"),
            (Action::Merge, "merge"),
            (Action::Tag, "tag"),
            (Action::Untag, "untag"),
            (Action::AddMembers, "add_members"),
            (Action::RemoveMembers, "remove_members"),
            (Action::Accept, "accept"),
            (Action::Login, "login"),
            (Action::Logout, "logout"),
            (Action::RefreshToken, "refresh_token"),
            (Action::ChangePassword, "change_password"),
        ];
        for (action, text) in all {
            // No wildcard: a new action does not compile until it is listed here too.
            match action {
                Action::Create
                | Action::Update
                | Action::Delete
                | Action::Restore
                | Action::Destroy
                | Action::Move
                | Action::Convert
                | Action::Merge
                | Action::Tag
                | Action::Untag
                | Action::AddMembers
                | Action::RemoveMembers
                | Action::Accept
                | Action::Login
                | Action::Logout
                | Action::RefreshToken
                | Action::ChangePassword => {}
            }
            assert_eq!(action.as_str(), text);
        }
    }

    #[tokio::test]
    async fn subscribers_receive_events_published_after_they_subscribed() {
        let bus = InProcessBus::new(8);
        bus.publish(event(Action::Create));
        let mut rx = bus.subscribe();
        bus.publish(event(Action::Update));
        let received = rx.recv().await.map(|e| e.action);
        assert_eq!(received.ok(), Some(Action::Update));
    }
}
