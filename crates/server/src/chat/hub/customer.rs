//! The customer's side of the hub: opening a chat (`POST /cobrowse/rest/chats`), the customer's
//! chat socket (`hello`, its messages, ending the chat, going away) and telling the customer.

use super::chat::{Chat, CustomerLink};
use super::{Hub, json, now_ms, push};
use crate::chat::{ChatError, MAX_CHATS, MAX_CHATS_PER_IP, OpenError, Opened, error};
use crate::session::{CLOSE_REPLACED, ConnId, Outbound};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cobrowse_protocol::{ChatEndReason, ChatSender, ChatToCustomer, ChatWelcome, ErrorCode};
use std::net::IpAddr;
use tokio::sync::mpsc;
use tokio::time::Instant;

impl Hub {
    pub(super) async fn open(&mut self, name: String, ip: IpAddr) -> Result<Opened, OpenError> {
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
        self.chats.insert(
            chat_id.clone(),
            Chat::new(chat_id.clone(), &secret, name, opened_at, ip),
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

    pub(super) async fn customer_hello(
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
        if !chat.secret_matches(secret) {
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

    pub(super) async fn customer_send(&mut self, conn: ConnId, chat_id: &str, text: String) {
        if !self.is_customer(chat_id, conn) {
            return;
        }
        if let Err(e) = self.post(chat_id, ChatSender::Customer, text).await {
            self.tell_customer(chat_id, &ChatToCustomer::Error(e));
        }
    }

    /// The customer ended the chat.
    pub(super) async fn customer_end(&mut self, conn: ConnId, chat_id: &str) {
        if self.is_customer(chat_id, conn) {
            self.end(chat_id, ChatEndReason::CustomerEnded).await;
        }
    }

    /// The customer's socket closed: the grace period starts.
    pub(super) fn customer_gone(&mut self, conn: ConnId, chat_id: &str) {
        if self.is_customer(chat_id, conn)
            && let Some(chat) = self.chats.get_mut(chat_id)
        {
            chat.customer = None;
            chat.customer_away_since = Some(Instant::now());
            self.broadcast_lists();
        }
    }

    /// Tells the customer of `chat_id`; lets go of a socket that is not reading.
    pub(super) fn tell_customer(&mut self, chat_id: &str, message: &ChatToCustomer) {
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
}
