//! Password hashes: argon2id in PHC string form.
//!
//! Hashing takes tens of milliseconds by design; async callers run it on a blocking thread.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc};

#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(..)")
    }
}

impl PasswordHash {
    pub fn from_stored(phc: String) -> Self {
        PasswordHash(phc)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("could not hash the password")]
    Hash(#[source] argon2::password_hash::Error),
}

pub fn hash_password(password: &str) -> Result<PasswordHash, PasswordError> {
    // The salt comes from the operating system's generator (argon2's `getrandom` feature).
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| PasswordHash(hash.to_string()))
        .map_err(PasswordError::Hash)
}

/// False for a wrong password and for a stored hash that cannot be read alike: a caller
/// must not be able to tell the two apart.
pub fn verify_password(password: &str, hash: &PasswordHash) -> bool {
    phc::PasswordHash::new(&hash.0).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn verifies_only_the_right_password() {
        let hash = hash_password("Mensa-2026").unwrap();
        assert!(hash.as_str().starts_with("$argon2id$"));
        assert!(verify_password("Mensa-2026", &hash));
        assert!(!verify_password("mensa-2026", &hash));
        assert!(!verify_password(
            "Mensa-2026",
            &PasswordHash::from_stored("garbage".into())
        ));
    }
}
