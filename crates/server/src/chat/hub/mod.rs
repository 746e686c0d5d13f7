//! The hub actor: one task owning every chat and every agent chat socket.
//!
//! - this file: the task, its state ([`Hub`]), the dispatch of [`Command`]s, the end of chats
//!   (one, the ones whose timers ran out, all at shutdown);
//! - `chat.rs`: one chat's state, its rate buckets and timers;
//! - `customer.rs`: opening a chat and the customer's chat socket;
//! - `agent.rs`: the agents' chat sockets, their requests and lists;
//! - `conversation.rs`: posting a message (stored, then delivered) and reading the history.
//!
//! Invariants:
//! - a chat is in `chats` from `Open` until it ends; its row exists in the store for as long;
//! - `seq` numbers of a chat are given in the order the hub takes messages, and a message is
//!   stored before it is sent to anybody (a failed write answers `internal` and delivers nothing);
//! - each chat has at most one customer socket (a newer `hello` replaces it: `4000 replaced`) and
//!   at most one agent; an agent may have several chat sockets (tabs), all told the same;
//! - sockets are written with `try_send` only: a socket whose control channel is full is let go
//!   (its writer closes it `1013 dropped`; the client reconnects);
//! - when a chat ends, every co-browse session it linked is ended with `endedByIntegration`
//!   (in a spawned task: the session answers when it has taken the order).

mod agent;
mod chat;
mod conversation;
mod customer;

use super::{CLOSE_CHAT_ENDED, ChatSettings, Command};
use crate::session::{CLOSE_SHUTDOWN, ConnId, Outbound, Registry};
use crate::store::Store;
use agent::AgentSocket;
use chat::Chat;
use cobrowse_protocol::{ChatEndReason, ChatEnded, ChatToAgent, ChatToCustomer};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};

/// The hub task's state: every open chat by id, every agent chat socket by connection.
struct Hub {
    settings: ChatSettings,
    store: Arc<dyn Store>,
    sessions: Arc<Registry>,
    chats: HashMap<String, Chat>,
    agents: HashMap<ConnId, AgentSocket>,
    closing: bool,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

fn json<T: Serialize>(message: &T) -> String {
    // Serialising these plain structs cannot fail; an empty object keeps the socket sane if it
    // ever did.
    serde_json::to_string(message).unwrap_or_else(|_| String::from("{}"))
}

/// Sends without waiting; `false` when the socket is gone or not reading (full channel).
fn push(control: &mpsc::Sender<Outbound>, text: String) -> bool {
    control.try_send(Outbound::Text(text)).is_ok()
}

/// The hub task; ends when every sender of `inbox` is gone.
pub(super) async fn run(
    settings: ChatSettings,
    store: Arc<dyn Store>,
    sessions: Arc<Registry>,
    mut inbox: mpsc::Receiver<Command>,
) {
    let mut tick = tokio::time::interval(settings.tick);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut hub = Hub {
        settings,
        store,
        sessions,
        chats: HashMap::new(),
        agents: HashMap::new(),
        closing: false,
    };
    loop {
        tokio::select! {
            command = inbox.recv() => match command {
                Some(command) => hub.handle(command).await,
                None => return,
            },
            _ = tick.tick() => hub.expire().await,
        }
    }
}

impl Hub {
    async fn handle(&mut self, command: Command) {
        match command {
            Command::Open { name, ip, reply } => {
                let _ = reply.send(self.open(name, ip).await);
            }
            Command::CustomerHello {
                conn,
                chat_id,
                secret,
                control,
                reply,
            } => {
                let result = self
                    .customer_hello(conn, &chat_id, &secret.0, control)
                    .await;
                let _ = reply.send(result);
            }
            Command::CustomerSend {
                conn,
                chat_id,
                text,
            } => self.customer_send(conn, &chat_id, text).await,
            Command::CustomerEnd { conn, chat_id } => self.customer_end(conn, &chat_id).await,
            Command::CustomerGone { conn, chat_id } => self.customer_gone(conn, &chat_id),
            Command::AgentAttach {
                conn,
                agent,
                control,
            } => self.agent_attach(conn, agent, control).await,
            Command::Agent { conn, request } => self.agent_request(conn, request).await,
            Command::AgentGone { conn } => self.agent_gone(conn),
            Command::Shutdown { done } => {
                self.shutdown().await;
                let _ = done.send(());
            }
        }
    }

    /// Ends every chat with `serverShutdown`, closes every agent chat socket and opens no more.
    async fn shutdown(&mut self) {
        self.closing = true;
        let ids: Vec<String> = self.chats.keys().cloned().collect();
        for id in ids {
            self.end(&id, ChatEndReason::ServerShutdown).await;
        }
        for (_, socket) in self.agents.drain() {
            let _ = socket.control.try_send(Outbound::Close {
                code: CLOSE_SHUTDOWN.0,
                reason: CLOSE_SHUTDOWN.1,
            });
        }
    }

    /// Ends a chat: both parties told, the customer socket closed, the conversation deleted, the
    /// linked co-browse sessions ended.
    async fn end(&mut self, chat_id: &str, reason: ChatEndReason) {
        let Some(chat) = self.chats.remove(chat_id) else {
            return;
        };
        tracing::info!(chat = %chat_id, ?reason, "chat ended");
        let ended = ChatEnded {
            chat_id: chat_id.to_owned(),
            reason,
        };
        if let Some(link) = &chat.customer {
            let _ = link
                .control
                .try_send(Outbound::Text(json(&ChatToCustomer::ChatEnded(
                    ended.clone(),
                ))));
            let close = if reason == ChatEndReason::ServerShutdown {
                CLOSE_SHUTDOWN
            } else {
                CLOSE_CHAT_ENDED
            };
            let _ = link.control.try_send(Outbound::Close {
                code: close.0,
                reason: close.1,
            });
        }
        if let Some(agent) = &chat.agent {
            self.tell_agent(agent.id, &ChatToAgent::ChatEnded(ended));
        }
        self.broadcast_lists();
        if let Err(e) = self.store.delete_chat(chat_id).await {
            tracing::error!(chat = %chat_id, error = %e, "cannot delete an ended chat");
        }
        for token in chat.linked {
            let sessions = self.sessions.clone();
            tokio::spawn(async move {
                match crate::session::end_by_integration(&sessions, &token).await {
                    Ok(()) => {
                        tracing::info!(token = %token, "co-browse session ended with its chat");
                    }
                    Err(e) => tracing::debug!(token = %token, ?e, "linked session not ended"),
                }
            });
        }
    }

    /// Ends the chats whose timers ran out.
    async fn expire(&mut self) {
        let now = Instant::now();
        let due: Vec<(String, ChatEndReason)> = self
            .chats
            .values()
            .filter_map(|c| Some((c.id.clone(), c.due(now, &self.settings)?)))
            .collect();
        for (id, reason) in due {
            self.end(&id, reason).await;
        }
    }
}
