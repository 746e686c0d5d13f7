//! The actor driven directly through its channels, in paused time: a socket is a pair of
//! channels, the agent's writer is the test popping the frame queue. `settle()` sleeps 1 ms
//! of paused time, which returns only once every task is idle. The published restrictions are a
//! watch channel the test holds the sending end of.

use super::*;
use crate::session::{FrameQueue, Lookup, SessionSettings};
use crate::store::UserId;
use bytes::Bytes;
use cobrowse_protocol::{FRAME_HEADER_LEN, FrameKind};
use std::time::Duration;
use tokio::sync::mpsc::error::TryRecvError;

fn settings() -> SessionSettings {
    SessionSettings {
        customer_grace: Duration::from_secs(30),
        agent_grace: Duration::from_secs(60),
        idle_timeout: Duration::from_secs(600),
        snapshot_request_interval: Duration::from_millis(500),
        tombstone_ttl: Duration::from_secs(600),
        max_tombstones: 10,
        max_live_sessions: 10,
    }
}

async fn settle() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

fn frame(kind: FrameKind, len: usize) -> CustomerFrame {
    CustomerFrame {
        conn: ConnId(1),
        kind,
        bytes: Bytes::from(vec![0u8; len.max(FRAME_HEADER_LEN)]),
    }
}

fn text(out: Outbound) -> String {
    match out {
        Outbound::Text(t) => t,
        Outbound::Shared(t) => t.as_str().to_owned(),
        Outbound::Close { code, reason } => panic!("unexpected close {code} {reason}"),
    }
}

fn snapshot(reason: &str) -> String {
    format!(r#"{{"type":"snapshotRequest","reason":"{reason}"}}"#)
}

/// The restrictions published to sessions: one mask rule at version 1.
fn rules() -> watch::Sender<CustomerRules> {
    watch::Sender::new(CustomerRules::new(1, vec![rule(1, "#card")]))
}

fn rule(id: i64, selector: &str) -> cobrowse_protocol::CustomerRule {
    cobrowse_protocol::CustomerRule {
        id,
        selector: selector.into(),
        kind: cobrowse_protocol::RestrictionKind::Mask,
        url_pattern: None,
    }
}

fn rules_message(version: u64, rules: &str) -> String {
    format!(r#"{{"type":"restrictions","version":{version},"rules":[{rules}]}}"#)
}

const CARD_RULE: &str = r##"{"id":1,"selector":"#card","kind":"mask","urlPattern":null}"##;

struct Harness {
    handle: crate::session::SessionHandle,
    rules: watch::Sender<CustomerRules>,
    customer: mpsc::Receiver<Outbound>,
    agent: mpsc::Receiver<Outbound>,
    queue: Arc<FrameQueue>,
    registry: Arc<Registry>,
    token: SessionToken,
    secret: String,
}

/// A session with a customer and an agent attached, their greetings consumed.
async fn active(queue_bytes: usize) -> Harness {
    let rules = rules();
    let registry = Arc::new(Registry::new(
        settings(),
        Arc::new(Metrics::default()),
        rules.subscribe(),
    ));
    let created = registry.create().unwrap();
    let Lookup::Live(handle) = registry.lookup(&created.token) else {
        panic!("not live");
    };
    let (control, mut customer) = mpsc::channel(64);
    customer_hello(&handle, 1, &created.secret, control).await;
    assert!(text(customer.recv().await.unwrap()).contains("welcome"));
    assert_eq!(
        text(customer.recv().await.unwrap()),
        rules_message(1, CARD_RULE)
    );
    let queue = Arc::new(FrameQueue::new(queue_bytes));
    let (control, mut agent) = mpsc::channel(64);
    let (reply, answer) = oneshot::channel();
    handle
        .commands
        .send(Command::AgentJoin(Box::new(crate::session::AgentJoin {
            link: AgentLink {
                socket: SocketLink {
                    conn: ConnId(2),
                    control,
                },
                frames: queue.clone(),
            },
            agent: AgentIdentity {
                id: UserId(7),
                name: "agent".into(),
            },
            reply,
        })))
        .await
        .unwrap();
    assert_eq!(answer.await.unwrap(), Ok(()));
    assert!(text(agent.recv().await.unwrap()).contains("joined"));
    assert_eq!(
        text(customer.recv().await.unwrap()),
        r#"{"type":"agentJoined"}"#
    );
    assert_eq!(
        text(customer.recv().await.unwrap()),
        snapshot("agentJoined")
    );
    Harness {
        handle,
        rules,
        customer,
        agent,
        queue,
        registry,
        token: created.token,
        secret: created.secret,
    }
}

#[tokio::test(start_paused = true)]
async fn resync_then_retry_once_drained() {
    let mut h = active(100).await;
    // Incremental frames before the first full snapshot are dropped.
    h.handle
        .frames
        .send(frame(FrameKind::Incremental, 30))
        .await
        .unwrap();
    settle().await;
    assert_eq!(h.queue.queued_bytes(), 0);
    h.handle
        .frames
        .send(frame(FrameKind::Full, 60))
        .await
        .unwrap();
    h.handle
        .frames
        .send(frame(FrameKind::Incremental, 30))
        .await
        .unwrap();
    settle().await;
    assert_eq!(h.queue.queued_bytes(), 90);

    // Does not fit: resync.
    h.handle
        .frames
        .send(frame(FrameKind::Incremental, 30))
        .await
        .unwrap();
    assert_eq!(
        text(h.agent.recv().await.unwrap()),
        r#"{"type":"resyncing"}"#
    );
    assert_eq!(text(h.customer.recv().await.unwrap()), snapshot("resync"));
    // Later incremental frames are discarded; a full snapshot that does not fit either is
    // discarded without asking again at once.
    h.handle
        .frames
        .send(frame(FrameKind::Incremental, 1))
        .await
        .unwrap();
    h.handle
        .frames
        .send(frame(FrameKind::Full, 60))
        .await
        .unwrap();
    settle().await;
    assert_eq!(h.queue.queued_bytes(), 90);
    assert_eq!(h.customer.try_recv().unwrap_err(), TryRecvError::Empty);

    // The writer drains the queue: the customer is asked again.
    assert_eq!(h.queue.pop().await.len(), 60);
    settle().await;
    assert_eq!(h.customer.try_recv().unwrap_err(), TryRecvError::Empty);
    assert_eq!(h.queue.pop().await.len(), 30);
    assert_eq!(text(h.customer.recv().await.unwrap()), snapshot("resync"));

    // The next full snapshot goes through, and forwarding resumes.
    h.handle
        .frames
        .send(frame(FrameKind::Full, 70))
        .await
        .unwrap();
    h.handle
        .frames
        .send(frame(FrameKind::Incremental, 20))
        .await
        .unwrap();
    settle().await;
    assert_eq!(h.queue.queued_bytes(), 90);
    assert_eq!(h.agent.try_recv().unwrap_err(), TryRecvError::Empty);
}

#[tokio::test(start_paused = true)]
async fn an_oversized_full_snapshot_goes_through_an_empty_queue() {
    let h = active(100).await;
    h.handle
        .frames
        .send(frame(FrameKind::Full, 500))
        .await
        .unwrap();
    settle().await;
    assert_eq!(h.queue.queued_bytes(), 500);
}

#[tokio::test(start_paused = true)]
async fn agent_requests_are_deferred_to_the_end_of_the_interval() {
    let mut h = active(100).await;
    let start = Instant::now();
    h.handle
        .commands
        .send(Command::AgentRequestSnapshot { conn: ConnId(2) })
        .await
        .unwrap();
    h.handle
        .commands
        .send(Command::AgentRequestSnapshot { conn: ConnId(2) })
        .await
        .unwrap();
    assert_eq!(
        text(h.customer.recv().await.unwrap()),
        snapshot("agentRequest")
    );
    assert_eq!(start.elapsed(), Duration::from_millis(500));
    settle().await;
    assert_eq!(h.customer.try_recv().unwrap_err(), TryRecvError::Empty);
    // Messages from a socket that is not the current one are ignored.
    h.handle
        .commands
        .send(Command::AgentExit { conn: ConnId(99) })
        .await
        .unwrap();
    settle().await;
    assert!(matches!(h.registry.lookup(&h.token), Lookup::Live(_)));
}

#[tokio::test(start_paused = true)]
async fn grace_periods_end_the_session() {
    let mut h = active(100).await;
    let start = Instant::now();
    h.handle
        .commands
        .send(Command::CustomerGone { conn: ConnId(1) })
        .await
        .unwrap();
    assert_eq!(
        text(h.agent.recv().await.unwrap()),
        r#"{"type":"customerStatus","customer":"disconnected","page":{"url":"https://a.example/","title":"A"}}"#
    );
    assert_eq!(
        text(h.agent.recv().await.unwrap()),
        r#"{"type":"sessionEnded","reason":"customerDisconnected"}"#
    );
    assert_eq!(start.elapsed(), Duration::from_secs(30));
    assert!(matches!(
        h.agent.recv().await,
        Some(Outbound::Close { code: 1000, .. })
    ));
    assert!(matches!(
        h.registry.lookup(&h.token),
        Lookup::Ended(EndReason::CustomerDisconnected)
    ));
}

#[tokio::test(start_paused = true)]
async fn a_socket_whose_control_channel_overflows_is_dropped() {
    let rules = rules();
    let registry = Arc::new(Registry::new(
        settings(),
        Arc::new(Metrics::default()),
        rules.subscribe(),
    ));
    let created = registry.create().unwrap();
    let Lookup::Live(handle) = registry.lookup(&created.token) else {
        panic!("not live");
    };
    // Room for two messages: `welcome` and `restrictions` fill it.
    let (control, mut customer) = mpsc::channel(2);
    customer_hello(&handle, 1, &created.secret, control).await;
    let (control, mut agent) = mpsc::channel(64);
    let (reply, answer) = oneshot::channel();
    handle
        .commands
        .send(Command::AgentJoin(Box::new(crate::session::AgentJoin {
            link: AgentLink {
                socket: SocketLink {
                    conn: ConnId(2),
                    control,
                },
                frames: Arc::new(FrameQueue::new(100)),
            },
            agent: AgentIdentity {
                id: UserId(7),
                name: "agent".into(),
            },
            reply,
        })))
        .await
        .unwrap();
    assert_eq!(answer.await.unwrap(), Ok(()));
    assert!(text(agent.recv().await.unwrap()).contains("joined"));
    // `agentJoined` does not fit: the customer socket is let go (its writer then closes it)
    // and the agent sees the customer disconnected; the session waits for the customer.
    assert!(text(agent.recv().await.unwrap()).contains(r#""customer":"disconnected""#));
    assert!(text(customer.recv().await.unwrap()).contains("welcome"));
    assert!(text(customer.recv().await.unwrap()).contains("restrictions"));
    assert!(
        customer.recv().await.is_none(),
        "the session let go of the socket"
    );
    assert!(matches!(registry.lookup(&created.token), Lookup::Live(_)));
}

#[test]
fn pages_are_clamped_on_char_boundaries() {
    let page = clamp_page(PageInfo {
        url: "é".repeat(3000),
        title: "t".into(),
    });
    assert!(page.url.len() <= MAX_URL_BYTES);
    assert!(page.url.chars().all(|c| c == 'é'));
    assert_eq!(page.title, "t");
}

fn agent_says(action: crate::session::AgentAction) -> Command {
    Command::Agent {
        conn: ConnId(2),
        action,
    }
}

fn customer_says(action: crate::session::CustomerAction) -> Command {
    Command::Customer {
        conn: ConnId(1),
        action,
    }
}

fn mode_changed(mode: &str) -> String {
    format!(r#"{{"type":"modeChanged","mode":"{mode}"}}"#)
}

fn click() -> crate::session::AgentAction {
    crate::session::AgentAction::Input(Box::new(cobrowse_protocol::AgentInputMessage {
        input: cobrowse_protocol::AgentInput::Focus { target: 5 },
    }))
}

#[tokio::test(start_paused = true)]
async fn write_mode_needs_consent_and_ends_with_the_agent_socket() {
    use crate::session::{AgentAction, CustomerAction};
    let mut h = active(100).await;
    // Pointer mode: input is refused to the agent, the customer hears nothing.
    h.handle.commands.send(agent_says(click())).await.unwrap();
    assert!(text(h.agent.recv().await.unwrap()).contains(r#""code":"notInWriteMode""#));
    // A request, a duplicate (ignored), a decline.
    for _ in 0..2 {
        let request = agent_says(AgentAction::RequestWriteMode);
        h.handle.commands.send(request).await.unwrap();
    }
    assert_eq!(
        text(h.customer.recv().await.unwrap()),
        r#"{"type":"modeUpgradeRequested"}"#
    );
    let decline = customer_says(CustomerAction::ModeResponse { allow: false });
    h.handle.commands.send(decline).await.unwrap();
    assert_eq!(
        text(h.agent.recv().await.unwrap()),
        r#"{"type":"modeRequestDeclined"}"#
    );
    // An answer without a request is ignored.
    let stray = customer_says(CustomerAction::ModeResponse { allow: true });
    h.handle.commands.send(stray).await.unwrap();
    settle().await;
    assert_eq!(h.customer.try_recv().unwrap_err(), TryRecvError::Empty);
    assert_eq!(h.agent.try_recv().unwrap_err(), TryRecvError::Empty);
    // Request, allow: both told; input goes through.
    let request = agent_says(AgentAction::RequestWriteMode);
    h.handle.commands.send(request).await.unwrap();
    assert!(text(h.customer.recv().await.unwrap()).contains("modeUpgradeRequested"));
    let allow = customer_says(CustomerAction::ModeResponse { allow: true });
    h.handle.commands.send(allow).await.unwrap();
    assert_eq!(
        text(h.customer.recv().await.unwrap()),
        mode_changed("write")
    );
    assert_eq!(text(h.agent.recv().await.unwrap()), mode_changed("write"));
    h.handle.commands.send(agent_says(click())).await.unwrap();
    assert_eq!(
        text(h.customer.recv().await.unwrap()),
        r#"{"type":"agentInput","input":{"kind":"focus","target":5}}"#
    );
    // The agent's socket dies: back to pointer mode; the grace period then ends the session.
    let start = Instant::now();
    let gone = Command::AgentGone { conn: ConnId(2) };
    h.handle.commands.send(gone).await.unwrap();
    assert_eq!(
        text(h.customer.recv().await.unwrap()),
        r#"{"type":"agentDisconnected"}"#
    );
    assert_eq!(
        text(h.customer.recv().await.unwrap()),
        mode_changed("pointer")
    );
    assert_eq!(
        text(h.customer.recv().await.unwrap()),
        r#"{"type":"sessionEnded","reason":"agentDisconnected"}"#
    );
    assert_eq!(start.elapsed(), Duration::from_secs(60));
}

#[tokio::test(start_paused = true)]
async fn an_input_flood_is_cut_short_without_dropping_the_customer() {
    use crate::session::{AgentAction, CustomerAction};
    let mut h = active(100).await;
    h.handle
        .commands
        .send(agent_says(AgentAction::RequestWriteMode))
        .await
        .unwrap();
    assert!(text(h.customer.recv().await.unwrap()).contains("modeUpgradeRequested"));
    let allow = customer_says(CustomerAction::ModeResponse { allow: true });
    h.handle.commands.send(allow).await.unwrap();
    assert_eq!(
        text(h.customer.recv().await.unwrap()),
        mode_changed("write")
    );
    assert_eq!(text(h.agent.recv().await.unwrap()), mode_changed("write"));
    // The customer's page reads nothing while the agent sends 200 inputs (its channel holds 64).
    for _ in 0..200 {
        h.handle.commands.send(agent_says(click())).await.unwrap();
    }
    settle().await;
    let mut delivered = 0;
    while let Ok(out) = h.customer.try_recv() {
        let out = text(out);
        assert!(
            out.contains("agentInput"),
            "only input reached the customer: {out}"
        );
        delivered += 1;
    }
    assert!(
        (32..64).contains(&delivered),
        "input held back before the channel filled: {delivered}"
    );
    assert!(text(h.agent.recv().await.unwrap()).contains(r#""code":"rateLimited""#));
    // The customer is still attached: once it has read, input flows again.
    h.handle.commands.send(agent_says(click())).await.unwrap();
    assert!(text(h.customer.recv().await.unwrap()).contains("agentInput"));
    assert!(matches!(h.registry.lookup(&h.token), Lookup::Live(_)));
}

#[tokio::test(start_paused = true)]
async fn a_customer_reconnect_keeps_the_mode_and_is_asked_again() {
    use crate::session::{AgentAction, CustomerAction};
    let mut h = active(100).await;
    // Write mode.
    let request = agent_says(AgentAction::RequestWriteMode);
    h.handle.commands.send(request).await.unwrap();
    assert!(text(h.customer.recv().await.unwrap()).contains("modeUpgradeRequested"));
    let allow = customer_says(CustomerAction::ModeResponse { allow: true });
    h.handle.commands.send(allow).await.unwrap();
    assert_eq!(
        text(h.customer.recv().await.unwrap()),
        mode_changed("write")
    );
    assert_eq!(text(h.agent.recv().await.unwrap()), mode_changed("write"));
    // The page reloads within the grace period: `welcome` says `write`.
    let gone = Command::CustomerGone { conn: ConnId(1) };
    h.handle.commands.send(gone).await.unwrap();
    tokio::time::sleep(Duration::from_secs(20)).await;
    let mut customer = reattach(&h, 3).await;
    assert!(
        text(customer.recv().await.unwrap()).contains(r#""mode":"write""#),
        "welcome keeps the mode"
    );
    assert!(text(customer.recv().await.unwrap()).contains("restrictions"));
    assert_eq!(
        text(customer.recv().await.unwrap()),
        snapshot("customerReconnected")
    );
    // Revoked; a request pending while the page reloads is asked again of the next page.
    let downgrade = Command::Customer {
        conn: ConnId(3),
        action: CustomerAction::DowngradeMode,
    };
    h.handle.commands.send(downgrade).await.unwrap();
    assert_eq!(
        text(customer.recv().await.unwrap()),
        mode_changed("pointer")
    );
    let request = agent_says(AgentAction::RequestWriteMode);
    h.handle.commands.send(request).await.unwrap();
    assert!(text(customer.recv().await.unwrap()).contains("modeUpgradeRequested"));
    let gone = Command::CustomerGone { conn: ConnId(3) };
    h.handle.commands.send(gone).await.unwrap();
    let mut customer = reattach(&h, 4).await;
    assert!(text(customer.recv().await.unwrap()).contains(r#""mode":"pointer""#));
    assert!(text(customer.recv().await.unwrap()).contains("restrictions"));
    assert!(text(customer.recv().await.unwrap()).contains("modeUpgradeRequested"));
}

/// Customer socket `conn` says `hello` to the session of `handle` with `secret` (page A), and is
/// accepted; what the session sends it goes to `control`.
async fn customer_hello(
    handle: &crate::session::SessionHandle,
    conn: u64,
    secret: &str,
    control: mpsc::Sender<Outbound>,
) {
    let (reply, answer) = oneshot::channel();
    handle
        .commands
        .send(Command::CustomerHello(Box::new(
            crate::session::CustomerHello {
                link: SocketLink {
                    conn: ConnId(conn),
                    control,
                },
                secret: crate::session::CustomerSecret(secret.to_owned()),
                page: PageInfo {
                    url: "https://a.example/".into(),
                    title: "A".into(),
                },
                reply,
            },
        )))
        .await
        .unwrap();
    assert_eq!(answer.await.unwrap(), Ok(()));
}

/// A new customer socket `conn` says `hello` to the harness's session.
async fn reattach(h: &Harness, conn: u64) -> mpsc::Receiver<Outbound> {
    let (control, customer) = mpsc::channel(64);
    customer_hello(&h.handle, conn, &h.secret, control).await;
    customer
}

#[tokio::test(start_paused = true)]
async fn an_integration_ends_the_session() {
    let mut h = active(100).await;
    let (reply, answer) = oneshot::channel();
    let end = Command::EndByIntegration { reply };
    h.handle.commands.send(end).await.unwrap();
    answer.await.unwrap();
    let ended = r#"{"type":"sessionEnded","reason":"endedByIntegration"}"#;
    assert_eq!(text(h.customer.recv().await.unwrap()), ended);
    assert_eq!(text(h.agent.recv().await.unwrap()), ended);
    assert!(matches!(
        h.registry.lookup(&h.token),
        Lookup::Ended(EndReason::EndedByIntegration)
    ));
}

#[tokio::test(start_paused = true)]
async fn restriction_changes_reach_the_attached_customer() {
    let mut h = active(100).await;
    let start = Instant::now();
    // A change while the customer is attached: the new set, at once.
    h.rules.send_replace(CustomerRules::new(
        2,
        vec![rule(1, "#card"), rule(5, ".ssn")],
    ));
    let ssn_rule = r#"{"id":5,"selector":".ssn","kind":"mask","urlPattern":null}"#;
    assert_eq!(
        text(h.customer.recv().await.unwrap()),
        rules_message(2, &format!("{CARD_RULE},{ssn_rule}"))
    );
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(h.agent.try_recv().unwrap_err(), TryRecvError::Empty);

    // Changes while the customer is away are not queued: the next page gets the latest set
    // right after its welcome, and before the snapshot request.
    h.handle
        .commands
        .send(Command::CustomerGone { conn: ConnId(1) })
        .await
        .unwrap();
    settle().await;
    h.rules
        .send_replace(CustomerRules::new(3, vec![rule(5, ".ssn")]));
    h.rules.send_replace(CustomerRules::new(4, vec![]));
    settle().await;
    let mut customer = reattach(&h, 3).await;
    assert!(text(customer.recv().await.unwrap()).contains(r#""type":"welcome""#));
    assert_eq!(text(customer.recv().await.unwrap()), rules_message(4, ""));
    assert_eq!(
        text(customer.recv().await.unwrap()),
        snapshot("customerReconnected")
    );
    settle().await;
    assert_eq!(
        customer.try_recv().unwrap_err(),
        TryRecvError::Empty,
        "sent once"
    );
    // The old socket got nothing after it left.
    assert!(matches!(
        h.customer.try_recv(),
        Err(TryRecvError::Empty | TryRecvError::Disconnected)
    ));

    // The publisher going away (server stopping) does not disturb the session.
    drop(h.rules);
    settle().await;
    assert!(matches!(h.registry.lookup(&h.token), Lookup::Live(_)));
    assert_eq!(customer.try_recv().unwrap_err(), TryRecvError::Empty);
}
