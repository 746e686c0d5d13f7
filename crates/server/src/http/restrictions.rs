//! The restriction API under `/cobrowse/rest/restrictions` (docs/PROTOCOL.md, "DOM restrictions"),
//! the one-time inspect tickets, and `GET /cobrowse/rest/openapi.json`.
//!
//! Every endpoint except the ticket redemption requires an [`Administrator`]: a login cookie of a
//! user whose role is `admin` (an agent's cookie: `403 forbidden`; none: `401 unauthenticated`),
//! or `Authorization: Bearer <API key>` (an invalid key: `401`, even with a cookie). A cookie
//! request that carries an `Origin` must come from the server's own origin (`403` otherwise).
//! The administrator is checked before the body is read, so an unauthenticated request never
//! learns whether its body would have been valid.
//!
//! Changes go through `crate::restriction::live::Restrictions` (validation, store and audit in
//! one transaction, then publication to the sessions).

use super::origin::{navigation_refusal, own_origin, request_origin};
use super::rest::{allowed_origin, cors};
use super::{ApiJson, HttpError};
use crate::App;
use crate::restriction::inspect;
use crate::restriction::live::ChangeError;
use crate::store::unix_now;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use cobrowse_protocol::{
    AuditLog, InspectLink, InspectRequest, InspectRules, RestrictionInput, RestrictionList,
    RestrictionPatch, Role,
};
use serde::Deserialize;
use std::sync::Arc;

/// The OpenAPI 3.1 description of the restriction API, served as is.
const OPENAPI: &str = include_str!("openapi.json");

/// Audit entries answered when the query has no `limit`.
const DEFAULT_AUDIT_LIMIT: u32 = 100;
/// Most audit entries answered at once.
const MAX_AUDIT_LIMIT: u32 = 1000;

/// The administrator making a request; `actor` is what the audit log records: the user name, or
/// `apikey:NAME`.
pub(super) struct Administrator {
    actor: String,
}

impl FromRequestParts<Arc<App>> for Administrator {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, HttpError> {
        let headers = &parts.headers;
        if let Some(authorization) = headers.get(AUTHORIZATION) {
            let value = authorization.to_str().ok();
            return match crate::apikeys::authenticate(app.store.as_ref(), value).await? {
                Some(name) => Ok(Self {
                    actor: format!("apikey:{name}"),
                }),
                None => Err(HttpError::BadApiKey),
            };
        }
        let Some(user) = super::auth::authenticate(app, headers).await? else {
            return Err(HttpError::NotLoggedIn);
        };
        match user.role {
            Role::Admin => {}
            Role::Agent => {
                return Err(HttpError::Forbidden(
                    "only administrators can manage DOM restrictions".to_owned(),
                ));
            }
        }
        match request_origin(headers) {
            None => {}
            Some(Some(origin)) if own_origin(&app.config, headers).as_deref() == Some(&origin) => {}
            Some(_) => {
                return Err(HttpError::Forbidden(
                    "cross-origin requests are not allowed".to_owned(),
                ));
            }
        }
        Ok(Self { actor: user.name })
    }
}

impl From<ChangeError> for HttpError {
    fn from(e: ChangeError) -> Self {
        match e {
            ChangeError::Invalid(invalid) => Self::InvalidRestriction(invalid.0),
            ChangeError::NotFound(_) => Self::NotFound(e.to_string()),
            ChangeError::Store(store) => Self::Store(store),
        }
    }
}

/// The id of a path; anything else names no restriction.
fn restriction_id(id: &str) -> Result<i64, HttpError> {
    id.parse()
        .map_err(|_| HttpError::NotFound(format!("no restriction has id {id:?}")))
}

/// A JSON answer that no cache keeps.
fn answer(status: StatusCode, body: impl serde::Serialize) -> Response {
    (status, [(CACHE_CONTROL, "no-store")], axum::Json(body)).into_response()
}

/// `GET /cobrowse/rest/restrictions`.
pub(super) async fn list(
    State(app): State<Arc<App>>,
    _admin: Administrator,
) -> Result<Response, HttpError> {
    let restrictions = app.restrictions.list().await?;
    Ok(answer(StatusCode::OK, RestrictionList { restrictions }))
}

/// `POST /cobrowse/rest/restrictions`: `201` with the restriction and its `Location`.
pub(super) async fn create(
    State(app): State<Arc<App>>,
    admin: Administrator,
    ApiJson(input): ApiJson<RestrictionInput>,
) -> Result<Response, HttpError> {
    let created = app.restrictions.create(&input, &admin.actor).await?;
    tracing::info!(actor = %admin.actor, id = created.id, "restriction created");
    let location = format!("/cobrowse/rest/restrictions/{}", created.id);
    Ok(([(LOCATION, location)], answer(StatusCode::CREATED, created)).into_response())
}

/// `GET /cobrowse/rest/restrictions/{id}`.
pub(super) async fn get(
    State(app): State<Arc<App>>,
    _admin: Administrator,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let restriction = app.restrictions.get(restriction_id(&id)?).await?;
    Ok(answer(StatusCode::OK, restriction))
}

/// `PUT /cobrowse/rest/restrictions/{id}`: replaces every field.
pub(super) async fn replace(
    State(app): State<Arc<App>>,
    admin: Administrator,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<RestrictionInput>,
) -> Result<Response, HttpError> {
    let id = restriction_id(&id)?;
    let updated = app.restrictions.replace(id, &input, &admin.actor).await?;
    tracing::info!(actor = %admin.actor, id, "restriction replaced");
    Ok(answer(StatusCode::OK, updated))
}

/// `PATCH /cobrowse/rest/restrictions/{id}`: changes the fields present.
pub(super) async fn patch(
    State(app): State<Arc<App>>,
    admin: Administrator,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<RestrictionPatch>,
) -> Result<Response, HttpError> {
    let id = restriction_id(&id)?;
    let updated = app.restrictions.patch(id, &patch, &admin.actor).await?;
    tracing::info!(actor = %admin.actor, id, "restriction patched");
    Ok(answer(StatusCode::OK, updated))
}

/// `DELETE /cobrowse/rest/restrictions/{id}`: `204`.
pub(super) async fn delete(
    State(app): State<Arc<App>>,
    admin: Administrator,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let id = restriction_id(&id)?;
    app.restrictions.delete(id, &admin.actor).await?;
    tracing::info!(actor = %admin.actor, id, "restriction deleted");
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Deserialize)]
pub(super) struct AuditQuery {
    limit: Option<u32>,
}

/// `GET /cobrowse/rest/restrictions/audit?limit=N`: newest first; `limit` defaults to
/// [`DEFAULT_AUDIT_LIMIT`] and is capped at [`MAX_AUDIT_LIMIT`].
pub(super) async fn audit(
    State(app): State<Arc<App>>,
    _admin: Administrator,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Response, HttpError> {
    let Query(query) = query.map_err(|rejection| HttpError::BadRequest {
        status: StatusCode::BAD_REQUEST,
        message: format!("limit: {}", rejection.body_text()),
    })?;
    let limit = query
        .limit
        .unwrap_or(DEFAULT_AUDIT_LIMIT)
        .min(MAX_AUDIT_LIMIT);
    let entries = app.store.list_audit(limit).await?;
    Ok(answer(StatusCode::OK, AuditLog { entries }))
}

/// `POST /cobrowse/rest/restrictions/inspect {url}`: a one-time link to `url` in inspect mode.
/// `400 badMessage` when `url` is not an absolute `http(s)` URL of an allowed origin.
pub(super) async fn inspect(
    State(app): State<Arc<App>>,
    admin: Administrator,
    headers: HeaderMap,
    ApiJson(request): ApiJson<InspectRequest>,
) -> Result<Response, HttpError> {
    let own = own_origin(&app.config, &headers);
    if let Some(reason) = navigation_refusal(&app.config, own.as_deref(), &request.url) {
        return Err(HttpError::BadRequest {
            status: StatusCode::BAD_REQUEST,
            message: format!("url: {reason}"),
        });
    }
    let ticket = app.inspect.issue();
    let expires_at =
        unix_now().saturating_add(i64::try_from(inspect::TTL.as_secs()).unwrap_or(i64::MAX));
    tracing::info!(actor = %admin.actor, "inspect link issued");
    Ok(answer(
        StatusCode::OK,
        InspectLink {
            url: inspect::link(&request.url, &ticket),
            expires_at,
        },
    ))
}

/// `POST /cobrowse/rest/restrictions/inspect/{ticket}` (the SDK; CORS for allowed origins):
/// spends the ticket and answers the enabled restrictions. `404 notFound` (with the CORS headers,
/// so that the page can read it) for an unknown, spent or expired ticket.
pub(super) async fn redeem(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(ticket): Path<String>,
) -> Result<Response, HttpError> {
    let origin = allowed_origin(&app, &headers)?;
    if !app.inspect.redeem(&ticket) {
        let error = HttpError::NotFound("unknown, spent or expired inspect ticket".to_owned());
        return Ok((cors(origin), error).into_response());
    }
    let restrictions = app.restrictions.enabled().await?;
    Ok((
        cors(origin),
        answer(StatusCode::OK, InspectRules { restrictions }),
    )
        .into_response())
}

/// `GET /cobrowse/rest/openapi.json`.
pub(super) async fn openapi() -> Response {
    (
        [
            (CONTENT_TYPE, "application/json"),
            (CACHE_CONTROL, "no-cache"),
        ],
        OPENAPI,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every route and method of the restriction API (kept in step with `super::router`).
    const ROUTES: &[(&str, &[&str])] = &[
        ("/cobrowse/rest/restrictions", &["get", "post"]),
        (
            "/cobrowse/rest/restrictions/{id}",
            &["get", "put", "patch", "delete"],
        ),
        ("/cobrowse/rest/restrictions/audit", &["get"]),
        ("/cobrowse/rest/restrictions/inspect", &["post"]),
        (
            "/cobrowse/rest/restrictions/inspect/{ticket}",
            &["post", "options"],
        ),
        ("/cobrowse/rest/auth/login", &["post"]),
        ("/cobrowse/rest/openapi.json", &["get"]),
    ];

    #[test]
    fn the_openapi_document_describes_every_route() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).unwrap();
        assert_eq!(doc["openapi"].as_str().map(|v| &v[..4]), Some("3.1."));
        let paths = doc["paths"].as_object().unwrap();
        for (path, methods) in ROUTES {
            let item = paths.get(*path).unwrap_or_else(|| panic!("{path} missing"));
            for method in *methods {
                let operation = &item[*method];
                assert!(operation.is_object(), "{method} {path} missing");
                assert!(
                    operation["responses"].is_object(),
                    "{method} {path} has no responses"
                );
            }
        }
        let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
        assert_eq!(schemes["cookie"]["type"], "apiKey");
        assert_eq!(schemes["cookie"]["in"], "cookie");
        assert_eq!(schemes["cookie"]["name"], crate::auth::COOKIE_NAME);
        assert_eq!(schemes["apiKey"]["scheme"], "bearer");
        // Every `$ref` points to a schema that exists.
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        let mut refs = Vec::new();
        collect_refs(&doc, &mut refs);
        assert!(refs.len() > 10);
        for r in refs {
            let name = r
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("unexpected $ref {r}"));
            assert!(schemas.contains_key(name), "{r} is not defined");
        }
    }

    fn collect_refs(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    match (k.as_str(), v) {
                        ("$ref", serde_json::Value::String(r)) => out.push(r.clone()),
                        _ => collect_refs(v, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
            _ => {}
        }
    }
}
