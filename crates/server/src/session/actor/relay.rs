//! The relay of customer frames to the agent's [`FrameQueue`]: forwarding, and the resync that
//! starts when a frame does not fit.
//!
//! Owns the [`Relay`] state of the agent's current socket (kept in its `AgentConn`) and the
//! transitions between its states:
//! - `Forwarding`: every frame from the current customer socket is pushed with
//!   [`FrameQueue::try_push`] (never waits). A frame that does not fit starts a resync: the agent
//!   is told `resyncing` and the relay awaits a full snapshot.
//! - `AwaitingFull`: incremental frames are discarded (they would apply to a document the agent
//!   does not have); the next full snapshot that fits is forwarded and forwarding resumes. A full
//!   snapshot that does not fit either sets `retry_on_drain`: the customer is asked again once the
//!   writer has emptied the queue (asking at once would only produce another that does not fit).
//!
//! Invariant: every frame that is not pushed counts in `frames_dropped`. Called by the session
//! loop in `actor/mod.rs` (frames inbox, queue-drained wake-up); attaching sockets set the
//! initial state there.

use super::Session;
use crate::metrics::Metrics;
use crate::session::{CustomerFrame, FrameQueue};
use cobrowse_protocol::{FrameKind, ServerToAgent, SnapshotReason};
use std::sync::Arc;

/// Whether frames flow to the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Relay {
    Forwarding,
    /// Incremental frames are discarded until a full snapshot fits. With `retry_on_drain`, a full
    /// snapshot did not fit: ask again once the queue is empty.
    AwaitingFull {
        retry_on_drain: bool,
    },
}

impl Session {
    /// The agent's queue, when a snapshot must be requested again once it drains.
    pub(super) fn drain_watch(&self) -> Option<Arc<FrameQueue>> {
        let conn = self.agent.as_ref()?.conn.as_ref()?;
        match conn.relay {
            Relay::AwaitingFull {
                retry_on_drain: true,
            } => Some(conn.link.frames.clone()),
            Relay::AwaitingFull {
                retry_on_drain: false,
            }
            | Relay::Forwarding => None,
        }
    }

    /// A frame from a customer socket: forwarded, discarded, or the start of a resync.
    pub(super) fn on_frame(&mut self, frame: CustomerFrame) {
        if !self.is_customer(frame.conn) {
            Metrics::inc(&self.metrics.frames_dropped);
            return;
        }
        let metrics = self.metrics.clone();
        let Some(conn) = self.agent_conn_mut() else {
            Metrics::inc(&metrics.frames_dropped);
            return;
        };
        let outcome = match (conn.relay, frame.kind) {
            (Relay::Forwarding, kind) => match conn.link.frames.try_push(frame.bytes) {
                Ok(()) => Ok(()),
                Err(_) => Err(kind),
            },
            (Relay::AwaitingFull { .. }, FrameKind::Incremental) => {
                Metrics::inc(&metrics.frames_dropped);
                Ok(())
            }
            (Relay::AwaitingFull { .. }, FrameKind::Full) => {
                match conn.link.frames.try_push(frame.bytes) {
                    Ok(()) => conn.relay = Relay::Forwarding,
                    Err(_) => {
                        Metrics::inc(&metrics.frames_dropped);
                        conn.relay = Relay::AwaitingFull {
                            retry_on_drain: true,
                        };
                    }
                }
                Ok(())
            }
        };
        if let Err(kind) = outcome {
            self.overflow(kind);
        }
    }

    /// A frame did not fit the agent's queue while forwarding: start a resync.
    fn overflow(&mut self, kind: FrameKind) {
        Metrics::inc(&self.metrics.frames_dropped);
        Metrics::inc(&self.metrics.resyncs);
        tracing::debug!("agent behind: resyncing");
        let ask_now = match kind {
            // The customer just sent a full snapshot: asking for another now would only produce
            // one that does not fit either. Ask once the queue has drained.
            FrameKind::Full => false,
            FrameKind::Incremental => true,
        };
        if let Some(conn) = self.agent_conn_mut() {
            conn.relay = Relay::AwaitingFull {
                retry_on_drain: !ask_now,
            };
        }
        self.send_agent(&ServerToAgent::Resyncing);
        if ask_now && self.agent_conn().is_some() {
            self.request_snapshot(SnapshotReason::Resync);
        }
    }

    /// The agent's queue drained while a full snapshot was awaited: ask the customer again.
    pub(super) fn on_drained(&mut self) {
        let Some(conn) = self.agent_conn_mut() else {
            return;
        };
        if conn.relay
            == (Relay::AwaitingFull {
                retry_on_drain: true,
            })
        {
            conn.relay = Relay::AwaitingFull {
                retry_on_drain: false,
            };
            self.request_snapshot(SnapshotReason::Resync);
        }
    }
}

/// Resolves once `queue` (the agent's, awaiting a retry) is empty; never without a queue.
pub(super) async fn drained(queue: Option<Arc<FrameQueue>>) {
    match queue {
        Some(q) => q.wait_drained().await,
        None => std::future::pending().await,
    }
}
