//! Inspect tickets ("View all restrictions on the current web page"): an administrator asks for
//! a one-time link to a page of the site; `gcb.js` on that page redeems the ticket in the link's
//! fragment for the enabled restrictions and shows the inspect overlay.
//!
//! Invariants: a ticket is 32 random bytes in base64url (no padding); it is valid for [`TTL`] and
//! for one redemption; at most [`MAX_OUTSTANDING`] tickets are kept (expired ones are forgotten
//! first, then the oldest). Tickets live in memory only: a restart forgets them.
//!
//! Called by the REST handlers (`crate::http::restrictions`).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// How long a ticket may be redeemed.
pub const TTL: Duration = Duration::from_secs(5 * 60);
/// Most tickets kept at once.
pub const MAX_OUTSTANDING: usize = 1000;
/// The fragment parameter that carries the ticket.
pub const FRAGMENT_KEY: &str = "gcb-inspect";

/// The outstanding tickets. See the module documentation.
#[derive(Debug, Default)]
pub(crate) struct InspectTickets {
    // Lock: the ticket map; held for a lookup or an insert (with at most one pass over the map
    // when it is full), never across an `.await`.
    tickets: Mutex<HashMap<String, Instant>>,
}

impl InspectTickets {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Instant>> {
        // Every critical section leaves the map consistent; a poisoned lock still guards it.
        self.tickets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A new ticket, valid for [`TTL`] from now.
    pub fn issue(&self) -> String {
        let mut bytes = [0u8; 32];
        rand::fill(&mut bytes);
        let ticket = URL_SAFE_NO_PAD.encode(bytes);
        let now = Instant::now();
        let mut tickets = self.lock();
        if tickets.len() >= MAX_OUTSTANDING {
            tickets.retain(|_, expires| *expires > now);
        }
        if tickets.len() >= MAX_OUTSTANDING
            && let Some(oldest) = tickets
                .iter()
                .min_by_key(|(_, expires)| **expires)
                .map(|(t, _)| t.clone())
        {
            tickets.remove(&oldest);
        }
        tickets.insert(ticket.clone(), now + TTL);
        ticket
    }

    /// Spends `ticket`: `true` when it was outstanding and unexpired (it is forgotten either way).
    pub fn redeem(&self, ticket: &str) -> bool {
        self.lock()
            .remove(ticket)
            .is_some_and(|expires| expires > Instant::now())
    }
}

/// `page_url` with `gcb-inspect=TICKET` added to its fragment (`#gcb-inspect=…`, or
/// `&gcb-inspect=…` after an existing fragment).
pub fn link(page_url: &str, ticket: &str) -> String {
    match page_url.split_once('#') {
        None => format!("{page_url}#{FRAGMENT_KEY}={ticket}"),
        Some((_, "")) => format!("{page_url}{FRAGMENT_KEY}={ticket}"),
        Some(_) => format!("{page_url}&{FRAGMENT_KEY}={ticket}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn tickets_are_one_time_and_expire() {
        let tickets = InspectTickets::default();
        let a = tickets.issue();
        assert_eq!(a.len(), 43);
        assert!(
            a.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert!(!tickets.redeem("nonsense"));
        assert!(tickets.redeem(&a));
        assert!(!tickets.redeem(&a), "spent");
        let b = tickets.issue();
        assert_ne!(a, b);
        tokio::time::sleep(TTL - Duration::from_millis(1)).await;
        let c = tickets.issue();
        assert!(tickets.redeem(&b), "just in time");
        tokio::time::sleep(Duration::from_secs(1)).await;
        let d = tickets.issue();
        tokio::time::sleep(TTL).await;
        assert!(!tickets.redeem(&d), "expired");
        assert!(!tickets.redeem(&c), "expired");
    }

    #[tokio::test(start_paused = true)]
    async fn the_oldest_ticket_gives_way_when_full() {
        let tickets = InspectTickets::default();
        let first = tickets.issue();
        tokio::time::sleep(Duration::from_millis(1)).await;
        let second = tickets.issue();
        for _ in 2..MAX_OUTSTANDING {
            tickets.issue();
        }
        assert_eq!(tickets.lock().len(), MAX_OUTSTANDING);
        let last = tickets.issue();
        assert_eq!(tickets.lock().len(), MAX_OUTSTANDING);
        assert!(!tickets.redeem(&first), "evicted");
        assert!(tickets.redeem(&second));
        assert!(tickets.redeem(&last));
        // Full again; expired tickets go before any live one.
        tickets.issue();
        tickets.issue();
        assert_eq!(tickets.lock().len(), MAX_OUTSTANDING);
        tokio::time::sleep(TTL).await;
        let fresh = tickets.issue();
        assert_eq!(tickets.lock().len(), 1);
        assert!(tickets.redeem(&fresh));
    }

    #[test]
    fn links_carry_the_ticket_in_the_fragment() {
        assert_eq!(
            link("https://shop.example/cart?x=1", "T"),
            "https://shop.example/cart?x=1#gcb-inspect=T"
        );
        assert_eq!(
            link("https://shop.example/#top", "T"),
            "https://shop.example/#top&gcb-inspect=T"
        );
        assert_eq!(
            link("https://shop.example/#", "T"),
            "https://shop.example/#gcb-inspect=T"
        );
    }
}
