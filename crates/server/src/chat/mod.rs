//! Chats: a customer on an allowed origin talks with one logged-in agent; the chat can be the
//! primary media of co-browse sessions (`{start:TOKEN}` links one, and ending the chat ends it).
//!
//! - [`ChatHub`] (this file): the handle the REST handler and the chat sockets use, the
//!   [`Command`]s they send, the limits.
//! - `hub/`: the hub actor, one task that owns every chat's state (participants, agent,
//!   linked sessions, rate buckets, timers) and the agents' chat sockets. It is the only writer
//!   of chat rows in the store, so a chat's messages are stored and delivered in one order.
//!   `hub/mod.rs` is the task, its dispatch and the end of chats; `chat.rs` one chat's state;
//!   `customer.rs` and `agent.rs` each party's side; `conversation.rs` posting and history.
//!
//! Persistence: the conversation is written to SQLite (`store`) before it is delivered, read
//! back for `welcome` / `conversation`, and deleted when the chat ends; chats left by a previous
//! process are deleted at startup (their sockets and state are gone).
//!
//! Called by `crate::http::chats` (open) and `crate::ws::chat` (the two chat sockets).

mod hub;

use crate::session::{ConnId, CustomerSecret, Outbound, Registry};
use crate::store::{Store, UserId};
use cobrowse_protocol::{AgentToChat, ChatError, ErrorCode};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// Longest chat message, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Longest customer display name, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// Messages a chat keeps; a party writing beyond it gets `rateLimited`.
pub const MAX_HISTORY: u32 = 500;
/// Chats that may be open (not ended) from one IP address.
pub const MAX_CHATS_PER_IP: usize = 10;
/// Chats one agent may have accepted and not ended.
pub const MAX_CHATS_PER_AGENT: usize = 5;
/// Chats open on the server at once.
pub const MAX_CHATS: usize = 10_000;
/// Co-browse sessions one chat may link over its life.
pub const MAX_LINKS_PER_CHAT: usize = 10;
/// Each party of a chat may write a burst of this many messages, then one per
/// [`MESSAGE_REFILL`].
pub const MESSAGE_BURST: u32 = 10;
pub const MESSAGE_REFILL: Duration = Duration::from_millis(500);

/// Close code and reason of a customer chat socket after `chatEnded`.
pub const CLOSE_CHAT_ENDED: (u16, &str) = (1000, "chatEnded");

/// Capacity of the hub's inbox. The hub answers quickly (one SQLite write per message at most);
/// the bound makes sockets and REST calls wait, not pile up, when it falls behind.
const INBOX_CAPACITY: usize = 1024;

/// The timing knobs of chats.
#[derive(Debug, Clone)]
pub struct ChatSettings {
    /// How long a customer's chat socket may be gone (page navigation) before the chat ends.
    pub customer_grace: Duration,
    /// How long all of the agent's chat sockets may be gone before their chats end.
    pub agent_grace: Duration,
    /// How long a chat may wait for an agent.
    pub unanswered_timeout: Duration,
    /// How long a chat may go without a message.
    pub idle_timeout: Duration,
    /// How often the hub checks the timers above.
    pub tick: Duration,
}

impl From<&crate::Config> for ChatSettings {
    fn from(c: &crate::Config) -> Self {
        Self {
            customer_grace: c.customer_grace,
            agent_grace: c.agent_grace,
            unanswered_timeout: c.idle_timeout,
            idle_timeout: Duration::from_secs(3600),
            tick: Duration::from_secs(1)
                .min(c.customer_grace / 4)
                .max(Duration::from_millis(50)),
        }
    }
}

/// A logged-in user on the agent chat socket.
#[derive(Debug, Clone)]
pub struct ChatAgent {
    pub id: UserId,
    pub name: String,
}

/// A new chat: what the REST answer carries.
pub struct Opened {
    pub chat_id: String,
    pub secret: String,
}

/// Why a chat could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("too many open chats from this address; end one first")]
    TooManyFromAddress,
    #[error("too many open chats; try again later")]
    Full,
    #[error("the server is shutting down")]
    ShuttingDown,
    #[error("internal error")]
    Store(#[from] crate::store::StoreError),
}

/// Requests to the hub.
#[derive(Debug)]
pub enum Command {
    Open {
        name: String,
        ip: IpAddr,
        reply: oneshot::Sender<Result<Opened, OpenError>>,
    },
    /// A customer socket said `hello`. On success the hub has sent `welcome` on `control` and
    /// holds it (the socket keeps a weak sender).
    CustomerHello {
        conn: ConnId,
        chat_id: String,
        secret: CustomerSecret,
        control: mpsc::Sender<Outbound>,
        reply: oneshot::Sender<Result<(), ChatError>>,
    },
    CustomerSend {
        conn: ConnId,
        chat_id: String,
        text: String,
    },
    CustomerEnd {
        conn: ConnId,
        chat_id: String,
    },
    CustomerGone {
        conn: ConnId,
        chat_id: String,
    },
    /// An agent chat socket opened; the hub sends it `chats` and a `conversation` per own chat.
    AgentAttach {
        conn: ConnId,
        agent: ChatAgent,
        control: mpsc::Sender<Outbound>,
    },
    Agent {
        conn: ConnId,
        request: AgentToChat,
    },
    AgentGone {
        conn: ConnId,
    },
    /// The server is stopping: every chat ends with `serverShutdown`; `done` once they have.
    Shutdown {
        done: oneshot::Sender<()>,
    },
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened")
            .field("chat_id", &self.chat_id)
            .finish_non_exhaustive()
    }
}

/// How the rest of the server reaches the chats.
#[derive(Debug, Clone)]
pub struct ChatHub {
    pub commands: mpsc::Sender<Command>,
}

impl ChatHub {
    /// Starts the hub after deleting the chats a previous process left in the store.
    pub async fn start(
        settings: ChatSettings,
        store: Arc<dyn Store>,
        sessions: Arc<Registry>,
    ) -> Result<Self, crate::store::StoreError> {
        let forgotten = store.delete_all_chats().await?;
        if forgotten > 0 {
            tracing::info!(forgotten, "deleted the chats of a previous run");
        }
        let (commands, inbox) = mpsc::channel(INBOX_CAPACITY);
        tokio::spawn(hub::run(settings, store, sessions, inbox));
        Ok(Self { commands })
    }

    /// Ends every chat (`serverShutdown`), at most `limit`.
    pub async fn shutdown(&self, limit: Duration) {
        let (done, finished) = oneshot::channel();
        if self.commands.send(Command::Shutdown { done }).await.is_ok() {
            // Timeout: shutdown must not hang on a stuck hub.
            let _ = tokio::time::timeout(limit, finished).await;
        }
    }
}

/// A chat socket error message.
pub fn error(code: ErrorCode, message: impl Into<String>, chat_id: Option<&str>) -> ChatError {
    ChatError {
        code,
        message: message.into(),
        chat_id: chat_id.map(str::to_owned),
    }
}

/// Checks a message's text: 1 to [`MAX_TEXT_CHARS`] characters, not only whitespace.
pub fn check_text(text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("a chat message cannot be empty".to_owned());
    }
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(format!(
            "a chat message has at most {MAX_TEXT_CHARS} characters (this one has {chars})"
        ));
    }
    Ok(())
}

/// The customer's display name: control characters removed, trimmed, at most
/// [`MAX_NAME_CHARS`] characters, "Customer" when empty.
pub fn display_name(name: Option<&str>) -> String {
    let cleaned: String = name
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let trimmed: String = cleaned.trim().chars().take(MAX_NAME_CHARS).collect();
    let trimmed = trimmed.trim();
    if trimmed.is_empty() {
        "Customer".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_texts() {
        assert_eq!(display_name(None), "Customer");
        assert_eq!(display_name(Some("  \u{7}  ")), "Customer");
        assert_eq!(display_name(Some(" Ann\nLee ")), "AnnLee");
        assert_eq!(display_name(Some(&"x".repeat(100))).chars().count(), 64);
        assert!(check_text("hello").is_ok());
        assert!(check_text(" \n ").is_err());
        assert!(check_text(&"é".repeat(MAX_TEXT_CHARS)).is_ok());
        assert!(check_text(&"é".repeat(MAX_TEXT_CHARS + 1)).is_err());
    }
}
