//! The session actor: one tokio task per session, the only owner of its state.
//!
//! It owns the customer's and the agent's socket links, the session state (idle → active → ended),
//! the customer's presence and page, the timers (customer grace, agent grace, inactivity, the
//! deferred agent snapshot request) and, through `relay.rs`, the relay state of the agent's frame
//! queue.
//!
//! DOM restrictions: the customer gets the current `restrictions` message right after every
//! `welcome` (before anything else, so the SDK knows what to mask before its first frame), and
//! again whenever the published set changes while its socket is attached. The message is the
//! one serialised by `crate::restriction::live`, shared by every session.
//!
//! - `mod.rs` (this file): the loop over the inboxes and timers, attaching and detaching sockets,
//!   presence, snapshot requests and their rate limit, and the end of the session.
//! - `relay.rs`: forwarding customer frames to the agent's [`FrameQueue`](super::FrameQueue) and the resync when one
//!   does not fit (the frame and every later incremental frame are discarded, the agent is told
//!   `resyncing`, the customer is asked for a full snapshot; a full snapshot that does not fit
//!   either is retried once the queue has drained).
//! - `interaction.rs`: pointers relayed both ways, the Pointer/Write mode and the customer's
//!   consent, agent input and navigation (forwarded only in Write Mode).
//! - `tests.rs`: the actor driven through its channels in paused time.
//!
//! It never awaits on a socket: messages go out with `try_send` on the socket's bounded control
//! channel (a socket whose control channel is full is dropped; its party reconnects and gets a
//! fresh snapshot) and frames with [`FrameQueue::try_push`](super::FrameQueue::try_push).
//!
//! Started by the [`Registry`] (one task per created session), fed by socket tasks
//! (`crate::ws`) through the session's bounded inboxes. The actor ends the session (both parties
//! told `sessionEnded`, sockets closed, registry told) and returns when any handler answers
//! `Err(reason)`.

mod interaction;
mod relay;
#[cfg(test)]
mod tests;

use super::registry::Registry;
use super::{
    AgentIdentity, AgentJoin, AgentLink, CLOSE_DROPPED, CLOSE_ENDED, CLOSE_REPLACED,
    CLOSE_SHUTDOWN, Command, ConnId, CustomerFrame, CustomerHello, Outbound, SessionSettings,
    SocketLink,
};
use crate::metrics::Metrics;
use crate::restriction::live::CustomerRules;
use cobrowse_protocol::{
    CustomerPresence, CustomerStatus, EndReason, ErrorCode, Joined, Mode, PageInfo, ServerToAgent,
    ServerToCustomer, SessionEnded, SessionState, SessionToken, SnapshotReason, SnapshotRequest,
    Welcome,
};
use relay::{Relay, drained};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use subtle::ConstantTimeEq;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::Instant;
use tracing::Instrument;

/// Longest page URL kept (bytes); longer ones are truncated.
const MAX_URL_BYTES: usize = 4096;
/// Longest page title kept (bytes); longer ones are truncated.
const MAX_TITLE_BYTES: usize = 1024;

/// What the registry gives a new actor.
pub(super) struct Start {
    pub token: SessionToken,
    pub secret_hash: [u8; 32],
    pub registry: Arc<Registry>,
    pub settings: SessionSettings,
    pub metrics: Arc<Metrics>,
    pub rules: watch::Receiver<CustomerRules>,
    pub commands: mpsc::Receiver<Command>,
    pub frames: mpsc::Receiver<CustomerFrame>,
}

/// A handler's verdict: go on, or end the session for this reason.
type Step = Result<(), EndReason>;

/// Runs a session until it ends. (Not an `async fn`: the session lives in its future for the
/// session's whole life, and an `async fn` would hold its argument and the session built from it
/// side by side; see [`Session::run`].)
pub(super) fn run(start: Start) -> impl Future<Output = ()> + Send {
    let Start {
        token,
        secret_hash,
        registry,
        settings,
        metrics,
        rules,
        commands,
        frames,
    } = start;
    let span = tracing::info_span!("session", token = %token);
    let now = Instant::now();
    let session = Session {
        customer_deadline: Some(now + settings.customer_grace),
        idle_deadline: Some(now + settings.idle_timeout),
        token,
        secret_hash,
        registry,
        settings,
        metrics,
        rules,
        rules_open: true,
        state: SessionState::Idle,
        customer: None,
        presence: CustomerPresence::Disconnected,
        page: None,
        agent: None,
        last_snapshot_request: None,
        deferred_request: None,
        mode: Mode::Pointer,
        write_request_pending: false,
    };
    session.run(commands, frames).instrument(span)
}

struct Session {
    token: SessionToken,
    /// SHA-256 of the customer secret; compared in constant time.
    secret_hash: [u8; 32],
    registry: Arc<Registry>,
    settings: SessionSettings,
    metrics: Arc<Metrics>,
    /// The published restrictions; the version last sent to the customer is marked seen.
    rules: watch::Receiver<CustomerRules>,
    /// `false` once the publisher is gone (the server is stopping): stop watching.
    rules_open: bool,
    /// `Idle` until an agent joins, then `Active`.
    state: SessionState,
    /// The customer's current socket.
    customer: Option<SocketLink>,
    presence: CustomerPresence,
    /// The customer's page, as last reported.
    page: Option<PageInfo>,
    /// Customer grace period end, while no customer socket is attached.
    customer_deadline: Option<Instant>,
    /// The agent, once one joined (kept during their grace period).
    agent: Option<Agent>,
    /// Inactivity timeout, until an agent joins.
    idle_deadline: Option<Instant>,
    last_snapshot_request: Option<Instant>,
    /// When an agent's rate-limited `requestSnapshot` will be honoured.
    deferred_request: Option<Instant>,
    /// Pointer or Write Mode. Invariant: `Write` only while an agent socket is attached (losing
    /// it returns to `Pointer`); kept across customer reconnects.
    mode: Mode,
    /// An agent's `requestWriteMode` awaits the customer's answer. Invariant: only in `Pointer`
    /// mode, only while an agent socket is attached.
    write_request_pending: bool,
}

struct Agent {
    identity: AgentIdentity,
    /// The agent's current socket; `None` during the grace period.
    conn: Option<AgentConn>,
    /// Agent grace period end, while no agent socket is attached.
    deadline: Option<Instant>,
}

struct AgentConn {
    link: AgentLink,
    relay: Relay,
}

impl Session {
    /// The actor's loop. An `async move` block rather than an `async fn`: an `async fn` keeps its
    /// arguments in its future and moves them into locals of their own, so the `Session` would
    /// take its room twice in every idle session's task.
    #[allow(clippy::manual_async_fn)] // on purpose, see above
    fn run(
        mut self,
        mut commands: mpsc::Receiver<Command>,
        mut frames: mpsc::Receiver<CustomerFrame>,
    ) -> impl Future<Output = ()> + Send {
        async move {
            tracing::debug!("session started");
            let reason = loop {
                let deadline = self.next_deadline();
                let drain = self.drain_watch();
                let watch_rules = self.rules_open && self.customer.is_some();
                let step = tokio::select! {
                    biased;
                    command = commands.recv() => match command {
                        Some(command) => self.on_command(command),
                        // The registry keeps a sender while the session is live: unreachable.
                        None => Err(EndReason::Error),
                    },
                    changed = self.rules.changed(), if watch_rules => {
                        match changed {
                            Ok(()) => self.send_rules(),
                            Err(_) => self.rules_open = false,
                        }
                        Ok(())
                    }
                    frame = frames.recv() => match frame {
                        Some(frame) => {
                            self.on_frame(frame);
                            Ok(())
                        }
                        None => Err(EndReason::Error),
                    },
                    () = sleep_until(deadline) => self.on_timer(Instant::now()),
                    () = drained(drain) => {
                        self.on_drained();
                        Ok(())
                    }
                };
                if let Err(reason) = step {
                    break reason;
                }
            };
            self.finish(reason);
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        [
            self.customer_deadline,
            self.agent.as_ref().and_then(|a| a.deadline),
            self.idle_deadline,
            self.deferred_request,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    fn is_customer(&self, conn: ConnId) -> bool {
        self.customer.as_ref().is_some_and(|l| l.conn == conn)
    }

    fn is_agent(&self, conn: ConnId) -> bool {
        self.agent_conn()
            .is_some_and(|c| c.link.socket.conn == conn)
    }

    fn agent_conn(&self) -> Option<&AgentConn> {
        self.agent.as_ref()?.conn.as_ref()
    }

    fn agent_conn_mut(&mut self) -> Option<&mut AgentConn> {
        self.agent.as_mut()?.conn.as_mut()
    }

    fn on_command(&mut self, command: Command) -> Step {
        match command {
            Command::CustomerHello(hello) => {
                let CustomerHello {
                    link,
                    secret,
                    page,
                    reply,
                } = *hello;
                self.on_customer_hello(link, &secret.0, page, reply);
                Ok(())
            }
            Command::CustomerPage { conn, page } => {
                if self.is_customer(conn) {
                    self.page = Some(clamp_page(*page));
                    self.presence = CustomerPresence::Connected;
                    self.tell_agent_status();
                }
                Ok(())
            }
            Command::CustomerUnloading { conn } => {
                if self.is_customer(conn) {
                    self.presence = CustomerPresence::Navigating;
                    self.tell_agent_status();
                }
                Ok(())
            }
            Command::CustomerExit { conn } => {
                if self.is_customer(conn) {
                    return Err(EndReason::CustomerExited);
                }
                Ok(())
            }
            Command::CustomerGone { conn } => {
                if self.is_customer(conn) {
                    self.drop_customer(None);
                }
                Ok(())
            }
            Command::AgentJoin(join) => {
                let AgentJoin { link, agent, reply } = *join;
                self.on_agent_join(link, agent, reply)
            }
            Command::AgentRequestSnapshot { conn } => {
                if self.is_agent(conn) {
                    let now = Instant::now();
                    match self.last_snapshot_request {
                        Some(last) if now < last + self.settings.snapshot_request_interval => {
                            self.deferred_request =
                                Some(last + self.settings.snapshot_request_interval);
                        }
                        Some(_) | None => self.request_snapshot(SnapshotReason::AgentRequest),
                    }
                }
                Ok(())
            }
            Command::AgentExit { conn } => {
                if self.is_agent(conn) {
                    return Err(EndReason::AgentExited);
                }
                Ok(())
            }
            Command::AgentGone { conn } => {
                if self.is_agent(conn) {
                    self.drop_agent(None);
                }
                Ok(())
            }
            Command::Customer { conn, action } => {
                if self.is_customer(conn) {
                    self.on_customer_action(action);
                }
                Ok(())
            }
            Command::Agent { conn, action } => {
                if self.is_agent(conn) {
                    self.on_agent_action(action);
                }
                Ok(())
            }
            Command::EndByIntegration { reply } => {
                // The requester may have given up (client gone); the session ends all the same.
                let _ = reply.send(());
                Err(EndReason::EndedByIntegration)
            }
            Command::RequestResource { request, reply } => {
                let asked = self.customer.is_some();
                self.send_customer(&ServerToCustomer::ResourceRequest(*request));
                // The proxy request may have given up meanwhile.
                let _ = reply.send(asked);
                Ok(())
            }
            Command::Shutdown => Err(EndReason::ServerShutdown),
        }
    }

    fn on_customer_hello(
        &mut self,
        link: SocketLink,
        secret: &str,
        page: PageInfo,
        reply: oneshot::Sender<Result<(), ErrorCode>>,
    ) {
        let presented: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        if !bool::from(presented.ct_eq(&self.secret_hash)) {
            tracing::info!("customer socket refused: wrong secret");
            let _ = reply.send(Err(ErrorCode::Unauthenticated));
            return;
        }
        if reply.send(Ok(())).is_err() {
            // The socket task is gone (its socket died while waiting): nothing to attach.
            return;
        }
        let reconnect = self.customer.is_some() || self.page.is_some();
        if let Some(old) = self.customer.take() {
            close(&old, CLOSE_REPLACED);
        }
        tracing::info!(reconnect, "customer attached");
        self.customer = Some(link);
        self.presence = CustomerPresence::Connected;
        self.page = Some(clamp_page(page));
        self.customer_deadline = None;
        let agent_present = self.agent_conn().is_some();
        self.send_customer(&ServerToCustomer::Welcome(Welcome {
            token: self.token.clone(),
            state: self.state,
            agent_present,
            mode: self.mode,
        }));
        self.send_rules();
        if self.write_request_pending {
            // The page reloaded while the customer was asked: ask the new page.
            self.send_customer(&ServerToCustomer::ModeUpgradeRequested);
        }
        if agent_present {
            self.tell_agent_status();
            if let Some(conn) = self.agent_conn_mut() {
                // A new page starts with a full snapshot; incremental frames before it are moot.
                conn.relay = Relay::AwaitingFull {
                    retry_on_drain: false,
                };
            }
            self.request_snapshot(SnapshotReason::CustomerReconnected);
        }
    }

    fn on_agent_join(
        &mut self,
        link: AgentLink,
        identity: AgentIdentity,
        reply: oneshot::Sender<Result<(), ErrorCode>>,
    ) -> Step {
        if let Some(current) = &self.agent
            && current.identity.id != identity.id
        {
            tracing::info!(agent = %identity.name, "join refused: session taken");
            let _ = reply.send(Err(ErrorCode::SessionTaken));
            return Ok(());
        }
        if let Err(other) = self.registry.claim_agent(identity.id, &self.token) {
            tracing::info!(agent = %identity.name, other = %other, "join refused: agent busy");
            let _ = reply.send(Err(ErrorCode::AgentBusy));
            return Err(EndReason::SessionsOverLimit);
        }
        if reply.send(Ok(())).is_err() {
            if self.agent.is_none() {
                self.registry.release_agent(identity.id, &self.token);
            }
            return Ok(());
        }
        let (rejoin, was_connected) = match &mut self.agent {
            Some(agent) => {
                let was_connected = agent.conn.is_some();
                if let Some(old) = agent.conn.take() {
                    close(&old.link.socket, CLOSE_REPLACED);
                }
                (true, was_connected)
            }
            None => (false, false),
        };
        tracing::info!(agent = %identity.name, rejoin, "agent attached");
        self.agent = Some(Agent {
            identity,
            conn: Some(AgentConn {
                link,
                // The viewer starts from nothing: only a full snapshot is useful to it.
                relay: Relay::AwaitingFull {
                    retry_on_drain: false,
                },
            }),
            deadline: None,
        });
        self.state = SessionState::Active;
        self.idle_deadline = None;
        self.send_agent(&ServerToAgent::Joined(Joined {
            token: self.token.clone(),
            customer: self.presence,
            page: self.page.clone(),
            mode: self.mode,
        }));
        if !was_connected {
            self.send_customer(&ServerToCustomer::AgentJoined);
        }
        self.request_snapshot(if rejoin {
            SnapshotReason::AgentRejoined
        } else {
            SnapshotReason::AgentJoined
        });
        Ok(())
    }

    fn on_timer(&mut self, now: Instant) -> Step {
        let due = |d: Option<Instant>| d.is_some_and(|d| d <= now);
        if due(self.customer_deadline) {
            return Err(EndReason::CustomerDisconnected);
        }
        if due(self.agent.as_ref().and_then(|a| a.deadline)) {
            return Err(EndReason::AgentDisconnected);
        }
        if due(self.idle_deadline) {
            return Err(EndReason::InactivityTimeout);
        }
        if due(self.deferred_request) {
            self.deferred_request = None;
            self.request_snapshot(SnapshotReason::AgentRequest);
        }
        Ok(())
    }

    /// Asks the customer for a full snapshot, if a customer socket is attached (otherwise the
    /// customer is asked when it comes back).
    fn request_snapshot(&mut self, reason: SnapshotReason) {
        if self.customer.is_none() {
            return;
        }
        self.last_snapshot_request = Some(Instant::now());
        self.deferred_request = None;
        Metrics::inc(&self.metrics.snapshot_requests);
        self.send_customer(&ServerToCustomer::SnapshotRequest(SnapshotRequest {
            reason,
        }));
    }

    /// Sends the customer the current restrictions (marking them seen), if a customer socket is
    /// attached.
    fn send_rules(&mut self) {
        let Some(link) = &self.customer else {
            return;
        };
        let message = self.rules.borrow_and_update().message.clone();
        if link.control.try_send(Outbound::Shared(message)).is_err() {
            self.drop_customer(Some(CLOSE_DROPPED));
        }
    }

    fn tell_agent_status(&mut self) {
        if self.agent_conn().is_some() {
            self.send_agent(&ServerToAgent::CustomerStatus(CustomerStatus {
                customer: self.presence,
                page: self.page.clone(),
            }));
        }
    }

    fn send_customer(&mut self, message: &ServerToCustomer) {
        let Some(link) = &self.customer else {
            return;
        };
        if !try_send(link, message) {
            self.drop_customer(Some(CLOSE_DROPPED));
        }
    }

    fn send_agent(&mut self, message: &ServerToAgent) {
        let Some(conn) = self.agent_conn() else {
            return;
        };
        if !try_send(&conn.link.socket, message) {
            self.drop_agent(Some(CLOSE_DROPPED));
        }
    }

    /// Detaches the customer's socket (closed, dead, or dropped by us with `close`) and starts the
    /// customer grace period.
    fn drop_customer(&mut self, close_with: Option<(u16, &'static str)>) {
        let Some(link) = self.customer.take() else {
            return;
        };
        if let Some(close_with) = close_with {
            close(&link, close_with);
        }
        drop(link);
        tracing::info!(presence = ?self.presence, "customer detached");
        self.customer_deadline = Some(Instant::now() + self.settings.customer_grace);
        match self.presence {
            // The agent was told at `unloading`.
            CustomerPresence::Navigating => {}
            CustomerPresence::Connected | CustomerPresence::Disconnected => {
                self.presence = CustomerPresence::Disconnected;
                self.tell_agent_status();
            }
        }
    }

    /// Detaches the agent's socket and starts the agent grace period.
    fn drop_agent(&mut self, close_with: Option<(u16, &'static str)>) {
        let Some(agent) = self.agent.as_mut() else {
            return;
        };
        let Some(conn) = agent.conn.take() else {
            return;
        };
        if let Some(close_with) = close_with {
            close(&conn.link.socket, close_with);
        }
        agent.deadline = Some(Instant::now() + self.settings.agent_grace);
        tracing::info!("agent detached");
        self.send_customer(&ServerToCustomer::AgentDisconnected);
        self.agent_lost_for_interaction();
    }

    /// Ends the session: tells both parties, closes their sockets, updates the registry.
    fn finish(mut self, reason: EndReason) {
        let close_with = match reason {
            EndReason::ServerShutdown => CLOSE_SHUTDOWN,
            EndReason::CustomerExited
            | EndReason::AgentExited
            | EndReason::EndedByIntegration
            | EndReason::InactivityTimeout
            | EndReason::CustomerDisconnected
            | EndReason::AgentDisconnected
            | EndReason::SessionsOverLimit
            | EndReason::Error => CLOSE_ENDED,
        };
        let ended = SessionEnded { reason };
        if let Some(link) = self.customer.take() {
            try_send(&link, &ServerToCustomer::SessionEnded(ended.clone()));
            close(&link, close_with);
        }
        let agent_id = self.agent.as_ref().map(|a| a.identity.id);
        if let Some(conn) = self.agent.as_mut().and_then(|a| a.conn.take()) {
            try_send(&conn.link.socket, &ServerToAgent::SessionEnded(ended));
            close(&conn.link.socket, close_with);
        }
        tracing::info!(?reason, "session ended");
        self.registry.ended(&self.token, reason, agent_id);
    }
}

/// Queues a JSON message on a socket's control channel. `false` when the channel is full or
/// closed: the caller drops that socket.
fn try_send(link: &SocketLink, message: &impl Serialize) -> bool {
    let text = match serde_json::to_string(message) {
        Ok(text) => text,
        Err(e) => {
            // Our message types always serialise; log rather than crash if that ever changes.
            tracing::error!(error = %e, "cannot serialise a message");
            return true;
        }
    };
    link.control.try_send(Outbound::Text(text)).is_ok()
}

/// Asks a socket's writer to close it (best effort: a full channel means the socket is being
/// dropped anyway, and the writer closes when the channel's last sender goes).
fn close(link: &SocketLink, (code, reason): (u16, &'static str)) {
    let _ = link.control.try_send(Outbound::Close { code, reason });
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

/// Truncates the URL and title to their documented maximum lengths (at a character boundary).
fn clamp_page(mut page: PageInfo) -> PageInfo {
    truncate(&mut page.url, MAX_URL_BYTES);
    truncate(&mut page.title, MAX_TITLE_BYTES);
    page
}

fn truncate(s: &mut String, max: usize) {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
}
