//! The resource proxy's routes (the proxy itself is `crate::resource`):
//!
//! - `GET /cobrowse/resource/{token}?url=<absolute URL>`: the replica's sub-resources. Only the
//!   logged-in agent of the live session `token` may use it (its `cobrowse_auth` cookie, which
//!   the replica's requests carry since they are same-origin): it is no open proxy. The server
//!   fetches the URL (or serves it from its cache); when it cannot and the customer's page might
//!   (not allowed host, upstream error, unreachable, timeout, `blob:`), it asks the page
//!   (`resourceRequest`) and answers with its upload, or with the first error once the page
//!   declined (`resourceDeclined`, read by `crate::ws::reader`) or the wait is over.
//!   URLs of the server's own origin are answered from its embedded files (`own_asset`).
//! - `POST /cobrowse/resource/upload/{ticket}?sha256=<hex>&type=<content type>`: the customer's
//!   page answers a `resourceRequest`. The ticket is the only credential: cookies are neither
//!   needed nor read. An empty body with `sha256` reuses content the server already has.

use super::HttpError;
use super::assets::embedded;
use super::auth::authenticate;
use super::origin::{is_allowed, own_origin, request_origin};
use super::rest::cors;
use crate::App;
use crate::metrics::Metrics;
use crate::resource::cache::Cached;
use crate::resource::policy::Refusal;
use crate::resource::uploads::{Answer, UploadError};
use crate::resource::{FetchError, essence, serve};
use crate::session::{Command, SessionHandle};
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use cobrowse_protocol::{ResourceRequest, SessionToken};
use serde::Deserialize;
use std::sync::Arc;
use tokio::sync::oneshot;
use url::Url;

/// The proxy URL of `url` for session `token` (a path on the server's own origin).
pub(crate) fn proxy_path(token: &SessionToken, url: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(url.as_bytes()).collect();
    format!("/cobrowse/resource/{token}?url={encoded}")
}

#[derive(Debug, Deserialize)]
pub(super) struct ResourceQuery {
    url: String,
}

/// `GET /cobrowse/resource/{token}?url=…`.
pub(super) async fn get(
    State(app): State<Arc<App>>,
    Path(token): Path<String>,
    Query(query): Query<ResourceQuery>,
    headers: HeaderMap,
) -> Response {
    let mut response = match proxy(&app, &token, &query.url, &headers).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    };
    serve::secure_headers(response.headers_mut());
    response
}

async fn proxy(
    app: &App,
    token: &str,
    url: &str,
    headers: &HeaderMap,
) -> Result<Response, HttpError> {
    let user = authenticate(app, headers)
        .await?
        .ok_or(HttpError::NotLoggedIn)?;
    let not_agent = || HttpError::Forbidden("you are not the agent of this live session".into());
    let token: SessionToken = token.parse().map_err(|_| not_agent())?;
    let session = app
        .sessions
        .agent_session(user.id, &token)
        .ok_or_else(not_agent)?;
    let url = Url::parse(url).map_err(|_| HttpError::BadRequest {
        status: StatusCode::BAD_REQUEST,
        message: "url must be an absolute URL".into(),
    })?;
    if let Some(resource) = own_asset(app, headers, &url)? {
        return Ok(serve::response(&resource, &|u| proxy_path(&token, u)));
    }
    let fetched = match url.scheme() {
        "http" | "https" => app.resources.fetch(&url).await,
        // Only the page that made it can read a blob: URL.
        "blob" => Err(FetchError::NotAllowed(Refusal::Scheme)),
        _ => {
            return Err(HttpError::BadRequest {
                status: StatusCode::BAD_REQUEST,
                message: "only http, https and blob URLs are proxied".into(),
            });
        }
    };
    let resource = match fetched {
        Ok(resource) => resource,
        Err(error) if error.customer_may_help() => {
            match ask_customer(app, &session, &token, &url).await {
                Some(resource) => {
                    Metrics::inc(&app.metrics.resources_uploaded);
                    resource
                }
                None => {
                    return Err(HttpError::Resource {
                        error,
                        asked_customer: true,
                    });
                }
            }
        }
        Err(error) => {
            return Err(HttpError::Resource {
                error,
                asked_customer: false,
            });
        }
    };
    Ok(serve::response(&resource, &|u| proxy_path(&token, u)))
}

/// A URL of the server's own origin (the demo shop of the quick start, the SDK's own files): served
/// from the embedded files, never fetched over the network, so that the server's own pages work
/// without `--proxy-allow-private` (the server usually listens on a private address) and the
/// proxy cannot be pointed at anything of the server but its public files. `Ok(None)` for other
/// origins; 404 for a path of the own origin that is no embedded file.
fn own_asset(app: &App, headers: &HeaderMap, url: &Url) -> Result<Option<Cached>, HttpError> {
    let origin = url.origin().ascii_serialization();
    if own_origin(&app.config, headers).as_deref() != Some(origin.as_str()) {
        return Ok(None);
    }
    let (body, content_type) = embedded(url.path()).ok_or_else(|| {
        HttpError::NotFound(format!("{} is not a file of this server", url.path()))
    })?;
    Ok(Some(Cached {
        final_url: url.to_string(),
        content_type: essence(&content_type),
        body: Bytes::from_static(body),
    }))
}

/// Asks the customer's page for `url` and waits (at most the resource timeout) for its upload.
/// `None` when there is no customer to ask, too many requests are open, the page declined, or
/// nothing came.
async fn ask_customer(
    app: &App,
    session: &SessionHandle,
    token: &SessionToken,
    url: &Url,
) -> Option<Cached> {
    let uploads = &app.resources.uploads;
    let ticket = uploads.open(token, url.as_str())?;
    let id = ticket.ticket;
    let answer = ticket.answer;
    if ticket.new {
        let (reply, asked) = oneshot::channel();
        let request = Box::new(ResourceRequest {
            url: url.to_string(),
            ticket: id.clone(),
        });
        let sent = session
            .commands
            .send(Command::RequestResource { request, reply })
            .await
            .is_ok();
        if !sent || !asked.await.unwrap_or(false) {
            drop(answer);
            uploads.abandon(&id);
            return None;
        }
    }
    // Timeout: the page may stay silent (an SDK without `resourceDeclined`, a page gone).
    match tokio::time::timeout(app.resources.settings.timeout, answer).await {
        Ok(Ok(Answer::Uploaded(resource))) => Some(resource),
        Ok(Ok(Answer::Declined)) => {
            Metrics::inc(&app.metrics.resources_declined);
            None
        }
        Ok(Err(_)) | Err(_) => {
            uploads.abandon(&id);
            None
        }
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct UploadQuery {
    sha256: Option<String>,
    #[serde(rename = "type")]
    content_type: Option<String>,
}

/// `POST /cobrowse/resource/upload/{ticket}`.
pub(super) async fn upload(
    State(app): State<Arc<App>>,
    Path(ticket): Path<String>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    // A browser page of another origin gets no answer it can read; no Origin: a plain client.
    let origin = match request_origin(&headers) {
        Some(Some(origin)) if is_allowed(&app.config, &headers, &origin) => {
            HeaderValue::from_str(&origin).ok()
        }
        Some(_) => return HttpError::OriginNotAllowed.into_response(),
        None => None,
    };
    let max = app.resources.uploads.max_upload();
    let result = match axum::body::to_bytes(body, max).await {
        Ok(bytes) => {
            let body = (!bytes.is_empty()).then_some(bytes);
            app.resources
                .uploads
                .fulfil(
                    &ticket,
                    query.sha256.as_deref(),
                    query.content_type.as_deref().unwrap_or_default(),
                    body,
                )
                .map_err(HttpError::Upload)
        }
        Err(_) => Err(HttpError::Upload(UploadError::TooLarge(max))),
    };
    let mut response = match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    };
    serve::secure_headers(response.headers_mut());
    match origin {
        Some(origin) => (cors(origin), response).into_response(),
        None => response,
    }
}
