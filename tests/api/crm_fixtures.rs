//! Fixtures shared by the CRM tests: contacts through the API.

use serde_json::{Value, json};
use test_support::TestUser;

pub(crate) const CREATE_CONTACT: &str =
    "mutation($data: ContactCreateInput!) { createContact(data: $data) { id email } }";

/// Creates a contact and returns its id.
pub(crate) async fn contact(user: &TestUser, data: Value) -> String {
    let response = user.gql(CREATE_CONTACT, json!({ "data": data })).await;
    response
        .at("/createContact/id")
        .as_str()
        .unwrap_or_else(|| panic!("no id in {}", response.body))
        .to_owned()
}
