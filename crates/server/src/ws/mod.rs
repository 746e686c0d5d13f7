//! The two WebSocket endpoints: upgrade checks and the lifetime of each socket's task pair.
//!
//! - `GET /cobrowse/ws/customer`: an `Origin`, when present, must be allowed (else `403` before
//!   the upgrade). First message `hello` within the handshake timeout.
//! - `GET /cobrowse/ws/agent`: a valid `cobrowse_auth` cookie (else `401`) and an `Origin`, when
//!   present, equal to the server's own (else `403`). First message `join`.
//!
//! Files:
//! - `mod.rs` (this file): the upgrade handlers (called by `crate::http`'s router), the socket
//!   task of each role (reader + writer, then [`finish`]), and the [`SocketTracker`] that
//!   `crate::run` waits on at shutdown; the chat sockets (`chat.rs`) share the tasks' guard
//!   ([`SocketGuard`]) and end ([`close`]).
//! - `handshake.rs`: the first message (`hello` / `join`), the version probe, and attaching the
//!   socket to its session; fatal errors.
//! - `reader.rs`: the read loop of each role after the handshake: decoding, frame checks,
//!   forwarding to the session actor, non-fatal errors.
//! - `writer.rs`: the writer task: control messages first, then frames, pings, close codes.
//! - `deflate.rs`: `permessage-deflate` (RFC 7692) on the customer socket, inbound: the offer's
//!   negotiation and the connection wrapper that inflates compressed messages under tungstenite.
//! - `read_ahead.rs`: the customer connection's adaptive read buffer under tungstenite (large
//!   reads while the socket is busy, no buffer while it waits).
//! - `socket.rs`: [`Socket`], axum's socket (agents) or a customer's (read through
//!   `read_ahead.rs`, inflating when negotiated), and the customer socket's upgrade.
//!
//! Per socket, the upgrade task is the **reader**: it decodes only its role's messages and
//! forwards them to the session actor (waiting on the actor's bounded inbox is the customer's
//! backpressure). A spawned **writer** owns the sink and sends, in priority order, the socket's
//! control messages (bounded channel, fed by the actor with `try_send`), a ping every
//! `ping_interval`, then, for agents, DOM frames from the byte-bounded [`FrameQueue`].
//!
//! Lifetimes: during the handshake the reader holds the control channel's only sender; once the
//! session accepts the socket, the actor holds it and the reader keeps a weak sender (to report
//! non-fatal errors). The writer stops after sending a close frame, when the channel's last sender
//! is gone (the session dropped the socket), or when a write fails or stalls for `socket_timeout`.
//! When either task stops, the socket is done: the session is told the socket is gone. At
//! shutdown, once every session has ended, sockets still in their handshake are closed too.
//!
//! Nothing a client sends can panic the server or end a session, except `exit`.

/// `AsyncWrite` for a connection wrapper of this module that changes only what is read
/// (`deflate.rs`'s `Inflating`, `read_ahead.rs`'s `ReadAhead`): writes go to its `inner` as
/// they are.
macro_rules! writes_pass_through {
    ($wrapper:ident) => {
        impl<S: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for $wrapper<S> {
            fn poll_write(
                mut self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
                buf: &[u8],
            ) -> std::task::Poll<std::io::Result<usize>> {
                std::pin::Pin::new(&mut self.inner).poll_write(cx, buf)
            }

            fn poll_flush(
                mut self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<std::io::Result<()>> {
                std::pin::Pin::new(&mut self.inner).poll_flush(cx)
            }

            fn poll_shutdown(
                mut self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<std::io::Result<()>> {
                std::pin::Pin::new(&mut self.inner).poll_shutdown(cx)
            }

            fn poll_write_vectored(
                mut self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
                bufs: &[std::io::IoSlice<'_>],
            ) -> std::task::Poll<std::io::Result<usize>> {
                std::pin::Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
            }

            fn is_write_vectored(&self) -> bool {
                self.inner.is_write_vectored()
            }
        }
    };
}

pub(crate) mod chat;
mod deflate;
mod handshake;
mod read_ahead;
mod reader;
mod socket;
mod writer;

use crate::App;
use crate::http::HttpError;
use crate::http::auth::authenticate;
use crate::http::origin::{is_allowed, is_own, own_origin, request_origin};
use crate::session::{AgentIdentity, Command, FrameQueue, SessionHandle};
use axum::extract::ws::{Message, WebSocketUpgrade};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use cobrowse_protocol::{ErrorCode, ErrorMessage, ServerToAgent, ServerToCustomer};
use futures_util::StreamExt;
use futures_util::stream::{SplitSink, SplitStream};
use socket::Socket;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::{Notify, mpsc};
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// Capacity of a socket's control channel, in messages. Control traffic is a handful of messages
/// per second at most; a socket that lets this many pile up is not reading and gets dropped.
const CONTROL_CAPACITY: usize = 64;
/// Largest WebSocket message on an agent socket (agents only send small control messages).
const AGENT_MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// Read buffer of a customer socket, in bytes (tungstenite's default is 128 KiB per socket,
/// allocated with the socket and zero-filled on its first read: 256 KiB of an idle session's
/// memory). It is also the most one of tungstenite's reads takes, but these are served from the
/// connection's adaptive buffer (`read_ahead.rs`), which reads the kernel in large reads while the
/// socket is busy: a small buffer here costs a few copies per message, not calls into the kernel.
/// A larger message still arrives whole, because tungstenite reserves the full length of a frame
/// once it has read its header (a multi-megabyte snapshot grows the buffer to its size).
const CUSTOMER_READ_BUFFER: usize = 1024;
/// Read buffer of an agent socket, in bytes: agents send only small control messages (a pointer
/// move is under 100 bytes; larger ones grow the buffer as above).
const AGENT_READ_BUFFER: usize = 512;
/// How long a socket whose reader has finished waits for its writer to flush the last messages
/// (a fatal error and its close frame) before the connection is dropped.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(5);

/// Which side of a session a socket belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Party {
    Customer,
    Agent,
}

impl Party {
    /// JSON of an `error` message of this party's outbound enum.
    fn error_json(self, code: ErrorCode, message: String) -> String {
        let error = ErrorMessage { code, message };
        let json = match self {
            Self::Customer => serde_json::to_string(&ServerToCustomer::Error(error)),
            Self::Agent => serde_json::to_string(&ServerToAgent::Error(error)),
        };
        // Serialising these plain structs cannot fail; an empty object keeps the socket sane if
        // it ever did.
        json.unwrap_or_else(|_| String::from("{}"))
    }
}

/// Wire name of an error code (the close reason of fatal errors).
fn code_name(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::ProtocolVersion => "protocolVersion",
        ErrorCode::BadMessage => "badMessage",
        ErrorCode::UnexpectedMessage => "unexpectedMessage",
        ErrorCode::HandshakeRequired => "handshakeRequired",
        ErrorCode::Unauthenticated => "unauthenticated",
        ErrorCode::Forbidden => "forbidden",
        ErrorCode::SessionNotFound => "sessionNotFound",
        ErrorCode::SessionEnded => "sessionEnded",
        ErrorCode::SessionTaken => "sessionTaken",
        ErrorCode::AgentBusy => "agentBusy",
        ErrorCode::FrameTooLarge => "frameTooLarge",
        ErrorCode::BadFrame => "badFrame",
        ErrorCode::RateLimited => "rateLimited",
        ErrorCode::NotInWriteMode => "notInWriteMode",
        ErrorCode::InvalidRestriction => "invalidRestriction",
        ErrorCode::NotFound => "notFound",
        ErrorCode::NotAllowed => "notAllowed",
        ErrorCode::TooLarge => "tooLarge",
        ErrorCode::UpstreamFailed => "upstreamFailed",
        ErrorCode::UpstreamTimeout => "upstreamTimeout",
        ErrorCode::Internal => "internal",
    }
}

// ---------------------------------------------------------------------------------------------
// Open sockets (metrics and shutdown)
// ---------------------------------------------------------------------------------------------

/// Counts open sockets so that shutdown can wait for them to flush their last messages.
#[derive(Debug, Default)]
pub(crate) struct SocketTracker {
    open: AtomicUsize,
    /// Signalled whenever a socket closes.
    closed: Notify,
}

impl SocketTracker {
    /// Waits until no socket is open, at most `limit`.
    pub(crate) async fn wait_idle(&self, limit: Duration) {
        let deadline = Instant::now() + limit;
        loop {
            let closed = self.closed.notified();
            if self.open.load(Ordering::Acquire) == 0 {
                return;
            }
            if tokio::time::timeout_at(deadline, closed).await.is_err() {
                return;
            }
        }
    }
}

/// Held by a socket task for its lifetime: counted among the open sockets (shutdown waits for
/// them) and, for a co-browse socket, in its party's gauge (chat sockets have none).
struct SocketGuard {
    app: Arc<App>,
    gauge: Option<Party>,
}

impl SocketGuard {
    fn new(app: &Arc<App>, gauge: Option<Party>) -> Self {
        app.sockets.open.fetch_add(1, Ordering::AcqRel);
        if let Some(party) = gauge {
            Self::gauge(app, party).fetch_add(1, Ordering::Relaxed);
        }
        Self {
            app: app.clone(),
            gauge,
        }
    }

    fn gauge(app: &App, party: Party) -> &std::sync::atomic::AtomicI64 {
        match party {
            Party::Customer => &app.metrics.customer_sockets_open,
            Party::Agent => &app.metrics.agent_sockets_open,
        }
    }
}

impl Drop for SocketGuard {
    fn drop(&mut self) {
        if let Some(party) = self.gauge {
            Self::gauge(&self.app, party).fetch_sub(1, Ordering::Relaxed);
        }
        self.app.sockets.open.fetch_sub(1, Ordering::AcqRel);
        self.app.sockets.closed.notify_waiters();
    }
}

// ---------------------------------------------------------------------------------------------
// Upgrades
// ---------------------------------------------------------------------------------------------

/// `GET /cobrowse/ws/customer`. A browser's `permessage-deflate` offer is accepted (`deflate.rs`):
/// the socket is then upgraded by `socket.rs` instead of axum.
pub(crate) async fn customer(State(app): State<Arc<App>>, request: Request) -> Response {
    let headers = request.headers();
    if let Some(origin) = request_origin(headers) {
        let allowed = origin
            .as_deref()
            .is_some_and(|o| is_allowed(&app.config, headers, o));
        if !allowed {
            tracing::info!(origin = ?headers.get(axum::http::header::ORIGIN), "customer socket refused: origin");
            return HttpError::OriginNotAllowed.into_response();
        }
    }
    // Messages up to `max_frame_bytes` are forwarded; larger ones up to twice that are answered
    // with `frameTooLarge`; beyond that the WebSocket layer closes the socket (1009), which bounds
    // the memory a single message can take (inflated size, for compressed messages).
    let hard_limit = app
        .config
        .max_frame_bytes
        .saturating_mul(2)
        .max(reader::MAX_TEXT_BYTES);
    if let Some(negotiated) = socket::own_upgrade(&request) {
        // Upgraded by `socket.rs`, to read through `read_ahead.rs` (and inflate, when
        // negotiated); the same buffer settings as `buffers` gives axum's upgrade below.
        let config = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
            .read_buffer_size(CUSTOMER_READ_BUFFER)
            .max_message_size(Some(hard_limit))
            .max_frame_size(Some(hard_limit));
        return socket::upgrade(request, negotiated, config, move |socket| {
            customer_socket(app, socket.split())
        });
    }
    // What `socket.rs` does not upgrade (HTTP/2, a malformed request): axum's upgrade, which also
    // answers the errors.
    let (mut parts, _body) = request.into_parts();
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &app).await {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    buffers(upgrade, CUSTOMER_READ_BUFFER)
        .max_message_size(hard_limit)
        .max_frame_size(hard_limit)
        .on_upgrade(move |socket| customer_socket(app, Socket::from(socket).split()))
}

/// `GET /cobrowse/ws/agent`.
pub(crate) async fn agent(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    if let Some(origin) = request_origin(&headers)
        && !origin
            .as_deref()
            .is_some_and(|o| is_own(&app.config, &headers, o))
    {
        tracing::info!(origin = ?headers.get(axum::http::header::ORIGIN), "agent socket refused: origin");
        return HttpError::OriginNotAllowed.into_response();
    }
    let user = match authenticate(&app, &headers).await {
        Ok(Some(user)) => user,
        Ok(None) => return HttpError::NotLoggedIn.into_response(),
        Err(e) => return e.into_response(),
    };
    let identity = AgentIdentity {
        id: user.id,
        name: user.name,
    };
    // The server's own origin, one of the origins the agent may send the customer to.
    let own = own_origin(&app.config, &headers);
    buffers(upgrade, AGENT_READ_BUFFER)
        .max_message_size(AGENT_MAX_MESSAGE_BYTES)
        .max_frame_size(AGENT_MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| agent_socket(app, Socket::from(socket).split(), identity, own))
}

/// The socket buffer settings of both roles, in one place: the read buffer (see
/// [`CUSTOMER_READ_BUFFER`]). The write side keeps tungstenite's defaults: its buffer is a
/// `Vec` that grows only with what is written (the 128 KiB `write_buffer_size` is a threshold
/// for writing to the kernel, not an allocation, and every message is flushed as it is sent), and
/// `max_write_buffer_size` stays unlimited because the agent's byte-bounded frame queue already
/// bounds what waits for a socket.
fn buffers(upgrade: WebSocketUpgrade, read: usize) -> WebSocketUpgrade {
    upgrade.read_buffer_size(read)
}

// ---------------------------------------------------------------------------------------------
// Socket tasks
// ---------------------------------------------------------------------------------------------

type Sink = SplitSink<Socket, Message>;
type Stream = SplitStream<Socket>;

// The socket tasks below live as long as their socket, so the size of their futures is memory
// of every idle session. They take the socket already split (two pointers): an async fn keeps
// its arguments for its whole life, and a `Socket` (several hundred bytes) moved into `split()`
// would still take its room in the future. The one-off large steps (the handshake, the
// upgrade) are boxed by their callers for the same reason: a future is as large as its largest
// state.

async fn customer_socket(app: Arc<App>, (sink, mut stream): (Sink, Stream)) {
    let _guard = SocketGuard::new(&app, Some(Party::Customer));
    let conn = app.sessions.next_conn_id();
    let (control, control_rx) = mpsc::channel(CONTROL_CAPACITY);
    let mut writer = writer::spawn(&app, sink, control_rx, None);
    let mut session = None;
    let mut closing = app.closing.subscribe();
    let reader_done = tokio::select! {
        () = reader::customer(&app, &mut stream, conn, control, &mut session) => true,
        _ = &mut writer => false,
        _ = closing.wait_for(|closing| *closing) => true,
    };
    let linger = app.config.close_linger;
    finish(
        session,
        Command::CustomerGone { conn },
        writer,
        reader_done,
        stream,
        linger,
    )
    .await;
}

async fn agent_socket(
    app: Arc<App>,
    (sink, mut stream): (Sink, Stream),
    identity: AgentIdentity,
    own: Option<String>,
) {
    let _guard = SocketGuard::new(&app, Some(Party::Agent));
    let conn = app.sessions.next_conn_id();
    let (control, control_rx) = mpsc::channel(CONTROL_CAPACITY);
    let frames = Arc::new(FrameQueue::new(app.config.agent_queue_bytes));
    let mut writer = writer::spawn(&app, sink, control_rx, Some(frames.clone()));
    let mut session = None;
    let mut closing = app.closing.subscribe();
    let reader_done = tokio::select! {
        () = reader::agent(&app, &mut stream, conn, control, frames, identity, own, &mut session) => true,
        _ = &mut writer => false,
        _ = closing.wait_for(|closing| *closing) => true,
    };
    let linger = app.config.close_linger;
    finish(
        session,
        Command::AgentGone { conn },
        writer,
        reader_done,
        stream,
        linger,
    )
    .await;
}

/// Tells the session (if the socket was attached to one) that the socket is gone, then
/// [`close`]s.
async fn finish(
    session: Option<SessionHandle>,
    gone: Command,
    writer: JoinHandle<()>,
    reader_done: bool,
    stream: Stream,
    linger: Duration,
) {
    if let Some(handle) = session {
        // The actor may have ended already; then there is nobody to tell.
        let _ = handle.commands.send(gone).await;
    }
    close(writer, reader_done, stream, linger).await;
}

/// The end of every socket task (co-browse and chat), once its owner knows the socket is gone.
/// When the reader stopped first, lets the writer flush its last messages, bounded by
/// [`FLUSH_TIMEOUT`] (the reader is gone, so the control channel's sender is dropped once the
/// owner lets go of it, and the writer closes the socket). Then reads on until the peer's close,
/// bounded by `linger` (`close_linger`): dropping a TCP connection with unread input makes the
/// kernel reset it, and the peer could lose our last messages (`sessionEnded`, a fatal error).
/// A socket that already closed or broke ends this at once.
async fn close(
    mut writer: JoinHandle<()>,
    reader_done: bool,
    mut stream: Stream,
    linger: Duration,
) {
    if reader_done
        && tokio::time::timeout(FLUSH_TIMEOUT, &mut writer)
            .await
            .is_err()
    {
        writer.abort();
    }
    let drain = async {
        while let Some(Ok(message)) = stream.next().await {
            if let Message::Close(_) = message {
                break;
            }
        }
    };
    // Timeout: the peer's close normally comes within a round trip; do not wait for a dead one.
    let _ = tokio::time::timeout(linger, drain).await;
}
