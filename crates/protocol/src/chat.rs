//! The chat that can be a co-browse session's primary media: REST bodies and the messages of the
//! two chat sockets (`/cobrowse/ws/chat/customer`, `/cobrowse/ws/chat/agent`).
//!
//! A customer opens a chat (`POST /cobrowse/rest/chats` → [`CreatedChat`]), connects its socket
//! with [`CustomerToChat::Hello`], and waits; logged-in agents see waiting chats on their chat
//! socket and accept one. Messages then flow both ways, in order, each with a sequence number,
//! its sender and its time. A customer message whose whole text is `{start:TOKEN}` (what the
//! SDK's `primaryMedia.sendCbSessionToken` sends) links the chat to that live co-browse session:
//! the message carries [`ChatMessage::cobrowse`], and when the chat ends the session ends too
//! (`endedByIntegration`).

use crate::{ErrorCode, SessionToken};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Body of `POST /cobrowse/rest/chats` (optional: an empty body opens a chat as "Customer").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenChat {
    /// How the customer is shown to agents (trimmed, at most 64 characters; default "Customer").
    #[serde(default)]
    #[ts(optional)]
    pub name: Option<String>,
}

/// `201` answer of `POST /cobrowse/rest/chats`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreatedChat {
    /// Identifies the chat (22 base64url characters). Agents see it; it does not authenticate.
    pub chat_id: String,
    /// Authenticates the customer's chat socket. Never shown to anyone.
    pub secret: String,
    /// Absolute `ws:`/`wss:` URL of the customer's chat socket.
    pub socket_url: String,
}

/// Where a chat is in its life: waiting for an agent, active with one, ended for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ChatState {
    Waiting,
    Active,
    Ended,
}

/// Who wrote a chat message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ChatSender {
    Customer,
    Agent,
}

/// Why a chat ended. Both parties are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ChatEndReason {
    /// The customer ended the chat.
    CustomerEnded,
    /// The agent ended the chat.
    AgentEnded,
    /// The customer's page did not come back within the grace period.
    CustomerLeft,
    /// The agent's desktop did not come back within the grace period.
    AgentLeft,
    /// No agent accepted the chat in time.
    Unanswered,
    /// Nobody wrote anything for too long.
    Inactive,
    /// The server is shutting down.
    ServerShutdown,
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChatMessage {
    /// 1 for the chat's first message, +1 for each next one: the order in which the server took
    /// them, the same for both parties.
    pub seq: u32,
    pub sender: ChatSender,
    /// The sender's display name (the customer's chosen name, the agent's user name).
    pub name: String,
    /// As written (1 to 2000 characters).
    pub text: String,
    /// When the server took the message, Unix milliseconds.
    #[ts(type = "number")]
    pub at: i64,
    /// Set when the text is `{start:TOKEN}` and TOKEN was a live co-browse session, now linked to
    /// this chat: the agent desktop joins it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cobrowse: Option<SessionToken>,
}

/// A chat as an agent's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChatSummary {
    pub chat_id: String,
    /// The customer's display name.
    pub customer: String,
    pub state: ChatState,
    /// When the customer opened the chat, Unix milliseconds.
    #[ts(type = "number")]
    pub opened_at: i64,
    /// The agent who accepted it, if any.
    pub agent: Option<String>,
    /// Whether the customer's chat socket is connected now.
    pub customer_connected: bool,
}

/// An `error` on a chat socket; `chatId` names the chat an agent's request was about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChatError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub chat_id: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Customer chat socket
// ---------------------------------------------------------------------------------------------

/// `hello`: the first message on a customer chat socket.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChatHello {
    pub protocol_version: u32,
    pub chat_id: String,
    pub secret: String,
}

impl std::fmt::Debug for ChatHello {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChatHello")
            .field("protocol_version", &self.protocol_version)
            .field("chat_id", &self.chat_id)
            .field("secret", &"<hidden>")
            .finish()
    }
}

/// A message a customer writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChatSend {
    pub text: String,
}

/// Customer → server on `/cobrowse/ws/chat/customer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum CustomerToChat {
    Hello(ChatHello),
    /// Write a message (`{start:TOKEN}` links a co-browse session).
    Send(ChatSend),
    /// End the chat (and any linked co-browse session).
    End,
}

/// `welcome`: answer to `hello`, with the whole conversation so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChatWelcome {
    pub chat_id: String,
    pub state: ChatState,
    /// The agent's name once one accepted the chat.
    pub agent: Option<String>,
    pub history: Vec<ChatMessage>,
}

/// `agentJoined`: an agent accepted the chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChatAgentJoined {
    pub agent: String,
}

/// `message`: a new message of the conversation (the party's own ones included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChatNewMessage {
    pub chat_id: String,
    pub message: ChatMessage,
}

/// `chatEnded`: the chat is over; on the customer socket the server then closes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChatEnded {
    pub chat_id: String,
    pub reason: ChatEndReason,
}

/// Server → customer on `/cobrowse/ws/chat/customer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ChatToCustomer {
    Welcome(ChatWelcome),
    AgentJoined(ChatAgentJoined),
    Message(ChatNewMessage),
    ChatEnded(ChatEnded),
    Error(ChatError),
}

// ---------------------------------------------------------------------------------------------
// Agent chat socket
// ---------------------------------------------------------------------------------------------

/// Names one chat in an agent's request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChatRef {
    pub chat_id: String,
}

/// `send` from an agent: a message in one of their chats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AgentChatSend {
    pub chat_id: String,
    pub text: String,
}

/// Agent → server on `/cobrowse/ws/chat/agent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum AgentToChat {
    /// Take a waiting chat.
    Accept(ChatRef),
    Send(AgentChatSend),
    /// End one of the agent's chats (and any linked co-browse session).
    End(ChatRef),
}

/// `chats`: the waiting chats and this agent's own, sent when the socket opens and whenever
/// either list changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChatList {
    /// Oldest first.
    pub waiting: Vec<ChatSummary>,
    /// The chats this agent accepted that have not ended, oldest first.
    pub mine: Vec<ChatSummary>,
}

/// `conversation`: one of the agent's chats with its whole history, after `accept` and, for each
/// of their chats, when the socket opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChatConversation {
    pub chat: ChatSummary,
    pub history: Vec<ChatMessage>,
}

/// Server → agent on `/cobrowse/ws/chat/agent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ChatToAgent {
    Chats(ChatList),
    Conversation(ChatConversation),
    Message(ChatNewMessage),
    ChatEnded(ChatEnded),
    Error(ChatError),
}

/// The session token of a `{start:TOKEN}` message (the whole text; spaces around it and around
/// the token allowed), or `None` for any other text.
pub fn cobrowse_start(text: &str) -> Option<SessionToken> {
    let inner = text.trim().strip_prefix("{start:")?.strip_suffix('}')?;
    inner.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_messages() {
        assert_eq!(
            cobrowse_start("{start:012345678}").map(String::from),
            Some("012345678".to_owned())
        );
        assert_eq!(
            cobrowse_start("  {start: 012345678 }\n").map(String::from),
            Some("012345678".to_owned())
        );
        for not in [
            "{start:12345678}",
            "{start:0123456789}",
            "start:012345678",
            "{start:012345678} please",
            "{stop:012345678}",
            "",
        ] {
            assert_eq!(cobrowse_start(not), None, "{not}");
        }
    }

    #[test]
    fn wire_shapes() {
        let m: CustomerToChat = serde_json::from_str(r#"{"type":"send","text":"hi"}"#).unwrap();
        assert_eq!(m, CustomerToChat::Send(ChatSend { text: "hi".into() }));
        let a: AgentToChat = serde_json::from_str(r#"{"type":"accept","chatId":"abc"}"#).unwrap();
        assert_eq!(
            a,
            AgentToChat::Accept(ChatRef {
                chat_id: "abc".into()
            })
        );
        let e = serde_json::to_string(&ChatToCustomer::ChatEnded(ChatEnded {
            chat_id: "x".into(),
            reason: ChatEndReason::AgentEnded,
        }))
        .unwrap();
        assert_eq!(
            e,
            r#"{"type":"chatEnded","chatId":"x","reason":"agentEnded"}"#
        );
    }
}
