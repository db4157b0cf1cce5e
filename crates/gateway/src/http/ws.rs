//! Subscriptions over WebSocket (graphql-transport-ws and the legacy graphql-ws). The token
//! arrives in `connection_init` (`{"authorization": "Bearer ..."}`), since browsers cannot set
//! headers on a WebSocket. On shutdown each socket gets a close frame (1001, going away).

use async_graphql::Data;
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use kernel::{Caller, ClientAddr};

use super::graphql::caller_from_bearer;
use super::json_error;
use super::{AppState, ClientIp};

/// Close code for "server going away".
const GOING_AWAY: u16 = 1001;

/// Upgrades `GET /graphql` to a subscription socket.
pub(super) async fn upgrade(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    protocol: Result<GraphQLProtocol, <GraphQLProtocol as FromRequestParts<AppState>>::Rejection>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let (protocol, upgrade) = match (protocol, upgrade) {
        (Ok(protocol), Ok(upgrade)) => (protocol, upgrade),
        // A WebSocket handshake that names no subprotocol we speak.
        (Err(_), Ok(_)) => {
            return json_error(
                StatusCode::BAD_REQUEST,
                "unsupported WebSocket subprotocol; ask for graphql-transport-ws (or the older graphql-ws) in Sec-WebSocket-Protocol",
                "BAD_USER_INPUT",
            );
        }
        _ => {
            return json_error(
                StatusCode::BAD_REQUEST,
                "GET /graphql is for subscriptions over WebSocket (graphql-transport-ws); send queries and mutations with POST",
                "BAD_USER_INPUT",
            );
        }
    };
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let tracker = state.sockets.clone();
            tracker.track_future(serve(state, socket, protocol, client))
        })
}

async fn serve(
    state: AppState,
    socket: WebSocket,
    protocol: GraphQLProtocol,
    client: Option<std::net::IpAddr>,
) {
    let (mut sink, stream) = socket.split();
    // When shutdown begins the input ends, which ends the GraphQL session.
    let stream = stream.take_until(state.shutdown.clone().cancelled_owned());
    let init_state = state.clone();
    GraphQLWebSocket::new_with_pair(&mut sink, stream, state.schema.clone(), protocol)
        .on_connection_init(move |payload| async move {
            let authorization = payload
                .get("authorization")
                .or_else(|| payload.get("Authorization"))
                .and_then(|v| v.as_str())
                .map(str::to_owned);
            let caller = caller_from_bearer(&init_state, authorization.as_deref()).await;
            if let Err(error) = caller.auth()
                && !matches!(caller, Caller::Anonymous)
            {
                return Err(error.into_graphql());
            }
            let mut data = Data::default();
            data.insert(caller);
            data.insert(ClientAddr(client));
            // Loaders live as long as the connection: each object loads once per connection.
            crate::schema::add_request_loaders(&mut data, &init_state.core.store().db);
            Ok(data)
        })
        .serve()
        .await;
    if state.shutdown.is_cancelled() {
        let frame = CloseFrame {
            code: GOING_AWAY,
            reason: "server shutting down".into(),
        };
        let _ = sink.send(Message::Close(Some(frame))).await;
    }
    let _ = sink.close().await;
}
