//! The socket type the socket tasks read and write: axum's [`WebSocket`], or, for a customer
//! whose browser offered `permessage-deflate` (see `deflate.rs`), tokio-tungstenite's stream over
//! the inflating connection, upgraded here since axum cannot put anything under its own socket.
//! Both read and write axum's [`Message`], so the reader, writer and handshake code is the same.

use super::deflate::{Inflating, Negotiated};
use axum::body::Body;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use axum::http::{HeaderValue, Method, Request, StatusCode, Version, header};
use axum::response::Response;
use futures_util::{Sink, Stream};
use hyper_util::rt::TokioIo;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::{self as ts, protocol::WebSocketConfig};

type Deflating = WebSocketStream<Inflating<TokioIo<hyper::upgrade::Upgraded>>>;

/// One upgraded socket, of either kind. (Not boxed: one per socket task, for its whole life; a box
/// would hold the same bytes elsewhere.)
#[allow(clippy::large_enum_variant)]
pub(crate) enum Socket {
    Plain(WebSocket),
    Deflate(Deflating),
}

impl From<WebSocket> for Socket {
    fn from(socket: WebSocket) -> Self {
        Self::Plain(socket)
    }
}

fn from_ts(message: ts::Message) -> Option<Result<Message, axum::Error>> {
    // Text arrives as validated UTF-8; checking it again costs a pass over a small control message.
    let text =
        |t: ts::Utf8Bytes| Utf8Bytes::try_from(bytes::Bytes::from(t)).map_err(axum::Error::new);
    Some(match message {
        ts::Message::Text(t) => text(t).map(Message::Text),
        ts::Message::Binary(b) => Ok(Message::Binary(b)),
        ts::Message::Ping(b) => Ok(Message::Ping(b)),
        ts::Message::Pong(b) => Ok(Message::Pong(b)),
        ts::Message::Close(None) => Ok(Message::Close(None)),
        ts::Message::Close(Some(c)) => text(c.reason).map(|reason| {
            Message::Close(Some(CloseFrame {
                code: c.code.into(),
                reason,
            }))
        }),
        // Raw frames are only ever written, never read (tungstenite's documentation).
        ts::Message::Frame(_) => return None,
    })
}

fn to_ts(message: Message) -> ts::Message {
    let text = |t: Utf8Bytes| {
        // Valid UTF-8 already (axum's type guarantees it).
        ts::Utf8Bytes::try_from(bytes::Bytes::from(t)).unwrap_or_default()
    };
    match message {
        Message::Text(t) => ts::Message::Text(text(t)),
        Message::Binary(b) => ts::Message::Binary(b),
        Message::Ping(b) => ts::Message::Ping(b),
        Message::Pong(b) => ts::Message::Pong(b),
        Message::Close(None) => ts::Message::Close(None),
        Message::Close(Some(c)) => ts::Message::Close(Some(ts::protocol::CloseFrame {
            code: c.code.into(),
            reason: text(c.reason),
        })),
    }
}

impl Stream for Socket {
    type Item = Result<Message, axum::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_next(cx),
            Self::Deflate(s) => loop {
                match std::task::ready!(Pin::new(&mut *s).poll_next(cx)) {
                    None => return Poll::Ready(None),
                    Some(Err(e)) => return Poll::Ready(Some(Err(axum::Error::new(e)))),
                    Some(Ok(m)) => {
                        if let Some(m) = from_ts(m) {
                            return Poll::Ready(Some(m));
                        }
                    }
                }
            },
        }
    }
}

impl Sink<Message> for Socket {
    type Error = axum::Error;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_ready(cx),
            Self::Deflate(s) => Pin::new(s).poll_ready(cx).map_err(axum::Error::new),
        }
    }

    fn start_send(self: Pin<&mut Self>, item: Message) -> Result<(), Self::Error> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).start_send(item),
            Self::Deflate(s) => Pin::new(s)
                .start_send(to_ts(item))
                .map_err(axum::Error::new),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_flush(cx),
            Self::Deflate(s) => Pin::new(s).poll_flush(cx).map_err(axum::Error::new),
        }
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_close(cx),
            Self::Deflate(s) => Pin::new(s).poll_close(cx).map_err(axum::Error::new),
        }
    }
}

/// The `permessage-deflate` offer of an HTTP/1.1 WebSocket upgrade request that we accept, if
/// any (`None` also for anything axum's own upgrade should answer: other methods, HTTP/2, a
/// missing key or version, which it refuses with the right status).
pub(crate) fn deflate_offer<B>(request: &Request<B>) -> Option<Negotiated> {
    let headers = request.headers();
    let has = |name: header::HeaderName, token: &str| {
        headers.get_all(name).iter().any(|v| {
            v.to_str()
                .is_ok_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
        })
    };
    if request.method() != Method::GET
        || request.version() != Version::HTTP_11
        || !has(header::CONNECTION, "upgrade")
        || !has(header::UPGRADE, "websocket")
        || headers
            .get(header::SEC_WEBSOCKET_VERSION)
            .map(HeaderValue::as_bytes)
            != Some(b"13")
        || headers.get(header::SEC_WEBSOCKET_KEY).is_none()
    {
        return None;
    }
    super::deflate::negotiate(
        headers
            .get_all(header::SEC_WEBSOCKET_EXTENSIONS)
            .iter()
            .filter_map(|v| v.to_str().ok()),
    )
}

/// Answers the upgrade with the negotiated extension and runs `callback` on the socket once the
/// connection is upgraded. `request` must have passed [`deflate_offer`]. `config` as axum's
/// `WebSocketUpgrade` would set it.
pub(crate) fn upgrade_deflate<F, Fut>(
    mut request: Request<Body>,
    negotiated: Negotiated,
    config: WebSocketConfig,
    callback: F,
) -> Response
where
    F: FnOnce(Socket) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(key) = request.headers().get(header::SEC_WEBSOCKET_KEY).cloned() else {
        return status(StatusCode::BAD_REQUEST);
    };
    let Ok(extensions) = HeaderValue::from_str(&negotiated.response) else {
        return status(StatusCode::INTERNAL_SERVER_ERROR);
    };
    let on_upgrade = hyper::upgrade::on(&mut request);
    let bits = negotiated.window_bits;
    tokio::spawn(async move {
        let Ok(upgraded) = on_upgrade.await else {
            return; // the client went away during the upgrade
        };
        let io = Inflating::new(TokioIo::new(upgraded), bits);
        let socket =
            WebSocketStream::from_raw_socket(io, ts::protocol::Role::Server, Some(config)).await;
        callback(Socket::Deflate(socket)).await;
    });
    let accept = ts::handshake::derive_accept_key(key.as_bytes());
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let h = response.headers_mut();
    h.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
    h.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    if let Ok(v) = HeaderValue::from_str(&accept) {
        h.insert(header::SEC_WEBSOCKET_ACCEPT, v);
    }
    h.insert(header::SEC_WEBSOCKET_EXTENSIONS, extensions);
    response
}

fn status(code: StatusCode) -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = code;
    r
}
