//! Cross-site request forgery: every form carries a token a foreign site cannot know.
//!
//! - Logged in, the token is derived from the session token (a SHA-256 under a label of
//!   its own): it lives as long as the session, needs no storage, and a page of another
//!   site cannot compute it because it cannot read the HttpOnly session cookie.
//! - Before login (the login form itself), a random token goes both into a cookie and into
//!   the form ("double submit"): a foreign site can make the browser send the cookie but
//!   cannot read it to copy it into its own form.
//!
//! Tokens are compared in constant time. tower-http's `CsrfLayer` (Origin and
//! Sec-Fetch-Site) guards the portal's routes as a second, independent line.

use sha2::{Digest, Sha256};

/// The cookie of the pre-login token.
pub const LOGIN_COOKIE: &str = "mensa_csrf";

pub fn for_session(session_token: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"mensa portal csrf v1\0");
    hasher.update(session_token.as_bytes());
    hex::encode(hasher.finalize())
}

/// A fresh random token for the login form.
pub fn random() -> Result<String, getrandom::Error> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(hex::encode(bytes))
}

/// Whether `submitted` equals `expected`, without telling by timing how much matched.
pub fn matches(submitted: &str, expected: &str) -> bool {
    let (a, b) = (submitted.as_bytes(), expected.as_bytes());
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.iter().zip(b).fold(0_u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn session_tokens_give_distinct_stable_csrf_tokens() {
        let a = for_session("mensa_s_aaa");
        assert_eq!(a, for_session("mensa_s_aaa"));
        assert_ne!(a, for_session("mensa_s_aab"));
        assert_eq!(a.len(), 64);
        assert!(!a.contains("aaa"));
    }

    #[test]
    fn only_the_same_token_matches() {
        let token = random().unwrap();
        assert!(matches(&token, &token));
        assert!(!matches(&token, &random().unwrap()));
        assert!(!matches("", ""));
        assert!(!matches(&token[..10], &token));
    }
}
