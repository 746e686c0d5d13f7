//! The read loop of a socket: handshake first, then every message until the socket ends.
//!
//! Owns the decoding of inbound messages (only the socket's role's enum, text messages at most
//! [`MAX_TEXT_BYTES`]; a customer's binary pointer moves, against the socket's previous move), the checks of a customer's binary frames (size limit, then header) and
//! the translation of each message into a session [`Command`] or [`CustomerFrame`] (a
//! customer's `resourceDeclined` goes to the resource proxy's tickets instead,
//! `crate::resource::uploads`, checked against this socket's session). Sending into
//! the session's bounded inboxes waits: that is the customer's backpressure. Bad input is
//! answered with a non-fatal `error` (only while the session still holds the socket) and never
//! ends the socket or the session; only `exit` ends a session.
//!
//! Invariant: once attached, the reader keeps only a weak sender of the control channel, so the
//! writer stops when the session lets go of the socket. The session handle is published to the
//! caller (`session`) as soon as the socket is attached, so the caller can tell the session the
//! socket is gone however the loop ends. Called by the socket tasks in `mod.rs`.

use super::{Party, Stream, handshake};
use crate::App;
use crate::http::origin::navigation_refusal;
use crate::session::{
    AgentAction, AgentIdentity, AgentNavigate, Command, ConnId, CustomerAction, CustomerFrame,
    FrameQueue, Outbound, SessionHandle,
};
use axum::extract::ws::{Message, Utf8Bytes};
use bytes::Bytes;
use cobrowse_protocol::{
    AgentToServer, CustomerToServer, ErrorCode, FrameHeader, POINTER_MOVE_TAG, PointerMoves,
    SessionToken,
};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// Largest text message accepted (bytes); control messages are far smaller.
pub(super) const MAX_TEXT_BYTES: usize = 64 * 1024;
/// Pointer messages (`pointer`, `pointerLeave`, `mark`) accepted per socket and
/// [`POINTER_WINDOW`]; more are dropped silently. Clients send at most one per animation frame
/// (60 per second on most screens, 120 on fast ones).
const POINTER_BUDGET: u32 = 120;
const POINTER_WINDOW: Duration = Duration::from_secs(1);

/// A fixed-window rate cap of one socket's pointer messages.
struct PointerCap {
    window_start: Instant,
    used: u32,
}

impl PointerCap {
    fn new() -> Self {
        Self {
            window_start: Instant::now(),
            used: 0,
        }
    }

    /// Whether one more pointer message may go through now.
    fn allow(&mut self) -> bool {
        let now = Instant::now();
        if now >= self.window_start + POINTER_WINDOW {
            self.window_start = now;
            self.used = 0;
        }
        self.used += 1;
        self.used <= POINTER_BUDGET
    }
}

/// Hands a pointer message to the session without waiting: when the session's inbox is full (or
/// the cap is reached) the message is dropped, since the next move supersedes it. `false` when
/// the session is gone.
fn send_pointer(handle: &SessionHandle, cap: &mut PointerCap, command: Command) -> bool {
    if !cap.allow() {
        return true;
    }
    match handle.commands.try_send(command) {
        Ok(()) | Err(mpsc::error::TrySendError::Full(_)) => true,
        Err(mpsc::error::TrySendError::Closed(_)) => false,
    }
}

/// Reads a customer socket: `hello`, then page reports, `unloading`, `exit`, declined resource
/// requests and DOM frames.
pub(super) async fn customer(
    app: &App,
    stream: &mut Stream,
    conn: ConnId,
    control: mpsc::Sender<Outbound>,
    session: &mut Option<SessionHandle>,
) {
    let party = Party::Customer;
    // Boxed: the handshake's state is the largest of this future's, and held only once.
    // The session's token as its number: this future holds it for the socket's life.
    let Some((handle, token)) = Box::pin(handshake::customer(app, stream, conn, &control)).await
    else {
        return;
    };
    // From now on the session owns the strong sender; keep only a weak one, so that the writer
    // stops when the session lets go of the socket.
    let weak = control.downgrade();
    drop(control);
    let control = weak;
    *session = Some(handle.clone());
    let mut cap = PointerCap::new();
    // Binary pointer moves are deltas: decoded here, in order, before the cap may drop one.
    let mut moves = PointerMoves::default();
    while let Some(message) = next_message(app, stream).await {
        let command = match message {
            Message::Binary(bytes) if bytes.first() == Some(&POINTER_MOVE_TAG) => {
                match moves.decode(&bytes) {
                    Ok(point) => {
                        let action = CustomerAction::Pointer(point);
                        if !send_pointer(&handle, &mut cap, Command::Customer { conn, action }) {
                            return;
                        }
                    }
                    Err(e) => notify(&control, party, ErrorCode::BadFrame, e.to_string()),
                }
                continue;
            }
            Message::Text(text) => match decode::<CustomerToServer>(&text) {
                Ok(CustomerToServer::Hello(_)) => {
                    let message = "`hello` was already received".to_owned();
                    notify(&control, party, ErrorCode::UnexpectedMessage, message);
                    continue;
                }
                Ok(CustomerToServer::PageChanged(p)) => Command::CustomerPage {
                    conn,
                    page: Box::new(p.page),
                },
                Ok(CustomerToServer::Unloading) => Command::CustomerUnloading { conn },
                Ok(CustomerToServer::Exit) => Command::CustomerExit { conn },
                Ok(CustomerToServer::Pointer(point)) => {
                    let action = CustomerAction::Pointer(point);
                    if send_pointer(&handle, &mut cap, Command::Customer { conn, action }) {
                        continue;
                    }
                    return;
                }
                Ok(CustomerToServer::PointerLeave) => {
                    let action = CustomerAction::PointerLeave;
                    if send_pointer(&handle, &mut cap, Command::Customer { conn, action }) {
                        continue;
                    }
                    return;
                }
                Ok(CustomerToServer::ModeResponse(r)) => Command::Customer {
                    conn,
                    action: CustomerAction::ModeResponse { allow: r.allow },
                },
                Ok(CustomerToServer::DowngradeMode) => Command::Customer {
                    conn,
                    action: CustomerAction::DowngradeMode,
                },
                Ok(CustomerToServer::NavigationFailed(f)) => Command::Customer {
                    conn,
                    action: CustomerAction::NavigationFailed(Box::new(f)),
                },
                Ok(CustomerToServer::ResourceDeclined(d)) => {
                    // The tickets are the resource proxy's, not the session actor's: answered
                    // here. Another session's ticket, or one already answered or given up (the
                    // page's decline raced an upload or the timeout), is ignored without a word.
                    if let Ok(token) = SessionToken::from_number(token) {
                        app.resources.uploads.decline(&token, &d.ticket);
                    }
                    continue;
                }
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

/// Reads an agent socket: `join`, then `requestSnapshot`, `exit` and the interaction messages.
/// `own` is the server's own origin (a URL the agent may navigate the customer to, besides the
/// allowed origins).
#[allow(clippy::too_many_arguments)]
pub(super) async fn agent(
    app: &App,
    stream: &mut Stream,
    conn: ConnId,
    control: mpsc::Sender<Outbound>,
    frames: Arc<FrameQueue>,
    identity: AgentIdentity,
    own: Option<String>,
    session: &mut Option<SessionHandle>,
) {
    let party = Party::Agent;
    // Boxed, as the customer's.
    let handshake = handshake::agent(app, stream, conn, &control, frames, identity);
    let Some(handle) = Box::pin(handshake).await else {
        return;
    };
    let weak = control.downgrade();
    drop(control);
    let control = weak;
    *session = Some(handle.clone());
    let mut cap = PointerCap::new();
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
                Ok(AgentToServer::Pointer(point)) => {
                    let action = AgentAction::Pointer(point);
                    if send_pointer(&handle, &mut cap, Command::Agent { conn, action }) {
                        continue;
                    }
                    return;
                }
                Ok(AgentToServer::PointerLeave) => {
                    let action = AgentAction::PointerLeave;
                    if send_pointer(&handle, &mut cap, Command::Agent { conn, action }) {
                        continue;
                    }
                    return;
                }
                Ok(AgentToServer::Mark(point)) => {
                    let action = AgentAction::Mark(point);
                    if send_pointer(&handle, &mut cap, Command::Agent { conn, action }) {
                        continue;
                    }
                    return;
                }
                Ok(AgentToServer::RequestWriteMode) => Command::Agent {
                    conn,
                    action: AgentAction::RequestWriteMode,
                },
                Ok(AgentToServer::Input(input)) => Command::Agent {
                    conn,
                    action: AgentAction::Input(Box::new(input)),
                },
                Ok(AgentToServer::Navigate(navigate)) => {
                    let refusal = navigate
                        .url
                        .as_deref()
                        .and_then(|url| navigation_refusal(&app.config, own.as_deref(), url));
                    Command::Agent {
                        conn,
                        action: AgentAction::Navigate(Box::new(AgentNavigate {
                            navigate,
                            refusal,
                        })),
                    }
                }
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
