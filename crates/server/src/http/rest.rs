//! `POST /cobrowse/rest/live/sessions` (with CORS for allowed origins; the preflight also serves
//! the inspect ticket endpoint), `DELETE
//! /cobrowse/rest/live/sessions/{token}` (contact-centre integrations, API key), `GET
//! /cobrowse/health` and `GET /metrics`.

use super::HttpError;
use super::origin::{customer_socket_url, is_allowed, request_origin};
use crate::App;
use crate::session::{EndError, RegistryError};
use axum::extract::{Path, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_MAX_AGE, CACHE_CONTROL, CONTENT_TYPE, VARY,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cobrowse_protocol::{CreatedSession, SessionToken};
use std::sync::Arc;

/// `GET /cobrowse/health`: `200 ok` when the database answers.
pub(super) async fn health(State(app): State<Arc<App>>) -> Response {
    match app.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

/// `GET /metrics`: Prometheus text format.
pub(super) async fn metrics(State(app): State<Arc<App>>) -> Response {
    let body = app.metrics.render(app.sessions.live_count());
    (
        [
            (CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// The request's origin when it is allowed to use the session API.
pub(super) fn allowed_origin(app: &App, headers: &HeaderMap) -> Result<HeaderValue, HttpError> {
    match request_origin(headers) {
        Some(Some(origin)) if is_allowed(&app.config, headers, &origin) => {
            HeaderValue::from_str(&origin).map_err(|_| HttpError::OriginNotAllowed)
        }
        Some(_) | None => Err(HttpError::OriginNotAllowed),
    }
}

/// CORS headers for an allowed origin.
pub(super) fn cors(origin: HeaderValue) -> [(axum::http::HeaderName, HeaderValue); 2] {
    [
        (ACCESS_CONTROL_ALLOW_ORIGIN, origin),
        (VARY, HeaderValue::from_static("Origin")),
    ]
}

/// `POST /cobrowse/rest/live/sessions`: creates a session. The body, if any, is ignored.
pub(super) async fn create_session(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let origin = allowed_origin(&app, &headers)?;
    let created = match app.sessions.create() {
        Ok(created) => created,
        Err(e) => {
            let error = match e {
                RegistryError::ShuttingDown => HttpError::Unavailable,
                RegistryError::Full => HttpError::TooManySessions,
                RegistryError::NoFreeToken => HttpError::Registry(e),
            };
            // With CORS headers, so that the page can read why.
            return Ok((cors(origin), error).into_response());
        }
    };
    tracing::info!(token = %created.token, origin = ?origin, "session created");
    let body = CreatedSession {
        token: created.token,
        secret: created.secret,
        socket_url: customer_socket_url(&app.config, &headers, app.local_addr),
    };
    Ok((
        StatusCode::CREATED,
        cors(origin),
        [(CACHE_CONTROL, "no-store")],
        axum::Json(body),
    )
        .into_response())
}

/// `OPTIONS /cobrowse/rest/live/sessions` and `/cobrowse/rest/restrictions/inspect/{ticket}`:
/// CORS preflight of a `POST`, answered for allowed origins only.
pub(super) async fn preflight(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let origin = allowed_origin(&app, &headers)?;
    Ok((
        StatusCode::NO_CONTENT,
        cors(origin),
        [
            (ACCESS_CONTROL_ALLOW_METHODS, "POST, OPTIONS"),
            (ACCESS_CONTROL_ALLOW_HEADERS, "content-type"),
            (ACCESS_CONTROL_MAX_AGE, "600"),
        ],
    )
        .into_response())
}

/// `DELETE /cobrowse/rest/live/sessions/{token}`: a contact-centre integration (API key in
/// `Authorization: Bearer`) ends a live session with `endedByIntegration`. `204` once the session
/// has taken the order; `401` without a valid key, `404` for a token no session has (or had
/// recently), `409` for a session that has already ended.
pub(super) async fn end_session(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, HttpError> {
    let authorization = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let Some(key_name) = crate::apikeys::authenticate(app.store.as_ref(), authorization).await?
    else {
        return Err(HttpError::BadApiKey);
    };
    let Ok(token) = token.parse::<SessionToken>() else {
        return Err(HttpError::SessionNotFound);
    };
    match crate::session::end_by_integration(&app.sessions, &token).await {
        Ok(()) => {}
        Err(EndError::Ended) => return Err(HttpError::SessionEnded),
        Err(EndError::NotFound) => return Err(HttpError::SessionNotFound),
    }
    tracing::info!(token = %token, api_key = %key_name, "session ended by an integration");
    Ok(StatusCode::NO_CONTENT.into_response())
}
