//! API keys of contact-centre integrations: the `cobrowse apikey create | list | revoke` commands
//! (called from `main`) and the check of `Authorization: Bearer <key>` on the integration
//! endpoints (called by `crate::http`).
//!
//! A key is `cbk_` + 32 random bytes in base64url (no padding). Only its SHA-256 is stored
//! ([`Store::create_api_key`]); the key is shown once, when created. A key is looked up by its
//! hash: with 256 random bits, knowing part of a hash helps nobody guess a key.

use crate::store::{ApiKeyHash, Store, StoreError};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// Prefix of every API key (recognisable in logs and secret scanners).
pub const KEY_PREFIX: &str = "cbk_";

/// Why an API key command failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiKeyError {
    #[error("invalid API key name: {0}")]
    InvalidName(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn validate_name(name: &str) -> Result<(), ApiKeyError> {
    if name.is_empty() || name.len() > 64 {
        return Err(ApiKeyError::InvalidName("a name has 1 to 64 characters"));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err(ApiKeyError::InvalidName(
            "a name may only contain letters, digits, '.', '_', '-' and '@'",
        ));
    }
    Ok(())
}

/// SHA-256 of a key, as stored.
pub fn hash(key: &str) -> ApiKeyHash {
    Sha256::digest(key.as_bytes()).into()
}

/// Creates an API key named `name` and returns the key (to be shown once).
pub async fn create(store: &dyn Store, name: &str) -> Result<String, ApiKeyError> {
    validate_name(name)?;
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    let key = format!("{KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    store
        .create_api_key(name, &hash(&key), crate::store::unix_now())
        .await?;
    Ok(key)
}

/// The name of the API key in an `Authorization: Bearer <key>` header value, when it is one.
pub async fn authenticate(
    store: &dyn Store,
    authorization: Option<&str>,
) -> Result<Option<String>, StoreError> {
    let Some(value) = authorization else {
        return Ok(None);
    };
    let Some((scheme, key)) = value.trim().split_once(' ') else {
        return Ok(None);
    };
    let key = key.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || !key.starts_with(KEY_PREFIX) {
        return Ok(None);
    }
    store.find_api_key(&hash(key)).await
}
