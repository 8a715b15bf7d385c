//! Slowing down and then refusing repeated failed logins, per account and per address,
//! so that guessing passwords costs an attacker hours instead of seconds.
//!
//! With Redis the failures are counted there, so every replica sees the same counts: an
//! attacker gets one allowance, not one per replica. Each failure is also counted in the
//! process, and those counts decide whenever Redis cannot answer, so an outage leaves each
//! replica its own protection instead of none.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tenancy::TenantId;

use crate::redis_link::RedisLink;

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

/// Failures of one key: how many, and how long until the window that counts them ends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Count {
    failures: u32,
    remaining: Duration,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq)]
enum Key {
    Account(TenantId, String),
    Address(IpAddr),
}

impl Key {
    fn account(tenant: TenantId, username: &str) -> Key {
        Key::Account(tenant, username.trim().to_lowercase())
    }

    /// The Redis key; the username only as a digest, since Redis is no place for it.
    fn shared(&self, prefix: &str) -> String {
        match self {
            Key::Account(tenant, username) => format!(
                "{prefix}:login-failures:account:{}:{}",
                tenant.get(),
                crate::secret::digest(username)
            ),
            Key::Address(address) => format!("{prefix}:login-failures:address:{address}"),
        }
    }
}

/// What to do with a login attempt before checking its password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Proceed { delay: Duration },
    Refuse { retry_after: Duration },
}

#[derive(Debug)]
pub struct LoginThrottle {
    config: ThrottleConfig,
    local: Mutex<HashMap<Key, (u32, Instant)>>,
    shared: Option<SharedCounts>,
}

impl LoginThrottle {
    /// Counts in this process only: the embedded default, and tests.
    pub fn new(config: ThrottleConfig) -> Self {
        LoginThrottle {
            config,
            local: Mutex::default(),
            shared: None,
        }
    }

    /// Counts in Redis as well, under `prefix`, when there is a Redis.
    pub fn with_redis(config: ThrottleConfig, redis: Option<Arc<RedisLink>>, prefix: &str) -> Self {
        let shared = redis.map(|redis| SharedCounts {
            redis,
            prefix: prefix.to_owned(),
            window_ms: u64::try_from(config.window.as_millis()).unwrap_or(u64::MAX),
        });
        LoginThrottle {
            shared,
            ..LoginThrottle::new(config)
        }
    }

    pub async fn check(&self, tenant: TenantId, username: &str, address: IpAddr) -> Verdict {
        let keys = [Key::account(tenant, username), Key::Address(address)];
        let shared = match &self.shared {
            Some(shared) => shared
                .counts(&keys)
                .await
                .inspect_err(redis_unavailable)
                .ok(),
            None => None,
        };
        let [account, address] = shared.unwrap_or_else(|| self.local_counts(&keys));
        if account.failures >= self.config.lock_after {
            return Verdict::Refuse {
                retry_after: account.remaining,
            };
        }
        if address.failures >= self.config.lock_address_after {
            return Verdict::Refuse {
                retry_after: address.remaining,
            };
        }
        let over = account
            .failures
            .saturating_sub(self.config.slow_after.saturating_sub(1));
        Verdict::Proceed {
            delay: self.config.step_delay.saturating_mul(over),
        }
    }

    pub async fn failed(&self, tenant: TenantId, username: &str, address: IpAddr) {
        let keys = [Key::account(tenant, username), Key::Address(address)];
        let now = Instant::now();
        let window = self.config.window;
        if let Ok(mut local) = self.local.lock() {
            // Pruned here too: with Redis up, checks never read (nor prune) these counts.
            forget_expired(&mut local, now, window);
            for key in &keys {
                local
                    .entry(key.clone())
                    .and_modify(|(failures, _)| *failures = failures.saturating_add(1))
                    .or_insert((1, now));
            }
        }
        if let Some(shared) = &self.shared
            && let Err(error) = shared.count_failure(&keys).await
        {
            redis_unavailable(&error);
        }
    }

    pub async fn succeeded(&self, tenant: TenantId, username: &str) {
        let key = Key::account(tenant, username);
        if let Ok(mut local) = self.local.lock() {
            local.remove(&key);
        }
        if let Some(shared) = &self.shared
            && let Err(error) = shared.forget(&key).await
        {
            redis_unavailable(&error);
        }
    }

    fn local_counts(&self, keys: &[Key; 2]) -> [Count; 2] {
        let now = Instant::now();
        let window = self.config.window;
        let Ok(mut local) = self.local.lock() else {
            return [Count::default(); 2];
        };
        forget_expired(&mut local, now, window);
        keys.clone().map(|key| {
            local
                .get(&key)
                .map_or_else(Count::default, |&(failures, first)| Count {
                    failures,
                    remaining: window.saturating_sub(now.duration_since(first)),
                })
        })
    }
}

fn forget_expired(local: &mut HashMap<Key, (u32, Instant)>, now: Instant, window: Duration) {
    local.retain(|_, (_, first)| now.duration_since(*first) < window);
}

/// One more failure in a window that starts with the first: the count and its expiry
/// change together, so no replica can leave a count that never expires.
const COUNT_FAILURE: &str = r"
local failures = redis.call('INCR', KEYS[1])
if failures == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return failures
";

/// The failure counts in Redis, shared by every replica.
#[derive(Debug)]
struct SharedCounts {
    redis: Arc<RedisLink>,
    prefix: String,
    window_ms: u64,
}

impl SharedCounts {
    async fn counts(&self, keys: &[Key; 2]) -> redis::RedisResult<[Count; 2]> {
        let mut pipe = redis::pipe();
        for key in keys {
            let key = key.shared(&self.prefix);
            pipe.get(&key).pttl(&key);
        }
        let replies: (Option<u32>, i64, Option<u32>, i64) = self.redis.run(&pipe).await?;
        let count = |failures: Option<u32>, ttl_ms: i64| Count {
            failures: failures.unwrap_or(0),
            // -1 (no expiry) cannot happen with COUNT_FAILURE; -2 is a missing key.
            remaining: Duration::from_millis(u64::try_from(ttl_ms).unwrap_or(0)),
        };
        Ok([count(replies.0, replies.1), count(replies.2, replies.3)])
    }

    async fn count_failure(&self, keys: &[Key; 2]) -> redis::RedisResult<()> {
        let mut pipe = redis::pipe();
        for key in keys {
            // EVAL with the script's text: logins are rare, and nothing to load first.
            pipe.cmd("EVAL")
                .arg(COUNT_FAILURE)
                .arg(1)
                .arg(key.shared(&self.prefix))
                .arg(self.window_ms)
                .ignore();
        }
        self.redis.run::<()>(&pipe).await
    }

    async fn forget(&self, key: &Key) -> redis::RedisResult<()> {
        let mut pipe = redis::pipe();
        pipe.del(key.shared(&self.prefix)).ignore();
        self.redis.run::<()>(&pipe).await
    }
}

fn redis_unavailable(error: &redis::RedisError) {
    tracing::warn!(%error, "login failures could not be counted in Redis: counting in this process only");
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
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

    const TENANT: TenantId = TenantId::new(1);

    /// Mario's wait before his next attempt, in milliseconds; `u128::MAX` when refused.
    async fn delay(t: &LoginThrottle) -> u128 {
        match t.check(TENANT, "Mario", HOME).await {
            Verdict::Proceed { delay } => delay.as_millis(),
            Verdict::Refuse { .. } => u128::MAX,
        }
    }

    /// Four of Mario's failures, with the waits seen before each and after the last.
    async fn fail_four_times(throttles: &[&LoginThrottle]) -> Vec<u128> {
        let mut seen = Vec::new();
        for (n, name) in ["mario", "mario", "MARIO ", "mario"]
            .into_iter()
            .enumerate()
        {
            let t = throttles.get(n % throttles.len()).copied().unwrap();
            seen.push(delay(t).await);
            t.failed(TENANT, name, HOME).await;
        }
        seen.push(delay(throttles.last().copied().unwrap()).await);
        seen
    }

    #[tokio::test]
    async fn slows_then_refuses_an_account_and_forgets_on_success() {
        let t = throttle();
        assert_eq!(fail_four_times(&[&t]).await, [0, 0, 100, 200, u128::MAX]);
        // Another comune's account of the same name is somebody else.
        assert_eq!(
            t.check(TenantId::new(2), "mario", IpAddr::V4(Ipv4Addr::LOCALHOST))
                .await,
            Verdict::Proceed {
                delay: Duration::ZERO
            }
        );
        t.succeeded(TENANT, "mario").await;
        assert_eq!(delay(&t).await, 0);
    }

    #[tokio::test]
    async fn refuses_an_address_that_tries_many_accounts() {
        let t = throttle();
        for n in 0..6 {
            t.failed(TENANT, &format!("user{n}"), HOME).await;
        }
        assert!(matches!(
            t.check(TENANT, "someone-else", HOME).await,
            Verdict::Refuse { .. }
        ));
        assert!(matches!(
            t.check(TENANT, "someone-else", IpAddr::V4(Ipv4Addr::LOCALHOST))
                .await,
            Verdict::Proceed { .. }
        ));
    }

    fn replica(redis_url: &str, prefix: &str) -> LoginThrottle {
        let redis = Arc::new(RedisLink::open(redis_url).unwrap());
        LoginThrottle::with_redis(throttle().config, Some(redis), prefix)
    }

    #[tokio::test]
    async fn replicas_on_one_redis_share_the_counts() {
        let Ok(url) = std::env::var("MENSA_TEST_REDIS_URL") else {
            eprintln!("skipped: set MENSA_TEST_REDIS_URL to count failures in Redis");
            return;
        };
        let prefix = testkit::unique_name("throttle");
        let (a, b) = (replica(&url, &prefix), replica(&url, &prefix));
        // Failures alternate between the replicas; each sees them all.
        assert_eq!(
            fail_four_times(&[&a, &b]).await,
            [0, 0, 100, 200, u128::MAX]
        );
        let verdict = a.check(TENANT, "mario", HOME).await;
        let Verdict::Refuse { retry_after } = verdict else {
            panic!("the first replica lets a locked account try again: {verdict:?}");
        };
        assert!(
            retry_after > Duration::from_secs(50) && retry_after <= Duration::from_secs(60),
            "{retry_after:?}"
        );
        // A replica that starts later knows them too; a success anywhere clears them.
        let c = replica(&url, &prefix);
        assert_eq!(delay(&c).await, u128::MAX);
        c.succeeded(TENANT, "mario").await;
        assert_eq!(delay(&a).await, 0);
        // Another prefix is another deployment.
        let other = replica(&url, &testkit::unique_name("throttle"));
        assert_eq!(delay(&other).await, 0);
    }

    #[tokio::test]
    async fn without_redis_each_replica_counts_for_itself() {
        // Nothing listens on port 1: every Redis call fails at once.
        let t = replica("redis://127.0.0.1:1", "down");
        assert_eq!(fail_four_times(&[&t]).await, [0, 0, 100, 200, u128::MAX]);
    }
}
