//! Origins: the server's own origin (public URL, or `http://` + `Host`), the request's `Origin`,
//! and whether it is allowed. Used by the session REST endpoint, CORS, and both socket upgrades.

use crate::config::{Config, normalize_origin};
use axum::http::HeaderMap;
use axum::http::header::{HOST, ORIGIN};
use axum::http::uri::Authority;
use std::net::SocketAddr;

/// The request's `Origin` header: `None` when absent, `Some(None)` when present but not an
/// http(s) origin (e.g. `null`), `Some(Some(origin))` normalised otherwise.
pub(crate) fn request_origin(headers: &HeaderMap) -> Option<Option<String>> {
    let value = headers.get(ORIGIN)?;
    Some(value.to_str().ok().and_then(normalize_origin))
}

/// The `Host` header, when it is a valid authority (lowercase).
fn host(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(HOST)?.to_str().ok()?;
    let authority: Authority = host.parse().ok()?;
    if authority.as_str().contains('@') {
        return None;
    }
    Some(authority.as_str().to_ascii_lowercase())
}

/// The server's own origin for this request.
pub(crate) fn own_origin(config: &Config, headers: &HeaderMap) -> Option<String> {
    match &config.public_url {
        Some(public) => Some(public.origin.clone()),
        None => normalize_origin(&format!("http://{}", host(headers)?)),
    }
}

/// Whether `origin` (normalised) may create sessions and open customer sockets.
pub(crate) fn is_allowed(config: &Config, headers: &HeaderMap, origin: &str) -> bool {
    own_origin(config, headers).as_deref() == Some(origin)
        || config.allowed_origins.iter().any(|o| o == origin)
}

/// Whether `origin` is the server's own origin (agent sockets, login pages).
pub(crate) fn is_own(config: &Config, headers: &HeaderMap, origin: &str) -> bool {
    own_origin(config, headers).as_deref() == Some(origin)
}

/// Longest URL the agent may send the customer to (bytes).
const MAX_NAVIGATION_URL_BYTES: usize = 4096;

/// Why the agent may not send the customer to `url`, or `None` when it may: an absolute `http(s)`
/// URL, without credentials, whose origin is an allowed origin or `own` (the server's own).
pub(crate) fn navigation_refusal(config: &Config, own: Option<&str>, url: &str) -> Option<String> {
    if url.len() > MAX_NAVIGATION_URL_BYTES {
        return Some(format!("URL longer than {MAX_NAVIGATION_URL_BYTES} bytes"));
    }
    let Ok(uri) = url.parse::<axum::http::Uri>() else {
        return Some("not a valid absolute URL".to_owned());
    };
    let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
        return Some("not an absolute URL".to_owned());
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Some("only http and https URLs are allowed".to_owned());
    }
    let Some(origin) = normalize_origin(&format!("{scheme}://{}", authority.as_str())) else {
        return Some("not a valid http(s) URL".to_owned());
    };
    if own == Some(origin.as_str()) || config.allowed_origins.contains(&origin) {
        None
    } else {
        Some(format!("{origin} is not an allowed origin"))
    }
}

/// Absolute URL of the customer socket, from the public URL, else the `Host` header, else the
/// bound address.
pub(crate) fn customer_socket_url(
    config: &Config,
    headers: &HeaderMap,
    local_addr: SocketAddr,
) -> String {
    let path = "/cobrowse/ws/customer";
    match &config.public_url {
        Some(public) => {
            let scheme = if public.secure { "wss" } else { "ws" };
            format!("{scheme}://{}{path}", public.authority)
        }
        None => match host(headers) {
            Some(host) => format!("ws://{host}{path}"),
            None => format!("ws://{local_addr}{path}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::PublicUrl;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn own_origin_from_host_or_public_url() {
        let mut config = Config::new("/tmp/unused");
        let h = headers(&[
            ("host", "Cobrowse.Local:8080"),
            ("origin", "http://x.example"),
        ]);
        assert_eq!(
            own_origin(&config, &h).as_deref(),
            Some("http://cobrowse.local:8080")
        );
        assert!(is_allowed(&config, &h, "http://cobrowse.local:8080"));
        assert!(!is_allowed(&config, &h, "http://x.example"));
        config.allowed_origins.push("http://x.example".into());
        assert!(is_allowed(&config, &h, "http://x.example"));
        assert_eq!(
            customer_socket_url(&config, &h, "127.0.0.1:1".parse().unwrap()),
            "ws://cobrowse.local:8080/cobrowse/ws/customer"
        );
        config.public_url = Some(PublicUrl::parse("https://co.example").unwrap());
        assert_eq!(
            own_origin(&config, &h).as_deref(),
            Some("https://co.example")
        );
        assert_eq!(
            customer_socket_url(&config, &h, "127.0.0.1:1".parse().unwrap()),
            "wss://co.example/cobrowse/ws/customer"
        );
        assert_eq!(request_origin(&headers(&[("origin", "null")])), Some(None));
    }

    #[test]
    fn navigation_only_to_allowed_origins() {
        let mut config = Config::new("/tmp/unused");
        config.allowed_origins.push("https://shop.example".into());
        let own = Some("http://cobrowse.local:8080");
        for ok in [
            "https://shop.example/cart?x=1#top",
            "HTTPS://Shop.Example:443/",
            "https://shop.example",
            "http://cobrowse.local:8080/demo/",
        ] {
            assert_eq!(navigation_refusal(&config, own, ok), None, "{ok}");
        }
        for bad in [
            "https://evil.example/",
            "http://shop.example/",
            "https://shop.example:8443/",
            "https://user:pw@shop.example/",
            "javascript:alert(1)",
            "/relative/path",
            "shop.example/cart",
            "ftp://shop.example/",
            "data:text/html,<p>x</p>",
            "",
        ] {
            assert!(navigation_refusal(&config, own, bad).is_some(), "{bad}");
        }
    }
}
