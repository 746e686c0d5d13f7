//! User administration: the first administrator, and the `cobrowse user add | list | passwd`
//! commands (which call these functions from `main`). Validates names and passwords, hashes with
//! [`Hashing`], stores with [`Store`].

use crate::auth::{self, HashError, Hashing, MAX_PASSWORD_BYTES};
use crate::store::{Store, StoreError, User};
use cobrowse_protocol::Role;

/// Name of the administrator created on first start.
pub const FIRST_ADMIN: &str = "admin";

/// Why a user command failed.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("invalid user name: {0}")]
    InvalidName(&'static str),
    #[error("the password is empty")]
    EmptyPassword,
    #[error("the password is longer than {MAX_PASSWORD_BYTES} bytes")]
    PasswordTooLong,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Hash(#[from] HashError),
}

fn check_password(password: &str) -> Result<(), AccountError> {
    if password.is_empty() {
        return Err(AccountError::EmptyPassword);
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(AccountError::PasswordTooLong);
    }
    Ok(())
}

/// Creates a user.
pub async fn add_user(
    store: &dyn Store,
    hashing: &Hashing,
    name: &str,
    role: Role,
    password: &str,
) -> Result<User, AccountError> {
    auth::validate_user_name(name).map_err(AccountError::InvalidName)?;
    check_password(password)?;
    let hash = hashing.hash(password.to_owned()).await?;
    Ok(store.create_user(name, role, &hash).await?)
}

/// Changes a user's password (and revokes their logins).
pub async fn set_password(
    store: &dyn Store,
    hashing: &Hashing,
    name: &str,
    password: &str,
) -> Result<(), AccountError> {
    check_password(password)?;
    let hash = hashing.hash(password.to_owned()).await?;
    Ok(store.set_password(name, &hash).await?)
}

/// When there is no user at all, creates [`FIRST_ADMIN`] with a random password and returns the
/// password (to be shown once).
pub async fn ensure_admin(
    store: &dyn Store,
    hashing: &Hashing,
) -> Result<Option<String>, AccountError> {
    if store.count_users().await? > 0 {
        return Ok(None);
    }
    let password = auth::generate_password();
    match add_user(store, hashing, FIRST_ADMIN, Role::Admin, &password).await {
        Ok(_) => Ok(Some(password)),
        // Another process (a second server, `cobrowse user add`) got there first.
        Err(AccountError::Store(StoreError::UserExists(_))) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `agent` / `admin`, as shown by `cobrowse user list`.
pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Agent => "agent",
        Role::Admin => "admin",
    }
}
