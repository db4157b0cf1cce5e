//! `GET /`: the GraphiQL playground (development, or production with CRM_PLAYGROUND=true).

use async_graphql::http::GraphiQLSource;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use super::AppState;

/// Serves GraphiQL wired to `/graphql` for queries and subscriptions.
pub async fn graphiql(State(state): State<AppState>) -> Response {
    if !state.playground {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": "the playground is disabled" })),
        )
            .into_response();
    }
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql")
            .title("CRM GraphQL")
            .finish(),
    )
    .into_response()
}
