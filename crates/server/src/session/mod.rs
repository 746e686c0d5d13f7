//! Live co-browse sessions.
//!
//! - [`Registry`] (`registry.rs`): token → [`SessionHandle`] lookup, the agent → session claims
//!   (one session per agent), and the tombstones of ended sessions. Lookup only: no session state
//!   lives there, and its lock is never held across an `.await`.
//! - The actor (`actor/`): one tokio task per session owning its participants, state, page,
//!   timers (grace periods, inactivity, snapshot-request rate limit) and, in `actor/relay.rs`,
//!   the agent's relay state (forwarding / awaiting a full snapshot). It never awaits on a
//!   socket: it talks to sockets only through `try_send` on their control channels and
//!   [`FrameQueue::try_push`].
//! - [`FrameQueue`] (`queue.rs`): the byte-bounded frame queue of an agent socket.
//!
//! Socket tasks (`crate::ws`) send [`Command`]s and [`CustomerFrame`]s into a session's bounded
//! inboxes and receive [`Outbound`] messages on their own bounded control channel.

mod actor;
pub mod queue;
mod registry;

pub use queue::FrameQueue;
pub use registry::{Lookup, Registry, RegistryError, SessionHandle};

use crate::store::UserId;
use bytes::Bytes;
use cobrowse_protocol::{
    AgentInputMessage, ErrorCode, FrameKind, Navigate, NavigationFailed, PageInfo, PagePoint,
};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// Close code and reason of a socket whose session ended (after `sessionEnded`).
pub const CLOSE_ENDED: (u16, &str) = (1000, "sessionEnded");
/// Close code and reason of a socket whose session ended because the server is stopping.
pub const CLOSE_SHUTDOWN: (u16, &str) = (1001, "serverShutdown");
/// Close code of a fatal error; the reason is the error code.
pub const CLOSE_FATAL: u16 = 1008;
/// Close code and reason of a socket replaced by a newer socket of the same party. The client must
/// not reconnect.
pub const CLOSE_REPLACED: (u16, &str) = (4000, "replaced");
/// Close code and reason of a socket the server dropped because it could not keep up (its control
/// queue overflowed) or went silent. The client should reconnect.
pub const CLOSE_DROPPED: (u16, &str) = (1013, "dropped");

/// Identifies one socket (unique for the process lifetime), so a session can tell its current
/// socket from a replaced one whose messages are still in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConnId(pub u64);

/// What a socket's writer task is asked to send.
#[derive(Debug)]
pub enum Outbound {
    /// A JSON control message.
    Text(String),
    /// A JSON control message serialised once and sent to many sockets (the restrictions);
    /// cloning it only counts a reference.
    Shared(axum::extract::ws::Utf8Bytes),
    /// Send a close frame and stop.
    Close { code: u16, reason: &'static str },
}

/// The session's end of one socket: its control channel.
#[derive(Debug)]
pub struct SocketLink {
    pub conn: ConnId,
    pub control: mpsc::Sender<Outbound>,
}

/// The session's end of an agent socket: control channel plus frame queue.
#[derive(Debug)]
pub struct AgentLink {
    pub socket: SocketLink,
    pub frames: Arc<FrameQueue>,
}

/// Who an agent socket belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentIdentity {
    pub id: UserId,
    pub name: String,
}

/// A customer secret in transit; `Debug` does not print it.
pub struct CustomerSecret(pub String);

impl std::fmt::Debug for CustomerSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<hidden>")
    }
}

/// Requests from socket tasks to a session actor.
///
/// Kept small (at most [`COMMAND_BYTES`], tested): a session's inbox allocates its first block of
/// 32 slots when it is made, so every byte of the largest variant is 32 bytes of every idle
/// session's memory. The rare, large requests (`hello`, `join`, page reports, navigation, input,
/// resource requests) are boxed; the frequent ones (pointers, presence) fit inline.
#[derive(Debug)]
pub enum Command {
    /// A customer socket said `hello` with this secret; the answer says whether it is attached.
    CustomerHello(Box<CustomerHello>),
    CustomerPage {
        conn: ConnId,
        page: Box<PageInfo>,
    },
    CustomerUnloading {
        conn: ConnId,
    },
    CustomerExit {
        conn: ConnId,
    },
    /// The customer socket closed or died.
    CustomerGone {
        conn: ConnId,
    },
    /// An agent socket sent `join`; the answer says whether it is attached.
    AgentJoin(Box<AgentJoin>),
    AgentRequestSnapshot {
        conn: ConnId,
    },
    AgentExit {
        conn: ConnId,
    },
    /// The agent socket closed or died.
    AgentGone {
        conn: ConnId,
    },
    /// An interaction message of the customer (pointer, consent, navigation report).
    Customer {
        conn: ConnId,
        action: CustomerAction,
    },
    /// An interaction message of the agent (pointer, mode request, input, navigation).
    Agent {
        conn: ConnId,
        action: AgentAction,
    },
    /// A contact-centre integration ends the session (`DELETE /cobrowse/rest/live/sessions/{token}`).
    /// The actor answers on `reply` just before it ends the session; a dropped `reply` means the
    /// session had already ended.
    EndByIntegration {
        reply: oneshot::Sender<()>,
    },
    /// The resource proxy cannot fetch a resource: ask the customer's page for it
    /// (`resourceRequest`). `reply` says whether a customer socket was there to ask.
    RequestResource {
        request: Box<cobrowse_protocol::ResourceRequest>,
        reply: oneshot::Sender<bool>,
    },
    /// The server is stopping.
    Shutdown,
}

/// The largest [`Command`], in bytes (see there); checked when compiling.
pub const COMMAND_BYTES: usize = 32;
const _: () = assert!(
    size_of::<Command>() <= COMMAND_BYTES,
    "a Command variant grew: box its fields"
);

/// A customer socket's `hello` ([`Command::CustomerHello`]).
#[derive(Debug)]
pub struct CustomerHello {
    pub link: SocketLink,
    pub secret: CustomerSecret,
    pub page: PageInfo,
    pub reply: oneshot::Sender<Result<(), ErrorCode>>,
}

/// An agent socket's `join` ([`Command::AgentJoin`]).
#[derive(Debug)]
pub struct AgentJoin {
    pub link: AgentLink,
    pub agent: AgentIdentity,
    pub reply: oneshot::Sender<Result<(), ErrorCode>>,
}

/// The customer's interaction messages, as the session actor sees them.
#[derive(Debug)]
pub enum CustomerAction {
    Pointer(PagePoint),
    PointerLeave,
    ModeResponse { allow: bool },
    DowngradeMode,
    NavigationFailed(Box<NavigationFailed>),
}

/// The agent's interaction messages, as the session actor sees them.
#[derive(Debug)]
pub enum AgentAction {
    Pointer(PagePoint),
    PointerLeave,
    Mark(PagePoint),
    RequestWriteMode,
    Input(Box<AgentInputMessage>),
    Navigate(Box<AgentNavigate>),
}

/// The agent's `navigate`, as the session actor sees it.
#[derive(Debug)]
pub struct AgentNavigate {
    pub navigate: Navigate,
    /// Why the URL may not be opened (checked by the socket task, which knows the allowed
    /// origins), `None` when it may or when the command has no URL.
    pub refusal: Option<String>,
}

/// A validated binary frame from a customer socket.
#[derive(Debug)]
pub struct CustomerFrame {
    pub conn: ConnId,
    pub kind: FrameKind,
    pub bytes: Bytes,
}

/// Why [`end_by_integration`] did not end a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndError {
    /// No session has this token (or it ended long enough ago to be forgotten).
    NotFound,
    /// The session has already ended.
    Ended,
}

/// Ends a live session with `endedByIntegration` (the REST `DELETE` of a contact-centre
/// integration; the end of the chat that linked it). `Ok` once the session has taken the order.
pub async fn end_by_integration(
    registry: &Registry,
    token: &cobrowse_protocol::SessionToken,
) -> Result<(), EndError> {
    let handle = match registry.lookup(token) {
        Lookup::Live(handle) => handle,
        Lookup::Ended(_) => return Err(EndError::Ended),
        Lookup::NotFound => return Err(EndError::NotFound),
    };
    let (reply, answer) = oneshot::channel();
    if handle
        .commands
        .send(Command::EndByIntegration { reply })
        .await
        .is_err()
    {
        // The actor finished between the lookup and now.
        return Err(EndError::Ended);
    }
    // A dropped `reply`: the session ended for another reason before it read the order.
    answer.await.map_err(|_| EndError::Ended)
}

/// The timing knobs of sessions (from [`crate::Config`]).
#[derive(Debug, Clone)]
pub struct SessionSettings {
    pub customer_grace: Duration,
    pub agent_grace: Duration,
    pub idle_timeout: Duration,
    pub snapshot_request_interval: Duration,
    pub tombstone_ttl: Duration,
    pub max_tombstones: usize,
    pub max_live_sessions: usize,
}

impl From<&crate::Config> for SessionSettings {
    fn from(c: &crate::Config) -> Self {
        Self {
            customer_grace: c.customer_grace,
            agent_grace: c.agent_grace,
            idle_timeout: c.idle_timeout,
            snapshot_request_interval: c.snapshot_request_interval,
            tombstone_ttl: c.tombstone_ttl,
            max_tombstones: c.max_tombstones,
            max_live_sessions: c.max_live_sessions,
        }
    }
}
