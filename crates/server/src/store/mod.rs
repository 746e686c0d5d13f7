//! Persistent state: users, logins, API keys, DOM restrictions and their audit log, and the
//! conversations of running chats (deleted when the chat ends). [`Store`] is the one storage trait; [`SqliteStore`] is the
//! SQLite implementation (the database file lives in the data directory). Live sessions are not
//! stored: they live in memory, in their actors.
//!
//! Called by the HTTP handlers (login, `me`), the agent socket upgrade (cookie check), the startup
//! (first administrator), the `cobrowse user` commands and, for restrictions, `crate::restriction`
//! (which validates every value before it is stored).
//!
//! Invariants: user and API key names are unique ignoring ASCII case; only hashes of passwords
//! (argon2id), of login cookies and of API keys (SHA-256) are stored; changing a password revokes
//! that user's logins; every restriction change writes its audit entry in the same transaction;
//! restriction ids are never reused.

mod sqlite;

pub use sqlite::SqliteStore;

use async_trait::async_trait;
use cobrowse_protocol::{AuditEntry, ChatMessage, Restriction, RestrictionKind, Role};

/// Primary key of a user; also identifies an agent in the session registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub i64);

/// A user as the rest of the server sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub role: Role,
}

/// A user with their password hash, for login only.
#[derive(Clone)]
pub struct UserCredentials {
    pub user: User,
    /// argon2 PHC string.
    pub password_hash: String,
}

impl std::fmt::Debug for UserCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserCredentials")
            .field("user", &self.user)
            .field("password_hash", &"<hidden>")
            .finish()
    }
}

/// SHA-256 of a login cookie's value.
pub type LoginHash = [u8; 32];

/// SHA-256 of an API key.
pub type ApiKeyHash = [u8; 32];

/// An API key as listed (the key itself is never stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub name: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// The fields of a restriction an administrator sets, validated and normalised by
/// `crate::restriction`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestrictionFields {
    pub selector: String,
    pub kind: RestrictionKind,
    pub description: String,
    pub group: String,
    pub url_pattern: Option<String>,
    pub enabled: bool,
}

impl RestrictionFields {
    /// The fields of a stored restriction.
    pub fn of(r: &Restriction) -> Self {
        Self {
            selector: r.selector.clone(),
            kind: r.kind,
            description: r.description.clone(),
            group: r.group.clone(),
            url_pattern: r.url_pattern.clone(),
            enabled: r.enabled,
        }
    }
}

/// Storage of users, logins, API keys and restrictions. Times are Unix seconds.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Succeeds when the database answers (health check).
    async fn ping(&self) -> Result<(), StoreError>;
    async fn count_users(&self) -> Result<u64, StoreError>;
    /// Fails with [`StoreError::UserExists`] when the name is taken (ignoring case).
    async fn create_user(
        &self,
        name: &str,
        role: Role,
        password_hash: &str,
    ) -> Result<User, StoreError>;
    /// All users, ordered by name.
    async fn list_users(&self) -> Result<Vec<User>, StoreError>;
    async fn find_user(&self, name: &str) -> Result<Option<UserCredentials>, StoreError>;
    /// Sets a user's password hash and revokes their logins. [`StoreError::NoSuchUser`] if absent.
    async fn set_password(&self, name: &str, password_hash: &str) -> Result<(), StoreError>;
    async fn create_login(
        &self,
        hash: &LoginHash,
        user: UserId,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError>;
    /// The user of an unexpired login.
    async fn find_login(&self, hash: &LoginHash, now: i64) -> Result<Option<User>, StoreError>;
    async fn delete_login(&self, hash: &LoginHash) -> Result<(), StoreError>;
    /// Forgets expired logins; returns how many.
    async fn delete_expired_logins(&self, now: i64) -> Result<u64, StoreError>;
    /// Fails with [`StoreError::ApiKeyExists`] when the name is taken (ignoring case).
    async fn create_api_key(
        &self,
        name: &str,
        hash: &ApiKeyHash,
        now: i64,
    ) -> Result<(), StoreError>;
    /// All API keys, ordered by name.
    async fn list_api_keys(&self) -> Result<Vec<ApiKey>, StoreError>;
    /// Deletes an API key. [`StoreError::NoSuchApiKey`] if absent.
    async fn revoke_api_key(&self, name: &str) -> Result<(), StoreError>;
    /// The name of the API key with this hash.
    async fn find_api_key(&self, hash: &ApiKeyHash) -> Result<Option<String>, StoreError>;
    /// All restrictions, ordered by group (ignoring case, then exactly) then id.
    async fn list_restrictions(&self) -> Result<Vec<Restriction>, StoreError>;
    async fn get_restriction(&self, id: i64) -> Result<Option<Restriction>, StoreError>;
    async fn count_restrictions(&self) -> Result<u64, StoreError>;
    /// Stores a new restriction (`updated_by` = `actor`) and its `create` audit entry.
    async fn create_restriction(
        &self,
        fields: &RestrictionFields,
        actor: &str,
        now: i64,
    ) -> Result<Restriction, StoreError>;
    /// Replaces a restriction's fields and records an `update` audit entry with the restriction
    /// before and after. [`StoreError::NoSuchRestriction`] if absent.
    async fn update_restriction(
        &self,
        id: i64,
        fields: &RestrictionFields,
        actor: &str,
        now: i64,
    ) -> Result<Restriction, StoreError>;
    /// Deletes a restriction, records a `delete` audit entry, and returns what was deleted.
    /// [`StoreError::NoSuchRestriction`] if absent.
    async fn delete_restriction(
        &self,
        id: i64,
        actor: &str,
        now: i64,
    ) -> Result<Restriction, StoreError>;
    /// The newest `limit` audit entries, newest first.
    async fn list_audit(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError>;
    /// Stores a new, empty chat (`opened_at` in Unix milliseconds).
    async fn create_chat(&self, id: &str, customer: &str, opened_at: i64)
    -> Result<(), StoreError>;
    /// Appends a message to a chat's conversation (its `seq` must be new for that chat).
    async fn append_chat_message(
        &self,
        chat: &str,
        message: &ChatMessage,
    ) -> Result<(), StoreError>;
    /// A chat's conversation in `seq` order (empty for an unknown chat).
    async fn chat_history(&self, chat: &str) -> Result<Vec<ChatMessage>, StoreError>;
    /// Deletes a chat and its conversation (nothing for an unknown chat).
    async fn delete_chat(&self, chat: &str) -> Result<(), StoreError>;
    /// Deletes every chat (at startup: chats do not outlive the server process); returns how many.
    async fn delete_all_chats(&self) -> Result<u64, StoreError>;
}

/// Storage failures. `UserExists`, `NoSuch*` and `ApiKeyExists` are the caller's mistake; the rest
/// are faults.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("user \"{0}\" already exists")]
    UserExists(String),
    #[error("no such user: \"{0}\"")]
    NoSuchUser(String),
    #[error("API key \"{0}\" already exists")]
    ApiKeyExists(String),
    #[error("no such API key: \"{0}\"")]
    NoSuchApiKey(String),
    #[error("no such restriction: {0}")]
    NoSuchRestriction(i64),
    #[error("cannot create data directory {path}: {source}")]
    DataDir {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the database has schema version {found}, newer than this server's {supported}")]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

/// Current Unix time in seconds.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
