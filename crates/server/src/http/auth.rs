//! Login, logout and `me`, and the cookie check shared with the agent socket upgrade.
//!
//! `requiredRole: "admin"` (the DOM Restrictions Editor) refuses agents with `403 forbidden`
//! after checking their password, and creates no login; administrators may also act as agents.
//!
//! A login is a random cookie value (`cobrowse_auth`, HttpOnly, SameSite=Strict, Path=/, Secure
//! when the public URL is https); the store keeps only its SHA-256, with an expiry. Unknown users
//! and wrong passwords get the same answer after the same work.

use super::{ApiJson, HttpError};
use crate::App;
use crate::auth::{COOKIE_NAME, MAX_PASSWORD_BYTES, hash_login, login_cookie, new_login};
use crate::metrics::Metrics;
use crate::store::{User, unix_now};
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use cobrowse_protocol::{LoginRequest, Me, Role};
use std::sync::Arc;

/// The logged-in user of a request, from its `cobrowse_auth` cookie.
pub(crate) async fn authenticate(
    app: &App,
    headers: &HeaderMap,
) -> Result<Option<User>, HttpError> {
    let cookies = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok());
    let Some(value) = login_cookie(cookies) else {
        return Ok(None);
    };
    Ok(app.store.find_login(&hash_login(value), unix_now()).await?)
}

fn me(user: &User) -> Me {
    Me {
        username: user.name.clone(),
        role: user.role,
    }
}

fn cookie(app: &App, value: &str, max_age: u64) -> String {
    let secure = if app.config.public_url.as_ref().is_some_and(|p| p.secure) {
        "; Secure"
    } else {
        ""
    };
    format!("{COOKIE_NAME}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}")
}

/// `POST /cobrowse/rest/auth/login`.
pub(super) async fn login(
    State(app): State<Arc<App>>,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Response, HttpError> {
    let LoginRequest {
        username,
        password,
        required_role,
    } = request;
    if username.len() > 256 || password.len() > MAX_PASSWORD_BYTES {
        Metrics::inc(&app.metrics.logins_failed);
        return Err(HttpError::BadCredentials);
    }
    let credentials = app.store.find_user(&username).await?;
    let hash = credentials.as_ref().map(|c| c.password_hash.clone());
    let valid = app.hashing.verify(password, hash).await?;
    let user = match credentials {
        Some(c) if valid => c.user,
        Some(_) | None => {
            Metrics::inc(&app.metrics.logins_failed);
            tracing::info!(username = %username, "login refused");
            return Err(HttpError::BadCredentials);
        }
    };
    match (required_role, user.role) {
        (Some(Role::Admin), Role::Agent) => {
            tracing::info!(username = %user.name, "login refused: administrators only");
            return Err(HttpError::Forbidden(
                "only administrators can use the DOM Restrictions Editor".to_owned(),
            ));
        }
        (Some(Role::Admin), Role::Admin) | (Some(Role::Agent) | None, _) => {}
    }
    let now = unix_now();
    let ttl = app.config.login_ttl.as_secs();
    let expires = now.saturating_add(i64::try_from(ttl).unwrap_or(i64::MAX));
    let (value, hash) = new_login();
    app.store.create_login(&hash, user.id, now, expires).await?;
    // Housekeeping: logins are few; forgetting the expired ones here keeps the table small.
    if let Err(e) = app.store.delete_expired_logins(now).await {
        tracing::warn!(error = %e, "cannot delete expired logins");
    }
    tracing::info!(username = %user.name, "logged in");
    Ok((
        StatusCode::OK,
        [
            (SET_COOKIE, cookie(&app, &value, ttl)),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        axum::Json(me(&user)),
    )
        .into_response())
}

/// `POST /cobrowse/rest/auth/logout`: revokes the cookie's login (if any) and clears the cookie.
pub(super) async fn logout(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let cookies = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok());
    if let Some(value) = login_cookie(cookies) {
        app.store.delete_login(&hash_login(value)).await?;
    }
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, cookie(&app, "", 0))]).into_response())
}

/// `GET /cobrowse/rest/auth/me`.
pub(super) async fn me_handler(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    match authenticate(&app, &headers).await? {
        Some(user) => Ok(([(CACHE_CONTROL, "no-store")], axum::Json(me(&user))).into_response()),
        None => Err(HttpError::NotLoggedIn),
    }
}
