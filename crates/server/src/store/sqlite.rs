//! SQLite implementation of [`Store`], with sqlx runtime queries (no compile-time checked macros,
//! so building needs no database). Migrations are SQL files embedded with `include_str!` and
//! applied in order inside one `BEGIN IMMEDIATE` transaction each; `PRAGMA user_version` records
//! the schema version, so two processes starting together (server and `cobrowse user`) cannot
//! both apply a migration.

use super::{
    ApiKey, ApiKeyHash, LoginHash, RestrictionFields, Store, StoreError, User, UserCredentials,
    UserId,
};
use async_trait::async_trait;
use cobrowse_protocol::{
    AuditAction, AuditEntry, ChatMessage, ChatSender, Restriction, RestrictionKind, Role,
};
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
    include_str!("migrations/0003_restrictions.sql"),
    include_str!("migrations/0004_chats.sql"),
];

/// Columns of a restriction, in the order [`restriction_from_row`] reads them by name.
const RESTRICTION_COLUMNS: &str = "id, selector, kind, description, group_name, url_pattern, \
    enabled, created_at, updated_at, updated_by";

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

    /// A write transaction that holds SQLite's write lock from its start (`BEGIN IMMEDIATE`), so
    /// that reading the row before changing it cannot race another writer.
    async fn write_transaction(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
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

fn kind_to_db(kind: RestrictionKind) -> &'static str {
    match kind {
        RestrictionKind::Control => "control",
        RestrictionKind::Mask => "mask",
    }
}

fn kind_from_db(s: &str) -> Result<RestrictionKind, StoreError> {
    match s {
        "control" => Ok(RestrictionKind::Control),
        "mask" => Ok(RestrictionKind::Mask),
        other => Err(StoreError::Corrupt(format!(
            "unknown restriction kind {other:?}"
        ))),
    }
}

fn action_to_db(action: AuditAction) -> &'static str {
    match action {
        AuditAction::Create => "create",
        AuditAction::Update => "update",
        AuditAction::Delete => "delete",
    }
}

fn action_from_db(s: &str) -> Result<AuditAction, StoreError> {
    match s {
        "create" => Ok(AuditAction::Create),
        "update" => Ok(AuditAction::Update),
        "delete" => Ok(AuditAction::Delete),
        other => Err(StoreError::Corrupt(format!(
            "unknown audit action {other:?}"
        ))),
    }
}

fn restriction_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<Restriction, StoreError> {
    Ok(Restriction {
        id: row.try_get("id")?,
        selector: row.try_get("selector")?,
        kind: kind_from_db(row.try_get::<&str, _>("kind")?)?,
        description: row.try_get("description")?,
        group: row.try_get("group_name")?,
        url_pattern: row.try_get("url_pattern")?,
        enabled: row.try_get("enabled")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        updated_by: row.try_get("updated_by")?,
    })
}

/// A restriction as stored in an audit entry (JSON of the REST representation).
fn audit_json(r: Option<&Restriction>) -> Result<Option<String>, StoreError> {
    r.map(|r| serde_json::to_string(r).map_err(|e| StoreError::Corrupt(e.to_string())))
        .transpose()
}

fn audit_restriction(json: Option<String>) -> Result<Option<Restriction>, StoreError> {
    json.map(|j| {
        serde_json::from_str(&j)
            .map_err(|e| StoreError::Corrupt(format!("audit entry restriction: {e}")))
    })
    .transpose()
}

fn audit_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        id: row.try_get("id")?,
        at: row.try_get("at")?,
        actor: row.try_get("actor")?,
        action: action_from_db(row.try_get::<&str, _>("action")?)?,
        restriction_id: row.try_get("restriction_id")?,
        before: audit_restriction(row.try_get("before")?)?,
        after: audit_restriction(row.try_get("after")?)?,
    })
}

/// Writes one audit entry inside the change's transaction.
async fn write_audit(
    conn: &mut SqliteConnection,
    at: i64,
    actor: &str,
    action: AuditAction,
    restriction_id: i64,
    before: Option<&Restriction>,
    after: Option<&Restriction>,
) -> Result<(), StoreError> {
    let query = sqlx::query(
        "INSERT INTO restriction_audit (at, actor, action, restriction_id, before, after) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(at)
    .bind(actor)
    .bind(action_to_db(action))
    .bind(restriction_id)
    .bind(audit_json(before)?)
    .bind(audit_json(after)?);
    conn.execute(query).await?;
    Ok(())
}

async fn find_restriction(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<Option<Restriction>, StoreError> {
    let sql = format!("SELECT {RESTRICTION_COLUMNS} FROM restrictions WHERE id = ?");
    let row = conn.fetch_optional(sqlx::query(&sql).bind(id)).await?;
    row.as_ref().map(restriction_from_row).transpose()
}

fn chat_message_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<ChatMessage, StoreError> {
    let sender = match row.try_get::<&str, _>("sender")? {
        "customer" => ChatSender::Customer,
        "agent" => ChatSender::Agent,
        other => {
            return Err(StoreError::Corrupt(format!(
                "unknown chat sender {other:?}"
            )));
        }
    };
    let cobrowse: Option<String> = row.try_get("cobrowse")?;
    Ok(ChatMessage {
        seq: row.try_get("seq")?,
        sender,
        name: row.try_get("name")?,
        text: row.try_get("text")?,
        at: row.try_get("at")?,
        cobrowse: cobrowse
            .map(|t| {
                t.parse()
                    .map_err(|_| StoreError::Corrupt(format!("chat token {t:?}")))
            })
            .transpose()?,
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

    async fn list_restrictions(&self) -> Result<Vec<Restriction>, StoreError> {
        let sql = format!(
            "SELECT {RESTRICTION_COLUMNS} FROM restrictions \
             ORDER BY group_name COLLATE NOCASE, group_name, id"
        );
        sqlx::query(&sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(restriction_from_row)
            .collect()
    }

    async fn get_restriction(&self, id: i64) -> Result<Option<Restriction>, StoreError> {
        let sql = format!("SELECT {RESTRICTION_COLUMNS} FROM restrictions WHERE id = ?");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(restriction_from_row).transpose()
    }

    async fn count_restrictions(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM restrictions")
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn create_restriction(
        &self,
        fields: &RestrictionFields,
        actor: &str,
        now: i64,
    ) -> Result<Restriction, StoreError> {
        let mut tx = self.write_transaction().await?;
        let sql = format!(
            "INSERT INTO restrictions (selector, kind, description, group_name, url_pattern, \
             enabled, created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) \
             RETURNING {RESTRICTION_COLUMNS}"
        );
        let query = sqlx::query(&sql)
            .bind(&fields.selector)
            .bind(kind_to_db(fields.kind))
            .bind(&fields.description)
            .bind(&fields.group)
            .bind(&fields.url_pattern)
            .bind(fields.enabled)
            .bind(now)
            .bind(now)
            .bind(actor);
        let row = tx.fetch_one(query).await?;
        let created = restriction_from_row(&row)?;
        write_audit(
            &mut tx,
            now,
            actor,
            AuditAction::Create,
            created.id,
            None,
            Some(&created),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn update_restriction(
        &self,
        id: i64,
        fields: &RestrictionFields,
        actor: &str,
        now: i64,
    ) -> Result<Restriction, StoreError> {
        let mut tx = self.write_transaction().await?;
        let Some(before) = find_restriction(&mut tx, id).await? else {
            return Err(StoreError::NoSuchRestriction(id));
        };
        let sql = format!(
            "UPDATE restrictions SET selector = ?, kind = ?, description = ?, group_name = ?, \
             url_pattern = ?, enabled = ?, updated_at = ?, updated_by = ? WHERE id = ? \
             RETURNING {RESTRICTION_COLUMNS}"
        );
        let query = sqlx::query(&sql)
            .bind(&fields.selector)
            .bind(kind_to_db(fields.kind))
            .bind(&fields.description)
            .bind(&fields.group)
            .bind(&fields.url_pattern)
            .bind(fields.enabled)
            .bind(now)
            .bind(actor)
            .bind(id);
        let row = tx.fetch_one(query).await?;
        let after = restriction_from_row(&row)?;
        write_audit(
            &mut tx,
            now,
            actor,
            AuditAction::Update,
            id,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn delete_restriction(
        &self,
        id: i64,
        actor: &str,
        now: i64,
    ) -> Result<Restriction, StoreError> {
        let mut tx = self.write_transaction().await?;
        let Some(before) = find_restriction(&mut tx, id).await? else {
            return Err(StoreError::NoSuchRestriction(id));
        };
        tx.execute(sqlx::query("DELETE FROM restrictions WHERE id = ?").bind(id))
            .await?;
        write_audit(
            &mut tx,
            now,
            actor,
            AuditAction::Delete,
            id,
            Some(&before),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(before)
    }

    async fn list_audit(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        sqlx::query(
            "SELECT id, at, actor, action, restriction_id, before, after \
             FROM restriction_audit ORDER BY id DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(audit_from_row)
        .collect()
    }

    async fn create_chat(
        &self,
        id: &str,
        customer: &str,
        opened_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO chats (id, customer_name, opened_at) VALUES (?, ?, ?)")
            .bind(id)
            .bind(customer)
            .bind(opened_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn append_chat_message(&self, chat: &str, m: &ChatMessage) -> Result<(), StoreError> {
        let sender = match m.sender {
            ChatSender::Customer => "customer",
            ChatSender::Agent => "agent",
        };
        sqlx::query(
            "INSERT INTO chat_messages (chat_id, seq, sender, name, text, at, cobrowse) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(chat)
        .bind(m.seq)
        .bind(sender)
        .bind(&m.name)
        .bind(&m.text)
        .bind(m.at)
        .bind(m.cobrowse.as_ref().map(|t| t.as_str().to_owned()))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn chat_history(&self, chat: &str) -> Result<Vec<ChatMessage>, StoreError> {
        sqlx::query(
            "SELECT seq, sender, name, text, at, cobrowse FROM chat_messages \
             WHERE chat_id = ? ORDER BY seq",
        )
        .bind(chat)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(chat_message_from_row)
        .collect()
    }

    async fn delete_chat(&self, chat: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM chats WHERE id = ?")
            .bind(chat)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_all_chats(&self) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM chats").execute(&self.pool).await?;
        Ok(done.rows_affected())
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

    #[tokio::test]
    async fn restrictions_and_their_audit() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).await.unwrap();
        // The demo seed, with its audit entries.
        let seeded = store.list_restrictions().await.unwrap();
        assert_eq!(
            seeded
                .iter()
                .map(|r| r.selector.as_str())
                .collect::<Vec<_>>(),
            ["#card, #cvv", ".account-number"]
        );
        assert!(seeded.iter().all(|r| r.group == "Demo shop"
            && r.url_pattern.as_deref() == Some("/demo/")
            && r.kind == RestrictionKind::Mask
            && r.enabled
            && r.updated_by == "system"));
        let audit = store.list_audit(10).await.unwrap();
        assert_eq!(audit.len(), 2);
        assert_eq!(
            audit[0].after.as_ref(),
            seeded.get(1),
            "seed audit is the row"
        );
        assert_eq!(audit[1].after.as_ref(), seeded.first());

        let fields = RestrictionFields {
            selector: "#ssn".into(),
            kind: RestrictionKind::Control,
            description: String::new(),
            group: "default".into(),
            url_pattern: None,
            enabled: false,
        };
        let created = store
            .create_restriction(&fields, "boss", 100)
            .await
            .unwrap();
        assert_eq!(created.id, 3);
        assert_eq!((created.created_at, created.updated_at), (100, 100));
        assert_eq!(store.count_restrictions().await.unwrap(), 3);
        // Ordered by group ignoring case: "default" before "Demo shop".
        let groups: Vec<String> = store
            .list_restrictions()
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.group)
            .collect();
        assert_eq!(groups, ["default", "Demo shop", "Demo shop"]);

        let changed = RestrictionFields {
            url_pattern: Some("^https://".into()),
            enabled: true,
            ..fields.clone()
        };
        let updated = store
            .update_restriction(created.id, &changed, "apikey:ci", 200)
            .await
            .unwrap();
        assert_eq!(RestrictionFields::of(&updated), changed);
        assert_eq!((updated.created_at, updated.updated_at), (100, 200));
        assert_eq!(updated.updated_by, "apikey:ci");
        assert_eq!(
            store.get_restriction(created.id).await.unwrap(),
            Some(updated.clone())
        );

        let deleted = store
            .delete_restriction(created.id, "boss", 300)
            .await
            .unwrap();
        assert_eq!(deleted, updated);
        assert_eq!(store.get_restriction(created.id).await.unwrap(), None);
        for result in [
            store.delete_restriction(created.id, "boss", 301).await,
            store
                .update_restriction(created.id, &fields, "boss", 301)
                .await,
        ] {
            assert!(matches!(result, Err(StoreError::NoSuchRestriction(3))));
        }
        // Ids are not reused.
        let again = store
            .create_restriction(&fields, "boss", 400)
            .await
            .unwrap();
        assert_eq!(again.id, 4);

        let audit = store.list_audit(4).await.unwrap();
        let summary: Vec<(AuditAction, &str, i64, bool, bool)> = audit
            .iter()
            .map(|e| {
                (
                    e.action,
                    e.actor.as_str(),
                    e.restriction_id,
                    e.before.is_some(),
                    e.after.is_some(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (AuditAction::Create, "boss", 4, false, true),
                (AuditAction::Delete, "boss", 3, true, false),
                (AuditAction::Update, "apikey:ci", 3, true, true),
                (AuditAction::Create, "boss", 3, false, true),
            ]
        );
        assert_eq!(audit[2].before.as_ref(), Some(&created));
        assert_eq!(audit[2].after.as_ref(), Some(&updated));
        assert_eq!(audit[2].at, 200);
        assert_eq!(store.list_audit(100).await.unwrap().len(), 6);
    }
}
