//! DOM frames from the customer to the agent: byte-for-byte forwarding, validation, snapshot
//! requests, and the resync of an agent that falls behind.

#![allow(clippy::unwrap_used)]

mod common;

use cobrowse_protocol::{
    AgentToServer, CustomerToServer, ErrorCode, FrameHeader, FrameKind, ServerToAgent,
    ServerToCustomer, SnapshotReason,
};
use common::*;
use std::time::{Duration, Instant};

fn error_code_customer(m: ServerToCustomer) -> ErrorCode {
    match m {
        ServerToCustomer::Error(e) => e.code,
        other => panic!("expected an error, got {other:?}"),
    }
}

fn error_code_agent(m: ServerToAgent) -> ErrorCode {
    match m {
        ServerToAgent::Error(e) => e.code,
        other => panic!("expected an error, got {other:?}"),
    }
}

#[tokio::test]
async fn frames_are_relayed_byte_for_byte_from_the_first_full_snapshot() {
    let server = TestServer::start().await;
    let Active {
        mut customer,
        mut agent,
        ..
    } = active(&server).await;
    // Incremental frames before the first full snapshot mean nothing to a new viewer: dropped.
    customer
        .send_binary(frame(FrameKind::Incremental, 1, b"stale"))
        .await;
    let full = frame(
        FrameKind::Full,
        10,
        br#"{"url":"https://shop.example/cart"}"#,
    );
    let mut compressed = frame(FrameKind::Incremental, 11, &[0xde, 0xad, 0xbe, 0xef, 0]);
    compressed[2] = cobrowse_protocol::FLAG_DEFLATE;
    let batch = frame(FrameKind::Incremental, 12, br#"{"ops":[]}"#);
    for f in [&full, &compressed, &batch] {
        customer.send_binary(f.clone()).await;
    }
    assert_eq!(agent.recv_frame().await, full);
    assert_eq!(agent.recv_frame().await, compressed);
    assert_eq!(agent.recv_frame().await, batch);
    server.stop().await;
}

#[tokio::test]
async fn bad_input_gets_errors_and_the_session_goes_on() {
    let server = TestServer::start_with(|c| c.max_frame_bytes = 64 * 1024).await;
    let Active {
        mut customer,
        mut agent,
        ..
    } = active(&server).await;

    customer.send_text("{this is not json").await;
    assert_eq!(
        error_code_customer(customer.recv().await),
        ErrorCode::BadMessage
    );
    // A message of the other role is not a customer message.
    customer
        .send_text(&serde_json::to_string(&join(&"123456789".parse().unwrap())).unwrap())
        .await;
    assert_eq!(
        error_code_customer(customer.recv().await),
        ErrorCode::BadMessage
    );
    customer.send_text(r#"{"type":"pageChanged"}"#).await;
    assert_eq!(
        error_code_customer(customer.recv().await),
        ErrorCode::BadMessage
    );
    let session = cobrowse_protocol::CreatedSession {
        token: "123456789".parse().unwrap(),
        secret: "x".into(),
        socket_url: String::new(),
    };
    customer.send(&hello(&session)).await;
    assert_eq!(
        error_code_customer(customer.recv().await),
        ErrorCode::UnexpectedMessage
    );
    customer.send_binary(vec![1, 1, 0]).await;
    assert_eq!(
        error_code_customer(customer.recv().await),
        ErrorCode::BadFrame
    );
    let mut bad_kind = frame(FrameKind::Full, 1, b"{}");
    bad_kind[1] = 7;
    customer.send_binary(bad_kind).await;
    assert_eq!(
        error_code_customer(customer.recv().await),
        ErrorCode::BadFrame
    );
    customer
        .send_binary(frame(FrameKind::Full, 1, &vec![b'x'; 64 * 1024]))
        .await;
    assert_eq!(
        error_code_customer(customer.recv().await),
        ErrorCode::FrameTooLarge
    );

    agent.send_binary(vec![1, 2, 3]).await;
    assert_eq!(
        error_code_agent(agent.recv().await),
        ErrorCode::UnexpectedMessage
    );
    agent.send_text("[]").await;
    assert_eq!(error_code_agent(agent.recv().await), ErrorCode::BadMessage);
    agent.send(&join(&"123456789".parse().unwrap())).await;
    assert_eq!(
        error_code_agent(agent.recv().await),
        ErrorCode::UnexpectedMessage
    );

    // Still relaying.
    let full = frame(FrameKind::Full, 2, b"{}");
    customer.send_binary(full.clone()).await;
    assert_eq!(agent.recv_frame().await, full);
    server.stop().await;
}

#[tokio::test]
async fn agent_snapshot_requests_are_forwarded_and_rate_limited() {
    let interval = Duration::from_millis(300);
    let server = TestServer::start_with(|c| c.snapshot_request_interval = interval).await;
    let joined = Instant::now();
    let Active {
        mut customer,
        mut agent,
        ..
    } = active(&server).await;
    // The join's request was just sent: these are coalesced into one, sent after the interval.
    agent.send(&AgentToServer::RequestSnapshot).await;
    agent.send(&AgentToServer::RequestSnapshot).await;
    assert_eq!(
        customer.recv().await,
        snapshot_request(SnapshotReason::AgentRequest)
    );
    assert!(joined.elapsed() >= interval);
    // A request right after that one waits for the interval too.
    let first = Instant::now();
    agent.send(&AgentToServer::RequestSnapshot).await;
    assert_eq!(
        customer.recv().await,
        snapshot_request(SnapshotReason::AgentRequest)
    );
    assert!(first.elapsed() >= interval / 2);
    // The customer got exactly those two: the next message is the end.
    customer.send(&CustomerToServer::Exit).await;
    assert_eq!(
        customer.expect_close(1000, "sessionEnded").await,
        vec![customer_ended(cobrowse_protocol::EndReason::CustomerExited)]
    );
    server.stop().await;
}

/// An agent that stops reading never holds up the customer: its backlog is discarded, it is told
/// `resyncing`, the customer is asked for a full snapshot, and that snapshot reaches the agent
/// once it reads again.
#[tokio::test]
async fn a_stalled_agent_does_not_block_the_customer_and_is_resynced() {
    const FRAME_BYTES: usize = 256 * 1024;
    const TOTAL_BYTES: usize = 64 * 1024 * 1024;
    let server = TestServer::start().await;
    let Active {
        mut customer,
        mut agent,
        ..
    } = active(&server).await;
    let first = frame(FrameKind::Full, 0, b"full-0");
    customer.send_binary(first.clone()).await;
    assert_eq!(agent.recv_frame().await, first);

    // The agent stops reading; the customer pushes 64 MiB.
    let payload = vec![b'x'; FRAME_BYTES - cobrowse_protocol::FRAME_HEADER_LEN];
    let pushed = tokio::time::timeout(Duration::from_secs(120), async {
        for seq in 1..=u32::try_from(TOTAL_BYTES / FRAME_BYTES).unwrap() {
            customer
                .send_binary(frame(FrameKind::Incremental, seq, &payload))
                .await;
        }
    })
    .await;
    assert!(pushed.is_ok(), "the customer's sends were held up");
    assert_eq!(
        customer.recv().await,
        snapshot_request(SnapshotReason::Resync)
    );

    // The customer answers every resync request with a full snapshot, numbered.
    let responder = tokio::spawn(async move {
        let mut answered = 0u32;
        let mut answer = true;
        loop {
            if answer {
                answered += 1;
                let full = frame(
                    FrameKind::Full,
                    1000 + answered,
                    format!("full-{answered}").as_bytes(),
                );
                customer.send_binary(full).await;
            }
            answer = match customer.next_event().await {
                Event::Message(ServerToCustomer::SnapshotRequest(r)) => {
                    assert_eq!(r.reason, SnapshotReason::Resync);
                    true
                }
                Event::Message(ServerToCustomer::SessionEnded(_)) => false,
                Event::Closed(_) => return answered,
                other => panic!("unexpected {other:?}"),
            };
        }
    });

    // The agent reads again: stale frames, `resyncing`, then a fresh full snapshot.
    let mut saw_resyncing = false;
    let mut last_seq = 0;
    loop {
        match agent.next_event().await {
            Event::Message(ServerToAgent::Resyncing) => saw_resyncing = true,
            Event::Frame(bytes) => {
                let header = FrameHeader::parse(&bytes).unwrap();
                match header.kind {
                    FrameKind::Incremental => {
                        // Frames before the resync arrive in order, without gaps.
                        assert_eq!(header.seq, last_seq + 1, "gap before the resync");
                        last_seq = header.seq;
                    }
                    FrameKind::Full => {
                        assert!(saw_resyncing, "full snapshot before `resyncing`");
                        assert!(bytes[cobrowse_protocol::FRAME_HEADER_LEN..].starts_with(b"full-"));
                        break;
                    }
                }
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(last_seq < 256, "some frames were discarded");
    let metrics = server.metrics().await;
    let resyncs: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("cobrowse_resyncs_total "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(resyncs >= 1, "{metrics}");
    agent.send(&AgentToServer::Exit).await;
    agent.until_closed().await;
    tokio::time::timeout(WAIT, responder)
        .await
        .unwrap()
        .unwrap();
    server.stop().await;
}
