//! How long sessions last and are trusted from memory, and when failed logins slow down.

use std::time::Duration;

use crate::throttle::ThrottleConfig;

#[derive(Clone, Debug)]
pub struct AuthConfig {
    pub session_lifetime: Duration,
    /// How long a replica trusts a session it has already checked. A logout on another
    /// replica reaches this one at once through Redis, and at most this late without it.
    pub session_cache: Duration,
    pub throttle: ThrottleConfig,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            session_lifetime: Duration::from_secs(12 * 3600),
            session_cache: Duration::from_secs(30),
            throttle: ThrottleConfig::default(),
        }
    }
}
