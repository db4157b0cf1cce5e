//! Fields whose GraphQL type belongs to a crate above the one declaring them.
//!
//! Crates depend downwards only (the CRM on identity, never the reverse), yet the schema has
//! edges that point up: `User.contact` is declared with identity's `User` but returns the CRM's
//! `Contact`. A [`Foreign<T>`] is such a value. The declaring crate names the type (a
//! [`ForeignType`] with the GraphQL name) and asks a hook for the value; the crate above, which
//! defines the type and registers it with the schema through its own fields, answers with its
//! object wrapped by [`Foreign::new`]. The SDL is the same as if the field returned the object
//! directly.
//!
//! The declaring crate only refers to the type by name, so a schema without the crate above
//! would name a type it does not define; the gateway always serves every crate, and its schema
//! snapshot test would show such a gap.

use std::borrow::Cow;
use std::marker::PhantomData;

use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::{ContextSelectionSet, OutputType, Positioned, ServerResult, Value};
use futures_util::future::BoxFuture;

/// A GraphQL object type defined by a crate above, known here by its name only.
pub trait ForeignType: Send + Sync + 'static {
    /// The type's GraphQL name, exactly as the crate above declares it.
    const NAME: &'static str;
}

/// An object of the foreign type `T`, produced by the crate that defines it.
pub struct Foreign<T: ForeignType> {
    object: Box<dyn ErasedOutput>,
    _type: PhantomData<T>,
}

impl<T: ForeignType> Foreign<T> {
    /// Wraps the crate above's object of type `T`.
    ///
    /// # Panics
    /// If the object's GraphQL type is not `T`: the schema would describe one type and the
    /// response carry another.
    pub fn new<O: OutputType + 'static>(object: O) -> Self {
        assert_eq!(
            O::type_name(),
            T::NAME,
            "a Foreign<{}> must wrap an object of that type",
            T::NAME
        );
        Self {
            object: Box::new(object),
            _type: PhantomData,
        }
    }
}

impl<T: ForeignType> OutputType for Foreign<T> {
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(T::NAME)
    }

    fn create_type_info(_registry: &mut Registry) -> String {
        // The crate above registers the type through its own fields; this is a reference by
        // name (non-null, as for any object).
        format!("{}!", T::NAME)
    }

    fn introspection_type_name(&self) -> Cow<'static, str> {
        self.object.introspection_type_name()
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        self.object.resolve(ctx, field).await
    }
}

/// An output value whose type is known only at run time.
trait ErasedOutput: Send + Sync {
    fn introspection_type_name(&self) -> Cow<'static, str>;

    fn resolve<'a>(
        &'a self,
        ctx: &'a ContextSelectionSet<'a>,
        field: &'a Positioned<Field>,
    ) -> BoxFuture<'a, ServerResult<Value>>;
}

impl<O: OutputType> ErasedOutput for O {
    fn introspection_type_name(&self) -> Cow<'static, str> {
        OutputType::introspection_type_name(self)
    }

    fn resolve<'a>(
        &'a self,
        ctx: &'a ContextSelectionSet<'a>,
        field: &'a Positioned<Field>,
    ) -> BoxFuture<'a, ServerResult<Value>> {
        Box::pin(OutputType::resolve(self, ctx, field))
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema, SimpleObject};

    use super::*;

    /// The type a crate above defines.
    #[derive(SimpleObject)]
    struct Thing {
        name: String,
    }

    enum ThingType {}

    impl ForeignType for ThingType {
        const NAME: &'static str = "Thing";
    }

    struct Query;

    #[Object]
    impl Query {
        /// Declared below, typed by name only.
        async fn foreign(&self) -> Option<Foreign<ThingType>> {
            Some(Foreign::new(Thing {
                name: "from above".into(),
            }))
        }

        /// The crate above's own field, which registers the type.
        async fn thing(&self) -> Thing {
            Thing {
                name: "direct".into(),
            }
        }
    }

    #[tokio::test]
    async fn a_foreign_field_is_typed_and_resolved_as_the_type_above() {
        let schema = Schema::new(Query, EmptyMutation, EmptySubscription);
        let sdl = schema.sdl();
        assert!(sdl.contains("foreign: Thing\n"), "{sdl}");
        assert_eq!(sdl.matches("type Thing {").count(), 1, "{sdl}");
        let response = schema
            .execute("{ foreign { __typename name } thing { name } }")
            .await;
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        let data = response.data.into_json().expect("json");
        assert_eq!(data["foreign"]["__typename"], "Thing");
        assert_eq!(data["foreign"]["name"], "from above");
    }

    #[derive(SimpleObject)]
    struct Other {
        id: i32,
    }

    #[test]
    #[should_panic(expected = "must wrap an object of that type")]
    fn wrapping_another_type_is_refused() {
        let _ = Foreign::<ThingType>::new(Other { id: 1 });
    }
}
