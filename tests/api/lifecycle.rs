//! Health endpoints, request ids, subscriptions over WebSocket, graceful shutdown.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use test_support::TestApp;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::CREATE_TEAM;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

#[tokio::test]
async fn health_and_readiness_answer_in_json() {
    let app = TestApp::new().await;
    let (status, _, body) = app
        .request(
            Request::get("/healthz")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let health: Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(health["status"], json!("ok"));
    assert_eq!(health["version"], json!(env!("CARGO_PKG_VERSION")));
    assert!(health["commit"].is_string(), "{health}");
    let (status, _, body) = app
        .request(
            Request::get("/readyz")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        serde_json::from_slice::<Value>(&body)
            .ok()
            .and_then(|b| b.get("database").cloned()),
        Some(json!("ok"))
    );
    let (status, _, body) = app
        .request(Request::get("/").body(Body::empty()).expect("request"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&body).contains("graphiql"));
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::new().await;
    let (_, headers, _) = app
        .request(
            Request::get("/healthz")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert!(headers.get("x-request-id").is_some_and(|v| !v.is_empty()));
    let given = Request::get("/healthz")
        .header("x-request-id", "abc-123")
        .body(Body::empty())
        .expect("request");
    let (_, headers, _) = app.request(given).await;
    assert_eq!(
        headers.get("x-request-id").and_then(|v| v.to_str().ok()),
        Some("abc-123")
    );
}

#[tokio::test]
async fn responses_are_compressed_when_the_client_accepts_it() {
    let app = TestApp::new().await;
    let request = Request::get("/schema.graphql")
        .header("accept-encoding", "gzip")
        .body(Body::empty())
        .expect("request");
    let (status, headers, _) = app.request(request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers
            .get("content-encoding")
            .and_then(|v| v.to_str().ok()),
        Some("gzip")
    );
}

async fn connect(address: std::net::SocketAddr) -> Socket {
    let mut request = format!("ws://{address}/graphql")
        .into_client_request()
        .expect("ws request");
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    let (socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connect");
    socket
}

async fn next_json(socket: &mut Socket) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("a message within 5 s")
            .expect("socket open")
            .expect("valid frame");
        match message {
            Message::Text(text) => {
                return serde_json::from_str(text.as_str()).expect("json message");
            }
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("expected a text message, got {other:?}"),
        }
    }
}

async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::text(message.to_string()))
        .await
        .expect("send");
}

async fn init(socket: &mut Socket, token: Option<&str>) -> Value {
    let payload = token.map_or(
        json!({}),
        |t| json!({ "authorization": format!("Bearer {t}") }),
    );
    send(
        socket,
        json!({ "type": "connection_init", "payload": payload }),
    )
    .await;
    next_json(socket).await
}

#[tokio::test]
async fn subscriptions_deliver_only_the_callers_organizations_events_and_close_on_shutdown() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let beta = app.with_org("Beta").await;
    let mut server = app.serve().await;

    let mut socket = connect(server.address).await;
    assert_eq!(
        init(&mut socket, Some(&acme.admin.token)).await["type"],
        "connection_ack"
    );
    send(
        &mut socket,
        json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { auditLogCreated(entityType: \"Team\") { action entityType after actor { id } } }" } }),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    beta.admin
        .gql(CREATE_TEAM, json!({ "data": { "name": "Beta secret" } }))
        .await
        .data();
    acme.admin
        .gql(CREATE_TEAM, json!({ "data": { "name": "Acme team" } }))
        .await
        .data();
    let event = next_json(&mut socket).await;
    assert_eq!(event["type"], "next", "{event}");
    let entry = &event["payload"]["data"]["auditLogCreated"];
    assert_eq!(
        entry["after"]["name"], "Acme team",
        "Beta's event must never arrive: {event}"
    );
    assert_eq!(entry["actor"]["id"], json!(acme.admin.id));

    server.begin_shutdown();
    let close = tokio::time::timeout(Duration::from_secs(5), socket.next())
        .await
        .expect("close in time");
    match close {
        Some(Ok(Message::Close(Some(frame)))) => assert_eq!(u16::from(frame.code), 1001),
        other => panic!("expected a close frame, got {other:?}"),
    }
    server.wait().await.expect("server stops cleanly");
}

/// The error code of a refused subscription, sent as an `error` message or a `next` with errors.
fn error_code(message: &Value) -> String {
    let error = match message["type"].as_str() {
        Some("error") => &message["payload"][0],
        Some("next") => &message["payload"]["errors"][0],
        _ => panic!("expected a refusal, got {message}"),
    };
    error["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn subscriptions_need_an_admin_token_in_connection_init() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(kernel::Role::SalesRep).await;
    let server = app.serve().await;

    let mut anonymous = connect(server.address).await;
    assert_eq!(init(&mut anonymous, None).await["type"], "connection_ack");
    send(&mut anonymous, json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { auditLogCreated { action } }" } })).await;
    assert_eq!(
        error_code(&next_json(&mut anonymous).await),
        "UNAUTHENTICATED"
    );

    let mut not_admin = connect(server.address).await;
    assert_eq!(
        init(&mut not_admin, Some(&rep.token)).await["type"],
        "connection_ack"
    );
    send(&mut not_admin, json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { auditLogCreated { action } }" } })).await;
    assert_eq!(error_code(&next_json(&mut not_admin).await), "FORBIDDEN");

    let mut forged = connect(server.address).await;
    send(&mut forged, json!({ "type": "connection_init", "payload": { "authorization": "Bearer forged.token.here" } })).await;
    let answer = tokio::time::timeout(Duration::from_secs(5), forged.next())
        .await
        .expect("answer in time");
    assert!(
        !matches!(answer, Some(Ok(Message::Text(ref t))) if t.as_str().contains("connection_ack")),
        "{answer:?}"
    );
    server.shutdown().await.expect("stops");
}

#[tokio::test]
async fn shutdown_lets_an_in_flight_request_finish() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let mut server = app.serve().await;

    let body = json!({ "query": "{ me { email } }" }).to_string();
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAuthorization: Bearer {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        acme.admin.token,
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(server.address)
        .await
        .expect("connect");
    stream.write_all(head.as_bytes()).await.expect("head");
    let (first, rest) = body.split_at(5);
    stream
        .write_all(first.as_bytes())
        .await
        .expect("first part");
    tokio::time::sleep(Duration::from_millis(100)).await;

    server.begin_shutdown();
    tokio::time::sleep(Duration::from_millis(200)).await;
    // New connections are refused once shutdown has begun.
    let late = tokio::net::TcpStream::connect(server.address).await;
    if let Ok(mut late) = late {
        let mut buffer = Vec::new();
        let _ = late
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await;
        let read =
            tokio::time::timeout(Duration::from_secs(2), late.read_to_end(&mut buffer)).await;
        assert!(
            read.is_err() || !String::from_utf8_lossy(&buffer).contains("200 OK"),
            "a new request was served during shutdown"
        );
    }

    stream
        .write_all(rest.as_bytes())
        .await
        .expect("rest of the body");
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .await
        .expect("response");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains(&acme.admin.email), "{response}");
    server.wait().await.expect("server stops cleanly");
}

#[tokio::test]
async fn requests_outside_the_api_get_json_errors() {
    let app = TestApp::new().await;
    let cases = [
        (
            Request::get("/graphql")
                .body(Body::empty())
                .expect("request"),
            StatusCode::BAD_REQUEST,
        ),
        (
            Request::get("/nowhere")
                .body(Body::empty())
                .expect("request"),
            StatusCode::NOT_FOUND,
        ),
        (
            Request::put("/graphql")
                .body(Body::empty())
                .expect("request"),
            StatusCode::METHOD_NOT_ALLOWED,
        ),
    ];
    for (request, expected) in cases {
        let (status, headers, body) = app.request(request).await;
        assert_eq!(status, expected);
        assert_eq!(
            headers.get("content-type").and_then(|v| v.to_str().ok()),
            Some("application/json")
        );
        let body: Value = serde_json::from_slice(&body).expect("json body");
        assert!(
            body.pointer("/errors/0/extensions/code").is_some(),
            "{body}"
        );
    }
}

#[tokio::test]
async fn a_websocket_handshake_without_our_subprotocol_gets_a_json_error() {
    let app = TestApp::new().await;
    let server = app.serve().await;
    let mut request = format!("ws://{}/graphql", server.address)
        .into_client_request()
        .expect("ws request");
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", "chat".parse().expect("header"));
    let refused = tokio_tungstenite::connect_async(request).await;
    let Err(tokio_tungstenite::tungstenite::Error::Http(response)) = refused else {
        panic!("the handshake should be refused: {refused:?}");
    };
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = serde_json::from_slice(response.body().as_deref().unwrap_or_default())
        .expect("a JSON body");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("subprotocol"), "{message}");
    server.shutdown().await.expect("stops");
}
