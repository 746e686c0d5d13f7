//! HTTP routes: the REST API (`rest.rs`), chats (`chats.rs`), login (`auth.rs`), the restriction API and its OpenAPI
//! description (`restrictions.rs`), the resource proxy and customer uploads (`resources.rs`), the
//! embedded bundles (`assets.rs`), health and metrics; the
//! WebSocket endpoints (co-browse and chat) are handed to `crate::ws`.
//!
//! Every REST error is an [`HttpError`], answered as `{"error": {"code", "message"}}` (the
//! protocol's `ApiError`) with its HTTP status; internal details are logged, never sent.
//! Request bodies are limited to [`MAX_BODY_BYTES`].

mod assets;
pub(crate) mod auth;
mod chats;
pub(crate) mod origin;
pub(crate) mod resources;
mod rest;
mod restrictions;

use crate::App;
use crate::resource::FetchError;
use crate::resource::uploads::UploadError;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use cobrowse_protocol::{ApiError, ApiErrorBody, ErrorCode};
use restrictions as r;
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// Largest REST request body (the biggest is a restriction: at most about 3 000 characters).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// All routes of the server.
pub(crate) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/cobrowse/health", get(rest::health))
        .route(
            "/cobrowse/rest/live/sessions",
            post(rest::create_session).options(rest::preflight),
        )
        .route(
            "/cobrowse/rest/live/sessions/{token}",
            delete(rest::end_session),
        )
        .route(
            "/cobrowse/rest/chats",
            post(chats::open).options(rest::preflight),
        )
        .route("/cobrowse/rest/auth/login", post(auth::login))
        .route("/cobrowse/rest/auth/logout", post(auth::logout))
        .route("/cobrowse/rest/auth/me", get(auth::me_handler))
        .route("/cobrowse/rest/openapi.json", get(r::openapi))
        .route("/cobrowse/rest/restrictions", get(r::list).post(r::create))
        .route("/cobrowse/rest/restrictions/audit", get(r::audit))
        .route("/cobrowse/rest/restrictions/inspect", post(r::inspect))
        .route(
            "/cobrowse/rest/restrictions/inspect/{ticket}",
            post(r::redeem).options(rest::preflight),
        )
        .route(
            "/cobrowse/rest/restrictions/{id}",
            get(r::get)
                .put(r::replace)
                .patch(r::patch)
                .delete(r::delete),
        )
        .route("/cobrowse/ws/customer", get(crate::ws::customer))
        .route("/cobrowse/ws/agent", get(crate::ws::agent))
        .route("/cobrowse/ws/chat/customer", get(crate::ws::chat::customer))
        .route("/cobrowse/ws/chat/agent", get(crate::ws::chat::agent))
        .route("/cobrowse/resource/{token}", get(resources::get))
        .route(
            "/cobrowse/resource/upload/{ticket}",
            post(resources::upload).options(rest::preflight),
        )
        .route("/metrics", get(rest::metrics))
        .fallback(assets::serve)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(app)
}

/// Errors of HTTP handlers and of socket upgrades (before the upgrade).
#[derive(Debug, thiserror::Error)]
pub(crate) enum HttpError {
    #[error("this origin is not allowed")]
    OriginNotAllowed,
    #[error("wrong username or password")]
    BadCredentials,
    #[error("not logged in")]
    NotLoggedIn,
    #[error("a valid API key is required (Authorization: Bearer <key>)")]
    BadApiKey,
    #[error("no live session has this token")]
    SessionNotFound,
    #[error("the session has already ended")]
    SessionEnded,
    /// Authenticated, but not allowed (an agent on an administrator's endpoint, a cross-site
    /// request); the message says why.
    #[error("{0}")]
    Forbidden(String),
    /// No such resource (restriction, inspect ticket).
    #[error("{0}")]
    NotFound(String),
    /// A restriction that may not be stored; the message names the field and the reason.
    #[error("{0}")]
    InvalidRestriction(String),
    #[error("{message}")]
    BadRequest { status: StatusCode, message: String },
    #[error("the server is shutting down")]
    Unavailable,
    #[error("too many live sessions; try again later")]
    TooManySessions,
    /// Over a limit (`429 rateLimited`); the message says which.
    #[error("{0}")]
    RateLimited(String),
    /// The resource proxy could not provide a resource (`asked_customer`: nor the customer's
    /// page, asked for it).
    #[error("{error}{}", if *asked_customer { "; the customer's page did not provide it either" } else { "" })]
    Resource {
        error: crate::resource::FetchError,
        asked_customer: bool,
    },
    /// A customer's upload was not taken.
    #[error("{0}")]
    Upload(crate::resource::uploads::UploadError),
    #[error("internal error")]
    Store(#[from] crate::store::StoreError),
    #[error("internal error")]
    Hash(#[from] crate::auth::HashError),
    #[error("internal error")]
    Registry(#[from] crate::session::RegistryError),
}

impl HttpError {
    fn status(&self) -> StatusCode {
        match self {
            Self::OriginNotAllowed | Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::InvalidRestriction(_) => StatusCode::BAD_REQUEST,
            Self::BadCredentials | Self::NotLoggedIn | Self::BadApiKey => StatusCode::UNAUTHORIZED,
            Self::SessionNotFound => StatusCode::NOT_FOUND,
            Self::SessionEnded => StatusCode::CONFLICT,
            Self::BadRequest { status, .. } => *status,
            Self::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable | Self::TooManySessions => StatusCode::SERVICE_UNAVAILABLE,
            Self::Resource { error, .. } => match error {
                FetchError::NotAllowed(_) => StatusCode::FORBIDDEN,
                FetchError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
                FetchError::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
                FetchError::Upstream(_) => StatusCode::BAD_GATEWAY,
            },
            Self::Upload(error) => match error {
                UploadError::UnknownTicket | UploadError::NotCached => StatusCode::NOT_FOUND,
                UploadError::HashMismatch | UploadError::BadHash => StatusCode::BAD_REQUEST,
                UploadError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            },
            Self::Store(_) | Self::Hash(_) | Self::Registry(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> ErrorCode {
        match self {
            Self::OriginNotAllowed | Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::InvalidRestriction(_) => ErrorCode::InvalidRestriction,
            Self::BadCredentials | Self::NotLoggedIn | Self::BadApiKey => {
                ErrorCode::Unauthenticated
            }
            Self::SessionNotFound => ErrorCode::SessionNotFound,
            Self::SessionEnded => ErrorCode::SessionEnded,
            Self::BadRequest { .. } => ErrorCode::BadMessage,
            Self::TooManySessions | Self::RateLimited(_) => ErrorCode::RateLimited,
            Self::Resource { error, .. } => match error {
                FetchError::NotAllowed(_) => ErrorCode::NotAllowed,
                FetchError::TooLarge(_) => ErrorCode::TooLarge,
                FetchError::Timeout(_) => ErrorCode::UpstreamTimeout,
                FetchError::Upstream(_) => ErrorCode::UpstreamFailed,
            },
            Self::Upload(error) => match error {
                UploadError::UnknownTicket | UploadError::NotCached => ErrorCode::NotFound,
                UploadError::HashMismatch | UploadError::BadHash => ErrorCode::BadMessage,
                UploadError::TooLarge(_) => ErrorCode::TooLarge,
            },
            Self::Unavailable | Self::Store(_) | Self::Hash(_) | Self::Registry(_) => {
                ErrorCode::Internal
            }
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status = self.status();
        let bearer_challenge = matches!(self, Self::BadApiKey);
        if status.is_server_error() && !matches!(self, Self::Resource { .. }) {
            tracing::error!(error = ?self, "request failed");
        }
        let body = ApiError {
            error: ApiErrorBody {
                code: self.code(),
                message: self.to_string(),
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if bearer_challenge {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

impl From<JsonRejection> for HttpError {
    fn from(rejection: JsonRejection) -> Self {
        let status = match rejection.status() {
            // Well-formed JSON of the wrong shape is still a bad request for our clients.
            StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
            other => other,
        };
        Self::BadRequest {
            status,
            message: rejection.body_text(),
        }
    }
}

/// `axum::Json` whose rejections are [`HttpError`]s (JSON error bodies, status 400/413/415).
pub(crate) struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = HttpError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(value) = axum::Json::<T>::from_request(req, state).await?;
        Ok(Self(value))
    }
}
