//! Control messages, one enum per role and direction. Text WebSocket frames carry exactly one of
//! these as JSON; binary frames carry DOM data (see [`crate::FrameHeader`]).

use crate::{
    AgentInputMessage, Mode, ModeChanged, ModeResponse, Navigate, NavigationFailed, PagePoint,
    RestrictionsMessage, SessionToken,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

// ---------------------------------------------------------------------------------------------
// Shared vocabulary
// ---------------------------------------------------------------------------------------------

/// The page the customer is on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    /// Absolute URL of the customer's page (at most 4096 bytes).
    pub url: String,
    /// Document title (at most 1024 bytes).
    pub title: String,
}

/// Where a session is in its life. Idle until an agent joins, active after, ended for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SessionState {
    Idle,
    Active,
    Ended,
}

/// Why a session ended. Both parties are told the same reason; the customer SDK maps it to the
/// reason strings of the JavaScript API (`self`, `external`, `inactivityTimeout`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum EndReason {
    /// The customer exited (button or `exitSession()`).
    CustomerExited,
    /// The agent exited.
    AgentExited,
    /// A contact-centre integration ended the session through the REST API (the primary
    /// interaction, call or chat, ended).
    EndedByIntegration,
    /// No agent joined within the configured time.
    InactivityTimeout,
    /// The customer's page went away and did not come back within the grace period.
    CustomerDisconnected,
    /// The agent's desktop went away and did not come back within the grace period.
    AgentDisconnected,
    /// The agent who tried to join is already in another session.
    SessionsOverLimit,
    /// The server is shutting down.
    ServerShutdown,
    /// An unrecoverable error.
    Error,
}

/// Machine-readable error codes, sent in [`ErrorMessage`] and REST error bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorCode {
    /// The first message's `protocolVersion` is not the server's. Fatal.
    ProtocolVersion,
    /// A text frame that is not valid JSON of this role's messages. The socket stays open.
    BadMessage,
    /// A message that is valid but not allowed now (e.g. a second `hello`). The socket stays open.
    UnexpectedMessage,
    /// The first message did not arrive in time, or was not `hello`/`join`. Fatal.
    HandshakeRequired,
    /// Not logged in, or wrong customer secret. Fatal.
    Unauthenticated,
    /// Logged in but not allowed (wrong role, origin not allowed). Fatal.
    Forbidden,
    /// No live session has this token. Fatal.
    SessionNotFound,
    /// The session has ended and cannot be joined again. Fatal.
    SessionEnded,
    /// Another agent is in this session. Fatal.
    SessionTaken,
    /// This agent is already in another session. Fatal; the session they tried ends with
    /// `sessionsOverLimit`.
    AgentBusy,
    /// A binary frame over the size limit. The frame is dropped; the socket stays open.
    FrameTooLarge,
    /// A binary frame whose header is invalid. The frame is dropped; the socket stays open.
    BadFrame,
    /// The peer sends faster than allowed. The message is dropped.
    RateLimited,
    /// Agent input or navigation outside Write Mode. The message is dropped; not fatal.
    NotInWriteMode,
    /// REST: a restriction with an invalid selector, regular expression, group or description;
    /// the message says which and why.
    InvalidRestriction,
    /// REST: no such resource (restriction id, inspect ticket).
    NotFound,
    /// Resource proxy: the URL's host (or address) may not be fetched by the server.
    NotAllowed,
    /// Resource proxy: the resource (or an upload) is over the size limit.
    TooLarge,
    /// Resource proxy: the upstream answered with an error or could not be reached, and the
    /// customer's page did not provide the resource.
    UpstreamFailed,
    /// Resource proxy: the upstream (or the customer's upload) took too long.
    UpstreamTimeout,
    /// A server-side failure. Details are in the server log, never on the wire.
    Internal,
}

/// An error told to a peer. Fatal codes are followed by a close frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ErrorMessage {
    pub code: ErrorCode,
    /// Human-readable English explanation; never contains internal detail.
    pub message: String,
}

/// Why the customer is asked for a full snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SnapshotReason {
    /// An agent joined the session.
    AgentJoined,
    /// The agent reconnected after losing its socket.
    AgentRejoined,
    /// The customer's socket reconnected (new page, reload) while an agent is in the session.
    CustomerReconnected,
    /// The agent fell behind and its backlog was discarded.
    Resync,
    /// The agent's viewer asked for one (it saw a gap or could not apply a batch).
    AgentRequest,
}

/// The customer's connection as the agent sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CustomerPresence {
    /// The customer's page is connected.
    Connected,
    /// The customer's page is unloading (navigation or reload); it is expected back soon.
    Navigating,
    /// The customer's socket dropped without warning; the grace period is running.
    Disconnected,
}

// ---------------------------------------------------------------------------------------------
// Customer socket (`/cobrowse/ws/customer`)
// ---------------------------------------------------------------------------------------------

/// First message on a customer socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Hello {
    pub protocol_version: u32,
    pub token: SessionToken,
    /// The customer secret returned when the session was created.
    pub secret: String,
    pub page: PageInfo,
}

/// The customer's page changed its URL or title without a reload (single-page apps).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PageChanged {
    pub page: PageInfo,
}

/// Messages from the customer's browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum CustomerToServer {
    Hello(Hello),
    PageChanged(PageChanged),
    /// The page is unloading (`pagehide`); the next page of the tab will reconnect.
    Unloading,
    /// The customer ends the session.
    Exit,
    /// The customer's mouse pointer moved (coalesced: at most one per animation frame).
    Pointer(PagePoint),
    /// The customer's mouse pointer left the page.
    PointerLeave,
    /// The answer to `modeUpgradeRequested`.
    ModeResponse(ModeResponse),
    /// The customer revoked Write Mode (`downgradeMode()` or the "Revoke control" button).
    DowngradeMode,
    /// A navigation asked by the agent could not happen.
    NavigationFailed(NavigationFailed),
    /// The page will not provide the resource of a `resourceRequest` (it may not or cannot): the
    /// proxy requests waiting on the ticket are answered with their error at once.
    ResourceDeclined(ResourceDeclined),
}

/// The customer's page will not upload the resource of this ticket. It says no more than "no":
/// never why (the page's reasons, such as masked content or a failed fetch, stay on the page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResourceDeclined {
    /// The ticket of the `resourceRequest`.
    pub ticket: String,
}

/// Answer to `hello`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Welcome {
    pub token: SessionToken,
    pub state: SessionState,
    /// Whether an agent is in the session now.
    pub agent_present: bool,
    /// The session's mode (a page that reloads in Write Mode stays in it).
    pub mode: Mode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotRequest {
    pub reason: SnapshotReason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionEnded {
    pub reason: EndReason,
}

/// Messages to the customer's browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ServerToCustomer {
    Welcome(Welcome),
    /// An agent joined (or rejoined after a disconnect).
    AgentJoined,
    /// The agent's socket dropped; the session waits for it within the grace period.
    AgentDisconnected,
    /// Send a full snapshot now; start capturing if not yet.
    SnapshotRequest(SnapshotRequest),
    SessionEnded(SessionEnded),
    Error(ErrorMessage),
    /// The agent's mouse pointer moved.
    AgentPointer(PagePoint),
    /// The agent's mouse pointer left the replica.
    AgentPointerLeave,
    /// The agent clicked in Pointer Mode: show a short mark there; click nothing.
    AgentMark(PagePoint),
    /// The agent asks for Write Mode; answer with `modeResponse`.
    ModeUpgradeRequested,
    /// The mode changed (the customer's answer, a revocation, the agent leaving).
    ModeChanged(ModeChanged),
    /// Perform this agent action on the real page (sent only in Write Mode).
    AgentInput(AgentInputMessage),
    /// Navigate the tab (sent only in Write Mode, to allowed URLs).
    Navigate(Navigate),
    /// The server refused a navigation the agent asked for (URL missing or not allowed); the
    /// agent was told too. The page fires `onNavigationFailed`.
    NavigationRefused(NavigationFailed),
    /// The enabled DOM restrictions (complete set). Sent after `welcome`, before any
    /// `snapshotRequest`, and again whenever they change.
    Restrictions(RestrictionsMessage),
    /// The server cannot fetch a resource of the replica: fetch it with the page's credentials
    /// and upload it with the ticket (`POST /cobrowse/resource/upload/{ticket}`), or decline it
    /// (`resourceDeclined`).
    ResourceRequest(ResourceRequest),
}

/// Asks the customer's page for one resource the resource proxy could not fetch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRequest {
    /// Absolute URL as the replica has it (`http:`, `https:` or `blob:`).
    pub url: String,
    /// One-time credential of the upload (base64url, 256 bits).
    pub ticket: String,
}

// ---------------------------------------------------------------------------------------------
// Agent socket (`/cobrowse/ws/agent`, requires the login cookie)
// ---------------------------------------------------------------------------------------------

/// First message on an agent socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Join {
    pub protocol_version: u32,
    pub token: SessionToken,
}

/// Messages from the agent desktop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum AgentToServer {
    Join(Join),
    /// The viewer needs a fresh full snapshot (it saw a sequence gap or could not apply a batch).
    RequestSnapshot,
    /// The agent ends the session.
    Exit,
    /// The agent's mouse pointer moved over the replica (coalesced: at most one per frame).
    Pointer(PagePoint),
    /// The agent's mouse pointer left the replica.
    PointerLeave,
    /// A click in Pointer Mode: the customer sees a short mark at that spot.
    Mark(PagePoint),
    /// Ask the customer for Write Mode.
    RequestWriteMode,
    /// An action on the replica, to be performed by the customer's browser (Write Mode only).
    Input(AgentInputMessage),
    /// Back, forward, refresh or go to a URL (Write Mode only).
    Navigate(Navigate),
}

/// Answer to `join`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Joined {
    pub token: SessionToken,
    pub customer: CustomerPresence,
    /// The customer's page, when known.
    pub page: Option<PageInfo>,
    /// The session's mode.
    pub mode: Mode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CustomerStatus {
    pub customer: CustomerPresence,
    pub page: Option<PageInfo>,
}

/// Messages to the agent desktop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ServerToAgent {
    Joined(Joined),
    CustomerStatus(CustomerStatus),
    /// The agent fell behind: frames were discarded and a fresh full snapshot was requested.
    Resyncing,
    SessionEnded(SessionEnded),
    Error(ErrorMessage),
    /// The customer's mouse pointer moved.
    CustomerPointer(PagePoint),
    /// The customer's mouse pointer left the page.
    CustomerPointerLeave,
    /// The mode changed.
    ModeChanged(ModeChanged),
    /// The customer declined the Write Mode request.
    ModeRequestDeclined,
    /// A navigation could not happen.
    NavigationFailed(NavigationFailed),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_strings() {
        let m = ServerToCustomer::SnapshotRequest(SnapshotRequest {
            reason: SnapshotReason::AgentJoined,
        });
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"type":"snapshotRequest","reason":"agentJoined"}"#
        );
        let m = CustomerToServer::Exit;
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"type":"exit"}"#);
    }

    #[test]
    fn hello_round_trips() {
        let json = r#"{"type":"hello","protocolVersion":1,"token":"123456789","secret":"s","page":{"url":"http://a/","title":"t"}}"#;
        let m: CustomerToServer = serde_json::from_str(json).unwrap();
        assert!(matches!(m, CustomerToServer::Hello(ref h) if h.protocol_version == 1));
        assert_eq!(serde_json::to_string(&m).unwrap(), json);
    }

    #[test]
    fn resource_declined_carries_the_ticket_alone() {
        let json = r#"{"type":"resourceDeclined","ticket":"abc"}"#;
        let m: CustomerToServer = serde_json::from_str(json).unwrap();
        assert_eq!(
            m,
            CustomerToServer::ResourceDeclined(ResourceDeclined {
                ticket: "abc".into()
            })
        );
        assert_eq!(serde_json::to_string(&m).unwrap(), json);
        assert!(
            serde_json::from_str::<CustomerToServer>(r#"{"type":"resourceDeclined"}"#).is_err()
        );
        assert!(
            serde_json::from_str::<CustomerToServer>(r#"{"type":"resourceDeclined","ticket":7}"#)
                .is_err()
        );
    }

    #[test]
    fn a_role_cannot_decode_the_other_roles_messages() {
        let join = r#"{"type":"join","protocolVersion":1,"token":"123456789"}"#;
        assert!(serde_json::from_str::<CustomerToServer>(join).is_err());
        assert!(serde_json::from_str::<AgentToServer>(join).is_ok());
    }
}
