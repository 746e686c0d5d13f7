//! The hub actor: one task owning every chat and every agent chat socket.
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

use super::{
    CLOSE_CHAT_ENDED, ChatAgent, ChatSettings, Command, MAX_CHATS, MAX_CHATS_PER_AGENT,
    MAX_CHATS_PER_IP, MAX_HISTORY, MAX_LINKS_PER_CHAT, MESSAGE_BURST, MESSAGE_REFILL, OpenError,
    Opened, check_text, error,
};
use crate::session::{CLOSE_REPLACED, CLOSE_SHUTDOWN, ConnId, Outbound, Registry};
use crate::store::{Store, UserId};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cobrowse_protocol::{
    AgentChatSend, AgentToChat, ChatAgentJoined, ChatConversation, ChatEndReason, ChatEnded,
    ChatError, ChatList, ChatMessage, ChatNewMessage, ChatRef, ChatSender, ChatState, ChatSummary,
    ChatToAgent, ChatToCustomer, ChatWelcome, ErrorCode, SessionToken, cobrowse_start,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use subtle::ConstantTimeEq;
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};

/// A token bucket of one party's messages in one chat.
#[derive(Debug)]
struct Bucket {
    tokens: u32,
    refilled: Instant,
}

impl Bucket {
    fn new() -> Self {
        Self {
            tokens: MESSAGE_BURST,
            refilled: Instant::now(),
        }
    }

    /// Whether one more message may go through now.
    fn take(&mut self) -> bool {
        let now = Instant::now();
        let elapsed = now.duration_since(self.refilled);
        let earned = u32::try_from(elapsed.as_millis() / MESSAGE_REFILL.as_millis().max(1))
            .unwrap_or(u32::MAX);
        if earned > 0 {
            self.tokens = self.tokens.saturating_add(earned).min(MESSAGE_BURST);
            self.refilled = now;
        }
        if self.tokens == 0 {
            return false;
        }
        self.tokens -= 1;
        true
    }
}

#[derive(Debug)]
struct CustomerLink {
    conn: ConnId,
    control: mpsc::Sender<Outbound>,
}

#[derive(Debug)]
struct Chat {
    id: String,
    secret_hash: [u8; 32],
    customer_name: String,
    opened_at: i64,
    ip: IpAddr,
    agent: Option<ChatAgent>,
    customer: Option<CustomerLink>,
    /// Since when the customer has had no socket (`Some` from `Open` until the first `hello`).
    customer_away_since: Option<Instant>,
    /// Since when the chat's agent has had no chat socket.
    agent_away_since: Option<Instant>,
    waiting_since: Instant,
    last_message: Instant,
    next_seq: u32,
    linked: Vec<SessionToken>,
    customer_bucket: Bucket,
    agent_bucket: Bucket,
}

impl Chat {
    fn state(&self) -> ChatState {
        if self.agent.is_some() {
            ChatState::Active
        } else {
            ChatState::Waiting
        }
    }

    fn summary(&self) -> ChatSummary {
        ChatSummary {
            chat_id: self.id.clone(),
            customer: self.customer_name.clone(),
            state: self.state(),
            opened_at: self.opened_at,
            agent: self.agent.as_ref().map(|a| a.name.clone()),
            customer_connected: self.customer.is_some(),
        }
    }
}

#[derive(Debug)]
struct AgentSocket {
    agent: ChatAgent,
    control: mpsc::Sender<Outbound>,
}

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
            Command::CustomerEnd { conn, chat_id } => {
                if self.is_customer(&chat_id, conn) {
                    self.end(&chat_id, ChatEndReason::CustomerEnded).await;
                }
            }
            Command::CustomerGone { conn, chat_id } => {
                if self.is_customer(&chat_id, conn)
                    && let Some(chat) = self.chats.get_mut(&chat_id)
                {
                    chat.customer = None;
                    chat.customer_away_since = Some(Instant::now());
                    self.broadcast_lists();
                }
            }
            Command::AgentAttach {
                conn,
                agent,
                control,
            } => self.agent_attach(conn, agent, control).await,
            Command::Agent { conn, request } => self.agent_request(conn, request).await,
            Command::AgentGone { conn } => {
                if let Some(socket) = self.agents.remove(&conn) {
                    self.agent_maybe_away(socket.agent.id);
                }
            }
            Command::Shutdown { done } => {
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
                let _ = done.send(());
            }
        }
    }

    async fn open(&mut self, name: String, ip: IpAddr) -> Result<Opened, OpenError> {
        if self.closing {
            return Err(OpenError::ShuttingDown);
        }
        if self.chats.len() >= MAX_CHATS {
            return Err(OpenError::Full);
        }
        if self.chats.values().filter(|c| c.ip == ip).count() >= MAX_CHATS_PER_IP {
            return Err(OpenError::TooManyFromAddress);
        }
        let mut id = [0u8; 16];
        rand::fill(&mut id);
        let chat_id = URL_SAFE_NO_PAD.encode(id);
        let mut secret = [0u8; 32];
        rand::fill(&mut secret);
        let secret = URL_SAFE_NO_PAD.encode(secret);
        let opened_at = now_ms();
        self.store.create_chat(&chat_id, &name, opened_at).await?;
        let now = Instant::now();
        self.chats.insert(
            chat_id.clone(),
            Chat {
                id: chat_id.clone(),
                secret_hash: Sha256::digest(secret.as_bytes()).into(),
                customer_name: name,
                opened_at,
                ip,
                agent: None,
                customer: None,
                customer_away_since: Some(now),
                agent_away_since: None,
                waiting_since: now,
                last_message: now,
                next_seq: 1,
                linked: Vec::new(),
                customer_bucket: Bucket::new(),
                agent_bucket: Bucket::new(),
            },
        );
        tracing::info!(chat = %chat_id, "chat opened");
        self.broadcast_lists();
        Ok(Opened { chat_id, secret })
    }

    fn is_customer(&self, chat_id: &str, conn: ConnId) -> bool {
        self.chats
            .get(chat_id)
            .and_then(|c| c.customer.as_ref())
            .is_some_and(|l| l.conn == conn)
    }

    async fn history(&self, chat_id: &str) -> Result<Vec<ChatMessage>, ChatError> {
        self.store.chat_history(chat_id).await.map_err(|e| {
            tracing::error!(chat = %chat_id, error = %e, "cannot read a chat's history");
            error(ErrorCode::Internal, "internal error", Some(chat_id))
        })
    }

    async fn customer_hello(
        &mut self,
        conn: ConnId,
        chat_id: &str,
        secret: &str,
        control: mpsc::Sender<Outbound>,
    ) -> Result<(), ChatError> {
        let Some(chat) = self.chats.get(chat_id) else {
            return Err(error(
                ErrorCode::NotFound,
                "no open chat has this id (it may have ended)",
                Some(chat_id),
            ));
        };
        let hash: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        if !bool::from(hash.ct_eq(&chat.secret_hash)) {
            return Err(error(
                ErrorCode::Unauthenticated,
                "wrong chat secret",
                Some(chat_id),
            ));
        }
        let history = self.history(chat_id).await?;
        let Some(chat) = self.chats.get_mut(chat_id) else {
            return Err(error(ErrorCode::NotFound, "the chat ended", Some(chat_id)));
        };
        let welcome = ChatToCustomer::Welcome(ChatWelcome {
            chat_id: chat_id.to_owned(),
            state: chat.state(),
            agent: chat.agent.as_ref().map(|a| a.name.clone()),
            history,
        });
        if !push(&control, json(&welcome)) {
            return Err(error(ErrorCode::Internal, "socket not reading", None));
        }
        if let Some(old) = chat.customer.replace(CustomerLink { conn, control }) {
            let _ = old.control.try_send(Outbound::Close {
                code: CLOSE_REPLACED.0,
                reason: CLOSE_REPLACED.1,
            });
        }
        chat.customer_away_since = None;
        self.broadcast_lists();
        Ok(())
    }

    /// Tells the customer of `chat_id`; lets go of a socket that is not reading.
    fn tell_customer(&mut self, chat_id: &str, message: &ChatToCustomer) {
        let Some(chat) = self.chats.get_mut(chat_id) else {
            return;
        };
        if let Some(link) = &chat.customer
            && !push(&link.control, json(message))
        {
            tracing::info!(chat = %chat_id, "customer chat socket not reading; dropped");
            chat.customer = None;
            chat.customer_away_since = Some(Instant::now());
        }
    }

    /// Tells every chat socket of agent `agent`; lets go of sockets that are not reading.
    fn tell_agent(&mut self, agent: UserId, message: &ChatToAgent) {
        let text = json(message);
        self.agents
            .retain(|_, socket| socket.agent.id != agent || push(&socket.control, text.clone()));
    }

    /// Sends every agent socket its lists (waiting chats, its own chats).
    fn broadcast_lists(&mut self) {
        let mut waiting: Vec<ChatSummary> = self
            .chats
            .values()
            .filter(|c| c.agent.is_none())
            .map(Chat::summary)
            .collect();
        waiting.sort_by(|a, b| (a.opened_at, &a.chat_id).cmp(&(b.opened_at, &b.chat_id)));
        let chats = &self.chats;
        self.agents.retain(|_, socket| {
            let mut mine: Vec<ChatSummary> = chats
                .values()
                .filter(|c| c.agent.as_ref().is_some_and(|a| a.id == socket.agent.id))
                .map(Chat::summary)
                .collect();
            mine.sort_by(|a, b| (a.opened_at, &a.chat_id).cmp(&(b.opened_at, &b.chat_id)));
            let list = ChatToAgent::Chats(ChatList {
                waiting: waiting.clone(),
                mine,
            });
            push(&socket.control, json(&list))
        });
    }

    /// Stores and delivers a message; `Err` is for the sender.
    async fn post(
        &mut self,
        chat_id: &str,
        sender: ChatSender,
        text: String,
    ) -> Result<(), ChatError> {
        check_text(&text).map_err(|m| error(ErrorCode::BadMessage, m, Some(chat_id)))?;
        let Some(chat) = self.chats.get_mut(chat_id) else {
            return Err(error(ErrorCode::NotFound, "the chat ended", Some(chat_id)));
        };
        if chat.next_seq > MAX_HISTORY {
            return Err(error(
                ErrorCode::RateLimited,
                format!("this chat has reached its {MAX_HISTORY} messages"),
                Some(chat_id),
            ));
        }
        let bucket = match sender {
            ChatSender::Customer => &mut chat.customer_bucket,
            ChatSender::Agent => &mut chat.agent_bucket,
        };
        if !bucket.take() {
            return Err(error(
                ErrorCode::RateLimited,
                "too many messages; wait a moment",
                Some(chat_id),
            ));
        }
        let name = match sender {
            ChatSender::Customer => chat.customer_name.clone(),
            ChatSender::Agent => chat
                .agent
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_default(),
        };
        // `{start:TOKEN}` from the customer links a live co-browse session.
        let mut cobrowse = None;
        if sender == ChatSender::Customer
            && let Some(token) = cobrowse_start(&text)
        {
            let live = matches!(
                self.sessions.lookup(&token),
                crate::session::Lookup::Live(_)
            );
            if chat.linked.contains(&token) {
                cobrowse = Some(token);
            } else if live && chat.linked.len() < MAX_LINKS_PER_CHAT {
                tracing::info!(chat = %chat_id, token = %token, "chat linked to a co-browse session");
                chat.linked.push(token.clone());
                cobrowse = Some(token);
            }
        }
        let message = ChatMessage {
            seq: chat.next_seq,
            sender,
            name,
            text,
            at: now_ms(),
            cobrowse,
        };
        if let Err(e) = self.store.append_chat_message(chat_id, &message).await {
            tracing::error!(chat = %chat_id, error = %e, "cannot store a chat message");
            return Err(error(ErrorCode::Internal, "internal error", Some(chat_id)));
        }
        let Some(chat) = self.chats.get_mut(chat_id) else {
            return Ok(());
        };
        chat.next_seq += 1;
        chat.last_message = Instant::now();
        let agent = chat.agent.as_ref().map(|a| a.id);
        let new = ChatNewMessage {
            chat_id: chat_id.to_owned(),
            message,
        };
        self.tell_customer(chat_id, &ChatToCustomer::Message(new.clone()));
        if let Some(agent) = agent {
            self.tell_agent(agent, &ChatToAgent::Message(new));
        }
        Ok(())
    }

    async fn customer_send(&mut self, conn: ConnId, chat_id: &str, text: String) {
        if !self.is_customer(chat_id, conn) {
            return;
        }
        if let Err(e) = self.post(chat_id, ChatSender::Customer, text).await {
            self.tell_customer(chat_id, &ChatToCustomer::Error(e));
        }
    }

    async fn agent_attach(
        &mut self,
        conn: ConnId,
        agent: ChatAgent,
        control: mpsc::Sender<Outbound>,
    ) {
        let id = agent.id;
        self.agents.insert(conn, AgentSocket { agent, control });
        let mine: Vec<String> = self
            .chats
            .values_mut()
            .filter(|c| c.agent.as_ref().is_some_and(|a| a.id == id))
            .map(|c| {
                c.agent_away_since = None;
                c.id.clone()
            })
            .collect();
        self.broadcast_lists();
        for chat_id in mine {
            self.send_conversation(conn, &chat_id).await;
        }
    }

    /// Sends one agent socket a chat's `conversation`.
    async fn send_conversation(&mut self, conn: ConnId, chat_id: &str) {
        let history = match self.history(chat_id).await {
            Ok(h) => h,
            Err(e) => {
                self.tell_agent_socket(conn, &ChatToAgent::Error(e));
                return;
            }
        };
        let Some(chat) = self.chats.get(chat_id) else {
            return;
        };
        let conversation = ChatToAgent::Conversation(ChatConversation {
            chat: chat.summary(),
            history,
        });
        self.tell_agent_socket(conn, &conversation);
    }

    fn tell_agent_socket(&mut self, conn: ConnId, message: &ChatToAgent) {
        if let Some(socket) = self.agents.get(&conn)
            && !push(&socket.control, json(message))
        {
            self.agents.remove(&conn);
        }
    }

    async fn agent_request(&mut self, conn: ConnId, request: AgentToChat) {
        let Some(agent) = self.agents.get(&conn).map(|s| s.agent.clone()) else {
            return;
        };
        let result = match request {
            AgentToChat::Accept(ChatRef { chat_id }) => self.accept(conn, &agent, &chat_id).await,
            AgentToChat::Send(AgentChatSend { chat_id, text }) => {
                match self.own_chat(&agent, &chat_id) {
                    Ok(()) => self.post(&chat_id, ChatSender::Agent, text).await,
                    Err(e) => Err(e),
                }
            }
            AgentToChat::End(ChatRef { chat_id }) => match self.own_chat(&agent, &chat_id) {
                Ok(()) => {
                    self.end(&chat_id, ChatEndReason::AgentEnded).await;
                    Ok(())
                }
                Err(e) => Err(e),
            },
        };
        if let Err(e) = result {
            self.tell_agent_socket(conn, &ChatToAgent::Error(e));
        }
    }

    fn own_chat(&self, agent: &ChatAgent, chat_id: &str) -> Result<(), ChatError> {
        match self.chats.get(chat_id) {
            None => Err(error(
                ErrorCode::NotFound,
                "no open chat has this id (it may have ended)",
                Some(chat_id),
            )),
            Some(c) if c.agent.as_ref().is_some_and(|a| a.id == agent.id) => Ok(()),
            Some(_) => Err(error(
                ErrorCode::Forbidden,
                "this chat is not yours",
                Some(chat_id),
            )),
        }
    }

    async fn accept(
        &mut self,
        conn: ConnId,
        agent: &ChatAgent,
        chat_id: &str,
    ) -> Result<(), ChatError> {
        let mine = self
            .chats
            .values()
            .filter(|c| c.agent.as_ref().is_some_and(|a| a.id == agent.id))
            .count();
        let Some(chat) = self.chats.get_mut(chat_id) else {
            return Err(error(
                ErrorCode::NotFound,
                "no open chat has this id (it may have ended)",
                Some(chat_id),
            ));
        };
        match &chat.agent {
            Some(a) if a.id == agent.id => {
                // Accepting one's own chat again just sends the conversation.
                self.send_conversation(conn, chat_id).await;
                return Ok(());
            }
            Some(_) => {
                return Err(error(
                    ErrorCode::SessionTaken,
                    "another agent accepted this chat",
                    Some(chat_id),
                ));
            }
            None => {}
        }
        if mine >= MAX_CHATS_PER_AGENT {
            return Err(error(
                ErrorCode::AgentBusy,
                format!("you already have {MAX_CHATS_PER_AGENT} chats; end one first"),
                Some(chat_id),
            ));
        }
        chat.agent = Some(agent.clone());
        chat.agent_away_since = None;
        chat.last_message = Instant::now();
        tracing::info!(chat = %chat_id, agent = %agent.name, "chat accepted");
        self.tell_customer(
            chat_id,
            &ChatToCustomer::AgentJoined(ChatAgentJoined {
                agent: agent.name.clone(),
            }),
        );
        self.broadcast_lists();
        // Every socket of this agent shows the conversation.
        let conns: Vec<ConnId> = self
            .agents
            .iter()
            .filter(|(_, s)| s.agent.id == agent.id)
            .map(|(c, _)| *c)
            .collect();
        for c in conns {
            self.send_conversation(c, chat_id).await;
        }
        Ok(())
    }

    /// The agent's last chat socket may be gone: their chats' grace periods start.
    fn agent_maybe_away(&mut self, agent: UserId) {
        if self.agents.values().any(|s| s.agent.id == agent) {
            return;
        }
        let now = Instant::now();
        for chat in self.chats.values_mut() {
            if chat.agent.as_ref().is_some_and(|a| a.id == agent) && chat.agent_away_since.is_none()
            {
                chat.agent_away_since = Some(now);
            }
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
        let s = &self.settings;
        let due: Vec<(String, ChatEndReason)> = self
            .chats
            .values()
            .filter_map(|c| {
                let reason = if c
                    .customer_away_since
                    .is_some_and(|t| now >= t + s.customer_grace)
                {
                    ChatEndReason::CustomerLeft
                } else if c.agent.is_none() && now >= c.waiting_since + s.unanswered_timeout {
                    ChatEndReason::Unanswered
                } else if c.agent_away_since.is_some_and(|t| now >= t + s.agent_grace) {
                    ChatEndReason::AgentLeft
                } else if now >= c.last_message + s.idle_timeout {
                    ChatEndReason::Inactive
                } else {
                    return None;
                };
                Some((c.id.clone(), reason))
            })
            .collect();
        for (id, reason) in due {
            self.end(&id, reason).await;
        }
    }
}
