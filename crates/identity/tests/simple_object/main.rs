//! A new object on the mechanism, end to end: the bookmark (`bookmarks/`, entity, service and
//! resolvers; no other code) gets lookup, filtered list, create, update, idempotent delete and
//! restore, destroy, tenant isolation and audit rows from `kernel` and `identity` alone.
#![allow(
    unreachable_pub,
    reason = "the bookmark slice is written as in a domain crate, where these items are public"
)]
#![allow(clippy::unwrap_used, reason = "a step that fails fails the test")]

mod bookmarks;

use async_graphql::{EmptySubscription, Request, Schema, Variables};
use identity::entity::audit_log;
use identity::hooks::Hooks;
use identity::organizations::service::{NewOrganization, create_organization};
use identity::{IdentityConfig, IdentityState};
use kernel::events::InProcessBus;
use kernel::object::TenantTable;
use kernel::{AuthContext, Caller, Role, Store};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, PaginatorTrait, Schema as Tables};
use serde_json::{Value, json};

use bookmarks::graphql::{BookmarkMutation, BookmarkQuery};

type BookmarkSchema = Schema<BookmarkQuery, BookmarkMutation, EmptySubscription>;

struct World {
    schema: BookmarkSchema,
    store: Store,
    admin: AuthContext,
    stranger: AuthContext,
}

async fn world() -> World {
    let db = Database::connect("sqlite::memory:").await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    let backend = db.get_database_backend();
    let table = Tables::new(backend).create_table_from_entity(bookmarks::entity::Entity);
    db.execute(&table).await.unwrap();
    let store = Store::new(db, InProcessBus::shared());
    let config = IdentityConfig {
        jwt_secret: b"a test secret of thirty-two bytes".to_vec(),
        rate_limits: Default::default(),
        allow_registration: true,
    };
    let state = IdentityState::new(store.clone(), &config, Hooks::default());
    let mut admins = Vec::new();
    for name in ["Bookmark Org", "Stranger Org"] {
        let (organization, user) = create_organization(
            &state,
            NewOrganization {
                name: name.into(),
                email: format!("admin@{}.example", name.len() + admins.len()),
                password: "correct horse battery".into(),
                first_name: "Ada".into(),
                last_name: "Admin".into(),
                role: Role::Admin,
            },
        )
        .await
        .unwrap();
        admins.push(AuthContext {
            user_id: user.id,
            organization_id: organization.id,
            role: Role::Admin,
        });
    }
    let schema = Schema::build(BookmarkQuery, BookmarkMutation, EmptySubscription)
        .data(store.clone())
        .finish();
    let stranger = admins.pop().unwrap();
    let admin = admins.pop().unwrap();
    World {
        schema,
        store,
        admin,
        stranger,
    }
}

impl World {
    /// Runs an operation as `caller`; the data, or the first error's code.
    async fn run(
        &self,
        caller: &AuthContext,
        query: &str,
        variables: Value,
    ) -> Result<Value, String> {
        let request = Request::new(query)
            .variables(Variables::from_json(variables))
            .data(Caller::Authenticated(caller.clone()));
        let response = self.schema.execute(request).await;
        match response.errors.first() {
            Some(error) => Err(error
                .extensions
                .as_ref()
                .and_then(|e| e.get("code"))
                .map(|code| code.to_string())
                .unwrap_or_else(|| error.message.clone())),
            None => Ok(response.data.into_json().unwrap()),
        }
    }

    async fn audit_rows(&self) -> u64 {
        audit_log::Entity::scoped(self.admin.scope())
            .count(&self.store.db)
            .await
            .unwrap()
    }
}

const FIELDS: &str = "id title url deletedAt updatedAt";

#[tokio::test]
async fn a_new_object_gets_the_shared_behaviour_from_the_mechanism() {
    let w = world().await;
    let baseline = w.audit_rows().await;
    let create = format!(
        "mutation($data: BookmarkCreateInput!) {{ createBookmark(data: $data) {{ {FIELDS} }} }}"
    );
    let created = w
        .run(
            &w.admin,
            &create,
            json!({"data": {"title": "Docs", "url": "https://example.com/docs"}}),
        )
        .await
        .unwrap()["createBookmark"]
        .clone();
    let id = created["id"].as_str().unwrap().to_owned();
    let bad = w
        .run(
            &w.admin,
            &create,
            json!({"data": {"title": "  ", "url": "https://example.com"}}),
        )
        .await;
    assert_eq!(bad.unwrap_err(), "\"BAD_USER_INPUT\"");

    // The filtered list and the lookup.
    let list = "query($filter: BookmarkFilterInput) { bookmarks(filter: $filter) { totalCount edges { node { id } } } }";
    let found = w
        .run(
            &w.admin,
            list,
            json!({"filter": {"title": {"ilike": "doc%"}}}),
        )
        .await
        .unwrap();
    assert_eq!(found["bookmarks"]["totalCount"], 1);
    let none = w
        .run(
            &w.admin,
            list,
            json!({"filter": {"title": {"ilike": "zzz%"}}}),
        )
        .await
        .unwrap();
    assert_eq!(none["bookmarks"]["totalCount"], 0);

    // An update that changes nothing writes and records nothing.
    let update = format!(
        "mutation($id: UUID!, $data: BookmarkUpdateInput!) {{ updateBookmark(id: $id, data: $data) {{ {FIELDS} }} }}"
    );
    let same = w
        .run(
            &w.admin,
            &update,
            json!({"id": id, "data": {"title": "Docs"}}),
        )
        .await
        .unwrap();
    assert_eq!(same["updateBookmark"]["updatedAt"], created["updatedAt"]);
    let renamed = w
        .run(
            &w.admin,
            &update,
            json!({"id": id, "data": {"title": "Manual"}}),
        )
        .await
        .unwrap();
    assert_eq!(renamed["updateBookmark"]["title"], "Manual");

    // Delete and restore are idempotent; a deleted bookmark leaves the default list.
    let delete = format!("mutation($id: UUID!) {{ deleteBookmark(id: $id) {{ {FIELDS} }} }}");
    let deleted = w.run(&w.admin, &delete, json!({"id": id})).await.unwrap();
    let again = w.run(&w.admin, &delete, json!({"id": id})).await.unwrap();
    assert!(deleted["deleteBookmark"]["deletedAt"].is_string());
    assert_eq!(deleted, again);
    let listed = w.run(&w.admin, list, json!({})).await.unwrap();
    assert_eq!(listed["bookmarks"]["totalCount"], 0);
    let restore = format!("mutation($id: UUID!) {{ restoreBookmark(id: $id) {{ {FIELDS} }} }}");
    let restored = w.run(&w.admin, &restore, json!({"id": id})).await.unwrap();
    let again = w.run(&w.admin, &restore, json!({"id": id})).await.unwrap();
    assert!(restored["restoreBookmark"]["deletedAt"].is_null());
    assert_eq!(restored, again);

    // Another organization's bookmark is a random id.
    let lookup = "query($id: UUID!) { bookmark(id: $id) { id } }";
    let foreign = w.run(&w.stranger, lookup, json!({"id": id})).await.unwrap();
    assert!(foreign["bookmark"].is_null());
    let refused = w.run(&w.stranger, &delete, json!({"id": id})).await;
    assert_eq!(refused.unwrap_err(), "\"NOT_FOUND\"");
    let destroy = "mutation($id: UUID!) { destroyBookmark(id: $id) }";
    let refused = w.run(&w.stranger, destroy, json!({"id": id})).await;
    assert_eq!(refused.unwrap_err(), "\"NOT_FOUND\"");

    // Destroy removes it for good.
    let destroyed = w.run(&w.admin, destroy, json!({"id": id})).await.unwrap();
    assert_eq!(destroyed["destroyBookmark"], json!(id));
    let gone = w.run(&w.admin, lookup, json!({"id": id})).await.unwrap();
    assert!(gone["bookmark"].is_null());

    // One audit row per change: create, rename, delete, restore, destroy.
    assert_eq!(w.audit_rows().await - baseline, 5);
}
