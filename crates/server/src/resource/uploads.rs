//! Resources uploaded by customers' pages, and the proxy requests waiting for them.
//!
//! When the server cannot fetch a resource of a live session, the proxy opens a *ticket* (random,
//! 256 bits) for `(session, URL)` and the session sends the customer `resourceRequest {url,
//! ticket}`. The customer's SDK fetches the URL with the page's own credentials and answers
//! `POST /cobrowse/resource/upload/{ticket}?sha256=…&type=…`: the ticket, known only to the
//! customer's authenticated socket, is the upload's only credential (no cookie, no secret).
//! Concurrent proxy requests for the same URL of the same session share one ticket.
//!
//! Uploads are kept in a bounded cache keyed by `(URL, SHA-256 of the body)` and shared by every
//! session: an SDK that has the same content may answer with the hash alone (an empty body), and
//! the server serves what it already has. Since the hash comes from the customer who holds the
//! content, a session never gets another customer's resource for the same URL with different
//! content (a personal avatar, say). A ticket is answered once and then forgotten: by an upload,
//! or by the customer's page declining it (`resourceDeclined` on its socket: only the session the
//! ticket was opened for may decline it), which answers every waiting proxy request at once instead
//! of after the resource timeout. An abandoned ticket (every waiter gave up) is forgotten too; an
//! upload or a decline for a forgotten ticket finds nothing.
//!
//! One lock, held for map operations only.

use super::cache::Cached;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use cobrowse_protocol::SessionToken;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::oneshot;

/// Most tickets open at once (a bound on memory against an agent requesting many URLs).
const MAX_TICKETS: usize = 1024;

/// Why an upload was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("no resource request has this ticket (answered already, or given up)")]
    UnknownTicket,
    #[error("the body does not match its sha256")]
    HashMismatch,
    #[error("sha256 must be 64 hexadecimal digits")]
    BadHash,
    #[error("the server does not have this content; upload it")]
    NotCached,
    #[error("the upload is larger than {0} bytes")]
    TooLarge(usize),
}

/// The customer's answer to a ticket, as its waiters get it.
#[derive(Debug)]
pub enum Answer {
    /// The page uploaded the resource (or the hash of content the server had).
    Uploaded(Cached),
    /// The page will not provide it.
    Declined,
}

#[derive(Debug)]
struct Pending {
    token: SessionToken,
    url: String,
    waiters: Vec<oneshot::Sender<Answer>>,
}

#[derive(Debug)]
struct Stored {
    resource: Cached,
    used: u64,
}

#[derive(Debug, Default)]
struct Inner {
    pending: HashMap<String, Pending>,
    by_request: HashMap<(SessionToken, String), String>,
    stored: HashMap<(String, [u8; 32]), Stored>,
    bytes: usize,
    tick: u64,
}

/// See the module documentation.
#[derive(Debug)]
pub struct Uploads {
    max_bytes: usize,
    max_upload: usize,
    // Lock: tickets and stored uploads; held for map operations only, never across an .await.
    inner: Mutex<Inner>,
}

/// A ticket to wait on.
#[derive(Debug)]
pub struct Ticket {
    pub ticket: String,
    /// Whether the customer must be asked (false: another request of the session already did).
    pub new: bool,
    pub answer: oneshot::Receiver<Answer>,
}

impl Uploads {
    pub fn new(max_bytes: usize, max_upload: usize) -> Self {
        Self {
            max_bytes,
            max_upload,
            inner: Mutex::new(Inner::default()),
        }
    }

    pub fn max_upload(&self) -> usize {
        self.max_upload
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Critical sections leave the maps and the byte count consistent before anything that
        // could panic.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Opens (or joins) the ticket of `url` for session `token`. `None` when too many are open.
    pub fn open(&self, token: &SessionToken, url: &str) -> Option<Ticket> {
        let (tx, rx) = oneshot::channel();
        let mut inner = self.lock();
        let key = (token.clone(), url.to_owned());
        if let Some(ticket) = inner.by_request.get(&key).cloned()
            && let Some(pending) = inner.pending.get_mut(&ticket)
        {
            pending.waiters.push(tx);
            return Some(Ticket {
                ticket,
                new: false,
                answer: rx,
            });
        }
        if inner.pending.len() >= MAX_TICKETS {
            return None;
        }
        let mut bytes = [0u8; 32];
        rand::fill(&mut bytes);
        let ticket = URL_SAFE_NO_PAD.encode(bytes);
        inner.pending.insert(
            ticket.clone(),
            Pending {
                token: token.clone(),
                url: url.to_owned(),
                waiters: vec![tx],
            },
        );
        inner.by_request.insert(key, ticket.clone());
        Some(Ticket {
            ticket,
            new: true,
            answer: rx,
        })
    }

    /// A waiter gave up: forgets the ticket when nobody waits on it any more.
    pub fn abandon(&self, ticket: &str) {
        let mut inner = self.lock();
        let idle = inner
            .pending
            .get_mut(ticket)
            .map(|p| {
                p.waiters.retain(|w| !w.is_closed());
                p.waiters.is_empty()
            })
            .unwrap_or(false);
        if idle && let Some(p) = inner.pending.remove(ticket) {
            inner.by_request.remove(&(p.token, p.url));
        }
    }

    /// The customer's answer to a ticket: `body` (`None`: the hash alone, for content the server
    /// may already have), its hex SHA-256 (required without a body) and its type.
    pub fn fulfil(
        &self,
        ticket: &str,
        sha256: Option<&str>,
        content_type: &str,
        body: Option<Bytes>,
    ) -> Result<(), UploadError> {
        let claimed = sha256.map(parse_hex).transpose()?;
        let computed = body
            .as_ref()
            .map(|b| -> [u8; 32] { Sha256::digest(b).into() });
        if let (Some(c), Some(h)) = (claimed, computed)
            && c != h
        {
            return Err(UploadError::HashMismatch);
        }
        if body.as_ref().is_some_and(|b| b.len() > self.max_upload) {
            return Err(UploadError::TooLarge(self.max_upload));
        }
        let hash = computed.or(claimed).ok_or(UploadError::BadHash)?;
        let mut inner = self.lock();
        let url = inner
            .pending
            .get(ticket)
            .map(|p| p.url.clone())
            .ok_or(UploadError::UnknownTicket)?;
        inner.tick += 1;
        let tick = inner.tick;
        let key = (url.clone(), hash);
        let resource = match body {
            Some(body) => Cached {
                final_url: url.clone(),
                content_type: super::essence(content_type),
                body,
            },
            None => {
                let stored = inner.stored.get_mut(&key).ok_or(UploadError::NotCached)?;
                stored.used = tick;
                stored.resource.clone()
            }
        };
        let size = resource.body.len() + url.len();
        if !inner.stored.contains_key(&key) && size <= self.max_bytes / 4 {
            inner.bytes += size;
            inner.stored.insert(
                key,
                Stored {
                    resource: resource.clone(),
                    used: tick,
                },
            );
            while inner.bytes > self.max_bytes {
                let Some(oldest) = inner
                    .stored
                    .iter()
                    .min_by_key(|(_, s)| s.used)
                    .map(|(k, _)| k.clone())
                else {
                    break;
                };
                if let Some(old) = inner.stored.remove(&oldest) {
                    inner.bytes -= old.resource.body.len() + oldest.0.len();
                }
            }
        }
        if let Some(pending) = inner.pending.remove(ticket) {
            inner.by_request.remove(&(pending.token, pending.url));
            for waiter in pending.waiters {
                // A waiter that gave up meanwhile: nothing to do.
                let _ = waiter.send(Answer::Uploaded(resource.clone()));
            }
        }
        Ok(())
    }

    /// The customer's page of session `token` declined `ticket`: every request waiting on it is
    /// answered [`Answer::Declined`] now and the ticket is spent (a later upload finds nothing).
    /// `false`, and nothing changes, when no open ticket of this session has that name (answered
    /// or given up already, never opened, or another session's).
    pub fn decline(&self, token: &SessionToken, ticket: &str) -> bool {
        let mut inner = self.lock();
        if inner.pending.get(ticket).is_none_or(|p| p.token != *token) {
            return false;
        }
        let Some(pending) = inner.pending.remove(ticket) else {
            return false;
        };
        inner.by_request.remove(&(pending.token, pending.url));
        drop(inner);
        for waiter in pending.waiters {
            // A waiter that gave up meanwhile: nothing to do.
            let _ = waiter.send(Answer::Declined);
        }
        true
    }
}

fn parse_hex(s: &str) -> Result<[u8; 32], UploadError> {
    let s = s.as_bytes();
    if s.len() != 64 {
        return Err(UploadError::BadHash);
    }
    let mut out = [0u8; 32];
    for (i, pair) in s.chunks(2).enumerate() {
        let digit = |c: u8| (c as char).to_digit(16).ok_or(UploadError::BadHash);
        let hi = digit(pair[0])?;
        let lo = digit(pair[1])?;
        // Two hexadecimal digits: at most 255.
        out[i] = u8::try_from(hi * 16 + lo).map_err(|_| UploadError::BadHash)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        Sha256::digest(b)
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect()
    }

    #[tokio::test]
    async fn tickets_are_shared_fulfilled_once_and_content_reused_by_hash() {
        let uploads = Uploads::new(1 << 20, 1 << 16);
        let token = SessionToken::from_number(123_456_789).unwrap();
        let a = uploads.open(&token, "https://shop/x.png").unwrap();
        let b = uploads.open(&token, "https://shop/x.png").unwrap();
        assert!(a.new && !b.new && a.ticket == b.ticket);
        let body = Bytes::from_static(b"PNG!");
        assert_eq!(
            uploads.fulfil(
                &a.ticket,
                Some(&hex(b"other")),
                "image/png",
                Some(body.clone())
            ),
            Err(UploadError::HashMismatch)
        );
        uploads
            .fulfil(
                &a.ticket,
                Some(&hex(&body)),
                "image/png",
                Some(body.clone()),
            )
            .unwrap();
        assert_eq!(uploaded(a.answer.await.unwrap()).body, body);
        assert_eq!(uploaded(b.answer.await.unwrap()).content_type, "image/png");
        assert_eq!(
            uploads.fulfil(&a.ticket, None, "image/png", Some(body.clone())),
            Err(UploadError::UnknownTicket)
        );
        // Another session, same content: the hash alone is enough.
        let other = SessionToken::from_number(987_654_321).unwrap();
        let c = uploads.open(&other, "https://shop/x.png").unwrap();
        assert_eq!(
            uploads.fulfil(&c.ticket, Some(&hex(b"different")), "image/png", None),
            Err(UploadError::NotCached)
        );
        uploads
            .fulfil(&c.ticket, Some(&hex(&body)), "image/png", None)
            .unwrap();
        assert_eq!(uploaded(c.answer.await.unwrap()).body, body);
    }

    fn uploaded(answer: Answer) -> Cached {
        match answer {
            Answer::Uploaded(resource) => resource,
            Answer::Declined => panic!("expected an upload, got a decline"),
        }
    }

    #[tokio::test]
    async fn a_decline_answers_every_waiter_once_and_only_from_the_tickets_session() {
        let uploads = Uploads::new(1 << 20, 1 << 16);
        let token = SessionToken::from_number(123_456_789).unwrap();
        let other = SessionToken::from_number(987_654_321).unwrap();
        let a = uploads.open(&token, "https://shop/gone.png").unwrap();
        let b = uploads.open(&token, "https://shop/gone.png").unwrap();
        // Another session cannot decline it; an unknown ticket is nothing.
        assert!(!uploads.decline(&other, &a.ticket));
        assert!(!uploads.decline(&token, "no-such-ticket"));
        assert!(uploads.decline(&token, &a.ticket));
        assert!(matches!(a.answer.await.unwrap(), Answer::Declined));
        assert!(matches!(b.answer.await.unwrap(), Answer::Declined));
        // Spent: a second decline and a late upload find nothing; the URL gets a new ticket.
        assert!(!uploads.decline(&token, &a.ticket));
        let body = Bytes::from_static(b"late");
        assert_eq!(
            uploads.fulfil(&a.ticket, Some(&hex(&body)), "image/png", Some(body)),
            Err(UploadError::UnknownTicket)
        );
        let again = uploads.open(&token, "https://shop/gone.png").unwrap();
        assert!(again.new && again.ticket != a.ticket);
    }

    #[test]
    fn abandoned_tickets_are_forgotten() {
        let uploads = Uploads::new(1 << 20, 1 << 16);
        let token = SessionToken::from_number(1).unwrap();
        let t = uploads.open(&token, "u").unwrap();
        let ticket = t.ticket.clone();
        drop(t);
        uploads.abandon(&ticket);
        assert_eq!(
            uploads.fulfil(&ticket, None, "", Some(Bytes::new())),
            Err(UploadError::UnknownTicket)
        );
        assert!(uploads.open(&token, "u").unwrap().new);
    }
}
