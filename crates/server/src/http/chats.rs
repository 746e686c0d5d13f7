//! `POST /cobrowse/rest/chats`: a customer's page opens a chat. CORS and origin checks as for
//! `POST /cobrowse/rest/live/sessions` (the preflight is `rest::preflight`); the body
//! (`OpenChat`) is optional. Limited per peer IP address and in total by `crate::chat`.

use super::HttpError;
use super::rest::{allowed_origin, cors};
use crate::App;
use crate::chat::{Command, OpenError, display_name};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use cobrowse_protocol::{CreatedChat, OpenChat};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::oneshot;

/// `POST /cobrowse/rest/chats`.
pub(super) async fn open(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, HttpError> {
    let origin = allowed_origin(&app, &headers)?;
    let answer = async {
        let request = parse_body(&headers, &body)?;
        let (reply, opened) = oneshot::channel();
        let command = Command::Open {
            name: display_name(request.name.as_deref()),
            ip: peer.ip(),
            reply,
        };
        app.chats
            .commands
            .send(command)
            .await
            .map_err(|_| HttpError::Unavailable)?;
        let opened = match opened.await.map_err(|_| HttpError::Unavailable)? {
            Ok(opened) => opened,
            Err(e @ (OpenError::TooManyFromAddress | OpenError::Full)) => {
                return Err(HttpError::RateLimited(e.to_string()));
            }
            Err(OpenError::ShuttingDown) => return Err(HttpError::Unavailable),
            Err(OpenError::Store(e)) => return Err(HttpError::Store(e)),
        };
        Ok(CreatedChat {
            chat_id: opened.chat_id,
            secret: opened.secret,
            socket_url: chat_socket_url(&app, &headers),
        })
    }
    .await;
    Ok(match answer {
        Ok(created) => (
            StatusCode::CREATED,
            cors(origin),
            [(CACHE_CONTROL, "no-store")],
            axum::Json(created),
        )
            .into_response(),
        // With CORS headers, so that the page can read why.
        Err(e) => (cors(origin), e).into_response(),
    })
}

/// The optional JSON body: empty, or `OpenChat` with `Content-Type: application/json`.
fn parse_body(headers: &HeaderMap, body: &[u8]) -> Result<OpenChat, HttpError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(OpenChat::default());
    }
    let json = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    if !json {
        return Err(HttpError::BadRequest {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            message: "the body must be JSON (Content-Type: application/json)".to_owned(),
        });
    }
    serde_json::from_slice(body).map_err(|e| HttpError::BadRequest {
        status: StatusCode::BAD_REQUEST,
        message: format!("not a valid chat request: {e}"),
    })
}

/// Absolute URL of the customer chat socket (same host rules as the co-browse socket).
fn chat_socket_url(app: &App, headers: &HeaderMap) -> String {
    let customer = super::origin::customer_socket_url(&app.config, headers, app.local_addr);
    // `customer_socket_url` ends with the customer socket's path; the chat socket is its sibling.
    customer.replace("/cobrowse/ws/customer", "/cobrowse/ws/chat/customer")
}
