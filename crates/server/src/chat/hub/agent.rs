//! The agent's side of the hub: the agents' chat sockets (several per agent: tabs), their
//! requests (accept, send, end), the lists of waiting and own chats, and telling agents.

use super::chat::Chat;
use super::{Hub, json, push};
use crate::chat::{ChatAgent, MAX_CHATS_PER_AGENT, error};
use crate::session::{ConnId, Outbound};
use crate::store::UserId;
use cobrowse_protocol::{
    AgentChatSend, AgentToChat, ChatAgentJoined, ChatConversation, ChatEndReason, ChatError,
    ChatList, ChatRef, ChatSender, ChatSummary, ChatToAgent, ChatToCustomer, ErrorCode,
};
use tokio::sync::mpsc;
use tokio::time::Instant;

/// One chat socket of a logged-in agent.
#[derive(Debug)]
pub(super) struct AgentSocket {
    pub(super) agent: ChatAgent,
    pub(super) control: mpsc::Sender<Outbound>,
}

impl Hub {
    pub(super) async fn agent_attach(
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

    /// An agent chat socket closed; if it was the agent's last, their chats' grace periods start.
    pub(super) fn agent_gone(&mut self, conn: ConnId) {
        if let Some(socket) = self.agents.remove(&conn) {
            self.agent_maybe_away(socket.agent.id);
        }
    }

    pub(super) async fn agent_request(&mut self, conn: ConnId, request: AgentToChat) {
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

    /// Tells every chat socket of agent `agent`; lets go of sockets that are not reading.
    pub(super) fn tell_agent(&mut self, agent: UserId, message: &ChatToAgent) {
        let text = json(message);
        self.agents
            .retain(|_, socket| socket.agent.id != agent || push(&socket.control, text.clone()));
    }

    /// Sends every agent socket its lists (waiting chats, its own chats).
    pub(super) fn broadcast_lists(&mut self) {
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
}
