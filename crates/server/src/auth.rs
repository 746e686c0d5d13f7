//! Credentials: password hashing (argon2id, default parameters), login cookie values and their
//! hashes, generated passwords. No I/O besides the hashing threads.
//!
//! Used by the login handler, the agent socket upgrade, the first-start administrator and the
//! `cobrowse user` commands. Hashing runs on a few dedicated threads (one per core) behind a
//! [`Semaphore`] owned by the caller ([`Hashing`]), so a burst of logins cannot exhaust memory
//! (argon2id's default parameters use 19 MiB per hash). Dedicated threads rather than tokio's
//! blocking pool: the allocator keeps each thread's freed argon2 memory in that thread's arena,
//! and the blocking pool runs hashes on whichever of its many threads is free, so the memory kept
//! grew with the number of threads that ever hashed (≈ 20 MB per concurrent login, ≈ 300 MB after
//! 1,000 logins); on a fixed set of threads it is bounded by their number.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex, OnceLock, mpsc};
use tokio::sync::Semaphore;

/// Name of the login cookie.
pub const COOKIE_NAME: &str = "cobrowse_auth";

/// Longest password accepted (argon2 accepts more; nobody types more, and it bounds the work).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Hashing failures (a fault of the RNG or the blocking pool, never a wrong password).
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed: {0}")]
    Argon2(String),
    #[error("password hashing task failed: {0}")]
    Join(#[from] tokio::task::JoinError),
    #[error("password hashing limiter or thread gone")]
    Closed,
}

/// Runs argon2 off the async threads, a bounded number at a time.
#[derive(Debug, Clone)]
pub struct Hashing {
    // Semaphore: bounds concurrent argon2 computations (19 MiB and ~one core each) to the number
    // of cores, so a flood of logins queues instead of eating memory and starving the runtime.
    permits: Arc<Semaphore>,
    /// A hash of a random password, verified against when the user does not exist, so an unknown
    /// user costs the same time as a wrong password.
    decoy: Arc<OnceLock<String>>,
}

impl Default for Hashing {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Self {
            permits: Arc::new(Semaphore::new(cores.max(2))),
            decoy: Arc::new(OnceLock::new()),
        }
    }
}

impl Hashing {
    /// Computes the decoy hash in the background, so that the first login of an unknown user
    /// does not take twice as long as a wrong password.
    pub fn warm_up(&self) {
        let decoy = self.decoy.clone();
        tokio::spawn(on_hashing_thread(move || {
            if decoy.get().is_none()
                && let Ok(hash) = hash_password_blocking(&generate_password())
            {
                let _ = decoy.set(hash);
            }
        }));
    }

    /// Hashes `password` into an argon2id PHC string.
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| HashError::Closed)?;
        on_hashing_thread(move || hash_password_blocking(&password)).await?
    }

    /// Whether `password` matches `hash`. With `hash == None` (unknown user) it does the same work
    /// against a decoy hash and answers `false`.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, HashError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| HashError::Closed)?;
        let decoy = self.decoy.clone();
        on_hashing_thread(move || {
            let (hash, real) = match hash {
                Some(h) => (h, true),
                None => {
                    let decoy = match decoy.get() {
                        Some(d) => d.clone(),
                        None => {
                            let d = hash_password_blocking(&generate_password())?;
                            decoy.get_or_init(|| d).clone()
                        }
                    };
                    (decoy, false)
                }
            };
            let ok = Argon2::default()
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok();
            Ok(ok && real)
        })
        .await?
    }
}

/// A job of the hashing threads.
type Job = Box<dyn FnOnce() + Send>;

/// Runs `work` on one of the process's hashing threads (started at first use, one per core, at
/// least two) and waits for its result without blocking the runtime. The callers' semaphore
/// bounds how many jobs wait at once.
async fn on_hashing_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, HashError> {
    static JOBS: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();
    let jobs = JOBS.get_or_init(|| {
        let (sender, receiver) = mpsc::channel::<Job>();
        // Lock: the threads take turns receiving; held only while waiting for the next job.
        let receiver = Arc::new(Mutex::new(receiver));
        let threads = std::thread::available_parallelism()
            .map_or(2, std::num::NonZero::get)
            .max(2);
        for _ in 0..threads {
            let receiver = receiver.clone();
            let spawned = std::thread::Builder::new()
                .name("argon2".to_owned())
                .spawn(move || {
                    loop {
                        let job = receiver
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .recv();
                        match job {
                            // A panicking job drops its result sender (the caller sees
                            // `Closed`); the thread lives on.
                            Ok(job) => {
                                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                            }
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        Mutex::new(sender)
    });
    let (done, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(work());
    });
    jobs.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .send(job)
        .map_err(|_| HashError::Closed)?;
    result.await.map_err(|_| HashError::Closed)
}

/// Hashes a password on the current thread (argon2id, default parameters, random salt).
pub fn hash_password_blocking(password: &str) -> Result<String, HashError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| HashError::Argon2(e.to_string()))
}

/// A new random password: 24 characters of base64url (144 bits).
pub fn generate_password() -> String {
    let mut bytes = [0u8; 18];
    rand::fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new login: the cookie value (random, 256 bits, base64url) and the hash to store.
pub fn new_login() -> (String, [u8; 32]) {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    let value = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_login(&value);
    (value, hash)
}

/// SHA-256 of a login cookie's value (what the store keeps).
pub fn hash_login(value: &str) -> [u8; 32] {
    Sha256::digest(value.as_bytes()).into()
}

/// The value of the `cobrowse_auth` cookie among the request's `Cookie` headers.
pub fn login_cookie<'a>(cookie_headers: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    cookie_headers
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.trim_matches('"'))
        .filter(|v| !v.is_empty())
}

/// Checks a user name for `cobrowse user add`: 1 to 64 characters among letters, digits, `.`,
/// `_`, `-` and `@`.
pub fn validate_user_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() || name.len() > 64 {
        return Err("a user name has 1 to 64 characters");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err("a user name may only contain letters, digits, '.', '_', '-' and '@'");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_and_verify() {
        let h = Hashing::default();
        let hash = h.hash("correct horse".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(
            h.verify("correct horse".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(!h.verify("wrong".into(), Some(hash)).await.unwrap());
        assert!(!h.verify("anything".into(), None).await.unwrap());
    }

    #[test]
    fn cookies() {
        let (v, hash) = new_login();
        assert_eq!(v.len(), 43);
        assert_eq!(hash_login(&v), hash);
        let headers = ["a=1; cobrowse_auth=xyz ; b=2", "c=3"];
        assert_eq!(login_cookie(headers.iter().copied()), Some("xyz"));
        assert_eq!(login_cookie(["cobrowse_auth="].iter().copied()), None);
        assert!(generate_password().len() >= 16);
    }

    #[test]
    fn user_names() {
        assert!(validate_user_name("alice.b-c_d@x").is_ok());
        assert!(validate_user_name("").is_err());
        assert!(validate_user_name("a b").is_err());
    }
}
