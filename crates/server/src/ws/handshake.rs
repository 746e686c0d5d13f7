//! The handshake of a socket: its first message, the protocol version, and attaching the socket
//! to its session.
//!
//! Owns the rules of the first message: it must arrive within `handshake_timeout`, be the role's
//! opening message (`hello` / `join`) and carry our protocol version (a message that does not
//! decode but names another version is answered `protocolVersion`, not `handshakeRequired`).
//! Then the token is looked up and the session actor is asked to attach the socket; its one
//! answer comes back on a oneshot. Every refusal is fatal: an `error` message and a close frame
//! (1008, reason = the code) queued on the socket's control channel.
//!
//! Invariant: while this runs, the caller holds the control channel's only sender; after a
//! successful attach the session holds one too. Called by the read loops in `reader.rs`.

use super::{Party, Stream, code_name};
use crate::App;
use crate::session::{
    AgentIdentity, AgentJoin, AgentLink, CLOSE_FATAL, Command, ConnId, CustomerHello, FrameQueue,
    Lookup, Outbound, SessionHandle, SocketLink,
};
use axum::extract::ws::Message;
use cobrowse_protocol::{
    AgentToServer, CustomerToServer, ErrorCode, PROTOCOL_VERSION, SessionToken,
};
use futures_util::StreamExt;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

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
        | ErrorCode::NotInWriteMode
        | ErrorCode::InvalidRestriction
        | ErrorCode::NotFound
        | ErrorCode::NotAllowed
        | ErrorCode::TooLarge
        | ErrorCode::UpstreamFailed
        | ErrorCode::UpstreamTimeout
        | ErrorCode::Internal => "the request was refused",
    }
}

/// Why a handshake did not produce a first message.
pub(super) enum Handshake {
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

/// Reads `hello`, checks it, and attaches the customer socket to its session. `Some((handle,
/// token number))` once attached (the number: what the reader keeps for the socket's life,
/// [`SessionToken::number`]); otherwise the peer is gone or was told why (fatal error queued on
/// `control`).
pub(super) async fn customer(
    app: &App,
    stream: &mut Stream,
    conn: ConnId,
    control: &mpsc::Sender<Outbound>,
) -> Option<(SessionHandle, u32)> {
    let party = Party::Customer;
    let hello = match first_message::<CustomerToServer>(app, stream, "hello").await {
        Ok(CustomerToServer::Hello(hello)) => hello,
        Ok(
            CustomerToServer::PageChanged(_)
            | CustomerToServer::Unloading
            | CustomerToServer::Exit
            | CustomerToServer::Pointer(_)
            | CustomerToServer::PointerLeave
            | CustomerToServer::ModeResponse(_)
            | CustomerToServer::DowngradeMode
            | CustomerToServer::NavigationFailed(_)
            | CustomerToServer::ResourceDeclined(_),
        ) => {
            let message = "the first message must be `hello`".to_owned();
            fatal(control, party, ErrorCode::HandshakeRequired, message);
            return None;
        }
        Err(Handshake::Closed) => return None,
        Err(Handshake::Fatal(code, message)) => {
            fatal(control, party, code, message);
            return None;
        }
    };
    if hello.protocol_version != PROTOCOL_VERSION {
        let (code, message) = version_error();
        fatal(control, party, code, message);
        return None;
    }
    let link = SocketLink {
        conn,
        control: control.clone(),
    };
    let command = |reply| {
        Command::CustomerHello(Box::new(CustomerHello {
            link,
            secret: crate::session::CustomerSecret(hello.secret),
            page: hello.page,
            reply,
        }))
    };
    let handle = attach(app, control, party, &hello.token, command).await?;
    Some((handle, hello.token.number()))
}

/// Reads `join`, checks it, and attaches the agent socket (with its frame queue) to the session.
/// `Some(handle)` once attached; otherwise the peer is gone or was told why.
pub(super) async fn agent(
    app: &App,
    stream: &mut Stream,
    conn: ConnId,
    control: &mpsc::Sender<Outbound>,
    frames: Arc<FrameQueue>,
    identity: AgentIdentity,
) -> Option<SessionHandle> {
    let party = Party::Agent;
    let join = match first_message::<AgentToServer>(app, stream, "join").await {
        Ok(AgentToServer::Join(join)) => join,
        Ok(
            AgentToServer::RequestSnapshot
            | AgentToServer::Exit
            | AgentToServer::Pointer(_)
            | AgentToServer::PointerLeave
            | AgentToServer::Mark(_)
            | AgentToServer::RequestWriteMode
            | AgentToServer::Input(_)
            | AgentToServer::Navigate(_),
        ) => {
            let message = "the first message must be `join`".to_owned();
            fatal(control, party, ErrorCode::HandshakeRequired, message);
            return None;
        }
        Err(Handshake::Closed) => return None,
        Err(Handshake::Fatal(code, message)) => {
            fatal(control, party, code, message);
            return None;
        }
    };
    if join.protocol_version != PROTOCOL_VERSION {
        let (code, message) = version_error();
        fatal(control, party, code, message);
        return None;
    }
    let link = AgentLink {
        socket: SocketLink {
            conn,
            control: control.clone(),
        },
        frames,
    };
    let command = |reply| {
        Command::AgentJoin(Box::new(AgentJoin {
            link,
            agent: identity,
            reply,
        }))
    };
    attach(app, control, party, &join.token, command).await
}
