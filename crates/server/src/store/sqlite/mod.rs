//! SQLite implementation of [`Store`], with sqlx runtime queries (no compile-time checked macros,
//! so building needs no database). One submodule per thing stored, each owning its tables, their
//! SQL and the mapping of rows to the store's types:
//!
//! - `schema.rs`: the migrations (`migrations/*.sql`) and the schema version;
//! - `users.rs`: users and their passwords (`users`);
//! - `logins.rs`: login cookies (`auth_sessions`);
//! - `api_keys.rs`: integration API keys (`api_keys`);
//! - `restrictions.rs`: DOM restrictions (`restrictions`), each change with its audit entry;
//! - `audit.rs`: the restriction audit log (`restriction_audit`);
//! - `chats.rs`: the conversations of running chats (`chats`, `chat_messages`).
//!
//! This file opens the database and implements [`Store`] by calling them.
//!
//! Functions that take a `&mut SqliteConnection` (inside a transaction) call the `Executor`
//! trait's methods (boxed `Send` futures) rather than the `async fn` helpers of `sqlx::query*`:
//! with the latter the compiler cannot prove the caller's future `Send` when a
//! `&mut SqliteConnection` is reborrowed (rust-lang/rust#102211).

mod api_keys;
mod audit;
mod chats;
mod logins;
mod restrictions;
mod schema;
mod users;

use super::{
    ApiKey, ApiKeyHash, LoginHash, RestrictionFields, Store, StoreError, User, UserCredentials,
    UserId,
};
use async_trait::async_trait;
use cobrowse_protocol::{AuditEntry, ChatMessage, Restriction, Role};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::path::Path;
use std::time::Duration;

/// A pool of connections to `cobrowse.db`.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database in `data_dir` and brings its schema up to date.
    pub async fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.to_owned(),
            source,
        })?;
        let options = SqliteConnectOptions::new()
            .filename(data_dir.join(crate::config::DATABASE_FILE))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            // Timeout: how long a writer waits for another process's write lock (the CLI and the
            // server may write at the same time); writes are tiny, so 5 s means something is stuck.
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            // Bound: SQLite serialises writers anyway; a few connections serve concurrent reads
            // (cookie checks) without queueing behind a login.
            .max_connections(4)
            // Timeout: a request waiting this long for a connection fails instead of hanging.
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        schema::migrate(&pool).await?;
        Ok(Self { pool })
    }
}

/// A write transaction that holds SQLite's write lock from its start (`BEGIN IMMEDIATE`), so
/// that reading the row before changing it cannot race another writer.
async fn write_transaction(
    pool: &SqlitePool,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn count_users(&self) -> Result<u64, StoreError> {
        users::count(&self.pool).await
    }

    async fn create_user(
        &self,
        name: &str,
        role: Role,
        password_hash: &str,
    ) -> Result<User, StoreError> {
        users::create(&self.pool, name, role, password_hash).await
    }

    async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        users::list(&self.pool).await
    }

    async fn find_user(&self, name: &str) -> Result<Option<UserCredentials>, StoreError> {
        users::find(&self.pool, name).await
    }

    async fn set_password(&self, name: &str, password_hash: &str) -> Result<(), StoreError> {
        users::set_password(&self.pool, name, password_hash).await
    }

    async fn create_login(
        &self,
        hash: &LoginHash,
        user: UserId,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        logins::create(&self.pool, hash, user, now, expires_at).await
    }

    async fn find_login(&self, hash: &LoginHash, now: i64) -> Result<Option<User>, StoreError> {
        logins::find(&self.pool, hash, now).await
    }

    async fn delete_login(&self, hash: &LoginHash) -> Result<(), StoreError> {
        logins::delete(&self.pool, hash).await
    }

    async fn delete_expired_logins(&self, now: i64) -> Result<u64, StoreError> {
        logins::delete_expired(&self.pool, now).await
    }

    async fn create_api_key(
        &self,
        name: &str,
        hash: &ApiKeyHash,
        now: i64,
    ) -> Result<(), StoreError> {
        api_keys::create(&self.pool, name, hash, now).await
    }

    async fn list_api_keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        api_keys::list(&self.pool).await
    }

    async fn revoke_api_key(&self, name: &str) -> Result<(), StoreError> {
        api_keys::revoke(&self.pool, name).await
    }

    async fn find_api_key(&self, hash: &ApiKeyHash) -> Result<Option<String>, StoreError> {
        api_keys::find(&self.pool, hash).await
    }

    async fn list_restrictions(&self) -> Result<Vec<Restriction>, StoreError> {
        restrictions::list(&self.pool).await
    }

    async fn get_restriction(&self, id: i64) -> Result<Option<Restriction>, StoreError> {
        restrictions::get(&self.pool, id).await
    }

    async fn count_restrictions(&self) -> Result<u64, StoreError> {
        restrictions::count(&self.pool).await
    }

    async fn create_restriction(
        &self,
        fields: &RestrictionFields,
        actor: &str,
        now: i64,
    ) -> Result<Restriction, StoreError> {
        restrictions::create(&self.pool, fields, actor, now).await
    }

    async fn update_restriction(
        &self,
        id: i64,
        fields: &RestrictionFields,
        actor: &str,
        now: i64,
    ) -> Result<Restriction, StoreError> {
        restrictions::update(&self.pool, id, fields, actor, now).await
    }

    async fn delete_restriction(
        &self,
        id: i64,
        actor: &str,
        now: i64,
    ) -> Result<Restriction, StoreError> {
        restrictions::delete(&self.pool, id, actor, now).await
    }

    async fn list_audit(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        audit::list(&self.pool, limit).await
    }

    async fn create_chat(
        &self,
        id: &str,
        customer: &str,
        opened_at: i64,
    ) -> Result<(), StoreError> {
        chats::create(&self.pool, id, customer, opened_at).await
    }

    async fn append_chat_message(&self, chat: &str, m: &ChatMessage) -> Result<(), StoreError> {
        chats::append_message(&self.pool, chat, m).await
    }

    async fn chat_history(&self, chat: &str) -> Result<Vec<ChatMessage>, StoreError> {
        chats::history(&self.pool, chat).await
    }

    async fn delete_chat(&self, chat: &str) -> Result<(), StoreError> {
        chats::delete(&self.pool, chat).await
    }

    async fn delete_all_chats(&self) -> Result<u64, StoreError> {
        chats::delete_all(&self.pool).await
    }
}

/// A store in a fresh temporary directory (dropping the directory deletes it).
#[cfg(test)]
async fn open_temp() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).await.unwrap();
    (dir, store)
}

#[cfg(test)]
mod tests {
    use super::open_temp;
    use crate::store::Store;

    #[tokio::test]
    async fn ping() {
        let (_dir, store) = open_temp().await;
        store.ping().await.unwrap();
    }
}
