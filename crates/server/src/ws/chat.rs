//! The two chat sockets: upgrade checks, the read loop of each, and their end.
//!
//! - `GET /cobrowse/ws/chat/customer`: an `Origin`, when present, must be allowed (else `403`).
//!   First message `hello {protocolVersion, chatId, secret}` within the handshake timeout.
//! - `GET /cobrowse/ws/chat/agent`: the `cobrowse_auth` cookie (else `401`) and an `Origin`, when
//!   present, equal to the server's own (else `403`). No handshake: the hub sends `chats` at once.
//!
//! As for co-browse sockets, the reader decodes only its role's messages and hands them to the
//! chat hub (`crate::chat`), which holds the control channel's strong sender once the socket is
//! attached; the reader keeps a weak one for non-fatal errors. The writer is `writer.rs`'s; the
//! open-socket guard and the end (flush, then linger for the peer's close) are `mod.rs`'s.
//! Messages over [`MAX_CHAT_SOCKET_BYTES`] close the socket (`1009`); anything else a client sends
//! is answered with a non-fatal error at worst. Chat sockets are counted for shutdown, not in
//! the co-browse socket gauges.

use super::{Sink, Socket, SocketGuard, Stream, close, code_name, writer};
use crate::App;
use crate::chat::{ChatAgent, Command, error};
use crate::http::HttpError;
use crate::http::auth::authenticate;
use crate::http::origin::{is_allowed, is_own, request_origin};
use crate::session::{CLOSE_FATAL, ConnId, Outbound};
use axum::extract::State;
use axum::extract::ws::{Message, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use cobrowse_protocol::{
    AgentToChat, ChatError, ChatToAgent, ChatToCustomer, CustomerToChat, ErrorCode,
    PROTOCOL_VERSION,
};
use futures_util::StreamExt;
use serde::Serialize;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

/// Largest message on a chat socket (a chat text is at most 2000 characters).
pub(crate) const MAX_CHAT_SOCKET_BYTES: usize = 16 * 1024;
/// Capacity of a chat socket's control channel, in messages; a socket that lets this many pile up
/// is not reading and is let go.
const CONTROL_CAPACITY: usize = 256;

fn text<T: Serialize>(message: &T) -> Outbound {
    Outbound::Text(serde_json::to_string(message).unwrap_or_else(|_| String::from("{}")))
}

/// Sends a fatal error and closes (1008, reason = the code).
fn fatal(control: &mpsc::Sender<Outbound>, e: ChatError) {
    tracing::info!(code = code_name(e.code), message = %e.message, "chat socket refused");
    let reason = code_name(e.code);
    let _ = control.try_send(text(&ChatToCustomer::Error(e)));
    let _ = control.try_send(Outbound::Close {
        code: CLOSE_FATAL,
        reason,
    });
}

/// The next message, or `None` when the socket closed, broke, or was silent for `socket_timeout`.
async fn next_message(app: &App, stream: &mut Stream) -> Option<Message> {
    // Timeout: a peer silent this long (no data, no pong to our pings) is dead.
    match tokio::time::timeout(app.config.socket_timeout, stream.next()).await {
        Ok(Some(Ok(Message::Close(_))) | Some(Err(_)) | None) | Err(_) => None,
        Ok(Some(Ok(message))) => Some(message),
    }
}

/// `GET /cobrowse/ws/chat/customer`.
pub(crate) async fn customer(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    if let Some(origin) = request_origin(&headers)
        && !origin
            .as_deref()
            .is_some_and(|o| is_allowed(&app.config, &headers, o))
    {
        return HttpError::OriginNotAllowed.into_response();
    }
    upgrade
        .max_message_size(MAX_CHAT_SOCKET_BYTES)
        .max_frame_size(MAX_CHAT_SOCKET_BYTES)
        .on_upgrade(move |socket| customer_socket(app, Socket::from(socket).split()))
}

/// `GET /cobrowse/ws/chat/agent`.
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
        return HttpError::OriginNotAllowed.into_response();
    }
    let user = match authenticate(&app, &headers).await {
        Ok(Some(user)) => user,
        Ok(None) => return HttpError::NotLoggedIn.into_response(),
        Err(e) => return e.into_response(),
    };
    let agent = ChatAgent {
        id: user.id,
        name: user.name,
    };
    upgrade
        .max_message_size(MAX_CHAT_SOCKET_BYTES)
        .max_frame_size(MAX_CHAT_SOCKET_BYTES)
        .on_upgrade(move |socket| agent_socket(app, Socket::from(socket).split(), agent))
}

// As `super`'s socket tasks, these take the socket already split, so that the `Socket` does not
// keep its room in the task's future for the socket's whole life.
async fn customer_socket(app: Arc<App>, (sink, mut stream): (Sink, Stream)) {
    let _guard = SocketGuard::new(&app, None);
    let conn = app.sessions.next_conn_id();
    let (control, control_rx) = mpsc::channel(CONTROL_CAPACITY);
    let mut writer = writer::spawn(&app, sink, control_rx, None);
    let mut chat = None;
    let mut closing = app.closing.subscribe();
    let reader_done = tokio::select! {
        () = customer_reader(&app, &mut stream, conn, control, &mut chat) => true,
        _ = &mut writer => false,
        _ = closing.wait_for(|closing| *closing) => true,
    };
    let gone = chat.map(|chat_id| Command::CustomerGone { conn, chat_id });
    finish(&app, gone, writer, reader_done, stream).await;
}

async fn agent_socket(app: Arc<App>, (sink, mut stream): (Sink, Stream), agent: ChatAgent) {
    let _guard = SocketGuard::new(&app, None);
    let conn = app.sessions.next_conn_id();
    let (control, control_rx) = mpsc::channel(CONTROL_CAPACITY);
    let mut writer = writer::spawn(&app, sink, control_rx, None);
    let mut closing = app.closing.subscribe();
    let reader_done = tokio::select! {
        () = agent_reader(&app, &mut stream, conn, control, agent) => true,
        _ = &mut writer => false,
        _ = closing.wait_for(|closing| *closing) => true,
    };
    finish(
        &app,
        Some(Command::AgentGone { conn }),
        writer,
        reader_done,
        stream,
    )
    .await;
}

/// Tells the hub the socket is gone, then `super::close`s, as `super::finish` does for co-browse
/// sockets.
async fn finish(
    app: &App,
    gone: Option<Command>,
    writer: tokio::task::JoinHandle<()>,
    reader_done: bool,
    stream: Stream,
) {
    if let Some(gone) = gone {
        let _ = app.chats.commands.send(gone).await;
    }
    close(writer, reader_done, stream, app.config.close_linger).await;
}

/// The customer's `hello`, then messages and `end`.
async fn customer_reader(
    app: &App,
    stream: &mut Stream,
    conn: ConnId,
    control: mpsc::Sender<Outbound>,
    chat: &mut Option<String>,
) {
    let deadline = Instant::now() + app.config.handshake_timeout;
    let hello = loop {
        // Timeout: the handshake deadline; a socket that says nothing is closed.
        let message = match tokio::time::timeout_at(deadline, stream.next()).await {
            Err(_) => {
                let e = error(ErrorCode::HandshakeRequired, "no `hello` in time", None);
                return fatal(&control, e);
            }
            Ok(None | Some(Err(_)) | Some(Ok(Message::Close(_)))) => return,
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
            Ok(Some(Ok(message))) => message,
        };
        match decode::<CustomerToChat>(&message) {
            Ok(CustomerToChat::Hello(hello)) => break hello,
            Ok(_) | Err(_) => {
                let e = error(
                    ErrorCode::HandshakeRequired,
                    "the first message must be `hello`",
                    None,
                );
                return fatal(&control, e);
            }
        }
    };
    if hello.protocol_version != PROTOCOL_VERSION {
        let message = format!("this server speaks protocol version {PROTOCOL_VERSION}");
        return fatal(&control, error(ErrorCode::ProtocolVersion, message, None));
    }
    let (reply, answer) = oneshot::channel();
    let command = Command::CustomerHello {
        conn,
        chat_id: hello.chat_id.clone(),
        secret: crate::session::CustomerSecret(hello.secret),
        control: control.clone(),
        reply,
    };
    if app.chats.commands.send(command).await.is_err() {
        return;
    }
    match answer.await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return fatal(&control, e),
        Err(_) => return,
    }
    let chat_id = hello.chat_id;
    *chat = Some(chat_id.clone());
    // The hub owns the strong sender now; the writer stops when it lets go of the socket.
    let weak = control.downgrade();
    drop(control);
    while let Some(message) = next_message(app, stream).await {
        let command = match decode::<CustomerToChat>(&message) {
            Ok(CustomerToChat::Send(send)) => Command::CustomerSend {
                conn,
                chat_id: chat_id.clone(),
                text: send.text,
            },
            Ok(CustomerToChat::End) => Command::CustomerEnd {
                conn,
                chat_id: chat_id.clone(),
            },
            Ok(CustomerToChat::Hello(_)) => {
                let e = error(
                    ErrorCode::UnexpectedMessage,
                    "`hello` was already received",
                    None,
                );
                notify(&weak, &ChatToCustomer::Error(e));
                continue;
            }
            Err(None) => continue,
            Err(Some(e)) => {
                notify(&weak, &ChatToCustomer::Error(e));
                continue;
            }
        };
        if app.chats.commands.send(command).await.is_err() {
            return;
        }
    }
}

/// Attaches the agent's socket to the hub, then reads requests.
async fn agent_reader(
    app: &App,
    stream: &mut Stream,
    conn: ConnId,
    control: mpsc::Sender<Outbound>,
    agent: ChatAgent,
) {
    let weak = control.downgrade();
    let attach = Command::AgentAttach {
        conn,
        agent,
        control,
    };
    if app.chats.commands.send(attach).await.is_err() {
        return;
    }
    while let Some(message) = next_message(app, stream).await {
        let request = match decode::<AgentToChat>(&message) {
            Ok(request) => request,
            Err(None) => continue,
            Err(Some(e)) => {
                notify(&weak, &ChatToAgent::Error(e));
                continue;
            }
        };
        if app
            .chats
            .commands
            .send(Command::Agent { conn, request })
            .await
            .is_err()
        {
            return;
        }
    }
}

/// Sends a non-fatal error, if the hub still holds the socket.
fn notify<T: Serialize>(control: &mpsc::WeakSender<Outbound>, message: &T) {
    if let Some(control) = control.upgrade() {
        // A full channel means the peer is not reading: dropping an error report is fine.
        let _ = control.try_send(text(message));
    }
}

/// Decodes a data message as the role's inbound enum. `Err(None)`: a ping or pong, to skip;
/// `Err(Some(e))`: the `badMessage` / `unexpectedMessage` to answer.
fn decode<T: serde::de::DeserializeOwned>(message: &Message) -> Result<T, Option<ChatError>> {
    match message {
        Message::Text(text) => serde_json::from_str(text.as_str()).map_err(|e| {
            Some(error(
                ErrorCode::BadMessage,
                format!("not a valid message: {e}"),
                None,
            ))
        }),
        Message::Binary(_) => Err(Some(error(
            ErrorCode::UnexpectedMessage,
            "chat sockets carry text messages only",
            None,
        ))),
        Message::Ping(_) | Message::Pong(_) | Message::Close(_) => Err(None),
    }
}
