//! Users (`users`): accounts with their role and argon2 password hash. Names are unique ignoring
//! ASCII case (the column's `COLLATE NOCASE`).

use super::{is_unique_violation, logins};
use crate::store::{StoreError, User, UserCredentials, UserId, unix_now};
use cobrowse_protocol::Role;
use sqlx::Row;
use sqlx::sqlite::{SqlitePool, SqliteRow};

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

/// A user from a row with the columns `id`, `name` and `role`.
pub(super) fn user_from_row(row: &SqliteRow) -> Result<User, StoreError> {
    Ok(User {
        id: UserId(row.try_get("id")?),
        name: row.try_get("name")?,
        role: role_from_db(row.try_get::<&str, _>("role")?)?,
    })
}

pub(super) async fn count(pool: &SqlitePool) -> Result<u64, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(pool)
        .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

pub(super) async fn create(
    pool: &SqlitePool,
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
    .bind(unix_now())
    .fetch_one(pool)
    .await;
    match result {
        Ok(row) => user_from_row(&row),
        Err(e) if is_unique_violation(&e) => Err(StoreError::UserExists(name.to_owned())),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn list(pool: &SqlitePool) -> Result<Vec<User>, StoreError> {
    sqlx::query("SELECT id, name, role FROM users ORDER BY name")
        .fetch_all(pool)
        .await?
        .iter()
        .map(user_from_row)
        .collect()
}

pub(super) async fn find(
    pool: &SqlitePool,
    name: &str,
) -> Result<Option<UserCredentials>, StoreError> {
    let row = sqlx::query("SELECT id, name, role, password_hash FROM users WHERE name = ?")
        .bind(name)
        .fetch_optional(pool)
        .await?;
    row.map(|row| {
        Ok(UserCredentials {
            user: user_from_row(&row)?,
            password_hash: row.try_get("password_hash")?,
        })
    })
    .transpose()
}

/// Sets the password hash and revokes the user's logins, in one transaction.
pub(super) async fn set_password(
    pool: &SqlitePool,
    name: &str,
    password_hash: &str,
) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    let id: Option<i64> =
        sqlx::query_scalar("UPDATE users SET password_hash = ? WHERE name = ? RETURNING id")
            .bind(password_hash)
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(id) = id else {
        return Err(StoreError::NoSuchUser(name.to_owned()));
    };
    logins::delete_all_of(&mut tx, UserId(id)).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::open_temp;
    use crate::store::{Store, StoreError};
    use cobrowse_protocol::Role;

    #[tokio::test]
    async fn names_unique_ignoring_case() {
        let (dir, store) = open_temp().await;
        let store2 = crate::store::SqliteStore::open(dir.path()).await.unwrap();
        assert_eq!(store.count_users().await.unwrap(), 0);
        let u = store.create_user("alice", Role::Agent, "h1").await.unwrap();
        assert!(matches!(
            store2.create_user("ALICE", Role::Admin, "h2").await,
            Err(StoreError::UserExists(_))
        ));
        assert_eq!(store.count_users().await.unwrap(), 1);
        assert_eq!(store.list_users().await.unwrap(), vec![u.clone()]);
        let c = store.find_user("alice").await.unwrap().unwrap();
        assert_eq!((c.user, c.password_hash.as_str()), (u, "h1"));
        store.set_password("alice", "h3").await.unwrap();
        let c = store.find_user("alice").await.unwrap().unwrap();
        assert_eq!(c.password_hash, "h3");
        assert!(matches!(
            store.set_password("bob", "x").await,
            Err(StoreError::NoSuchUser(_))
        ));
    }
}
