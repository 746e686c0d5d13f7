//! Lookup of live sessions by token, agent claims, and tombstones of ended sessions.
//!
//! Invariants (all under one lock, never held across an `.await`):
//! - a token is in at most one of `live` and `ended`; a new token is never in either, so a token
//!   is reused only after its tombstone has expired or been evicted;
//! - `agents[a] == t` only while `t` is live: an agent is claimed by at most one session, and the
//!   claim is released when that session ends;
//! - `ended` holds at most `max_tombstones` entries, each for at most `tombstone_ttl`.
//!
//! Called by the REST handler (create), socket tasks (lookup) and session actors (claims, end).

use super::actor;
use super::{Command, CustomerFrame, SessionSettings};
use crate::metrics::Metrics;
use crate::restriction::live::CustomerRules;
use crate::store::UserId;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cobrowse_protocol::{EndReason, SessionToken};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, mpsc, watch};
use tokio::time::Instant;

/// Capacity of a session's command inbox. The actor never blocks, so the inbox is normally
/// nearly empty; the bound only makes socket tasks wait (backpressure) if an actor falls behind.
const COMMAND_CAPACITY: usize = 64;
/// Capacity of a session's frame inbox, in frames. Bounds the memory of frames between the
/// customer's reader and the actor to `FRAME_CAPACITY × max_frame_bytes`.
const FRAME_CAPACITY: usize = 4;
/// Attempts at drawing an unused token before giving up (with a billion tokens and at most a few
/// hundred thousand in use, one attempt nearly always suffices).
const TOKEN_ATTEMPTS: usize = 64;

/// How socket tasks reach a live session's actor.
#[derive(Debug, Clone)]
pub struct SessionHandle {
    pub commands: mpsc::Sender<Command>,
    pub frames: mpsc::Sender<CustomerFrame>,
}

/// Result of looking a token up.
#[derive(Debug)]
pub enum Lookup {
    Live(SessionHandle),
    Ended(EndReason),
    NotFound,
}

/// A new session: what the REST answer carries.
pub struct Created {
    pub token: SessionToken,
    pub secret: String,
}

impl std::fmt::Debug for Created {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Created")
            .field("token", &self.token)
            .field("secret", &"<hidden>")
            .finish()
    }
}

/// Why a session could not be created.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("the server is shutting down")]
    ShuttingDown,
    #[error("no free session token found")]
    NoFreeToken,
    #[error("too many live sessions")]
    Full,
}

/// The registry of sessions. See the module documentation.
#[derive(Debug)]
pub struct Registry {
    // Lock: the maps of `Inner`; held for a few map operations, never across an .await.
    inner: Mutex<Inner>,
    settings: SessionSettings,
    metrics: Arc<Metrics>,
    /// The restrictions customers enforce; each actor gets its own receiver.
    rules: watch::Receiver<CustomerRules>,
    next_conn: AtomicU64,
    /// Signalled whenever a session leaves `live`; `shutdown` waits on it.
    emptied: Notify,
}

#[derive(Debug, Default)]
struct Inner {
    live: HashMap<SessionToken, SessionHandle>,
    ended: HashMap<SessionToken, EndReason>,
    /// Tombstones in the order they were made (= order of expiry), with their expiry.
    ended_order: VecDeque<(SessionToken, Instant)>,
    agents: HashMap<UserId, SessionToken>,
    closing: bool,
}

impl Inner {
    fn prune(&mut self, now: Instant, max: usize) {
        while let Some((token, expires)) = self.ended_order.front() {
            if *expires > now && self.ended_order.len() <= max {
                break;
            }
            self.ended.remove(token);
            self.ended_order.pop_front();
        }
    }
}

impl Registry {
    pub fn new(
        settings: SessionSettings,
        metrics: Arc<Metrics>,
        rules: watch::Receiver<CustomerRules>,
    ) -> Self {
        Self {
            inner: Mutex::new(Inner::default()),
            settings,
            metrics,
            rules,
            next_conn: AtomicU64::new(1),
            emptied: Notify::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Every critical section leaves the maps consistent before any call that could panic, so
        // a poisoned lock still guards consistent data.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A fresh socket id.
    pub fn next_conn_id(&self) -> super::ConnId {
        super::ConnId(self.next_conn.fetch_add(1, Ordering::Relaxed))
    }

    /// Number of live sessions.
    pub fn live_count(&self) -> usize {
        self.lock().live.len()
    }

    /// Creates a session and starts its actor.
    pub fn create(self: &Arc<Self>) -> Result<Created, RegistryError> {
        let mut secret_bytes = [0u8; 32];
        rand::fill(&mut secret_bytes);
        let secret = URL_SAFE_NO_PAD.encode(secret_bytes);
        let secret_hash: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        let (commands_tx, commands_rx) = mpsc::channel(COMMAND_CAPACITY);
        let (frames_tx, frames_rx) = mpsc::channel(FRAME_CAPACITY);
        let handle = SessionHandle {
            commands: commands_tx,
            frames: frames_tx,
        };
        let token = {
            let mut inner = self.lock();
            if inner.closing {
                return Err(RegistryError::ShuttingDown);
            }
            if inner.live.len() >= self.settings.max_live_sessions {
                return Err(RegistryError::Full);
            }
            inner.prune(Instant::now(), self.settings.max_tombstones);
            let token = (0..TOKEN_ATTEMPTS)
                .filter_map(|_| {
                    SessionToken::from_number(rand::random_range(0..1_000_000_000)).ok()
                })
                .find(|t| !inner.live.contains_key(t) && !inner.ended.contains_key(t))
                .ok_or(RegistryError::NoFreeToken)?;
            inner.live.insert(token.clone(), handle);
            token
        };
        Metrics::inc(&self.metrics.sessions_created);
        tokio::spawn(actor::run(actor::Start {
            token: token.clone(),
            secret_hash,
            registry: self.clone(),
            settings: self.settings.clone(),
            metrics: self.metrics.clone(),
            rules: self.rules.clone(),
            commands: commands_rx,
            frames: frames_rx,
        }));
        Ok(Created { token, secret })
    }

    /// Finds a session by token.
    pub fn lookup(&self, token: &SessionToken) -> Lookup {
        let mut inner = self.lock();
        if let Some(handle) = inner.live.get(token) {
            return Lookup::Live(handle.clone());
        }
        inner.prune(Instant::now(), self.settings.max_tombstones);
        match inner.ended.get(token) {
            Some(reason) => Lookup::Ended(*reason),
            None => Lookup::NotFound,
        }
    }

    /// The live session `token` when `agent` is its agent (the resource proxy's check).
    pub fn agent_session(&self, agent: UserId, token: &SessionToken) -> Option<SessionHandle> {
        let inner = self.lock();
        if inner.agents.get(&agent) != Some(token) {
            return None;
        }
        inner.live.get(token).cloned()
    }

    /// Claims `agent` for session `token`. Fails with the token of the other session when the
    /// agent is already claimed by another live session.
    pub(super) fn claim_agent(
        &self,
        agent: UserId,
        token: &SessionToken,
    ) -> Result<(), SessionToken> {
        let mut inner = self.lock();
        match inner.agents.get(&agent) {
            Some(other) if other != token => Err(other.clone()),
            Some(_) => Ok(()),
            None => {
                inner.agents.insert(agent, token.clone());
                Ok(())
            }
        }
    }

    /// Releases a claim made by [`Registry::claim_agent`] for `token` (an attach that failed).
    pub(super) fn release_agent(&self, agent: UserId, token: &SessionToken) {
        let mut inner = self.lock();
        if inner.agents.get(&agent) == Some(token) {
            inner.agents.remove(&agent);
        }
    }

    /// Records that session `token` ended: moves it to the tombstones and releases its agent.
    pub(super) fn ended(&self, token: &SessionToken, reason: EndReason, agent: Option<UserId>) {
        {
            let mut inner = self.lock();
            inner.live.remove(token);
            if let Some(agent) = agent
                && inner.agents.get(&agent) == Some(token)
            {
                inner.agents.remove(&agent);
            }
            let now = Instant::now();
            inner.ended.insert(token.clone(), reason);
            inner
                .ended_order
                .push_back((token.clone(), now + self.settings.tombstone_ttl));
            inner.prune(now, self.settings.max_tombstones);
        }
        self.metrics.session_ended(reason);
        self.emptied.notify_waiters();
    }

    /// Ends every live session with `serverShutdown`, refuses new ones, and waits (at most
    /// `limit`) until every actor has finished.
    pub async fn shutdown(&self, limit: Duration) {
        let handles: Vec<SessionHandle> = {
            let mut inner = self.lock();
            inner.closing = true;
            inner.live.values().cloned().collect()
        };
        let deadline = Instant::now() + limit;
        for handle in handles {
            // Timeout: an actor drains its inbox without blocking, so this wait is short; the
            // deadline only guards against a wedged actor.
            let _ =
                tokio::time::timeout_at(deadline, handle.commands.send(Command::Shutdown)).await;
        }
        loop {
            let emptied = self.emptied.notified();
            if self.lock().live.is_empty() {
                return;
            }
            if tokio::time::timeout_at(deadline, emptied).await.is_err() {
                tracing::warn!("sessions still live after the shutdown deadline");
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Arc<Registry> {
        Arc::new(Registry::new(
            SessionSettings {
                customer_grace: Duration::from_secs(30),
                agent_grace: Duration::from_secs(30),
                idle_timeout: Duration::from_secs(30),
                snapshot_request_interval: Duration::from_millis(500),
                tombstone_ttl: Duration::from_secs(60),
                max_tombstones: 2,
                max_live_sessions: 3,
            },
            Arc::new(Metrics::default()),
            // No restrictions published; the sender goes at once (actors then stop watching).
            watch::Sender::new(CustomerRules::new(1, Vec::new())).subscribe(),
        ))
    }

    #[tokio::test]
    async fn tombstones_are_bounded_and_claims_released() {
        let r = registry();
        let tokens: Vec<SessionToken> = (0..3).map(|_| r.create().unwrap().token).collect();
        assert!(matches!(r.create(), Err(RegistryError::Full)));
        let agent = UserId(1);
        r.claim_agent(agent, &tokens[0]).unwrap();
        assert_eq!(r.claim_agent(agent, &tokens[1]), Err(tokens[0].clone()));
        r.ended(&tokens[0], EndReason::AgentExited, Some(agent));
        r.claim_agent(agent, &tokens[1]).unwrap();
        assert!(matches!(
            r.lookup(&tokens[0]),
            Lookup::Ended(EndReason::AgentExited)
        ));
        r.ended(&tokens[1], EndReason::CustomerExited, None);
        r.ended(&tokens[2], EndReason::CustomerExited, None);
        // At most two tombstones: the oldest is forgotten.
        assert!(matches!(r.lookup(&tokens[0]), Lookup::NotFound));
        assert!(matches!(r.lookup(&tokens[2]), Lookup::Ended(_)));
        assert_eq!(r.live_count(), 0);
    }
}
