//! Socket handshakes: `hello` / `join` checks and their fatal errors.

#![allow(clippy::unwrap_used)]

mod common;

use cobrowse_protocol::{CustomerToServer, ErrorCode, Hello, PROTOCOL_VERSION, ServerToCustomer};
use common::*;
use std::time::Duration;

#[tokio::test]
async fn wrong_secret_is_unauthenticated_and_leaves_the_session_alone() {
    let server = TestServer::start().await;
    let session = server.create_session().await;
    let mut intruder = Customer::connect(&server.ws_url("/cobrowse/ws/customer"), &[]).await;
    let mut forged = session.clone();
    forged.secret = "A".repeat(43);
    intruder.send(&hello(&forged)).await;
    expect_fatal_customer(&mut intruder, ErrorCode::Unauthenticated).await;
    // The real customer still gets in.
    let _customer = server.customer_for(&session).await;
    server.stop().await;
}

#[tokio::test]
async fn protocol_version_mismatch_is_fatal() {
    let server = TestServer::start().await;
    let session = server.create_session().await;
    let mut customer = Customer::connect(&server.ws_url("/cobrowse/ws/customer"), &[]).await;
    customer
        .send(&CustomerToServer::Hello(Hello {
            protocol_version: PROTOCOL_VERSION + 1,
            token: session.token.clone(),
            secret: session.secret.clone(),
            page: page("https://shop.example/"),
        }))
        .await;
    expect_fatal_customer(&mut customer, ErrorCode::ProtocolVersion).await;

    // A future hello this version cannot even decode is still reported as a version mismatch.
    let mut customer = Customer::connect(&server.ws_url("/cobrowse/ws/customer"), &[]).await;
    customer
        .send_text(r#"{"type":"hello","protocolVersion":7,"somethingNew":true}"#)
        .await;
    expect_fatal_customer(&mut customer, ErrorCode::ProtocolVersion).await;

    let cookie = server.login(AGENT1).await;
    let mut agent = server.agent_socket(&cookie).await;
    agent
        .send_text(&format!(
            r#"{{"type":"join","protocolVersion":{},"token":"{}"}}"#,
            PROTOCOL_VERSION + 1,
            session.token
        ))
        .await;
    expect_fatal_agent(&mut agent, ErrorCode::ProtocolVersion).await;
    server.stop().await;
}

#[tokio::test]
async fn the_first_message_must_be_hello_or_join() {
    let server = TestServer::start().await;
    let mut customer = Customer::connect(&server.ws_url("/cobrowse/ws/customer"), &[]).await;
    customer.send(&CustomerToServer::Exit).await;
    expect_fatal_customer(&mut customer, ErrorCode::HandshakeRequired).await;

    let mut customer = Customer::connect(&server.ws_url("/cobrowse/ws/customer"), &[]).await;
    customer.send_text("{not json").await;
    expect_fatal_customer(&mut customer, ErrorCode::HandshakeRequired).await;

    let mut customer = Customer::connect(&server.ws_url("/cobrowse/ws/customer"), &[]).await;
    customer.send_binary(vec![1, 2, 3]).await;
    expect_fatal_customer(&mut customer, ErrorCode::HandshakeRequired).await;

    let cookie = server.login(AGENT1).await;
    let mut agent = server.agent_socket(&cookie).await;
    agent.send_text(r#"{"type":"requestSnapshot"}"#).await;
    expect_fatal_agent(&mut agent, ErrorCode::HandshakeRequired).await;
    server.stop().await;
}

#[tokio::test]
async fn a_silent_socket_is_closed_after_the_handshake_timeout() {
    let server = TestServer::start_with(|c| c.handshake_timeout = Duration::from_millis(200)).await;
    let mut customer = Customer::connect(&server.ws_url("/cobrowse/ws/customer"), &[]).await;
    expect_fatal_customer(&mut customer, ErrorCode::HandshakeRequired).await;
    let cookie = server.login(AGENT1).await;
    let mut agent = server.agent_socket(&cookie).await;
    expect_fatal_agent(&mut agent, ErrorCode::HandshakeRequired).await;
    server.stop().await;
}

#[tokio::test]
async fn unknown_tokens_are_not_found() {
    let server = TestServer::start().await;
    let mut session = server.create_session().await;
    session.token = if session.token.as_str() == "000000001" {
        "000000002"
    } else {
        "000000001"
    }
    .parse()
    .unwrap();
    let mut customer = Customer::connect(&server.ws_url("/cobrowse/ws/customer"), &[]).await;
    customer.send(&hello(&session)).await;
    expect_fatal_customer(&mut customer, ErrorCode::SessionNotFound).await;
    let cookie = server.login(AGENT1).await;
    let mut agent = server.agent_socket(&cookie).await;
    agent.send(&join(&session.token)).await;
    expect_fatal_agent(&mut agent, ErrorCode::SessionNotFound).await;
    server.stop().await;
}

#[tokio::test]
async fn welcome_reports_the_session_state() {
    let server = TestServer::start().await;
    let Active {
        session,
        customer,
        agent: _agent,
        ..
    } = active(&server).await;
    drop(customer);
    let mut customer = Customer::connect(&server.ws_url("/cobrowse/ws/customer"), &[]).await;
    customer.send(&hello(&session)).await;
    match customer.recv().await {
        ServerToCustomer::Welcome(w) => {
            assert_eq!(w.state, cobrowse_protocol::SessionState::Active);
            assert!(w.agent_present);
        }
        other => panic!("expected welcome, got {other:?}"),
    }
    server.stop().await;
}
