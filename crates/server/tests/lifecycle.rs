//! How sessions end and survive: exits, reconnects, grace periods, timeouts, shutdown.

#![allow(clippy::unwrap_used)]

mod common;

use cobrowse_protocol::{
    AgentToServer, CustomerPresence, CustomerToServer, EndReason, ErrorCode, PageChanged,
    ServerToAgent, ServerToCustomer, SessionState, SnapshotReason,
};
use common::*;
use std::time::Duration;

fn status(agent_message: ServerToAgent) -> (CustomerPresence, Option<String>) {
    match agent_message {
        ServerToAgent::CustomerStatus(s) => (s.customer, s.page.map(|p| p.url)),
        other => panic!("expected customerStatus, got {other:?}"),
    }
}

#[tokio::test]
async fn customer_exit_ends_the_session_for_both_and_it_cannot_be_joined_again() {
    let server = TestServer::start().await;
    let Active {
        session,
        mut customer,
        mut agent,
        cookie,
    } = active(&server).await;
    customer.send(&CustomerToServer::Exit).await;
    assert_eq!(
        customer.expect_close(1000, "sessionEnded").await,
        vec![customer_ended(EndReason::CustomerExited)]
    );
    assert_eq!(
        agent.expect_close(1000, "sessionEnded").await,
        vec![agent_ended(EndReason::CustomerExited)]
    );
    let mut again = server.agent_socket(&cookie).await;
    again.send(&join(&session.token)).await;
    expect_fatal_agent(&mut again, ErrorCode::SessionEnded).await;
    let mut customer = Customer::connect(&server.ws_url("/cobrowse/ws/customer"), &[]).await;
    customer.send(&hello(&session)).await;
    expect_fatal_customer(&mut customer, ErrorCode::SessionEnded).await;
    server.stop().await;
}

#[tokio::test]
async fn agent_exit_ends_the_session_for_both() {
    let server = TestServer::start().await;
    let Active {
        mut customer,
        mut agent,
        ..
    } = active(&server).await;
    agent.send(&AgentToServer::Exit).await;
    assert_eq!(
        agent.expect_close(1000, "sessionEnded").await,
        vec![agent_ended(EndReason::AgentExited)]
    );
    assert_eq!(
        customer.expect_close(1000, "sessionEnded").await,
        vec![customer_ended(EndReason::AgentExited)]
    );
    server.stop().await;
}

#[tokio::test]
async fn customer_exit_before_any_agent() {
    let server = TestServer::start().await;
    let (_, mut customer) = server.customer().await;
    customer.send(&CustomerToServer::Exit).await;
    assert_eq!(
        customer.expect_close(1000, "sessionEnded").await,
        vec![customer_ended(EndReason::CustomerExited)]
    );
    server.stop().await;
}

#[tokio::test]
async fn navigation_keeps_the_session_and_asks_the_new_page_for_a_snapshot() {
    let server = TestServer::start().await;
    let Active {
        session,
        mut customer,
        mut agent,
        ..
    } = active(&server).await;
    customer.send(&CustomerToServer::Unloading).await;
    assert_eq!(status(agent.recv().await).0, CustomerPresence::Navigating);
    customer.close().await;

    let mut next_page = Customer::connect(&server.ws_url("/cobrowse/ws/customer"), &[]).await;
    let mut hello = hello(&session);
    if let CustomerToServer::Hello(h) = &mut hello {
        h.page = page("https://shop.example/checkout");
    }
    next_page.send(&hello).await;
    match next_page.recv().await {
        ServerToCustomer::Welcome(w) => {
            assert_eq!(w.state, SessionState::Active);
            assert!(w.agent_present);
        }
        other => panic!("expected welcome, got {other:?}"),
    }
    expect_restrictions(&mut next_page).await;
    assert_eq!(
        next_page.recv().await,
        snapshot_request(SnapshotReason::CustomerReconnected)
    );
    assert_eq!(
        status(agent.recv().await),
        (
            CustomerPresence::Connected,
            Some("https://shop.example/checkout".to_owned())
        )
    );

    // Single-page navigation: just a status.
    next_page
        .send(&CustomerToServer::PageChanged(PageChanged {
            page: page("https://shop.example/checkout#step2"),
        }))
        .await;
    assert_eq!(
        status(agent.recv().await),
        (
            CustomerPresence::Connected,
            Some("https://shop.example/checkout#step2".to_owned())
        )
    );
    server.stop().await;
}

#[tokio::test]
async fn a_second_customer_socket_replaces_the_first_quietly() {
    let server = TestServer::start().await;
    let Active {
        session,
        mut customer,
        mut agent,
        ..
    } = active(&server).await;
    // The next page connects before the old socket's close arrives.
    let mut next_page = server.customer_for(&session).await;
    assert!(customer.expect_close(4000, "replaced").await.is_empty());
    assert_eq!(
        next_page.recv().await,
        snapshot_request(SnapshotReason::CustomerReconnected)
    );
    assert_eq!(status(agent.recv().await).0, CustomerPresence::Connected);
    // The session is alive and answers to the new socket.
    next_page.send(&CustomerToServer::Exit).await;
    assert_eq!(
        agent.expect_close(1000, "sessionEnded").await,
        vec![agent_ended(EndReason::CustomerExited)]
    );
    server.stop().await;
}

#[tokio::test]
async fn customer_grace_expiry_ends_with_customer_disconnected() {
    let server = TestServer::start_with(|c| c.customer_grace = Duration::from_millis(300)).await;
    let Active {
        customer,
        mut agent,
        ..
    } = active(&server).await;
    customer.drop_connection();
    assert_eq!(status(agent.recv().await).0, CustomerPresence::Disconnected);
    assert_eq!(
        agent.expect_close(1000, "sessionEnded").await,
        vec![agent_ended(EndReason::CustomerDisconnected)]
    );
    server.stop().await;
}

#[tokio::test]
async fn a_session_whose_customer_never_connects_ends_after_the_grace_period() {
    let server = TestServer::start_with(|c| c.customer_grace = Duration::from_millis(300)).await;
    let cookie = server.login(AGENT1).await;
    let session = server.create_session().await;
    let mut agent = server.agent_join(&cookie, &session.token).await;
    assert_eq!(
        agent.expect_close(1000, "sessionEnded").await,
        vec![agent_ended(EndReason::CustomerDisconnected)]
    );
    server.stop().await;
}

#[tokio::test]
async fn customer_reconnect_within_grace_keeps_the_session() {
    let server = TestServer::start().await;
    let Active {
        session,
        customer,
        mut agent,
        ..
    } = active(&server).await;
    customer.drop_connection();
    assert_eq!(status(agent.recv().await).0, CustomerPresence::Disconnected);
    let mut back = server.customer_for(&session).await;
    assert_eq!(
        back.recv().await,
        snapshot_request(SnapshotReason::CustomerReconnected)
    );
    assert_eq!(status(agent.recv().await).0, CustomerPresence::Connected);
    server.stop().await;
}

#[tokio::test]
async fn agent_grace_expiry_ends_with_agent_disconnected() {
    let server = TestServer::start_with(|c| c.agent_grace = Duration::from_millis(300)).await;
    let Active {
        mut customer,
        agent,
        ..
    } = active(&server).await;
    agent.drop_connection();
    assert_eq!(customer.recv().await, ServerToCustomer::AgentDisconnected);
    assert_eq!(
        customer.expect_close(1000, "sessionEnded").await,
        vec![customer_ended(EndReason::AgentDisconnected)]
    );
    server.stop().await;
}

#[tokio::test]
async fn idle_sessions_end_with_inactivity_timeout() {
    let server = TestServer::start_with(|c| c.idle_timeout = Duration::from_millis(300)).await;
    let (_, mut customer) = server.customer().await;
    assert_eq!(
        customer.expect_close(1000, "sessionEnded").await,
        vec![customer_ended(EndReason::InactivityTimeout)]
    );
    server.stop().await;
}

#[tokio::test]
async fn the_inactivity_timeout_stops_once_an_agent_joined() {
    let server = TestServer::start_with(|c| {
        c.idle_timeout = Duration::from_millis(300);
        c.agent_grace = Duration::from_millis(600);
    })
    .await;
    let Active {
        mut customer,
        agent,
        ..
    } = active(&server).await;
    agent.drop_connection();
    assert_eq!(customer.recv().await, ServerToCustomer::AgentDisconnected);
    // Had the inactivity timer still been running, it would have fired first.
    assert_eq!(
        customer.expect_close(1000, "sessionEnded").await,
        vec![customer_ended(EndReason::AgentDisconnected)]
    );
    server.stop().await;
}

#[tokio::test]
async fn shutdown_ends_live_sessions_with_server_shutdown() {
    let server = TestServer::start().await;
    let Active {
        mut customer,
        mut agent,
        ..
    } = active(&server).await;
    let (_, mut idle_customer) = server.customer().await;
    let stopping = tokio::spawn(server.stop());
    assert_eq!(
        customer.expect_close(1001, "serverShutdown").await,
        vec![customer_ended(EndReason::ServerShutdown)]
    );
    assert_eq!(
        agent.expect_close(1001, "serverShutdown").await,
        vec![agent_ended(EndReason::ServerShutdown)]
    );
    assert_eq!(
        idle_customer.expect_close(1001, "serverShutdown").await,
        vec![customer_ended(EndReason::ServerShutdown)]
    );
    tokio::time::timeout(WAIT, stopping).await.unwrap().unwrap();
}

#[tokio::test]
async fn a_socket_that_stops_answering_pings_is_dropped_and_one_that_reads_is_kept() {
    let server = TestServer::start_with(|c| {
        c.ping_interval = Duration::from_millis(100);
        c.socket_timeout = Duration::from_millis(500);
        c.agent_grace = Duration::from_millis(1500);
    })
    .await;
    let Active {
        mut customer,
        agent: _stalled,
        ..
    } = active(&server).await;
    // The agent never reads again, so it never answers a ping: it is declared dead. The customer
    // only reads (answering pings), and outlives several socket timeouts.
    assert_eq!(customer.recv().await, ServerToCustomer::AgentDisconnected);
    assert_eq!(
        customer.expect_close(1000, "sessionEnded").await,
        vec![customer_ended(EndReason::AgentDisconnected)]
    );
    server.stop().await;
}

#[tokio::test]
async fn shutdown_also_closes_sockets_still_in_their_handshake() {
    let server = TestServer::start().await;
    let mut silent = Customer::connect(&server.ws_url("/cobrowse/ws/customer"), &[]).await;
    let stopping = tokio::spawn(server.stop());
    let (frame, seen) = silent.until_closed().await;
    assert!(seen.is_empty());
    assert_eq!(u16::from(frame.unwrap().code), 1013);
    tokio::time::timeout(WAIT, stopping).await.unwrap().unwrap();
}
