//! Agents joining sessions: notifications, one agent per session, one session per agent, rejoin.

#![allow(clippy::unwrap_used)]

mod common;

use cobrowse_protocol::{
    CustomerPresence, EndReason, ErrorCode, ServerToAgent, ServerToCustomer, SnapshotReason,
};
use common::*;

#[tokio::test]
async fn join_tells_both_sides_and_asks_for_a_snapshot() {
    let server = TestServer::start().await;
    let (session, mut customer) = server.customer().await;
    let cookie = server.login(AGENT1).await;
    let mut agent = server.agent_socket(&cookie).await;
    agent.send(&join(&session.token)).await;
    match agent.recv().await {
        ServerToAgent::Joined(j) => {
            assert_eq!(j.token, session.token);
            assert_eq!(j.customer, CustomerPresence::Connected);
            assert_eq!(j.page, Some(page("https://shop.example/cart")));
        }
        other => panic!("expected joined, got {other:?}"),
    }
    assert_eq!(customer.recv().await, ServerToCustomer::AgentJoined);
    assert_eq!(
        customer.recv().await,
        snapshot_request(SnapshotReason::AgentJoined)
    );
    server.stop().await;
}

#[tokio::test]
async fn administrators_can_join_too() {
    let server = TestServer::start().await;
    let (session, mut customer) = server.customer().await;
    let cookie = server.login(ADMIN).await;
    let _agent = server.agent_join(&cookie, &session.token).await;
    assert_eq!(customer.recv().await, ServerToCustomer::AgentJoined);
    server.stop().await;
}

#[tokio::test]
async fn one_session_per_agent() {
    let server = TestServer::start().await;
    let Active {
        mut customer,
        mut agent,
        cookie,
        ..
    } = active(&server).await;
    let (second, mut second_customer) = server.customer().await;
    let mut second_agent = server.agent_socket(&cookie).await;
    second_agent.send(&join(&second.token)).await;
    expect_fatal_agent(&mut second_agent, ErrorCode::AgentBusy).await;
    let seen = second_customer.expect_close(1000, "sessionEnded").await;
    assert_eq!(seen, vec![customer_ended(EndReason::SessionsOverLimit)]);

    // The first session goes on.
    customer
        .send(&cobrowse_protocol::CustomerToServer::Exit)
        .await;
    assert_eq!(
        agent.expect_close(1000, "sessionEnded").await,
        vec![agent_ended(EndReason::CustomerExited)]
    );
    // With the first session over, the agent is free again.
    let (third, _third_customer) = server.customer().await;
    let _agent = server.agent_join(&cookie, &third.token).await;
    server.stop().await;
}

#[tokio::test]
async fn another_agent_is_refused_with_session_taken() {
    let server = TestServer::start().await;
    let Active {
        session,
        mut customer,
        mut agent,
        ..
    } = active(&server).await;
    let other = server.login(AGENT2).await;
    let mut intruder = server.agent_socket(&other).await;
    intruder.send(&join(&session.token)).await;
    expect_fatal_agent(&mut intruder, ErrorCode::SessionTaken).await;
    // Nothing happened to the session.
    customer
        .send(&cobrowse_protocol::CustomerToServer::Exit)
        .await;
    assert_eq!(
        agent.expect_close(1000, "sessionEnded").await,
        vec![agent_ended(EndReason::CustomerExited)]
    );
    server.stop().await;
}

#[tokio::test]
async fn the_same_agent_rejoining_replaces_its_socket_and_gets_a_fresh_snapshot() {
    let server = TestServer::start().await;
    let Active {
        session,
        mut customer,
        mut agent,
        cookie,
    } = active(&server).await;

    // A second socket while the first is still open (reload): the first is replaced.
    let agent2 = server.agent_join(&cookie, &session.token).await;
    assert!(agent.expect_close(4000, "replaced").await.is_empty());
    assert_eq!(
        customer.recv().await,
        snapshot_request(SnapshotReason::AgentRejoined)
    );

    // The socket drops; the customer is told; the agent comes back within the grace period.
    agent2.drop_connection();
    assert_eq!(customer.recv().await, ServerToCustomer::AgentDisconnected);
    let _agent3 = server.agent_join(&cookie, &session.token).await;
    assert_eq!(customer.recv().await, ServerToCustomer::AgentJoined);
    assert_eq!(
        customer.recv().await,
        snapshot_request(SnapshotReason::AgentRejoined)
    );
    server.stop().await;
}

#[tokio::test]
async fn an_agent_can_join_before_the_customer_connects() {
    let server = TestServer::start().await;
    let session = server.create_session().await;
    let cookie = server.login(AGENT1).await;
    let mut agent = server.agent_socket(&cookie).await;
    agent.send(&join(&session.token)).await;
    match agent.recv().await {
        ServerToAgent::Joined(j) => {
            assert_eq!(j.customer, CustomerPresence::Disconnected);
            assert_eq!(j.page, None);
        }
        other => panic!("expected joined, got {other:?}"),
    }
    let mut customer = Customer::connect(&server.ws_url("/cobrowse/ws/customer"), &[]).await;
    customer.send(&hello(&session)).await;
    match customer.recv().await {
        ServerToCustomer::Welcome(w) => assert!(w.agent_present),
        other => panic!("expected welcome, got {other:?}"),
    }
    expect_restrictions(&mut customer).await;
    assert_eq!(
        customer.recv().await,
        snapshot_request(SnapshotReason::CustomerReconnected)
    );
    match agent.recv().await {
        ServerToAgent::CustomerStatus(s) => assert_eq!(s.customer, CustomerPresence::Connected),
        other => panic!("expected customerStatus, got {other:?}"),
    }
    server.stop().await;
}
