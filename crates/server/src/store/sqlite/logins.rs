//! Logins (`auth_sessions`): the SHA-256 of each login cookie, its user and expiry. A login
//! lives until it expires, its user logs out or its user's password changes.

use super::users::user_from_row;
use crate::store::{LoginHash, StoreError, User, UserId};
use sqlx::sqlite::SqlitePool;
use sqlx::{Executor, SqliteConnection};

pub(super) async fn create(
    pool: &SqlitePool,
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
    .execute(pool)
    .await?;
    Ok(())
}

/// The user of an unexpired login.
pub(super) async fn find(
    pool: &SqlitePool,
    hash: &LoginHash,
    now: i64,
) -> Result<Option<User>, StoreError> {
    let row = sqlx::query(
        "SELECT u.id, u.name, u.role FROM auth_sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = ? AND s.expires_at > ?",
    )
    .bind(&hash[..])
    .bind(now)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(user_from_row).transpose()
}

pub(super) async fn delete(pool: &SqlitePool, hash: &LoginHash) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM auth_sessions WHERE token_hash = ?")
        .bind(&hash[..])
        .execute(pool)
        .await?;
    Ok(())
}

pub(super) async fn delete_expired(pool: &SqlitePool, now: i64) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM auth_sessions WHERE expires_at <= ?")
        .bind(now)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

/// Revokes every login of `user`, inside the caller's transaction (a password change).
pub(super) async fn delete_all_of(
    conn: &mut SqliteConnection,
    user: UserId,
) -> Result<(), StoreError> {
    conn.execute(sqlx::query("DELETE FROM auth_sessions WHERE user_id = ?").bind(user.0))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::open_temp;
    use crate::store::Store;
    use cobrowse_protocol::Role;

    #[tokio::test]
    async fn expire_log_out_and_end_with_a_password_change() {
        let (_dir, store) = open_temp().await;
        let u = store.create_user("alice", Role::Agent, "h1").await.unwrap();
        let h = [7u8; 32];
        store.create_login(&h, u.id, 100, 200).await.unwrap();
        assert_eq!(store.find_login(&h, 150).await.unwrap(), Some(u.clone()));
        assert_eq!(store.find_login(&h, 200).await.unwrap(), None, "expired");
        store.set_password("alice", "h3").await.unwrap();
        assert_eq!(store.find_login(&h, 150).await.unwrap(), None, "revoked");
        store.create_login(&h, u.id, 100, 200).await.unwrap();
        store.delete_login(&h).await.unwrap();
        assert_eq!(store.find_login(&h, 150).await.unwrap(), None, "logged out");
        store.create_login(&h, u.id, 100, 200).await.unwrap();
        store.create_login(&[8; 32], u.id, 100, 400).await.unwrap();
        assert_eq!(store.delete_expired_logins(300).await.unwrap(), 1);
        assert_eq!(store.find_login(&[8; 32], 300).await.unwrap(), Some(u));
    }
}
