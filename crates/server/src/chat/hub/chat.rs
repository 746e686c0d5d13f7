//! One chat's state as the hub keeps it: its parties, timers, linked co-browse sessions and the
//! rate buckets of its two senders; which of its timers ran out.

use crate::chat::{ChatAgent, ChatSettings, MESSAGE_BURST, MESSAGE_REFILL};
use crate::session::{ConnId, Outbound};
use cobrowse_protocol::{ChatEndReason, ChatState, ChatSummary, SessionToken};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use subtle::ConstantTimeEq;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// A token bucket of one party's messages in one chat.
#[derive(Debug)]
pub(super) struct Bucket {
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
    pub(super) fn take(&mut self) -> bool {
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

/// The customer's chat socket.
#[derive(Debug)]
pub(super) struct CustomerLink {
    pub(super) conn: ConnId,
    pub(super) control: mpsc::Sender<Outbound>,
}

#[derive(Debug)]
pub(super) struct Chat {
    pub(super) id: String,
    secret_hash: [u8; 32],
    pub(super) customer_name: String,
    pub(super) opened_at: i64,
    pub(super) ip: IpAddr,
    pub(super) agent: Option<ChatAgent>,
    pub(super) customer: Option<CustomerLink>,
    /// Since when the customer has had no socket (`Some` from `Open` until the first `hello`).
    pub(super) customer_away_since: Option<Instant>,
    /// Since when the chat's agent has had no chat socket.
    pub(super) agent_away_since: Option<Instant>,
    waiting_since: Instant,
    pub(super) last_message: Instant,
    pub(super) next_seq: u32,
    pub(super) linked: Vec<SessionToken>,
    pub(super) customer_bucket: Bucket,
    pub(super) agent_bucket: Bucket,
}

impl Chat {
    /// A chat just opened: no socket yet, no agent, no message.
    pub(super) fn new(
        id: String,
        secret: &str,
        customer_name: String,
        opened_at: i64,
        ip: IpAddr,
    ) -> Self {
        let now = Instant::now();
        Self {
            id,
            secret_hash: Sha256::digest(secret.as_bytes()).into(),
            customer_name,
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
        }
    }

    /// Whether `secret` is the chat's (compared in constant time).
    pub(super) fn secret_matches(&self, secret: &str) -> bool {
        let hash: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        bool::from(hash.ct_eq(&self.secret_hash))
    }

    pub(super) fn state(&self) -> ChatState {
        if self.agent.is_some() {
            ChatState::Active
        } else {
            ChatState::Waiting
        }
    }

    pub(super) fn summary(&self) -> ChatSummary {
        ChatSummary {
            chat_id: self.id.clone(),
            customer: self.customer_name.clone(),
            state: self.state(),
            opened_at: self.opened_at,
            agent: self.agent.as_ref().map(|a| a.name.clone()),
            customer_connected: self.customer.is_some(),
        }
    }

    /// Why the chat ends at `now`, if one of its timers ran out.
    pub(super) fn due(&self, now: Instant, s: &ChatSettings) -> Option<ChatEndReason> {
        let reason = if self
            .customer_away_since
            .is_some_and(|t| now >= t + s.customer_grace)
        {
            ChatEndReason::CustomerLeft
        } else if self.agent.is_none() && now >= self.waiting_since + s.unanswered_timeout {
            ChatEndReason::Unanswered
        } else if self
            .agent_away_since
            .is_some_and(|t| now >= t + s.agent_grace)
        {
            ChatEndReason::AgentLeft
        } else if now >= self.last_message + s.idle_timeout {
            ChatEndReason::Inactive
        } else {
            return None;
        };
        Some(reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn settings() -> ChatSettings {
        ChatSettings {
            customer_grace: Duration::from_secs(10),
            agent_grace: Duration::from_secs(20),
            unanswered_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            tick: Duration::from_secs(1),
        }
    }

    fn chat() -> Chat {
        Chat::new(
            "c".into(),
            "s3cret",
            "Ann".into(),
            0,
            IpAddr::from([127, 0, 0, 1]),
        )
    }

    #[test]
    fn secret() {
        let c = chat();
        assert!(c.secret_matches("s3cret"));
        assert!(!c.secret_matches("s3cres"));
        assert!(!c.secret_matches(""));
    }

    #[tokio::test(start_paused = true)]
    async fn bucket_burst_then_one_per_refill() {
        let mut b = Bucket::new();
        for _ in 0..MESSAGE_BURST {
            assert!(b.take());
        }
        assert!(!b.take(), "burst spent");
        tokio::time::advance(MESSAGE_REFILL - Duration::from_millis(1)).await;
        assert!(!b.take(), "not yet refilled");
        tokio::time::advance(Duration::from_millis(1)).await;
        assert!(b.take());
        assert!(!b.take());
        tokio::time::advance(MESSAGE_REFILL * (MESSAGE_BURST + 5)).await;
        for _ in 0..MESSAGE_BURST {
            assert!(b.take());
        }
        assert!(!b.take(), "refilled up to the burst only");
    }

    #[tokio::test(start_paused = true)]
    async fn timers() {
        let s = settings();
        let t0 = Instant::now();
        let mut c = chat();
        assert_eq!(c.due(t0, &s), None);
        // No customer socket since opening: the customer's grace runs first.
        assert_eq!(
            c.due(t0 + s.customer_grace, &s),
            Some(ChatEndReason::CustomerLeft)
        );
        c.customer_away_since = None;
        assert_eq!(c.due(t0 + s.customer_grace, &s), None);
        assert_eq!(
            c.due(t0 + s.unanswered_timeout, &s),
            Some(ChatEndReason::Unanswered)
        );
        c.agent = Some(ChatAgent {
            id: crate::store::UserId(1),
            name: "Bo".into(),
        });
        assert_eq!(c.due(t0 + s.unanswered_timeout, &s), None);
        c.agent_away_since = Some(t0);
        assert_eq!(
            c.due(t0 + s.agent_grace, &s),
            Some(ChatEndReason::AgentLeft)
        );
        c.agent_away_since = None;
        assert_eq!(
            c.due(t0 + s.idle_timeout, &s),
            Some(ChatEndReason::Inactive)
        );
        c.last_message = t0 + s.idle_timeout;
        assert_eq!(c.due(t0 + s.idle_timeout, &s), None);
    }
}
