//! Bodies of the REST API under `/cobrowse/rest/`.

use crate::{ErrorCode, SessionToken};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `201` answer of `POST /cobrowse/rest/live/sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreatedSession {
    pub token: SessionToken,
    /// Authenticates the customer's socket. Never shown to anyone; the token alone does not let
    /// anybody act as the customer.
    pub secret: String,
    /// Absolute `ws:`/`wss:` URL of the customer socket.
    pub socket_url: String,
}

/// Body of `POST /cobrowse/rest/auth/login`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// The role the client needs (the DOM Restrictions Editor sends `admin`): a user without it
    /// gets `403 forbidden` and no login. Absent: any role.
    #[serde(default)]
    #[ts(optional)]
    pub required_role: Option<Role>,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest")
            .field("username", &self.username)
            .field("password", &"<hidden>")
            .finish()
    }
}

/// A user's role. Administrators may also use the agent desktop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    Agent,
    Admin,
}

/// Answer of `POST /cobrowse/rest/auth/login` and `GET /cobrowse/rest/auth/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub username: String,
    pub role: Role,
}

/// Body of every REST error answer: `{"error": {"code": ..., "message": ...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub error: ApiErrorBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApiErrorBody {
    pub code: ErrorCode,
    pub message: String,
}
