//! The macros that declare per-entity filter and order-by inputs, and enum filters.
//!
//! They expand in the calling crate, which must depend on `async-graphql` (its derive macros
//! refer to it by name) and needs no imports from here: the kernel's filters named in
//! [`entity_filter!`] (`StringFilter`, `Vec<CustomFieldFilter>`, ...) resolve to their own path,
//! and any other filter, such as an [`enum_filter!`] of the calling crate, is used as written.

/// Declares a filter input on an enumeration stored as text (see [`crate::db::DbEnum`]):
/// `enum_filter!(RoleFilter, Role, "Filters on a Role.")` makes the GraphQL input `RoleFilter`
/// with `eq`, `neq` and `in`, compiled to conditions on `as_db()` of the values.
#[macro_export]
macro_rules! enum_filter {
    ($name:ident, $enum:ty, $doc:literal $(,)?) => {
        #[doc = $doc]
        #[derive($crate::listing::__private::InputObject, Default, Clone, Debug)]
        pub struct $name {
            /// Equal to this value.
            pub eq: Option<$enum>,
            /// Different from this value.
            pub neq: Option<$enum>,
            /// One of these values (at most 500); an empty list matches nothing.
            #[graphql(name = "in")]
            pub in_: Option<Vec<$enum>>,
        }

        impl $name {
            /// The condition on `column`, which stores the enum as text (all operators ANDed);
            /// `field` names the input in errors.
            pub fn condition<C: $crate::listing::__private::sea_orm::ColumnTrait>(
                &self,
                column: C,
                field: &str,
            ) -> $crate::error::AppResult<$crate::listing::__private::sea_orm::Condition> {
                $crate::listing::__private::enum_condition(
                    column,
                    field,
                    self.eq.map(<$enum as $crate::db::DbEnum>::as_db),
                    self.neq.map(<$enum as $crate::db::DbEnum>::as_db),
                    self.in_.as_ref().map(|values| {
                        values
                            .iter()
                            .map(|v| <$enum as $crate::db::DbEnum>::as_db(*v))
                            .collect()
                    }),
                )
            }
        }
    };
}

/// Declares the filter input of an entity: one optional field per filterable column, each with
/// its filter type and column, plus `and`, `or` and `not`; and implements
/// [`FilterInput`](crate::listing::FilterInput) for it.
///
/// ```ignore
/// kernel::entity_filter! {
///     /// Filters users.
///     pub struct UserFilterInput {
///         email: StringFilter => crate::entity::user::Column::Email,
///         role: RoleFilter => crate::entity::user::Column::Role,
///     }
/// }
/// ```
///
/// GraphQL field names are the camelCase of the Rust ones, as async-graphql makes them; errors
/// and [`FilterInput::mentions`](crate::listing::FilterInput::mentions) use those names.
///
/// Conditions that are not on one column (through a related table, say) follow in a `custom`
/// block: each field with its input type and a function `fn(&Input, field: &str) ->
/// AppResult<Condition>` that builds its condition.
///
/// ```ignore
/// kernel::entity_filter! {
///     /// Filters contacts.
///     pub struct ContactFilterInput {
///         email: StringFilter => contact::Column::Email,
///     }
///     custom {
///         /// Has at least one of these tags.
///         tag_ids: Vec<Uuid> => tagged_with,
///     }
/// }
/// ```
#[macro_export]
macro_rules! entity_filter {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $field:ident : $filter:ident $(<$inner:ident>)? => $column:expr
            ),* $(,)?
        }
        $(
            custom {
                $(
                    $(#[$custom_meta:meta])*
                    $custom:ident : $custom_ty:ty => $condition:path
                ),* $(,)?
            }
        )?
    ) => {
        $(#[$meta])*
        #[derive($crate::listing::__private::InputObject, Default, Clone, Debug)]
        $vis struct $name {
            $(
                $(#[$field_meta])*
                pub $field: Option<$crate::__filter_type!($filter $(<$inner>)?)>,
            )*
            $($(
                $(#[$custom_meta])*
                pub $custom: Option<$custom_ty>,
            )*)?
            /// Every one of these filters must match.
            pub and: Option<Vec<$name>>,
            /// At least one of these filters must match; an empty list matches nothing.
            pub or: Option<Vec<$name>>,
            /// This filter must not match.
            pub not: Option<Box<$name>>,
        }

        impl $crate::listing::FilterInput for $name {
            fn mentions(&self, field: &str) -> bool {
                $(
                    if field == $crate::listing::__private::graphql_name(stringify!($field)) {
                        return self.$field.is_some();
                    }
                )*
                $($(
                    if field == $crate::listing::__private::graphql_name(stringify!($custom)) {
                        return self.$custom.is_some();
                    }
                )*)?
                match field {
                    "and" => self.and.is_some(),
                    "or" => self.or.is_some(),
                    "not" => self.not.is_some(),
                    _ => false,
                }
            }

            fn condition_within(
                &self,
                budget: &mut $crate::listing::FilterBudget,
                depth: usize,
            ) -> $crate::error::AppResult<$crate::listing::__private::sea_orm::Condition> {
                // `condition` of a list of custom-field filters comes from this trait.
                #[allow(unused_imports)]
                use $crate::listing::CustomFieldsCondition as _;
                budget.enter(depth)?;
                let mut parts = Vec::new();
                $(
                    if let Some(filter) = &self.$field {
                        let field = $crate::listing::__private::graphql_name(stringify!($field));
                        parts.push(filter.condition($column, &field)?);
                    }
                )*
                $($(
                    if let Some(input) = &self.$custom {
                        let field = $crate::listing::__private::graphql_name(stringify!($custom));
                        parts.push($condition(input, &field)?);
                    }
                )*)?
                for item in self.and.iter().flatten() {
                    parts.push(item.condition_within(budget, depth + 1)?);
                }
                let or = match &self.or {
                    Some(items) => Some(
                        items
                            .iter()
                            .map(|item| item.condition_within(budget, depth + 1))
                            .collect::<$crate::error::AppResult<Vec<_>>>()?,
                    ),
                    None => None,
                };
                let not = match &self.not {
                    Some(item) => Some(item.condition_within(budget, depth + 1)?),
                    None => None,
                };
                Ok($crate::listing::__private::combine_filter(parts, or, not))
            }
        }
    };
}

/// Declares the order-by input of an entity: one optional
/// [`OrderDirection`](crate::listing::OrderDirection) per sortable column, and
/// an [`OrderByInput`](crate::listing::OrderByInput) implementation turning an `orderBy` list
/// into sort keys.
///
/// ```ignore
/// kernel::entity_order_by! {
///     /// Orders users.
///     pub struct UserOrderByInput for crate::entity::user::Entity {
///         email => crate::entity::user::Column::Email,
///         created_at => crate::entity::user::Column::CreatedAt,
///     }
/// }
/// ```
#[macro_export]
macro_rules! entity_order_by {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident for $entity:path {
            $(
                $(#[$field_meta:meta])*
                $field:ident => $column:expr
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive($crate::listing::__private::InputObject, Default, Clone, Debug)]
        $vis struct $name {
            $(
                $(#[$field_meta])*
                pub $field: Option<$crate::listing::OrderDirection>,
            )*
        }

        impl $crate::listing::OrderByInput<$entity> for $name {
            fn sort_keys(
                list: &[Self],
            ) -> $crate::error::AppResult<Vec<$crate::listing::SortKey<$entity>>> {
                let mut keys = Vec::new();
                for item in list {
                    $(
                        if let Some(direction) = item.$field {
                            keys.push($crate::listing::SortKey::new($column, direction));
                        }
                    )*
                }
                $crate::listing::limit_sort_keys(keys)
            }
        }
    };
}

/// The type of an [`entity_filter!`](crate::entity_filter) field: the kernel's filters by their
/// own path, so a caller needs no import of them; any other filter (an `enum_filter!` of the
/// caller's) as the caller names it.
#[doc(hidden)]
#[macro_export]
macro_rules! __filter_type {
    (StringFilter) => { $crate::listing::StringFilter };
    (UuidFilter) => { $crate::listing::UuidFilter };
    (DateTimeFilter) => { $crate::listing::DateTimeFilter };
    (DateFilter) => { $crate::listing::DateFilter };
    (IntFilter) => { $crate::listing::IntFilter };
    (DecimalFilter) => { $crate::listing::DecimalFilter };
    (BooleanFilter) => { $crate::listing::BooleanFilter };
    (Vec<CustomFieldFilter>) => { Vec<$crate::listing::CustomFieldFilter> };
    ($filter:ident) => { $filter };
}
