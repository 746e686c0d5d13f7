//! The socket type the socket tasks read and write: axum's [`WebSocket`] (agents), or, for a
//! customer, tokio-tungstenite's stream over the connection read through [`ReadAhead`] (and,
//! when the browser offered `permessage-deflate`, `deflate.rs`'s inflating wrapper), upgraded
//! here since axum cannot put anything under its own socket. All of them read and write axum's
//! [`Message`], so the reader, writer and handshake code is the same.

use super::deflate::{Inflating, Negotiated};
use super::read_ahead::ReadAhead;
use axum::body::Body;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use axum::http::{HeaderValue, Method, Request, StatusCode, Version, header};
use axum::response::Response;
use futures_util::{Sink, Stream};
use hyper_util::rt::TokioIo;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::{self as ts, protocol::WebSocketConfig};

type Connection = ReadAhead<TokioIo<hyper::upgrade::Upgraded>>;

/// One upgraded socket, of either kind. The inflating socket is boxed: it is twice the size of
/// the others (the inflater's state), and every socket (agents' too) would otherwise hold that
/// room for its whole life.
pub(crate) enum Socket {
    /// axum's own socket: agents.
    Plain(WebSocket),
    /// A customer socket without compression.
    Customer(WebSocketStream<Connection>),
    /// A customer socket that negotiated `permessage-deflate`.
    Deflate(Box<WebSocketStream<Inflating<Connection>>>),
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
            Self::Customer(s) => poll_next_ts(s, cx),
            Self::Deflate(s) => poll_next_ts(s, cx),
        }
    }
}

/// The next message of one of our own tokio-tungstenite sockets, as axum's type.
fn poll_next_ts<S: AsyncRead + AsyncWrite + Unpin>(
    s: &mut WebSocketStream<S>,
    cx: &mut Context<'_>,
) -> Poll<Option<Result<Message, axum::Error>>> {
    loop {
        match std::task::ready!(Pin::new(&mut *s).poll_next(cx)) {
            None => return Poll::Ready(None),
            Some(Err(e)) => return Poll::Ready(Some(Err(axum::Error::new(e)))),
            Some(Ok(m)) => {
                if let Some(m) = from_ts(m) {
                    return Poll::Ready(Some(m));
                }
            }
        }
    }
}

impl Sink<Message> for Socket {
    type Error = axum::Error;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_ready(cx),
            Self::Customer(s) => Pin::new(s).poll_ready(cx).map_err(axum::Error::new),
            Self::Deflate(s) => Pin::new(&mut **s).poll_ready(cx).map_err(axum::Error::new),
        }
    }

    fn start_send(self: Pin<&mut Self>, item: Message) -> Result<(), Self::Error> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).start_send(item),
            Self::Customer(s) => Pin::new(s)
                .start_send(to_ts(item))
                .map_err(axum::Error::new),
            Self::Deflate(s) => Pin::new(&mut **s)
                .start_send(to_ts(item))
                .map_err(axum::Error::new),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_flush(cx),
            Self::Customer(s) => Pin::new(s).poll_flush(cx).map_err(axum::Error::new),
            Self::Deflate(s) => Pin::new(&mut **s).poll_flush(cx).map_err(axum::Error::new),
        }
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_close(cx),
            Self::Customer(s) => Pin::new(s).poll_close(cx).map_err(axum::Error::new),
            Self::Deflate(s) => Pin::new(&mut **s).poll_close(cx).map_err(axum::Error::new),
        }
    }
}

/// What a customer's upgrade request asks of the upgrade done here: `None` when it is not an
/// HTTP/1.1 WebSocket upgrade that this module can answer (other methods, HTTP/2, a missing key
/// or version), which axum's own upgrade then answers with the right status; otherwise the
/// `permessage-deflate` offer accepted, if any.
pub(crate) fn own_upgrade<B>(request: &Request<B>) -> Option<Option<Negotiated>> {
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
    Some(super::deflate::negotiate(
        headers
            .get_all(header::SEC_WEBSOCKET_EXTENSIONS)
            .iter()
            .filter_map(|v| v.to_str().ok()),
    ))
}

/// Answers the upgrade (with the negotiated extension, if any) and runs `callback` on the socket
/// once the connection is upgraded. `request` must have passed [`own_upgrade`]. `config` as
/// axum's `WebSocketUpgrade` would set it.
pub(crate) fn upgrade<F, Fut>(
    mut request: Request<Body>,
    negotiated: Option<Negotiated>,
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
    let extensions = match negotiated
        .as_ref()
        .map(|n| HeaderValue::from_str(&n.response))
    {
        None => None,
        Some(Ok(value)) => Some(value),
        Some(Err(_)) => return status(StatusCode::INTERNAL_SERVER_ERROR),
    };
    let on_upgrade = hyper::upgrade::on(&mut request);
    tokio::spawn(async move {
        let Ok(upgraded) = on_upgrade.await else {
            return; // the client went away during the upgrade
        };
        let io = ReadAhead::new(TokioIo::new(upgraded));
        let role = ts::protocol::Role::Server;
        // The streams are made in boxed futures: this task lives as long as the socket, and
        // these one-off states would otherwise set the size of its future (see `mod.rs`).
        let socket = match negotiated {
            Some(n) => {
                let io = Inflating::new(io, n.window_bits);
                let stream = Box::pin(WebSocketStream::from_raw_socket(io, role, Some(config)));
                Socket::Deflate(Box::new(stream.await))
            }
            None => {
                let stream = Box::pin(WebSocketStream::from_raw_socket(io, role, Some(config)));
                Socket::Customer(stream.await)
            }
        };
        callback(socket).await;
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
    if let Some(extensions) = extensions {
        h.insert(header::SEC_WEBSOCKET_EXTENSIONS, extensions);
    }
    response
}

fn status(code: StatusCode) -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = code;
    r
}
