//! The two WebSocket endpoints: upgrade checks, handshake, and the reader/writer task pair of each
//! socket.
//!
//! - `GET /cobrowse/ws/customer`: an `Origin`, when present, must be allowed (else `403` before
//!   the upgrade). First message `hello` within the handshake timeout.
//! - `GET /cobrowse/ws/agent`: a valid `cobrowse_auth` cookie (else `401`) and an `Origin`, when
//!   present, equal to the server's own (else `403`). First message `join`.
//!
//! Per socket, the upgrade task is the **reader**: it decodes only its role's messages and
//! forwards them to the session actor (waiting on the actor's bounded inbox is the customer's
//! backpressure). A spawned **writer** owns the sink and sends, in priority order, the socket's
//! control messages (bounded channel, fed by the actor with `try_send`), then, for agents, DOM
//! frames from the byte-bounded [`FrameQueue`], and a ping every `ping_interval`.
//!
//! Lifetimes: during the handshake the reader holds the control channel's only sender; once the
//! session accepts the socket, the actor holds it and the reader keeps a weak sender (to report
//! non-fatal errors). The writer stops after sending a close frame, when the channel's last sender
//! is gone (the session dropped the socket), or when a write fails or stalls for `socket_timeout`.
//! When either task stops, the socket is done: the session is told the socket is gone. At
//! shutdown, once every session has ended, sockets still in their handshake are closed too.
//!
//! Nothing a client sends can panic the server or end a session, except `exit`.

use crate::App;
use crate::http::HttpError;
use crate::http::auth::authenticate;
use crate::http::origin::{is_allowed, is_own, request_origin};
use crate::metrics::Metrics;
use crate::session::{
    AgentIdentity, AgentLink, CLOSE_DROPPED, CLOSE_FATAL, Command, ConnId, CustomerFrame,
    FrameQueue, Lookup, Outbound, SessionHandle, SocketLink,
};
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use cobrowse_protocol::{
    AgentToServer, CustomerToServer, ErrorCode, ErrorMessage, FrameHeader, PROTOCOL_VERSION,
    ServerToAgent, ServerToCustomer, SessionToken,
};
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::{Notify, mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior};

/// Capacity of a socket's control channel, in messages. Control traffic is a handful of messages
/// per second at most; a socket that lets this many pile up is not reading and gets dropped.
const CONTROL_CAPACITY: usize = 64;
/// Largest text message accepted (bytes); control messages are far smaller.
const MAX_TEXT_BYTES: usize = 64 * 1024;
/// Largest WebSocket message on an agent socket (agents only send small control messages).
const AGENT_MAX_MESSAGE_BYTES: usize = 64 * 1024;
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
        ErrorCode::Internal => "internal",
    }
}

/// Human explanation of a refusal coming from a session actor.
fn describe(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::Unauthenticated => "wrong session secret",
        ErrorCode::SessionTaken => "another agent is in this session",
        ErrorCode::AgentBusy => "you are already in another session; exit it first",
        ErrorCode::SessionEnded => "the session has ended",
        ErrorCode::SessionNotFound => "no live session has this token",
        ErrorCode::ProtocolVersion
        | ErrorCode::BadMessage
        | ErrorCode::UnexpectedMessage
        | ErrorCode::HandshakeRequired
        | ErrorCode::Forbidden
        | ErrorCode::FrameTooLarge
        | ErrorCode::BadFrame
        | ErrorCode::RateLimited
        | ErrorCode::Internal => "the request was refused",
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

/// Held by a socket task for its lifetime: open-socket count and gauge.
struct SocketGuard {
    app: Arc<App>,
    party: Party,
}

impl SocketGuard {
    fn new(app: &Arc<App>, party: Party) -> Self {
        app.sockets.open.fetch_add(1, Ordering::AcqRel);
        Self::gauge(app, party).fetch_add(1, Ordering::Relaxed);
        Self {
            app: app.clone(),
            party,
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
        Self::gauge(&self.app, self.party).fetch_sub(1, Ordering::Relaxed);
        self.app.sockets.open.fetch_sub(1, Ordering::AcqRel);
        self.app.sockets.closed.notify_waiters();
    }
}

// ---------------------------------------------------------------------------------------------
// Upgrades
// ---------------------------------------------------------------------------------------------

/// `GET /cobrowse/ws/customer`.
pub(crate) async fn customer(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    if let Some(origin) = request_origin(&headers) {
        let allowed = origin
            .as_deref()
            .is_some_and(|o| is_allowed(&app.config, &headers, o));
        if !allowed {
            tracing::info!(origin = ?headers.get(axum::http::header::ORIGIN), "customer socket refused: origin");
            return HttpError::OriginNotAllowed.into_response();
        }
    }
    // Messages up to `max_frame_bytes` are forwarded; larger ones up to twice that are answered
    // with `frameTooLarge`; beyond that the WebSocket layer closes the socket (1009), which bounds
    // the memory a single message can take.
    let hard_limit = app
        .config
        .max_frame_bytes
        .saturating_mul(2)
        .max(MAX_TEXT_BYTES);
    upgrade
        .max_message_size(hard_limit)
        .max_frame_size(hard_limit)
        .on_upgrade(move |socket| customer_socket(app, socket))
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
    upgrade
        .max_message_size(AGENT_MAX_MESSAGE_BYTES)
        .max_frame_size(AGENT_MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| agent_socket(app, socket, identity))
}

// ---------------------------------------------------------------------------------------------
// Socket tasks
// ---------------------------------------------------------------------------------------------

type Sink = SplitSink<WebSocket, Message>;
type Stream = SplitStream<WebSocket>;

async fn customer_socket(app: Arc<App>, socket: WebSocket) {
    let _guard = SocketGuard::new(&app, Party::Customer);
    let conn = app.sessions.next_conn_id();
    let (sink, mut stream) = socket.split();
    let (control, control_rx) = mpsc::channel(CONTROL_CAPACITY);
    let mut writer = spawn_writer(&app, sink, control_rx, None);
    let mut session = None;
    let mut closing = app.closing.subscribe();
    let reader_done = tokio::select! {
        () = read_customer(&app, &mut stream, conn, control, &mut session) => true,
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

async fn agent_socket(app: Arc<App>, socket: WebSocket, identity: AgentIdentity) {
    let _guard = SocketGuard::new(&app, Party::Agent);
    let conn = app.sessions.next_conn_id();
    let (sink, mut stream) = socket.split();
    let (control, control_rx) = mpsc::channel(CONTROL_CAPACITY);
    let frames = Arc::new(FrameQueue::new(app.config.agent_queue_bytes));
    let mut writer = spawn_writer(&app, sink, control_rx, Some(frames.clone()));
    let mut session = None;
    let mut closing = app.closing.subscribe();
    let reader_done = tokio::select! {
        () = read_agent(&app, &mut stream, conn, control, frames, identity, &mut session) => true,
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

/// Tells the session (if the socket was attached to one) that the socket is gone. Then, when the
/// reader stopped first, lets the writer flush its last messages, bounded by [`FLUSH_TIMEOUT`]
/// (the reader is gone, so the control channel's sender is dropped once the session lets go of
/// it, and the writer closes the socket). Finally reads on until the peer's close, bounded by
/// `close_linger`: dropping a TCP connection with unread input makes the kernel reset it, and
/// the peer could lose our last messages (`sessionEnded`, a fatal error). A socket that already
/// closed or broke ends this at once.
async fn finish(
    session: Option<SessionHandle>,
    gone: Command,
    mut writer: JoinHandle<()>,
    reader_done: bool,
    mut stream: Stream,
    linger: Duration,
) {
    if let Some(handle) = session {
        // The actor may have ended already; then there is nobody to tell.
        let _ = handle.commands.send(gone).await;
    }
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

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/// Why a handshake did not produce a first message.
enum Handshake {
    /// The peer closed or the connection broke: nothing to say.
    Closed,
    /// Tell the peer this fatal error.
    Fatal(ErrorCode, String),
}

/// Used to tell a version mismatch from garbage when a first message does not decode.
#[derive(Deserialize)]
struct VersionProbe {
    #[serde(rename = "protocolVersion")]
    protocol_version: Option<serde_json::Value>,
}

/// Reads the first data message and decodes it as `T` (the role's inbound enum), within the
/// handshake timeout.
async fn first_message<T: DeserializeOwned>(
    app: &App,
    stream: &mut Stream,
    expected: &str,
) -> Result<T, Handshake> {
    let deadline = Instant::now() + app.config.handshake_timeout;
    loop {
        // Timeout: the handshake deadline (10 s by default); a socket that says nothing is closed.
        let message = match tokio::time::timeout_at(deadline, stream.next()).await {
            Err(_) => {
                return Err(Handshake::Fatal(
                    ErrorCode::HandshakeRequired,
                    format!("no `{expected}` message in time"),
                ));
            }
            Ok(None | Some(Err(_))) => return Err(Handshake::Closed),
            Ok(Some(Ok(message))) => message,
        };
        match message {
            Message::Text(text) => {
                return serde_json::from_str(text.as_str()).map_err(|e| {
                    let version = serde_json::from_str::<VersionProbe>(text.as_str())
                        .ok()
                        .and_then(|p| p.protocol_version);
                    match version {
                        Some(v) if v != PROTOCOL_VERSION => {
                            let (code, message) = version_error();
                            Handshake::Fatal(code, message)
                        }
                        Some(_) | None => Handshake::Fatal(
                            ErrorCode::HandshakeRequired,
                            format!("the first message must be `{expected}`: {e}"),
                        ),
                    }
                });
            }
            Message::Binary(_) => {
                return Err(Handshake::Fatal(
                    ErrorCode::HandshakeRequired,
                    format!("the first message must be `{expected}`"),
                ));
            }
            Message::Ping(_) | Message::Pong(_) => {}
            Message::Close(_) => return Err(Handshake::Closed),
        }
    }
}

fn version_error() -> (ErrorCode, String) {
    (
        ErrorCode::ProtocolVersion,
        format!("this server speaks protocol version {PROTOCOL_VERSION}"),
    )
}

/// Sends a fatal error and closes (1008, reason = the code).
fn fatal(control: &mpsc::Sender<Outbound>, party: Party, code: ErrorCode, message: String) {
    tracing::info!(?party, code = code_name(code), %message, "socket refused");
    let _ = control.try_send(Outbound::Text(party.error_json(code, message)));
    let _ = control.try_send(Outbound::Close {
        code: CLOSE_FATAL,
        reason: code_name(code),
    });
}

/// Sends a non-fatal error, if the session still holds the socket.
fn notify(control: &mpsc::WeakSender<Outbound>, party: Party, code: ErrorCode, message: String) {
    if let Some(control) = control.upgrade() {
        // A full channel means the peer is not reading: dropping an error report is fine.
        let _ = control.try_send(Outbound::Text(party.error_json(code, message)));
    }
}

/// The next message, or `None` when the socket closed, broke, or was silent for
/// `socket_timeout` (pings are sent every `ping_interval`, so a live peer always answers).
async fn next_message(app: &App, stream: &mut Stream) -> Option<Message> {
    // Timeout: a peer silent this long (no data, no pong) is dead.
    match tokio::time::timeout(app.config.socket_timeout, stream.next()).await {
        Ok(Some(Ok(Message::Close(_))) | Some(Err(_)) | None) | Err(_) => None,
        Ok(Some(Ok(message))) => Some(message),
    }
}

/// Looks the token up and hands the socket to the session; `Some(handle)` once attached.
async fn attach(
    app: &App,
    control: &mpsc::Sender<Outbound>,
    party: Party,
    token: &SessionToken,
    command: impl FnOnce(oneshot::Sender<Result<(), ErrorCode>>) -> Command,
) -> Option<SessionHandle> {
    let handle = match app.sessions.lookup(token) {
        Lookup::Live(handle) => handle,
        Lookup::Ended(reason) => {
            let reason = serde_json::to_value(reason).unwrap_or_default();
            let reason = reason.as_str().unwrap_or("unknown");
            let message = format!("the session has ended ({reason})");
            fatal(control, party, ErrorCode::SessionEnded, message);
            return None;
        }
        Lookup::NotFound => {
            let code = ErrorCode::SessionNotFound;
            fatal(control, party, code, describe(code).to_owned());
            return None;
        }
    };
    // Channel: the session's one answer to this attach request.
    let (reply, answer) = oneshot::channel();
    // The session ended between the lookup and now when the send or the answer fails.
    let code = if handle.commands.send(command(reply)).await.is_err() {
        ErrorCode::SessionEnded
    } else {
        match answer.await {
            Ok(Ok(())) => return Some(handle),
            Ok(Err(code)) => code,
            Err(_) => ErrorCode::SessionEnded,
        }
    };
    fatal(control, party, code, describe(code).to_owned());
    None
}

async fn read_customer(
    app: &App,
    stream: &mut Stream,
    conn: ConnId,
    control: mpsc::Sender<Outbound>,
    session: &mut Option<SessionHandle>,
) {
    let party = Party::Customer;
    let hello = match first_message::<CustomerToServer>(app, stream, "hello").await {
        Ok(CustomerToServer::Hello(hello)) => hello,
        Ok(
            CustomerToServer::PageChanged(_) | CustomerToServer::Unloading | CustomerToServer::Exit,
        ) => {
            let message = "the first message must be `hello`".to_owned();
            return fatal(&control, party, ErrorCode::HandshakeRequired, message);
        }
        Err(Handshake::Closed) => return,
        Err(Handshake::Fatal(code, message)) => return fatal(&control, party, code, message),
    };
    if hello.protocol_version != PROTOCOL_VERSION {
        let (code, message) = version_error();
        return fatal(&control, party, code, message);
    }
    let link = SocketLink {
        conn,
        control: control.clone(),
    };
    let command = |reply| Command::CustomerHello {
        link,
        secret: crate::session::CustomerSecret(hello.secret),
        page: hello.page,
        reply,
    };
    let Some(handle) = attach(app, &control, party, &hello.token, command).await else {
        return;
    };
    // From now on the session owns the strong sender; keep only a weak one, so that the writer
    // stops when the session lets go of the socket.
    let weak = control.downgrade();
    drop(control);
    let control = weak;
    *session = Some(handle.clone());
    while let Some(message) = next_message(app, stream).await {
        let command = match message {
            Message::Text(text) => match decode::<CustomerToServer>(&text) {
                Ok(CustomerToServer::Hello(_)) => {
                    let message = "`hello` was already received".to_owned();
                    notify(&control, party, ErrorCode::UnexpectedMessage, message);
                    continue;
                }
                Ok(CustomerToServer::PageChanged(p)) => {
                    Command::CustomerPage { conn, page: p.page }
                }
                Ok(CustomerToServer::Unloading) => Command::CustomerUnloading { conn },
                Ok(CustomerToServer::Exit) => Command::CustomerExit { conn },
                Err(message) => {
                    notify(&control, party, ErrorCode::BadMessage, message);
                    continue;
                }
            },
            Message::Binary(bytes) => {
                match check_frame(app, bytes) {
                    Ok(frame) => {
                        let frame = CustomerFrame {
                            conn,
                            kind: frame.0.kind,
                            bytes: frame.1,
                        };
                        if handle.frames.send(frame).await.is_err() {
                            return;
                        }
                    }
                    Err((code, message)) => notify(&control, party, code, message),
                }
                continue;
            }
            Message::Ping(_) | Message::Pong(_) | Message::Close(_) => continue,
        };
        if handle.commands.send(command).await.is_err() {
            return;
        }
    }
}

/// Validates a customer's binary frame: size, then header.
fn check_frame(app: &App, bytes: Bytes) -> Result<(FrameHeader, Bytes), (ErrorCode, String)> {
    if bytes.len() > app.config.max_frame_bytes {
        return Err((
            ErrorCode::FrameTooLarge,
            format!(
                "frame of {} bytes is over the limit of {} bytes; dropped",
                bytes.len(),
                app.config.max_frame_bytes
            ),
        ));
    }
    match FrameHeader::parse(&bytes) {
        Ok(header) => Ok((header, bytes)),
        Err(e) => Err((
            ErrorCode::BadFrame,
            format!("invalid frame header: {e}; dropped"),
        )),
    }
}

/// Decodes a text message as the role's inbound enum; the error is the message for `badMessage`.
fn decode<T: DeserializeOwned>(text: &Utf8Bytes) -> Result<T, String> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(format!("text message over {MAX_TEXT_BYTES} bytes"));
    }
    serde_json::from_str(text.as_str()).map_err(|e| format!("not a valid message: {e}"))
}

async fn read_agent(
    app: &App,
    stream: &mut Stream,
    conn: ConnId,
    control: mpsc::Sender<Outbound>,
    frames: Arc<FrameQueue>,
    identity: AgentIdentity,
    session: &mut Option<SessionHandle>,
) {
    let party = Party::Agent;
    let join = match first_message::<AgentToServer>(app, stream, "join").await {
        Ok(AgentToServer::Join(join)) => join,
        Ok(AgentToServer::RequestSnapshot | AgentToServer::Exit) => {
            let message = "the first message must be `join`".to_owned();
            return fatal(&control, party, ErrorCode::HandshakeRequired, message);
        }
        Err(Handshake::Closed) => return,
        Err(Handshake::Fatal(code, message)) => return fatal(&control, party, code, message),
    };
    if join.protocol_version != PROTOCOL_VERSION {
        let (code, message) = version_error();
        return fatal(&control, party, code, message);
    }
    let link = AgentLink {
        socket: SocketLink {
            conn,
            control: control.clone(),
        },
        frames,
    };
    let command = |reply| Command::AgentJoin {
        link,
        agent: identity,
        reply,
    };
    let Some(handle) = attach(app, &control, party, &join.token, command).await else {
        return;
    };
    let weak = control.downgrade();
    drop(control);
    let control = weak;
    *session = Some(handle.clone());
    while let Some(message) = next_message(app, stream).await {
        let command = match message {
            Message::Text(text) => match decode::<AgentToServer>(&text) {
                Ok(AgentToServer::Join(_)) => {
                    let message = "`join` was already received".to_owned();
                    notify(&control, party, ErrorCode::UnexpectedMessage, message);
                    continue;
                }
                Ok(AgentToServer::RequestSnapshot) => Command::AgentRequestSnapshot { conn },
                Ok(AgentToServer::Exit) => Command::AgentExit { conn },
                Err(message) => {
                    notify(&control, party, ErrorCode::BadMessage, message);
                    continue;
                }
            },
            Message::Binary(_) => {
                let message = "agents do not send binary frames".to_owned();
                notify(&control, party, ErrorCode::UnexpectedMessage, message);
                continue;
            }
            Message::Ping(_) | Message::Pong(_) | Message::Close(_) => continue,
        };
        if handle.commands.send(command).await.is_err() {
            return;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

fn spawn_writer(
    app: &App,
    sink: Sink,
    control: mpsc::Receiver<Outbound>,
    frames: Option<Arc<FrameQueue>>,
) -> JoinHandle<()> {
    tokio::spawn(write_loop(
        sink,
        control,
        frames,
        app.metrics.clone(),
        app.config.ping_interval,
        app.config.socket_timeout,
    ))
}

/// The writer task of one socket. See the module documentation for its priorities and ending.
async fn write_loop(
    mut sink: Sink,
    mut control: mpsc::Receiver<Outbound>,
    frames: Option<Arc<FrameQueue>>,
    metrics: Arc<Metrics>,
    ping_interval: Duration,
    write_timeout: Duration,
) {
    let mut ping = tokio::time::interval_at(Instant::now() + ping_interval, ping_interval);
    ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        let (message, frame_len) = tokio::select! {
            biased;
            outbound = control.recv() => match outbound {
                Some(Outbound::Text(text)) => (Message::Text(text.into()), None),
                Some(Outbound::Close { code, reason }) => {
                    send_close(&mut sink, code, reason).await;
                    return;
                }
                None => {
                    send_close(&mut sink, CLOSE_DROPPED.0, CLOSE_DROPPED.1).await;
                    return;
                }
            },
            frame = next_frame(frames.as_deref()) => {
                let len = frame.len();
                (Message::Binary(frame), Some(len))
            }
            _ = ping.tick() => (Message::Ping(Bytes::new()), None),
        };
        // Timeout: a socket that cannot take a write for this long is dead (its peer stopped
        // reading); the session treats it as disconnected.
        match tokio::time::timeout(write_timeout, sink.send(message)).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) | Err(_) => return,
        }
        if let Some(len) = frame_len {
            Metrics::inc(&metrics.frames_relayed);
            Metrics::add(&metrics.bytes_relayed, len as u64);
        }
    }
}

async fn next_frame(frames: Option<&FrameQueue>) -> Bytes {
    match frames {
        Some(queue) => queue.pop().await,
        None => std::future::pending().await,
    }
}

async fn send_close(sink: &mut Sink, code: u16, reason: &'static str) {
    let frame = CloseFrame {
        code,
        reason: Utf8Bytes::from_static(reason),
    };
    // Timeout: best effort; a peer that does not take a close frame within a second is gone.
    let _ = tokio::time::timeout(
        Duration::from_secs(1),
        sink.send(Message::Close(Some(frame))),
    )
    .await;
}
