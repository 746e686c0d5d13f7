//! What the proxy sends to the agent's browser for a resource: only passive content, with headers
//! that keep it passive whatever it contains.
//!
//! - Images (SVG included: CSP and `sandbox` forbid its scripts when opened directly), fonts,
//!   audio and video keep their type. A missing or generic type is guessed from the URL's
//!   extension, and kept only when the guess is one of those.
//! - Stylesheets (`text/css`) are served with their references rewritten to the proxy.
//! - Everything else (HTML, scripts, JSON, XML, text, unknown) is served as
//!   `application/octet-stream` with `Content-Disposition: attachment`: it can be neither
//!   rendered nor executed.
//!
//! Every answer carries `X-Content-Type-Options: nosniff`, [`RESOURCE_CSP`],
//! `Referrer-Policy: no-referrer`, `Cross-Origin-Resource-Policy: same-origin` and a short private
//! cache lifetime, and never a cookie.

use super::cache::Cached;
use super::css;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use url::Url;

/// The Content Security Policy of every proxied resource: nothing runs, a stylesheet or SVG may
/// only load through the proxy (same origin) or `data:`.
pub const RESOURCE_CSP: &str = "default-src 'none'; img-src 'self' data:; font-src 'self' data:; \
    style-src 'self' 'unsafe-inline'; media-src 'self' data:; sandbox";

/// How a resource is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Stylesheet,
    /// A passive type, kept as it is.
    Passive(String),
    /// Anything else: `application/octet-stream`, attachment.
    Attachment,
}

fn is_passive(essence: &str) -> bool {
    let (top, sub) = essence.split_once('/').unwrap_or((essence, ""));
    match top {
        "image" | "font" | "audio" | "video" => !sub.is_empty(),
        "application" => matches!(
            sub,
            "font-woff"
                | "font-woff2"
                | "font-sfnt"
                | "x-font-woff"
                | "x-font-ttf"
                | "x-font-otf"
                | "x-font-opentype"
                | "x-font-truetype"
                | "vnd.ms-fontobject"
                | "ogg"
        ),
        _ => false,
    }
}

/// Decides how `resource` is served (see the module documentation).
pub fn kind(resource: &Cached) -> Kind {
    let declared = resource.content_type.as_str();
    let generic = matches!(
        declared,
        "" | "application/octet-stream" | "binary/octet-stream"
    );
    let essence = if generic {
        let path = Url::parse(&resource.final_url)
            .map(|u| u.path().to_owned())
            .unwrap_or_default();
        mime_guess::from_path(path)
            .first()
            .map(|m| m.essence_str().to_owned())
            .unwrap_or_default()
    } else {
        declared.to_owned()
    };
    if essence == "text/css" {
        Kind::Stylesheet
    } else if is_passive(&essence) {
        Kind::Passive(essence)
    } else {
        Kind::Attachment
    }
}

/// The answer for `resource`; `proxy` turns an absolute URL into a proxy URL (stylesheets).
pub fn response(resource: &Cached, proxy: &dyn Fn(&str) -> String) -> Response {
    let (content_type, body, attachment) = match kind(resource) {
        Kind::Stylesheet => {
            let text = String::from_utf8_lossy(&resource.body);
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let body = match Url::parse(&resource.final_url) {
                Ok(base) => css::rewrite(text, &base, proxy),
                // Without a base no reference can be resolved: serve nothing rather than
                // references the replica would load directly.
                Err(_) => String::new(),
            };
            (
                "text/css; charset=utf-8".to_owned(),
                bytes::Bytes::from(body),
                false,
            )
        }
        Kind::Passive(essence) => (essence, resource.body.clone(), false),
        Kind::Attachment => (
            "application/octet-stream".to_owned(),
            resource.body.clone(),
            true,
        ),
    };
    let mut response = body.into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        h.insert(CONTENT_TYPE, v);
    }
    if attachment {
        h.insert(CONTENT_DISPOSITION, HeaderValue::from_static("attachment"));
    }
    secure_headers(h);
    h.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=60"),
    );
    response
}

/// The headers every proxy answer carries, errors included.
pub fn secure_headers(h: &mut axum::http::HeaderMap) {
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(RESOURCE_CSP),
    );
    h.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("same-origin"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cached(url: &str, ty: &str) -> Cached {
        Cached {
            final_url: url.into(),
            content_type: ty.into(),
            body: bytes::Bytes::new(),
        }
    }

    #[test]
    fn only_passive_types_keep_their_type() {
        assert_eq!(
            kind(&cached("https://a/x", "image/png")),
            Kind::Passive("image/png".into())
        );
        assert_eq!(
            kind(&cached("https://a/x", "font/woff2")),
            Kind::Passive("font/woff2".into())
        );
        assert_eq!(kind(&cached("https://a/x", "text/css")), Kind::Stylesheet);
        assert_eq!(
            kind(&cached("https://a/x.png", "")),
            Kind::Passive("image/png".into())
        );
        for active in [
            "text/html",
            "text/javascript",
            "application/javascript",
            "application/xhtml+xml",
            "text/xml",
            "application/json",
            "text/plain",
        ] {
            assert_eq!(
                kind(&cached("https://a/x.png", active)),
                Kind::Attachment,
                "{active}"
            );
        }
        assert_eq!(kind(&cached("https://a/x.html", "")), Kind::Attachment);
        assert_eq!(
            kind(&cached("https://a/x.js", "application/octet-stream")),
            Kind::Attachment
        );
    }
}
