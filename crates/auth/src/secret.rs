//! Secrets handed out once (session tokens, API keys) and the digest kept of them.
//!
//! A token carries 256 random bits, so a fast digest is enough to store it: unlike a
//! password there is nothing to guess, and lookups stay one indexed read.

use sha2::{Digest, Sha256};

/// Session tokens and API keys are told apart by their prefix.
pub const SESSION_PREFIX: &str = "mensa_s_";
pub const API_KEY_PREFIX: &str = "mensa_k_";

#[derive(Debug, thiserror::Error)]
#[error("the operating system's random generator failed")]
pub struct RandomError(#[source] getrandom::Error);

pub fn new_secret(prefix: &str) -> Result<String, RandomError> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes).map_err(RandomError)?;
    Ok(format!("{prefix}{}", hex::encode(bytes)))
}

/// A random name for a stored file: unguessable, and nothing a client chose.
pub fn random_name() -> Result<String, RandomError> {
    let mut bytes = [0_u8; 16];
    getrandom::fill(&mut bytes).map_err(RandomError)?;
    Ok(hex::encode(bytes))
}

pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn secrets_are_distinct_and_digests_stable() {
        let a = new_secret(SESSION_PREFIX).unwrap();
        let b = new_secret(SESSION_PREFIX).unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with(SESSION_PREFIX));
        assert_eq!(a.len(), SESSION_PREFIX.len() + 64);
        assert_eq!(digest(&a), digest(&a));
        assert_ne!(digest(&a), digest(&b));
        assert_eq!(digest(&a).len(), 64);
    }
}
