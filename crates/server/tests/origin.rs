//! Origin checks: session REST API (with CORS), customer socket, agent socket.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use tokio_tungstenite::tungstenite::http::StatusCode;

const SHOP: &str = "https://shop.example";

async fn allowing_shop() -> TestServer {
    TestServer::start_with(|c| c.allowed_origins = vec![SHOP.to_owned()]).await
}

#[tokio::test]
async fn sessions_are_created_only_for_allowed_origins() {
    let server = allowing_shop().await;
    let url = server.url("/cobrowse/rest/live/sessions");
    for origin in [SHOP.to_owned(), server.origin()] {
        let response = server
            .http
            .post(&url)
            .header("origin", &origin)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "origin {origin}");
        assert_eq!(
            response.headers()["access-control-allow-origin"],
            origin.as_str()
        );
    }
    for origin in [Some("https://evil.example"), Some("null"), None] {
        let mut request = server.http.post(&url);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 403, "origin {origin:?}");
        assert!(
            response
                .headers()
                .get("access-control-allow-origin")
                .is_none()
        );
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "forbidden");
    }
    server.stop().await;
}

#[tokio::test]
async fn cors_preflight_is_answered_for_allowed_origins_only() {
    let server = allowing_shop().await;
    let url = server.url("/cobrowse/rest/live/sessions");
    let response = server
        .http
        .request(reqwest::Method::OPTIONS, &url)
        .header("origin", SHOP)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let h = response.headers();
    assert_eq!(h["access-control-allow-origin"], SHOP);
    assert!(
        h["access-control-allow-methods"]
            .to_str()
            .unwrap()
            .contains("POST")
    );
    assert!(
        h["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .contains("content-type")
    );
    let response = server
        .http
        .request(reqwest::Method::OPTIONS, &url)
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    server.stop().await;
}

#[tokio::test]
async fn customer_sockets_check_the_origin_before_the_upgrade() {
    let server = allowing_shop().await;
    let url = server.ws_url("/cobrowse/ws/customer");
    let own = server.origin();
    for headers in [
        vec![],
        vec![("origin", SHOP)],
        vec![("origin", own.as_str())],
    ] {
        assert!(
            try_connect(&url, &headers).await.is_ok(),
            "refused with {headers:?}"
        );
    }
    assert_eq!(
        try_connect(&url, &[("origin", "https://evil.example")])
            .await
            .err(),
        Some(StatusCode::FORBIDDEN)
    );
    server.stop().await;
}

#[tokio::test]
async fn agent_sockets_accept_only_the_servers_own_origin() {
    let server = allowing_shop().await;
    let cookie = server.login(AGENT1).await;
    let url = server.ws_url("/cobrowse/ws/agent");
    let own = server.origin();
    assert!(
        try_connect(&url, &[("cookie", &cookie), ("origin", &own)])
            .await
            .is_ok()
    );
    for origin in [SHOP, "https://evil.example"] {
        assert_eq!(
            try_connect(&url, &[("cookie", &cookie), ("origin", origin)])
                .await
                .err(),
            Some(StatusCode::FORBIDDEN),
            "origin {origin}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn the_public_url_is_the_own_origin() {
    let server = TestServer::start_with(|c| {
        c.public_url =
            Some(cobrowse_server::config::PublicUrl::parse("https://cobrowse.example").unwrap());
    })
    .await;
    let url = server.url("/cobrowse/rest/live/sessions");
    let response = server
        .http
        .post(&url)
        .header("origin", "https://cobrowse.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let created: cobrowse_protocol::CreatedSession = response.json().await.unwrap();
    assert_eq!(
        created.socket_url,
        "wss://cobrowse.example/cobrowse/ws/customer"
    );
    // The Host-derived origin is no longer the server's own.
    let response = server
        .http
        .post(&url)
        .header("origin", server.origin())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    server.stop().await;
}
