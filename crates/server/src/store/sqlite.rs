//! SQLite implementation of [`Store`], with sqlx runtime queries (no compile-time checked macros,
//! so building needs no database). Migrations are SQL files embedded with `include_str!` and
//! applied in order inside one `BEGIN IMMEDIATE` transaction each; `PRAGMA user_version` records
//! the schema version, so two processes starting together (server and `cobrowse user`) cannot
//! both apply a migration.

use super::{ApiKey, ApiKeyHash, LoginHash, Store, StoreError, User, UserCredentials, UserId};
use async_trait::async_trait;
use cobrowse_protocol::Role;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Executor, Row, SqliteConnection};
use std::path::Path;
use std::time::Duration;

/// Migrations; the schema version after applying `MIGRATIONS[i]` is `i + 1`. Append only.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_api_keys.sql"),
];

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
        let store = Self { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        conn.execute(sqlx::raw_sql("BEGIN IMMEDIATE")).await?;
        let result = apply_migrations(&mut conn).await;
        let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
        conn.execute(sqlx::raw_sql(end)).await?;
        result
    }
}

// These functions call the `Executor` trait's methods (boxed `Send` futures) rather than the
// `async fn` helpers of `sqlx::query*`: with the latter the compiler cannot prove `run`'s future
// `Send` when a `&mut SqliteConnection` is reborrowed (rust-lang/rust#102211).
async fn apply_migrations(conn: &mut SqliteConnection) -> Result<(), StoreError> {
    let version: i64 = conn
        .fetch_one(sqlx::query("PRAGMA user_version"))
        .await?
        .try_get(0)?;
    let supported = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    if version > supported {
        return Err(StoreError::SchemaTooNew {
            found: version,
            supported,
        });
    }
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(version).unwrap_or(0))
    {
        conn.execute(sqlx::raw_sql(sql)).await?;
        // PRAGMA does not take bound parameters; `i + 1` is a small integer we computed.
        let set_version = format!("PRAGMA user_version = {}", i + 1);
        conn.execute(sqlx::raw_sql(&set_version)).await?;
    }
    Ok(())
}

fn role_to_db(role: Role) -> &'static str {
    match role {
        Role::Agent => "agent",
        Role::Admin => "admin",
    }
}

fn role_from_db(s: &str) -> Result<Role, StoreError> {
    match s {
        "agent" => Ok(Role::Agent),
        "admin" => Ok(Role::Admin),
        other => Err(StoreError::Corrupt(format!("unknown role {other:?}"))),
    }
}

fn user_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<User, StoreError> {
    Ok(User {
        id: UserId(row.try_get("id")?),
        name: row.try_get("name")?,
        role: role_from_db(row.try_get::<&str, _>("role")?)?,
    })
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
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn create_user(
        &self,
        name: &str,
        role: Role,
        password_hash: &str,
    ) -> Result<User, StoreError> {
        let result = sqlx::query(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) \
             RETURNING id, name, role",
        )
        .bind(name)
        .bind(role_to_db(role))
        .bind(password_hash)
        .bind(super::unix_now())
        .fetch_one(&self.pool)
        .await;
        match result {
            Ok(row) => user_from_row(&row),
            Err(e) if is_unique_violation(&e) => Err(StoreError::UserExists(name.to_owned())),
            Err(e) => Err(e.into()),
        }
    }

    async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        sqlx::query("SELECT id, name, role FROM users ORDER BY name")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(user_from_row)
            .collect()
    }

    async fn find_user(&self, name: &str) -> Result<Option<UserCredentials>, StoreError> {
        let row = sqlx::query("SELECT id, name, role, password_hash FROM users WHERE name = ?")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(UserCredentials {
                user: user_from_row(&row)?,
                password_hash: row.try_get("password_hash")?,
            })
        })
        .transpose()
    }

    async fn set_password(&self, name: &str, password_hash: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let id: Option<i64> =
            sqlx::query_scalar("UPDATE users SET password_hash = ? WHERE name = ? RETURNING id")
                .bind(password_hash)
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(id) = id else {
            return Err(StoreError::NoSuchUser(name.to_owned()));
        };
        sqlx::query("DELETE FROM auth_sessions WHERE user_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_login(
        &self,
        hash: &LoginHash,
        user: UserId,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at) \
             VALUES (?, ?, ?, ?)",
        )
        .bind(&hash[..])
        .bind(user.0)
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn find_login(&self, hash: &LoginHash, now: i64) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.name, u.role FROM auth_sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = ? AND s.expires_at > ?",
        )
        .bind(&hash[..])
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn delete_login(&self, hash: &LoginHash) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM auth_sessions WHERE token_hash = ?")
            .bind(&hash[..])
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_expired_logins(&self, now: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM auth_sessions WHERE expires_at <= ?")
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    async fn create_api_key(
        &self,
        name: &str,
        hash: &ApiKeyHash,
        now: i64,
    ) -> Result<(), StoreError> {
        let result =
            sqlx::query("INSERT INTO api_keys (name, key_hash, created_at) VALUES (?, ?, ?)")
                .bind(name)
                .bind(&hash[..])
                .bind(now)
                .execute(&self.pool)
                .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) if is_unique_violation(&e) => Err(StoreError::ApiKeyExists(name.to_owned())),
            Err(e) => Err(e.into()),
        }
    }

    async fn list_api_keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        sqlx::query("SELECT name, created_at FROM api_keys ORDER BY name")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                Ok(ApiKey {
                    name: row.try_get("name")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }

    async fn revoke_api_key(&self, name: &str) -> Result<(), StoreError> {
        let done = sqlx::query("DELETE FROM api_keys WHERE name = ?")
            .bind(name)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NoSuchApiKey(name.to_owned()));
        }
        Ok(())
    }

    async fn find_api_key(&self, hash: &ApiKeyHash) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT name FROM api_keys WHERE key_hash = ?")
                .bind(&hash[..])
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn users_and_logins() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).await.unwrap();
        // Opening again runs no migration twice.
        let store2 = SqliteStore::open(dir.path()).await.unwrap();
        assert_eq!(store.count_users().await.unwrap(), 0);
        let u = store.create_user("alice", Role::Agent, "h1").await.unwrap();
        assert!(matches!(
            store2.create_user("ALICE", Role::Admin, "h2").await,
            Err(StoreError::UserExists(_))
        ));
        assert_eq!(store.list_users().await.unwrap(), vec![u.clone()]);
        let c = store.find_user("alice").await.unwrap().unwrap();
        assert_eq!(c.password_hash, "h1");
        let h = [7u8; 32];
        store.create_login(&h, u.id, 100, 200).await.unwrap();
        assert_eq!(store.find_login(&h, 150).await.unwrap(), Some(u.clone()));
        assert_eq!(store.find_login(&h, 200).await.unwrap(), None);
        store.set_password("alice", "h3").await.unwrap();
        assert_eq!(store.find_login(&h, 150).await.unwrap(), None, "revoked");
        assert!(matches!(
            store.set_password("bob", "x").await,
            Err(StoreError::NoSuchUser(_))
        ));
        store.create_login(&h, u.id, 100, 200).await.unwrap();
        assert_eq!(store.delete_expired_logins(300).await.unwrap(), 1);
        store.ping().await.unwrap();

        store.create_api_key("crm", &[1; 32], 5).await.unwrap();
        assert!(matches!(
            store.create_api_key("CRM", &[2; 32], 6).await,
            Err(StoreError::ApiKeyExists(_))
        ));
        assert_eq!(
            store.list_api_keys().await.unwrap(),
            vec![ApiKey {
                name: "crm".into(),
                created_at: 5
            }]
        );
        assert_eq!(
            store.find_api_key(&[1; 32]).await.unwrap().as_deref(),
            Some("crm")
        );
        assert_eq!(store.find_api_key(&[2; 32]).await.unwrap(), None);
        store.revoke_api_key("crm").await.unwrap();
        assert_eq!(store.find_api_key(&[1; 32]).await.unwrap(), None);
        assert!(matches!(
            store.revoke_api_key("crm").await,
            Err(StoreError::NoSuchApiKey(_))
        ));
    }
}
