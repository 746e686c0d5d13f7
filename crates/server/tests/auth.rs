//! Login, logout, `me`, and the cookie the agent socket requires.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use tokio_tungstenite::tungstenite::http::StatusCode;

#[tokio::test]
async fn login_me_logout() {
    let server = TestServer::start().await;
    let response = server
        .http
        .post(server.url("/cobrowse/rest/auth/login"))
        .json(&serde_json::json!({"username": AGENT1, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "plain http: {set_cookie}");
    let me: cobrowse_protocol::Me = response.json().await.unwrap();
    assert_eq!(me.username, AGENT1);
    assert_eq!(me.role, cobrowse_protocol::Role::Agent);
    let cookie = set_cookie.split(';').next().unwrap().to_owned();

    let response = server
        .http
        .get(server.url("/cobrowse/rest/auth/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let me: cobrowse_protocol::Me = response.json().await.unwrap();
    assert_eq!(me.username, AGENT1);

    let response = server
        .http
        .post(server.url("/cobrowse/rest/auth/logout"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let response = server
        .http
        .get(server.url("/cobrowse/rest/auth/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthenticated");
    // The revoked cookie no longer opens an agent socket.
    assert_eq!(
        try_connect(&server.ws_url("/cobrowse/ws/agent"), &[("cookie", &cookie)])
            .await
            .err(),
        Some(StatusCode::UNAUTHORIZED)
    );
    server.stop().await;
}

#[tokio::test]
async fn unknown_user_and_wrong_password_get_the_same_answer() {
    let server = TestServer::start().await;
    let mut answers = Vec::new();
    for (user, password) in [(AGENT1, "wrong password"), ("nobody", PASSWORD)] {
        let response = server
            .http
            .post(server.url("/cobrowse/rest/auth/login"))
            .json(&serde_json::json!({"username": user, "password": password}))
            .send()
            .await
            .unwrap();
        assert!(response.headers().get("set-cookie").is_none());
        answers.push((response.status(), response.text().await.unwrap()));
    }
    assert_eq!(answers[0].0, 401);
    assert_eq!(answers[0], answers[1]);
    server.stop().await;
}

#[tokio::test]
async fn agent_sockets_require_a_login() {
    let server = TestServer::start().await;
    let url = server.ws_url("/cobrowse/ws/agent");
    assert_eq!(
        try_connect(&url, &[]).await.err(),
        Some(StatusCode::UNAUTHORIZED)
    );
    assert_eq!(
        try_connect(&url, &[("cookie", "cobrowse_auth=forged")])
            .await
            .err(),
        Some(StatusCode::UNAUTHORIZED)
    );
    server.stop().await;
}

#[tokio::test]
async fn bad_request_bodies_get_json_errors() {
    let server = TestServer::start().await;
    let url = server.url("/cobrowse/rest/auth/login");
    let cases: [(&str, &str, u16); 4] = [
        ("application/json", "{not json", 400),
        ("application/json", r#"{"username": 1}"#, 400),
        ("text/plain", r#"{"username":"a","password":"b"}"#, 415),
        ("application/json", &"x".repeat(100_000), 413),
    ];
    for (content_type, body, status) in cases {
        let response = server
            .http
            .post(&url)
            .header("content-type", content_type)
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{content_type} {body:.20}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "badMessage");
        assert!(body["error"]["message"].as_str().unwrap().len() > 3);
    }
    server.stop().await;
}

#[tokio::test]
async fn the_cookie_is_secure_behind_https() {
    let server = TestServer::start_with(|c| {
        c.public_url =
            Some(cobrowse_server::config::PublicUrl::parse("https://cobrowse.example").unwrap());
    })
    .await;
    let response = server
        .http
        .post(server.url("/cobrowse/rest/auth/login"))
        .json(&serde_json::json!({"username": AGENT1, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("; Secure")
    );
    server.stop().await;
}
