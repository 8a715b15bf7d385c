//! Slowing down and then refusing repeated failed logins, per account and per address,
//! so that guessing passwords costs an attacker hours instead of seconds.
//!
//! Counters live in the process: with several replicas an attacker gets each replica's
//! allowance, still a few dozen guesses per window against a password policy of 8+
//! characters.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tenancy::TenantId;

#[derive(Clone, Debug)]
pub struct ThrottleConfig {
    /// Failures of one account after which each attempt waits a little longer.
    pub slow_after: u32,
    /// Failures of one account after which attempts are refused until the window ends.
    pub lock_after: u32,
    /// Failures from one address after which it is refused (higher: a school's NAT).
    pub lock_address_after: u32,
    pub window: Duration,
    pub step_delay: Duration,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        ThrottleConfig {
            slow_after: 3,
            lock_after: 10,
            lock_address_after: 50,
            window: Duration::from_secs(15 * 60),
            step_delay: Duration::from_millis(500),
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Failures {
    count: u32,
    first: Instant,
}

#[derive(Debug, Hash, PartialEq, Eq)]
enum Key {
    Account(TenantId, String),
    Address(IpAddr),
}

#[derive(Debug)]
pub struct LoginThrottle {
    config: ThrottleConfig,
    failures: Mutex<HashMap<Key, Failures>>,
}

/// What to do with a login attempt before checking its password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Proceed { delay: Duration },
    Refuse { retry_after: Duration },
}

impl LoginThrottle {
    pub fn new(config: ThrottleConfig) -> Self {
        LoginThrottle {
            config,
            failures: Mutex::default(),
        }
    }

    pub fn check(&self, tenant: TenantId, username: &str, address: IpAddr) -> Verdict {
        let now = Instant::now();
        let Ok(mut failures) = self.failures.lock() else {
            return Verdict::Proceed {
                delay: Duration::ZERO,
            };
        };
        let window = self.config.window;
        failures.retain(|_, f| now.duration_since(f.first) < window);
        let account = failures.get(&account_key(tenant, username)).copied();
        let address_failures = failures.get(&Key::Address(address)).copied();
        let retry_after = |f: Failures| window.saturating_sub(now.duration_since(f.first));
        if let Some(f) = account.filter(|f| f.count >= self.config.lock_after) {
            return Verdict::Refuse {
                retry_after: retry_after(f),
            };
        }
        if let Some(f) = address_failures.filter(|f| f.count >= self.config.lock_address_after) {
            return Verdict::Refuse {
                retry_after: retry_after(f),
            };
        }
        let over = account
            .map_or(0, |f| f.count)
            .saturating_sub(self.config.slow_after.saturating_sub(1));
        Verdict::Proceed {
            delay: self.config.step_delay.saturating_mul(over),
        }
    }

    pub fn failed(&self, tenant: TenantId, username: &str, address: IpAddr) {
        let now = Instant::now();
        if let Ok(mut failures) = self.failures.lock() {
            for key in [account_key(tenant, username), Key::Address(address)] {
                failures
                    .entry(key)
                    .and_modify(|f| f.count = f.count.saturating_add(1))
                    .or_insert(Failures {
                        count: 1,
                        first: now,
                    });
            }
        }
    }

    pub fn succeeded(&self, tenant: TenantId, username: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&account_key(tenant, username));
        }
    }
}

fn account_key(tenant: TenantId, username: &str) -> Key {
    Key::Account(tenant, username.trim().to_lowercase())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::net::Ipv4Addr;

    use super::*;

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(ThrottleConfig {
            slow_after: 2,
            lock_after: 4,
            lock_address_after: 6,
            window: Duration::from_secs(60),
            step_delay: Duration::from_millis(100),
        })
    }

    const HOME: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));

    #[test]
    fn slows_then_refuses_an_account_and_forgets_on_success() {
        let t = throttle();
        let tenant = TenantId::new(1);
        let delay = |t: &LoginThrottle| match t.check(tenant, "Mario", HOME) {
            Verdict::Proceed { delay } => delay.as_millis(),
            Verdict::Refuse { .. } => u128::MAX,
        };
        assert_eq!(delay(&t), 0);
        t.failed(tenant, "mario", HOME);
        assert_eq!(delay(&t), 0);
        t.failed(tenant, "mario", HOME);
        assert_eq!(delay(&t), 100);
        t.failed(tenant, "MARIO ", HOME);
        assert_eq!(delay(&t), 200);
        t.failed(tenant, "mario", HOME);
        assert_eq!(delay(&t), u128::MAX);
        // Another comune's account of the same name is somebody else.
        assert_eq!(
            t.check(TenantId::new(2), "mario", IpAddr::V4(Ipv4Addr::LOCALHOST)),
            Verdict::Proceed {
                delay: Duration::ZERO
            }
        );
        t.succeeded(tenant, "mario");
        assert_eq!(delay(&t), 0);
    }

    #[test]
    fn refuses_an_address_that_tries_many_accounts() {
        let t = throttle();
        let tenant = TenantId::new(1);
        for n in 0..6 {
            t.failed(tenant, &format!("user{n}"), HOME);
        }
        assert!(matches!(
            t.check(tenant, "someone-else", HOME),
            Verdict::Refuse { .. }
        ));
        assert!(matches!(
            t.check(tenant, "someone-else", IpAddr::V4(Ipv4Addr::LOCALHOST)),
            Verdict::Proceed { .. }
        ));
    }
}
