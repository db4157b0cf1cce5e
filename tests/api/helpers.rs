//! Operations and fixtures shared by the API tests.

use serde_json::{Value, json};
use test_support::{GqlResponse, TestApp};

pub(crate) const REGISTER: &str = "mutation Register($data: RegisterInput!) {
  register(data: $data) { token refreshToken user { id email role } organization { id name slug } }
}";

pub(crate) const LOGIN: &str = "mutation Login($email: String!, $password: String!) {
  login(data: { email: $email, password: $password }) { token refreshToken user { id email role lastLogin } }
}";

pub(crate) const REFRESH: &str = "mutation Refresh($token: String!) {
  refreshToken(token: $token) { token refreshToken user { id } }
}";

pub(crate) const ME: &str = "{ me { id email role } }";

pub(crate) const CREATE_TEAM: &str = "mutation CreateTeam($data: TeamCreateInput!) {
  createTeam(data: $data) { id name description lead { id } }
}";

pub(crate) const UPDATE_USER: &str = "mutation UpdateUser($id: UUID!, $data: UserUpdateInput!) {
  updateUser(id: $id, data: $data) { id role isActive jobTitle team { id name } manager { id } }
}";

/// Registration input with a valid password.
pub(crate) fn registration(organization: &str, email: &str) -> Value {
    json!({
        "organizationName": organization,
        "email": email,
        "password": "a long enough password",
        "firstName": "Ann",
        "lastName": "Lee"
    })
}

/// Registers through the API and returns the payload.
pub(crate) async fn register(app: &TestApp, organization: &str, email: &str) -> Value {
    let response = app
        .gql(
            REGISTER,
            json!({ "data": registration(organization, email) }),
            None,
        )
        .await;
    response.at("/register").clone()
}

/// Logs in through the API.
pub(crate) async fn login(app: &TestApp, email: &str, password: &str) -> GqlResponse {
    app.gql(LOGIN, json!({ "email": email, "password": password }), None)
        .await
}

/// A string field of a JSON value.
pub(crate) fn text<'v>(value: &'v Value, pointer: &str) -> &'v str {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {value}"))
}

/// How many rows a table has (to prove nothing was written).
pub(crate) async fn count_rows(app: &TestApp, table: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.db().get_database_backend();
    let row = app
        .db()
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .expect("count query")
        .expect("a row");
    row.try_get::<i64>("", "n").expect("count")
}
