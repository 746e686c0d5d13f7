//! The schema: SQL files embedded with `include_str!` and applied in order inside one
//! `BEGIN IMMEDIATE` transaction each; `PRAGMA user_version` records the schema version, so two
//! processes starting together (server and `cobrowse user`) cannot both apply a migration.

use crate::store::StoreError;
use sqlx::sqlite::SqlitePool;
use sqlx::{Executor, Row, SqliteConnection};

/// Migrations; the schema version after applying `MIGRATIONS[i]` is `i + 1`. Append only.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_api_keys.sql"),
    include_str!("migrations/0003_restrictions.sql"),
    include_str!("migrations/0004_chats.sql"),
];

/// Brings the schema up to date, or fails with [`StoreError::SchemaTooNew`] when the database
/// was written by a newer server.
pub(super) async fn migrate(pool: &SqlitePool) -> Result<(), StoreError> {
    let mut conn = pool.acquire().await?;
    conn.execute(sqlx::raw_sql("BEGIN IMMEDIATE")).await?;
    let result = apply_migrations(&mut conn).await;
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    conn.execute(sqlx::raw_sql(end)).await?;
    result
}

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

#[cfg(test)]
mod tests {
    use super::super::{SqliteStore, open_temp};
    use super::MIGRATIONS;
    use crate::store::StoreError;
    use sqlx::Executor;

    async fn version(store: &SqliteStore) -> i64 {
        sqlx::query_scalar("PRAGMA user_version")
            .fetch_one(&store.pool)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn migrations_applied_once_and_newer_schemas_refused() {
        let (dir, store) = open_temp().await;
        assert_eq!(
            version(&store).await,
            i64::try_from(MIGRATIONS.len()).unwrap()
        );
        // Opening again applies nothing (a second `CREATE TABLE users` would fail).
        let again = SqliteStore::open(dir.path()).await.unwrap();
        assert_eq!(
            version(&again).await,
            i64::try_from(MIGRATIONS.len()).unwrap()
        );
        let newer = i64::try_from(MIGRATIONS.len()).unwrap() + 1;
        store
            .pool
            .execute(sqlx::raw_sql(&format!("PRAGMA user_version = {newer}")))
            .await
            .unwrap();
        match SqliteStore::open(dir.path()).await {
            Err(StoreError::SchemaTooNew { found, supported }) => {
                assert_eq!((found, supported), (newer, newer - 1));
            }
            other => panic!("expected SchemaTooNew, got {other:?}"),
        }
    }
}
