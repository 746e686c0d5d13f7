//! A chat's conversation: posting a message (its checks, the sender's rate, a customer's
//! `{start:TOKEN}` linking a live co-browse session; stored, then delivered to both parties) and
//! reading it back from the store.

use super::Hub;
use super::now_ms;
use crate::chat::{MAX_HISTORY, MAX_LINKS_PER_CHAT, check_text, error};
use cobrowse_protocol::{
    ChatError, ChatMessage, ChatNewMessage, ChatSender, ChatToAgent, ChatToCustomer, ErrorCode,
    cobrowse_start,
};
use tokio::time::Instant;

impl Hub {
    /// Stores and delivers a message; `Err` is for the sender.
    pub(super) async fn post(
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

    pub(super) async fn history(&self, chat_id: &str) -> Result<Vec<ChatMessage>, ChatError> {
        self.store.chat_history(chat_id).await.map_err(|e| {
            tracing::error!(chat = %chat_id, error = %e, "cannot read a chat's history");
            error(ErrorCode::Internal, "internal error", Some(chat_id))
        })
    }
}
