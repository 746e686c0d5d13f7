//! The proxy's bounded in-memory cache of fetched resources, keyed by URL, with HTTP freshness.
//!
//! - A response with `Cache-Control: no-store` or `private` is never stored.
//! - Freshness: `s-maxage`, else `max-age`, else `Expires` − `Date` (or now); `no-cache` means
//!   zero. Without any of them the entry is stale at once, and is kept only when it has a
//!   validator (`ETag` / `Last-Modified`) to revalidate with (`If-None-Match` /
//!   `If-Modified-Since`; a `304` makes it fresh again with the new headers' lifetime).
//! - The total size of the bodies stays under the configured bound: the least recently used
//!   entries go first; a body larger than a quarter of the bound is not stored.
//!
//! One lock, held for map operations only (never across an `.await`).

use bytes::Bytes;
use reqwest::header::{CACHE_CONTROL, DATE, ETAG, EXPIRES, HeaderMap, LAST_MODIFIED};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};
use tokio::time::Instant;

/// A resource as the proxy serves it (already checked and, for CSS, not yet rewritten).
#[derive(Debug, Clone)]
pub struct Cached {
    /// The URL the body came from (after redirects): the base of a stylesheet's references.
    pub final_url: String,
    /// The upstream `Content-Type` (essence, lowercase), empty when absent.
    pub content_type: String,
    pub body: Bytes,
}

#[derive(Debug)]
struct Entry {
    resource: Cached,
    fresh_until: Instant,
    etag: Option<String>,
    last_modified: Option<String>,
    /// Tick of the last use, for least-recently-used eviction.
    used: u64,
}

/// What a lookup found.
#[derive(Debug)]
pub enum Lookup {
    /// Fresh: serve it.
    Fresh(Cached),
    /// Stale with validators: revalidate with these headers (`If-None-Match`, `If-Modified-Since`).
    Stale {
        etag: Option<String>,
        last_modified: Option<String>,
    },
    Missing,
}

/// Caching decision for one response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storable {
    /// Store, fresh for this long (zero: revalidate on next use).
    For(Duration),
    No,
}

#[derive(Debug, Default)]
struct Inner {
    entries: HashMap<String, Entry>,
    bytes: usize,
    tick: u64,
}

/// See the module documentation.
#[derive(Debug)]
pub struct ResourceCache {
    max_bytes: usize,
    // Lock: the entries and their total size; held for map operations only.
    inner: Mutex<Inner>,
}

impl ResourceCache {
    pub fn new(max_bytes: usize) -> Self {
        Self {
            max_bytes,
            inner: Mutex::new(Inner::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Every critical section leaves the map and the byte count consistent before anything
        // that could panic.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn lookup(&self, url: &str) -> Lookup {
        let now = Instant::now();
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        let Some(entry) = inner.entries.get_mut(url) else {
            return Lookup::Missing;
        };
        entry.used = tick;
        if entry.fresh_until > now {
            return Lookup::Fresh(entry.resource.clone());
        }
        if entry.etag.is_some() || entry.last_modified.is_some() {
            return Lookup::Stale {
                etag: entry.etag.clone(),
                last_modified: entry.last_modified.clone(),
            };
        }
        Lookup::Missing
    }

    /// A `304` answered a revalidation: the stored entry is fresh again. Returns it, or `None`
    /// when it was evicted meanwhile.
    pub fn revalidated(&self, url: &str, headers: &HeaderMap) -> Option<Cached> {
        let lifetime = match storable(headers) {
            Storable::For(d) => d,
            Storable::No => Duration::ZERO,
        };
        let mut inner = self.lock();
        let entry = inner.entries.get_mut(url)?;
        entry.fresh_until = Instant::now() + lifetime;
        Some(entry.resource.clone())
    }

    /// Stores a response (when its headers allow it and it fits).
    pub fn store(&self, url: &str, resource: &Cached, headers: &HeaderMap) {
        let Storable::For(lifetime) = storable(headers) else {
            self.remove(url);
            return;
        };
        let etag = header(headers, ETAG);
        let last_modified = header(headers, LAST_MODIFIED);
        if lifetime.is_zero() && etag.is_none() && last_modified.is_none() {
            self.remove(url);
            return;
        }
        let size = resource.body.len() + url.len();
        if size > self.max_bytes / 4 {
            self.remove(url);
            return;
        }
        let mut inner = self.lock();
        inner.tick += 1;
        let entry = Entry {
            resource: resource.clone(),
            fresh_until: Instant::now() + lifetime,
            etag,
            last_modified,
            used: inner.tick,
        };
        if let Some(old) = inner.entries.insert(url.to_owned(), entry) {
            inner.bytes -= old.resource.body.len() + url.len();
        }
        inner.bytes += size;
        while inner.bytes > self.max_bytes {
            // The least recently used entry; linear, but evictions are rare and the map is small
            // (bounded by bytes, entries of at most a quarter of the bound… usually kilobytes).
            let Some(oldest) = inner
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(old) = inner.entries.remove(&oldest) {
                inner.bytes -= old.resource.body.len() + oldest.len();
            }
        }
    }

    fn remove(&self, url: &str) {
        let mut inner = self.lock();
        if let Some(old) = inner.entries.remove(url) {
            inner.bytes -= old.resource.body.len() + url.len();
        }
    }
}

fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Whether and how long a response may be kept (see the module documentation).
pub fn storable(headers: &HeaderMap) -> Storable {
    let mut max_age = None;
    let mut s_maxage = None;
    for value in headers.get_all(CACHE_CONTROL) {
        let Ok(value) = value.to_str() else { continue };
        for directive in value.split(',') {
            let directive = directive.trim().to_ascii_lowercase();
            let (name, arg) = match directive.split_once('=') {
                Some((n, a)) => (
                    n.trim().to_owned(),
                    Some(a.trim().trim_matches('"').to_owned()),
                ),
                None => (directive.clone(), None),
            };
            match name.as_str() {
                "no-store" | "private" => return Storable::No,
                "no-cache" => max_age = Some(0),
                "max-age" if max_age != Some(0) => {
                    max_age = arg.and_then(|a| a.parse::<u64>().ok()).or(Some(0));
                }
                "s-maxage" => s_maxage = arg.and_then(|a| a.parse::<u64>().ok()),
                _ => {}
            }
        }
    }
    if max_age == Some(0) {
        return Storable::For(Duration::ZERO);
    }
    if let Some(seconds) = s_maxage.or(max_age) {
        return Storable::For(Duration::from_secs(seconds));
    }
    let date = |name| {
        headers
            .get(name)
            .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok())
    };
    if let Some(expires) = headers.get(EXPIRES) {
        // An invalid `Expires` (often "0") means already expired.
        let Some(expires) = expires
            .to_str()
            .ok()
            .and_then(|v| httpdate::parse_http_date(v).ok())
        else {
            return Storable::For(Duration::ZERO);
        };
        let now = date(DATE).unwrap_or_else(SystemTime::now);
        return Storable::For(expires.duration_since(now).unwrap_or(Duration::ZERO));
    }
    Storable::For(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn freshness_from_headers() {
        let d = Duration::from_secs;
        assert_eq!(
            storable(&headers(&[("cache-control", "public, max-age=60")])),
            Storable::For(d(60))
        );
        assert_eq!(
            storable(&headers(&[("cache-control", "max-age=60, s-maxage=5")])),
            Storable::For(d(5))
        );
        assert_eq!(
            storable(&headers(&[("cache-control", "no-store")])),
            Storable::No
        );
        assert_eq!(
            storable(&headers(&[("cache-control", "private, max-age=9")])),
            Storable::No
        );
        assert_eq!(
            storable(&headers(&[("cache-control", "no-cache, max-age=60")])),
            Storable::For(d(0))
        );
        assert_eq!(
            storable(&headers(&[
                ("date", "Sun, 06 Nov 1994 08:49:37 GMT"),
                ("expires", "Sun, 06 Nov 1994 08:50:37 GMT")
            ])),
            Storable::For(d(60))
        );
        assert_eq!(storable(&headers(&[("expires", "0")])), Storable::For(d(0)));
        assert_eq!(storable(&HeaderMap::new()), Storable::For(d(0)));
    }

    #[test]
    fn bounded_and_least_recently_used_first() {
        let cache = ResourceCache::new(4000);
        let fresh = headers(&[("cache-control", "max-age=60")]);
        let body = |n: usize| Cached {
            final_url: String::new(),
            content_type: "image/png".into(),
            body: Bytes::from(vec![0u8; n]),
        };
        cache.store("a", &body(900), &fresh);
        cache.store("b", &body(900), &fresh);
        cache.store("c", &body(900), &fresh);
        assert!(matches!(cache.lookup("a"), Lookup::Fresh(_)));
        cache.store("d", &body(900), &fresh);
        cache.store("e", &body(900), &fresh);
        // "b" was the least recently used.
        assert!(matches!(cache.lookup("b"), Lookup::Missing));
        assert!(matches!(cache.lookup("a"), Lookup::Fresh(_)));
        assert!(cache.lock().bytes <= 4000);
        cache.store("big", &body(1500), &fresh);
        assert!(matches!(cache.lookup("big"), Lookup::Missing));
        cache.store("v", &body(10), &headers(&[("etag", "\"1\"")]));
        assert!(matches!(
            cache.lookup("v"),
            Lookup::Stale { etag: Some(_), .. }
        ));
        cache.store("n", &body(10), &HeaderMap::new());
        assert!(matches!(cache.lookup("n"), Lookup::Missing));
    }
}
