//! Session creation (token format and uniqueness), health and metrics.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use std::collections::HashSet;

#[tokio::test]
async fn tokens_are_nine_digits_and_unique() {
    let server = TestServer::start().await;
    let mut tokens = HashSet::new();
    let mut secrets = HashSet::new();
    for _ in 0..500 {
        let created = server.create_session().await;
        let token = created.token.as_str().to_owned();
        assert_eq!(token.len(), 9);
        assert!(token.bytes().all(|b| b.is_ascii_digit()), "{token}");
        assert!(tokens.insert(token), "duplicate token");
        // 256 bits of base64url.
        assert_eq!(created.secret.len(), 43);
        assert!(
            created
                .secret
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert!(secrets.insert(created.secret));
        assert_eq!(
            created.socket_url,
            format!("ws://{}/cobrowse/ws/customer", server.addr)
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn the_number_of_live_sessions_is_bounded() {
    let server = TestServer::start_with(|c| c.max_live_sessions = 2).await;
    let (_, mut first) = server.customer().await;
    let _second = server.create_session().await;
    let refused = server
        .http
        .post(server.url("/cobrowse/rest/live/sessions"))
        .header("origin", server.origin())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 503);
    assert!(
        refused
            .headers()
            .contains_key("access-control-allow-origin")
    );
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rateLimited");
    // Once one ends, there is room again.
    first.send(&cobrowse_protocol::CustomerToServer::Exit).await;
    first.until_closed().await;
    let _third = server.create_session().await;
    server.stop().await;
}

#[tokio::test]
async fn health_and_metrics() {
    let server = TestServer::start().await;
    let response = server
        .http
        .get(server.url("/cobrowse/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ok");

    let _active = active(&server).await;
    let metrics = server.metrics().await;
    for line in [
        "cobrowse_sessions_live 1",
        "cobrowse_sessions_created_total 1",
        "cobrowse_sockets_open{role=\"customer\"} 1",
        "cobrowse_sockets_open{role=\"agent\"} 1",
        "cobrowse_snapshot_requests_total 1",
        "# TYPE cobrowse_frames_relayed_total counter",
        "cobrowse_resyncs_total 0",
    ] {
        assert!(
            metrics.lines().any(|l| l == line),
            "missing {line:?} in\n{metrics}"
        );
    }
    server.stop().await;
}
