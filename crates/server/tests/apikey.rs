//! API keys (`cobrowse apikey`) and `DELETE /cobrowse/rest/live/sessions/{token}`: a contact-centre
//! integration ends a live session.

#![allow(clippy::unwrap_used)]

mod common;

use cobrowse_protocol::{ApiError, EndReason, ErrorCode};
use common::{TestServer, active, agent_ended, customer_ended};
use std::process::Command;

fn cobrowse(data_dir: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cobrowse"))
        .args(args)
        .env("COBROWSE_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

async fn error_code(response: reqwest::Response) -> ErrorCode {
    response.json::<ApiError>().await.unwrap().error.code
}

#[tokio::test]
async fn the_cli_creates_lists_and_revokes_keys_that_end_sessions() {
    let server = TestServer::start().await;
    let dir = server.data_dir().to_owned();
    let (ok, out, err) = cobrowse(&dir, &["apikey", "create", "genesys"]);
    assert!(ok, "{out}{err}");
    let key = out
        .lines()
        .find_map(|l| l.strip_prefix("key: "))
        .unwrap()
        .to_owned();
    assert!(key.starts_with("cbk_") && key.len() == 4 + 43, "{key}");
    let (ok, _, err) = cobrowse(&dir, &["apikey", "create", "GENESYS"]);
    assert!(!ok && err.contains("already exists"), "{err}");
    let (ok, _, err) = cobrowse(&dir, &["apikey", "create", "bad name"]);
    assert!(!ok && err.contains("invalid"), "{err}");
    let (ok, out, _) = cobrowse(&dir, &["apikey", "list"]);
    assert!(ok);
    assert!(out.starts_with("genesys "), "{out}");
    assert!(!out.contains(&key), "the key is shown only once");

    let mut s = active(&server).await;
    let response = server
        .end_session(s.session.token.as_str(), Some(&key))
        .await;
    assert_eq!(response.status(), 204);
    let seen = s.customer.expect_close(1000, "sessionEnded").await;
    assert_eq!(seen, vec![customer_ended(EndReason::EndedByIntegration)]);
    let seen = s.agent.expect_close(1000, "sessionEnded").await;
    assert_eq!(seen, vec![agent_ended(EndReason::EndedByIntegration)]);

    let (ok, out, err) = cobrowse(&dir, &["apikey", "revoke", "genesys"]);
    assert!(ok, "{out}{err}");
    let (ok, _, err) = cobrowse(&dir, &["apikey", "revoke", "genesys"]);
    assert!(!ok && err.contains("no such API key"), "{err}");
    let (_, out, _) = cobrowse(&dir, &["apikey", "list"]);
    assert_eq!(out, "");
    // A revoked key no longer works.
    let (session, _customer) = server.customer().await;
    let response = server.end_session(session.token.as_str(), Some(&key)).await;
    assert_eq!(response.status(), 401);
    server.stop().await;
}

#[tokio::test]
async fn delete_answers_every_status() {
    let server = TestServer::start().await;
    let key = server.api_key("crm").await;
    let (session, mut customer) = server.customer().await;
    let token = session.token.as_str();

    // 401: no key, a wrong key, another scheme, a login cookie.
    let response = server.end_session(token, None).await;
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    assert_eq!(error_code(response).await, ErrorCode::Unauthenticated);
    let wrong = format!("{}x", key);
    assert_eq!(server.end_session(token, Some(&wrong)).await.status(), 401);
    let response = server
        .http
        .delete(server.url(&format!("/cobrowse/rest/live/sessions/{token}")))
        .header("authorization", format!("Basic {key}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);

    // 404: unknown or malformed tokens (the key is checked first).
    let other = if token == "000000000" {
        "000000001"
    } else {
        "000000000"
    };
    let response = server.end_session(other, Some(&key)).await;
    assert_eq!(response.status(), 404);
    assert_eq!(error_code(response).await, ErrorCode::SessionNotFound);
    assert_eq!(
        server.end_session("not-a-token", Some(&key)).await.status(),
        404
    );

    // 204 on an idle session (no agent yet): the customer is told.
    assert_eq!(server.end_session(token, Some(&key)).await.status(), 204);
    let seen = customer.expect_close(1000, "sessionEnded").await;
    assert_eq!(seen, vec![customer_ended(EndReason::EndedByIntegration)]);

    // 409: already ended.
    let response = server.end_session(token, Some(&key)).await;
    assert_eq!(response.status(), 409);
    assert_eq!(error_code(response).await, ErrorCode::SessionEnded);
    server.stop().await;
}
