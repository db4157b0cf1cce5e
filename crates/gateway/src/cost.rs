//! The cost of a query: roughly how many rows it may make the server load, so that a limit on
//! it refuses abuse and accepts the screens a real frontend asks for.
//!
//! - A scalar or enum field is free: it is a column of a row already loaded. `totalCount`
//!   costs 1 (it is a count query of its own).
//! - An object field costs 1 (a row, usually through a DataLoader) plus its selection.
//! - A paginated field (one with `first`/`last`) costs 1, and the rows of its page, `edges` or
//!   `nodes`, count `first` (or `last`, default 20, at most 100) times their own cost.
//! - Any other list counts [`UNPAGED_LIST_ROWS`] times its element's cost.
//!
//! So a table page of 100 contacts with 30 columns and two to-one relations (company, owner)
//! costs 1 + 1 + 100 × (1 + 1 + 2) = 402, while nested pages multiply: 100 users × 100 team
//! members cost over 20,000. Computed from the parsed document and the schema's registry,
//! before anything runs; fragments are followed, a fragment cycle (rejected later by validation)
//! is not.

use std::collections::HashSet;

use async_graphql::Variables;
use async_graphql::parser::types::{
    ExecutableDocument, Field, OperationType, Selection, SelectionSet,
};
use async_graphql::registry::{MetaType, Registry};
use async_graphql::{Positioned, Value};
use kernel::listing::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

/// Rows a list without pagination arguments is assumed to hold (line items, tags, members).
pub const UNPAGED_LIST_ROWS: u64 = 10;

/// The cost of the costliest operation of the document.
pub fn query_cost(
    registry: &Registry,
    document: &ExecutableDocument,
    variables: &Variables,
) -> u64 {
    let walker = Walker {
        registry,
        document,
        variables,
    };
    document
        .operations
        .iter()
        .map(|(_, operation)| {
            let root = match operation.node.ty {
                OperationType::Query => Some(registry.query_type.as_str()),
                OperationType::Mutation => registry.mutation_type.as_deref(),
                OperationType::Subscription => registry.subscription_type.as_deref(),
            };
            root.map_or(0, |root| {
                walker.set(
                    &operation.node.selection_set,
                    root,
                    None,
                    &mut HashSet::new(),
                )
            })
        })
        .max()
        .unwrap_or(0)
}

struct Walker<'a> {
    registry: &'a Registry,
    document: &'a ExecutableDocument,
    variables: &'a Variables,
}

impl Walker<'_> {
    /// The cost of a selection on `type_name`; `page` is the page size when the type is a
    /// connection (its `edges` and `nodes` hold that many rows).
    fn set(
        &self,
        set: &Positioned<SelectionSet>,
        type_name: &str,
        page: Option<u64>,
        fragments: &mut HashSet<String>,
    ) -> u64 {
        set.node
            .items
            .iter()
            .map(|selection| match &selection.node {
                Selection::Field(field) => self.field(&field.node, type_name, page, fragments),
                Selection::InlineFragment(fragment) => {
                    let on = fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map_or(type_name, |c| c.node.on.node.as_str());
                    self.set(&fragment.node.selection_set, on, page, fragments)
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    match self.document.fragments.get(&spread.node.fragment_name.node) {
                        Some(fragment) if fragments.insert(name.to_owned()) => {
                            let on = fragment.node.type_condition.node.on.node.as_str();
                            let cost = self.set(&fragment.node.selection_set, on, page, fragments);
                            fragments.remove(name);
                            cost
                        }
                        _ => 0,
                    }
                }
            })
            .fold(0, u64::saturating_add)
    }

    fn field(
        &self,
        field: &Field,
        parent: &str,
        page: Option<u64>,
        fragments: &mut HashSet<String>,
    ) -> u64 {
        let name = field.name.node.as_str();
        if name.starts_with("__") {
            return 0;
        }
        let Some(meta) = self
            .registry
            .types
            .get(parent)
            .and_then(|ty| ty.field_by_name(name))
        else {
            return 0; // an unknown field: validation refuses it
        };
        let type_name = meta.ty.trim_matches(|c| matches!(c, '[' | ']' | '!'));
        let is_list = meta.ty.contains('[');
        match self.registry.types.get(type_name) {
            Some(MetaType::Scalar { .. } | MetaType::Enum { .. }) | None => {
                u64::from(name == "totalCount")
            }
            Some(_) => {
                let paginated = meta.args.contains_key("first") || meta.args.contains_key("last");
                let (rows, child_page) = if paginated {
                    (1, Some(self.page_size(field)))
                } else if is_list {
                    (page.unwrap_or(UNPAGED_LIST_ROWS), None)
                } else {
                    (1, None)
                };
                let each = 1u64.saturating_add(self.set(
                    &field.selection_set,
                    type_name,
                    child_page,
                    fragments,
                ));
                rows.saturating_mul(each)
            }
        }
    }

    /// `first` or `last` as given (literally or through a variable), bounded like the API.
    fn page_size(&self, field: &Field) -> u64 {
        ["first", "last"]
            .iter()
            .find_map(|arg| {
                let value = field.get_argument(arg)?;
                let value = value
                    .node
                    .clone()
                    .into_const_with(|name| self.variables.get(&name).cloned().ok_or(()));
                match value {
                    Ok(Value::Number(n)) => n.as_u64(),
                    _ => None,
                }
            })
            // A larger page is refused as BAD_USER_INPUT, naming the argument; counted as the
            // largest page here, so that the clearer error gets through.
            .map_or(DEFAULT_PAGE_SIZE as u64, |size| {
                size.clamp(1, MAX_PAGE_SIZE as u64)
            })
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;
    use async_graphql::{Object, OutputType, SimpleObject};

    use super::*;

    #[derive(SimpleObject, Default)]
    struct Company {
        id: i32,
        name: String,
    }

    #[derive(SimpleObject, Default)]
    struct Contact {
        id: i32,
        first_name: String,
        company: Company,
        owner: Company,
        tags: Vec<Company>,
    }

    #[derive(SimpleObject, Default)]
    struct ContactEdge {
        cursor: String,
        node: Contact,
    }

    #[derive(SimpleObject, Default)]
    struct PageInfo {
        has_next_page: bool,
    }

    #[derive(SimpleObject, Default)]
    struct ContactConnection {
        edges: Vec<ContactEdge>,
        page_info: PageInfo,
        total_count: i64,
    }

    struct Query;

    #[Object]
    impl Query {
        async fn contacts(&self, first: Option<i32>, last: Option<i32>) -> ContactConnection {
            let _ = (first, last);
            ContactConnection::default()
        }
        async fn contact(&self) -> Contact {
            Contact::default()
        }
        async fn version(&self) -> String {
            String::new()
        }
    }

    fn cost(query: &str, variables: serde_json::Value) -> u64 {
        let mut registry = Registry {
            query_type: "Query".into(),
            ..Registry::default()
        };
        <Query as OutputType>::create_type_info(&mut registry);
        let document = parse_query(query).expect("parses");
        let variables = Variables::from_json(variables);
        query_cost(&registry, &document, &variables)
    }

    #[test]
    fn scalars_are_free_and_objects_cost_a_row() {
        assert_eq!(cost("{ version }", serde_json::json!({})), 0);
        assert_eq!(
            cost("{ contact { id firstName } }", serde_json::json!({})),
            1
        );
        assert_eq!(
            cost(
                "{ contact { id company { id name } owner { id } } }",
                serde_json::json!({})
            ),
            3
        );
    }

    #[test]
    fn a_page_multiplies_its_rows_only() {
        let page = "{ contacts(first: 100) { totalCount pageInfo { hasNextPage } edges { cursor node { id firstName company { name } owner { name } } } } }";
        // 1 (the page) + 1 (count) + 1 (pageInfo) + 100 × (edge + node + company + owner).
        assert_eq!(cost(page, serde_json::json!({})), 403);
        let by_variable = "query($n: Int) { contacts(first: $n) { edges { node { id } } } }";
        assert_eq!(
            cost(by_variable, serde_json::json!({ "n": 10 })),
            1 + 10 * 2
        );
        // No size: the default page; more than the maximum: counted as the maximum.
        assert_eq!(
            cost(
                "{ contacts { edges { node { id } } } }",
                serde_json::json!({})
            ),
            41
        );
        assert_eq!(
            cost(
                "{ contacts(last: 5000) { edges { node { id } } } }",
                serde_json::json!({})
            ),
            201
        );
    }

    #[test]
    fn unpaged_lists_and_fragments_count_too() {
        assert_eq!(
            cost("{ contact { tags { name } } }", serde_json::json!({})),
            1 + 10
        );
        let fragments = "{ contact { ...C } } fragment C on Contact { company { id } ... on Contact { owner { id } } }";
        assert_eq!(cost(fragments, serde_json::json!({})), 3);
        // A cycle is validation's to refuse; the cost only must not recurse forever.
        let cycle = "{ contact { ...A } } fragment A on Contact { company { id } ...B } fragment B on Contact { ...A }";
        assert_eq!(cost(cycle, serde_json::json!({})), 2);
    }
}
