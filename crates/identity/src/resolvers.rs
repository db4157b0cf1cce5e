//! The resolvers every object has, declared rather than written: the lookup by id, the
//! filtered and paged list, create, update, and the lifecycle (delete, restore, destroy).
//!
//! Each reads the store and the caller from the context and hands over to the object's service
//! (or, for the lifecycle, to [`crate::audit::lifecycle`]), so argument names, paging and what a
//! repeated delete returns are the same on every object. An object's other resolvers live in a
//! root of their own beside the declared one.
//!
//! The GraphQL type is built from a service's model with `Type(model)` (a wrapper's
//! constructor), or with the function named after `via`. Each entry starts with its kind
//! (`get`, `list`, `create`, `update`, `delete`, `restore`, `destroy`); its doc comment becomes
//! the field's description. `tests/simple_object` uses both, compiled and tested.
//!
//! ```ignore
//! identity::object_queries! {
//!     /// Note queries.
//!     pub struct NoteQuery for Note;
//!     /// One note; null if absent, in another organization or not visible to the caller.
//!     get note = service::get_note;
//!     /// The notes the caller may read.
//!     list notes(NoteFilterInput, NoteOrderByInput) = service::list_notes;
//! }
//!
//! identity::object_mutations! {
//!     /// Note mutations.
//!     pub struct NoteMutation for Note(note::Entity);
//!     /// Writes a note.
//!     create create_note(NoteCreateInput) = service::create_note;
//!     /// Updates a note.
//!     update update_note(NoteUpdateInput) = service::update_note;
//!     /// Soft-deletes a note.
//!     delete delete_note;
//!     /// Restores a soft-deleted note.
//!     restore restore_note;
//!     /// Deletes a note for good (ADMIN).
//!     destroy destroy_note;
//! }
//! ```

/// A root with an object's lookup (`get`: `service(db, auth, id) -> Option<Model>`) and list
/// (`list`: `service(db, auth, &args)`, or with `search`, `service(db, auth, &args, search)`).
#[macro_export]
macro_rules! object_queries {
    (
        $(#[$meta:meta])*
        $vis:vis struct $Query:ident for $Object:ident $(via $wrap:path)?;
        $($entries:tt)*
    ) => {
        $(#[$meta])*
        #[derive(Default)]
        $vis struct $Query;

        $crate::object_queries!(@munch $Query $Object [$Object $(via $wrap)?] [] $($entries)*);
    };
    (
        @munch $Query:ident $Object:ident $wrapper:tt [$($methods:tt)*]
        $(#[$doc:meta])* get $name:ident = $service:path; $($rest:tt)*
    ) => {
        $crate::object_queries!(@munch $Query $Object $wrapper [$($methods)*
            $(#[$doc])*
            async fn $name(
                &self,
                ctx: &async_graphql::Context<'_>,
                id: uuid::Uuid,
            ) -> async_graphql::Result<Option<$Object>> {
                use kernel::ContextExt as _;
                let found = $service(ctx.db()?, ctx.auth()?, id).await?;
                Ok(found.map($crate::__object_wrap! $wrapper))
            }
        ] $($rest)*);
    };
    (
        @munch $Query:ident $Object:ident $wrapper:tt [$($methods:tt)*]
        $(#[$doc:meta])* list $name:ident($Filter:ty, $Order:ty $(, $search:ident)?) = $service:path;
        $($rest:tt)*
    ) => {
        $crate::object_queries!(@munch $Query $Object $wrapper [$($methods)*
            $(#[$doc])*
            async fn $name(
                &self,
                ctx: &async_graphql::Context<'_>,
                filter: Option<$Filter>,
                order_by: Option<Vec<$Order>>,
                first: Option<i32>,
                after: Option<String>,
                last: Option<i32>,
                before: Option<String>,
                $($search: Option<String>,)?
            ) -> async_graphql::Result<kernel::listing::ListConnection<$Object>> {
                use kernel::ContextExt as _;
                let args = kernel::listing::ListArgs::new(
                    ctx, filter, order_by, first, after, last, before,
                );
                let page = $service(ctx.db()?, ctx.auth()?, &args $(, $search.as_deref())?).await?;
                Ok(page.into_connection($crate::__object_wrap! $wrapper))
            }
        ] $($rest)*);
    };
    (@munch $Query:ident $Object:ident $wrapper:tt [$($methods:tt)*]) => {
        #[async_graphql::Object]
        impl $Query {
            $($methods)*
        }
    };
}

/// A root with an object's create (`service(store, auth, data.into())`), update
/// (`service(store, auth, id, data.into())`) and lifecycle (the entity's
/// [`Lifecycle`](crate::audit::lifecycle::Lifecycle)).
#[macro_export]
macro_rules! object_mutations {
    (
        $(#[$meta:meta])*
        $vis:vis struct $Mutation:ident for $Object:ident($Entity:path) $(via $wrap:path)?;
        $($entries:tt)*
    ) => {
        $(#[$meta])*
        #[derive(Default)]
        $vis struct $Mutation;

        $crate::object_mutations!(
            @munch $Mutation $Object ($Entity) [$Object $(via $wrap)?] [] $($entries)*
        );
    };
    (
        @munch $Mutation:ident $Object:ident ($Entity:path) $wrapper:tt [$($methods:tt)*]
        $(#[$doc:meta])* create $name:ident($Input:ty) = $service:path; $($rest:tt)*
    ) => {
        $crate::object_mutations!(@munch $Mutation $Object ($Entity) $wrapper [$($methods)*
            $(#[$doc])*
            async fn $name(
                &self,
                ctx: &async_graphql::Context<'_>,
                data: $Input,
            ) -> async_graphql::Result<$Object> {
                use kernel::ContextExt as _;
                let created = $service(ctx.store()?, ctx.auth()?, data.into()).await?;
                Ok($crate::__object_wrap! $wrapper(created))
            }
        ] $($rest)*);
    };
    (
        @munch $Mutation:ident $Object:ident ($Entity:path) $wrapper:tt [$($methods:tt)*]
        $(#[$doc:meta])* update $name:ident($Input:ty) = $service:path; $($rest:tt)*
    ) => {
        $crate::object_mutations!(@munch $Mutation $Object ($Entity) $wrapper [$($methods)*
            $(#[$doc])*
            async fn $name(
                &self,
                ctx: &async_graphql::Context<'_>,
                id: uuid::Uuid,
                data: $Input,
            ) -> async_graphql::Result<$Object> {
                use kernel::ContextExt as _;
                let updated = $service(ctx.store()?, ctx.auth()?, id, data.into()).await?;
                Ok($crate::__object_wrap! $wrapper(updated))
            }
        ] $($rest)*);
    };
    (
        @munch $Mutation:ident $Object:ident ($Entity:path) $wrapper:tt [$($methods:tt)*]
        $(#[$doc:meta])* destroy $name:ident; $($rest:tt)*
    ) => {
        $crate::object_mutations!(@munch $Mutation $Object ($Entity) $wrapper [$($methods)*
            $(#[$doc])*
            async fn $name(
                &self,
                ctx: &async_graphql::Context<'_>,
                id: uuid::Uuid,
            ) -> async_graphql::Result<uuid::Uuid> {
                use kernel::ContextExt as _;
                let (store, auth) = (ctx.store()?, ctx.auth()?);
                Ok($crate::audit::lifecycle::destroy::<$Entity>(store, auth, id).await?)
            }
        ] $($rest)*);
    };
    // `delete` and `restore`: the lifecycle operation of the same name.
    (
        @munch $Mutation:ident $Object:ident ($Entity:path) $wrapper:tt [$($methods:tt)*]
        $(#[$doc:meta])* $operation:ident $name:ident; $($rest:tt)*
    ) => {
        $crate::object_mutations!(@munch $Mutation $Object ($Entity) $wrapper [$($methods)*
            $(#[$doc])*
            async fn $name(
                &self,
                ctx: &async_graphql::Context<'_>,
                id: uuid::Uuid,
            ) -> async_graphql::Result<$Object> {
                use kernel::ContextExt as _;
                let (store, auth) = (ctx.store()?, ctx.auth()?);
                let changed = $crate::audit::lifecycle::$operation::<$Entity>(store, auth, id).await?;
                Ok($crate::__object_wrap! $wrapper(changed))
            }
        ] $($rest)*);
    };
    (@munch $Mutation:ident $Object:ident ($Entity:path) $wrapper:tt [$($methods:tt)*]) => {
        #[async_graphql::Object]
        impl $Mutation {
            $($methods)*
        }
    };
}

/// How a declared resolver builds its GraphQL type from a model.
#[doc(hidden)]
#[macro_export]
macro_rules! __object_wrap {
    ($Object:ident via $wrap:path) => {
        $wrap
    };
    ($Object:ident) => {
        $Object
    };
}
