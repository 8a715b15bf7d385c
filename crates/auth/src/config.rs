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
    /// Password checks (argon2, about 19 MiB and tens of milliseconds each) running at
    /// once in this process; more wait their turn, so a burst of logins cannot take all the
    /// memory or the blocking pool.
    pub password_checks: usize,
}

/// Twice the CPU cores: enough to keep every core busy with argon2, not more.
pub fn default_password_checks() -> usize {
    std::thread::available_parallelism()
        .map_or(2, std::num::NonZeroUsize::get)
        .saturating_mul(2)
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            session_lifetime: Duration::from_secs(12 * 3600),
            session_cache: Duration::from_secs(30),
            throttle: ThrottleConfig::default(),
            password_checks: default_password_checks(),
        }
    }
}
