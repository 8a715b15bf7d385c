//! The password policy and argon2, off the async workers.

use std::sync::OnceLock;

use registry::{PasswordHash, hash_password, verify_password};

use crate::error::AuthError;

const MIN_PASSWORD_CHARS: usize = 8;
pub(crate) const MAX_PASSWORD_CHARS: usize = 128;

/// The password policy for new passwords, chosen by a person or by an operator.
pub fn check_strength(password: &str) -> Result<(), AuthError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(AuthError::WeakPassword(
            "the new password must have at least 8 characters",
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(AuthError::WeakPassword(
            "the new password must have at most 128 characters",
        ));
    }
    let kinds = [
        password.chars().any(char::is_lowercase),
        password.chars().any(char::is_uppercase),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if kinds.iter().filter(|k| **k).count() < 3 {
        return Err(AuthError::WeakPassword(
            "the new password must mix at least three of: lower case, upper case, digits, symbols",
        ));
    }
    Ok(())
}

/// argon2 takes tens of milliseconds of CPU: off the async workers.
pub(crate) async fn verify(password: &str, hash: PasswordHash) -> Result<bool, AuthError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(AuthError::internal)
}

/// Hashes a new password off the async workers. Not bounded by the authenticator's limit
/// on password checks: operators creating people call it, and logins never do.
pub async fn hash(password: &str) -> Result<PasswordHash, AuthError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(AuthError::internal)?
        .map_err(AuthError::internal)
}

/// The process-wide bound on argon2 runs for logins and password changes, and their
/// count (for tests and metrics).
#[derive(Debug)]
pub(crate) struct PasswordChecks {
    permits: tokio::sync::Semaphore,
    verified: std::sync::atomic::AtomicU64,
}

impl PasswordChecks {
    pub(crate) fn new(at_once: usize) -> Self {
        PasswordChecks {
            permits: tokio::sync::Semaphore::new(at_once.max(1)),
            verified: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Checks a password, waiting for a turn when `at_once` checks are running.
    pub(crate) async fn verify(
        &self,
        password: &str,
        hash: PasswordHash,
    ) -> Result<bool, AuthError> {
        let _turn = self.permits.acquire().await.map_err(AuthError::internal)?;
        self.verified
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        verify(password, hash).await
    }

    /// Hashes a new password, in turn with the checks.
    pub(crate) async fn hash(&self, password: &str) -> Result<PasswordHash, AuthError> {
        let _turn = self.permits.acquire().await.map_err(AuthError::internal)?;
        hash(password).await
    }

    pub(crate) fn verified(&self) -> u64 {
        self.verified.load(std::sync::atomic::Ordering::Relaxed)
    }
}

pub(crate) fn dummy_hash() -> Result<&'static PasswordHash, AuthError> {
    static DUMMY: OnceLock<PasswordHash> = OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash);
    }
    let hash = hash_password("not a password of anybody").map_err(AuthError::internal)?;
    Ok(DUMMY.get_or_init(|| hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_strength() {
        assert!(check_strength("Mensa-2026").is_ok());
        assert!(check_strength("short1A").is_err());
        assert!(check_strength("alllowercaseletters").is_err());
        assert!(check_strength("lower-and-symbols").is_err());
        assert!(check_strength("lower-and-digits-1").is_ok());
    }
}
