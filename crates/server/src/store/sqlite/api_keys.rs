//! Integration API keys (`api_keys`): a name (unique ignoring ASCII case) and the SHA-256 of the
//! key, which itself is shown once and never stored.

use super::is_unique_violation;
use crate::store::{ApiKey, ApiKeyHash, StoreError};
use sqlx::Row;
use sqlx::sqlite::SqlitePool;

pub(super) async fn create(
    pool: &SqlitePool,
    name: &str,
    hash: &ApiKeyHash,
    now: i64,
) -> Result<(), StoreError> {
    let result = sqlx::query("INSERT INTO api_keys (name, key_hash, created_at) VALUES (?, ?, ?)")
        .bind(name)
        .bind(&hash[..])
        .bind(now)
        .execute(pool)
        .await;
    match result {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(StoreError::ApiKeyExists(name.to_owned())),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn list(pool: &SqlitePool) -> Result<Vec<ApiKey>, StoreError> {
    sqlx::query("SELECT name, created_at FROM api_keys ORDER BY name")
        .fetch_all(pool)
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

pub(super) async fn revoke(pool: &SqlitePool, name: &str) -> Result<(), StoreError> {
    let done = sqlx::query("DELETE FROM api_keys WHERE name = ?")
        .bind(name)
        .execute(pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NoSuchApiKey(name.to_owned()));
    }
    Ok(())
}

/// The name of the API key with this hash.
pub(super) async fn find(
    pool: &SqlitePool,
    hash: &ApiKeyHash,
) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT name FROM api_keys WHERE key_hash = ?")
            .bind(&hash[..])
            .fetch_optional(pool)
            .await?,
    )
}

#[cfg(test)]
mod tests {
    use super::super::open_temp;
    use crate::store::{ApiKey, Store, StoreError};

    #[tokio::test]
    async fn create_find_and_revoke() {
        let (_dir, store) = open_temp().await;
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
