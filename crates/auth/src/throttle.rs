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
    /// Check the password after `delay`. `locks`: should this attempt fail, the account
    /// or the address is locked from then on (it was the last one allowed).
    Proceed {
        delay: Duration,
        locks: bool,
    },
    Refuse {
        retry_after: Duration,
    },
}

/// What one attempt found: admitted (and then counted) or not, and the counts of the
/// account and the address, this attempt included when admitted.
#[derive(Clone, Copy, Debug)]
struct Admission {
    admitted: bool,
    account: Count,
    address: Count,
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

    /// Counts a login attempt as a failure BEFORE its password is checked, and says whether
    /// it may be checked. Counting first is what bounds a burst: of many parallel attempts
    /// each sees the ones before it (the check and the increment are one step, in a Redis
    /// script or under the lock), so no more than `lock_after` of them reach the password
    /// check. A refused attempt is not counted; a success takes its count back
    /// (`succeeded`).
    pub async fn attempt(&self, tenant: TenantId, username: &str, address: IpAddr) -> Verdict {
        let keys = [Key::account(tenant, username), Key::Address(address)];
        let local = self.admit_locally(&keys);
        let shared = match &self.shared {
            Some(shared) => shared
                .admit(&keys, &self.config)
                .await
                .inspect_err(redis_unavailable)
                .ok(),
            None => None,
        };
        let Admission {
            admitted,
            account,
            address,
        } = shared.unwrap_or(local);
        if !admitted {
            let retry_after = if account.failures >= self.config.lock_after {
                account.remaining
            } else {
                address.remaining
            };
            return Verdict::Refuse { retry_after };
        }
        // The counts include this attempt; the delay speaks of the failures before it.
        let before = account.failures.saturating_sub(1);
        let over = before.saturating_sub(self.config.slow_after.saturating_sub(1));
        Verdict::Proceed {
            delay: self.config.step_delay.saturating_mul(over),
            locks: account.failures >= self.config.lock_after
                || address.failures >= self.config.lock_address_after,
        }
    }

    /// The password was right: the account starts afresh, and the address gets back the
    /// count of this attempt (a school's NAT is not locked out by its successful logins).
    pub async fn succeeded(&self, tenant: TenantId, username: &str, address: IpAddr) {
        let keys = [Key::account(tenant, username), Key::Address(address)];
        if let Ok(mut local) = self.local.lock() {
            let [account, address] = &keys;
            local.remove(account);
            if let Some((failures, _)) = local.get_mut(address) {
                *failures = failures.saturating_sub(1);
            }
        }
        if let Some(shared) = &self.shared
            && let Err(error) = shared.count_success(&keys).await
        {
            redis_unavailable(&error);
        }
    }

    /// Admits and counts the attempt in this process (always: these counts decide while
    /// Redis is down).
    fn admit_locally(&self, keys: &[Key; 2]) -> Admission {
        let now = Instant::now();
        let window = self.config.window;
        let Ok(mut local) = self.local.lock() else {
            // A poisoned lock refuses: the safe side.
            let locked = Count {
                failures: u32::MAX,
                remaining: window,
            };
            return Admission {
                admitted: false,
                account: locked,
                address: locked,
            };
        };
        forget_expired(&mut local, now, window);
        let count = |local: &HashMap<Key, (u32, Instant)>, key: &Key| {
            local
                .get(key)
                .map_or_else(Count::default, |&(failures, first)| Count {
                    failures,
                    remaining: window.saturating_sub(now.duration_since(first)),
                })
        };
        let [account_key, address_key] = keys;
        let (account, address) = (count(&local, account_key), count(&local, address_key));
        if account.failures >= self.config.lock_after
            || address.failures >= self.config.lock_address_after
        {
            return Admission {
                admitted: false,
                account,
                address,
            };
        }
        for key in keys {
            local
                .entry(key.clone())
                .and_modify(|(failures, _)| *failures = failures.saturating_add(1))
                .or_insert((1, now));
        }
        Admission {
            admitted: true,
            account: count(&local, account_key),
            address: count(&local, address_key),
        }
    }
}

fn forget_expired(local: &mut HashMap<Key, (u32, Instant)>, now: Instant, window: Duration) {
    local.retain(|_, (_, first)| now.duration_since(*first) < window);
}

/// Admits an attempt unless the account (KEYS[1], ARGV[2] failures) or the address
/// (KEYS[2], ARGV[3]) is locked, and counts it when admitted, in one step: no replica can
/// slip an attempt between another's check and count. A window starts with its first
/// attempt (ARGV[1] ms), set with the count so no count is left without an expiry.
/// Answers admitted (1 or 0), then each key's count and milliseconds left.
const ADMIT: &str = r"
local account = tonumber(redis.call('GET', KEYS[1]) or '0')
local address = tonumber(redis.call('GET', KEYS[2]) or '0')
if account >= tonumber(ARGV[2]) or address >= tonumber(ARGV[3]) then
  return {0, account, redis.call('PTTL', KEYS[1]), address, redis.call('PTTL', KEYS[2])}
end
local out = {1}
for _, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
  table.insert(out, n)
  table.insert(out, redis.call('PTTL', key))
end
return out
";

/// A success: the account's count goes, the address's loses this attempt.
const COUNT_SUCCESS: &str = r"
redis.call('DEL', KEYS[1])
if redis.call('EXISTS', KEYS[2]) == 1 then
  if redis.call('DECR', KEYS[2]) <= 0 then redis.call('DEL', KEYS[2]) end
end
return 0
";

/// The attempt counts in Redis, shared by every replica.
#[derive(Debug)]
struct SharedCounts {
    redis: Arc<RedisLink>,
    prefix: String,
    window_ms: u64,
}

impl SharedCounts {
    async fn admit(
        &self,
        keys: &[Key; 2],
        config: &ThrottleConfig,
    ) -> redis::RedisResult<Admission> {
        let [account, address] = keys;
        let mut pipe = redis::pipe();
        // EVAL with the script's text: logins are rare, and nothing to load first.
        pipe.cmd("EVAL")
            .arg(ADMIT)
            .arg(2)
            .arg(account.shared(&self.prefix))
            .arg(address.shared(&self.prefix))
            .arg(self.window_ms)
            .arg(config.lock_after)
            .arg(config.lock_address_after);
        let (replies,): (Vec<i64>,) = self.redis.run(&pipe).await?;
        let count = |failures: Option<&i64>, ttl_ms: Option<&i64>| Count {
            failures: failures
                .and_then(|n| u32::try_from(*n).ok())
                .unwrap_or(u32::MAX),
            // -2 is a missing key, -1 cannot happen (the count and its expiry are set together).
            remaining: Duration::from_millis(
                ttl_ms.and_then(|ms| u64::try_from(*ms).ok()).unwrap_or(0),
            ),
        };
        Ok(Admission {
            admitted: replies.first() == Some(&1),
            account: count(replies.get(1), replies.get(2)),
            address: count(replies.get(3), replies.get(4)),
        })
    }

    async fn count_success(&self, keys: &[Key; 2]) -> redis::RedisResult<()> {
        let [account, address] = keys;
        let mut pipe = redis::pipe();
        pipe.cmd("EVAL")
            .arg(COUNT_SUCCESS)
            .arg(2)
            .arg(account.shared(&self.prefix))
            .arg(address.shared(&self.prefix))
            .ignore();
        self.redis.run::<()>(&pipe).await
    }
}

fn redis_unavailable(error: &redis::RedisError) {
    tracing::warn!(%error, "login attempts could not be counted in Redis: counting in this process only");
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

    /// The wait of an attempt of Mario's that fails, in milliseconds; `u128::MAX` when
    /// refused.
    async fn attempt_as(t: &LoginThrottle, name: &str) -> u128 {
        match t.attempt(TENANT, name, HOME).await {
            Verdict::Proceed { delay, .. } => delay.as_millis(),
            Verdict::Refuse { .. } => u128::MAX,
        }
    }

    async fn delay(t: &LoginThrottle) -> u128 {
        attempt_as(t, "Mario").await
    }

    /// Five of Mario's attempts that fail, with the wait each got.
    async fn fail_five_times(throttles: &[&LoginThrottle]) -> Vec<u128> {
        let mut seen = Vec::new();
        for (n, name) in ["mario", "mario", "MARIO ", "mario", "Mario"]
            .into_iter()
            .enumerate()
        {
            let t = throttles.get(n % throttles.len()).copied().unwrap();
            seen.push(attempt_as(t, name).await);
        }
        seen
    }

    #[tokio::test]
    async fn slows_then_refuses_an_account_and_forgets_on_success() {
        let t = throttle();
        assert_eq!(fail_five_times(&[&t]).await, [0, 0, 100, 200, u128::MAX]);
        // Another comune's account of the same name is somebody else.
        assert_eq!(
            t.attempt(TenantId::new(2), "mario", IpAddr::V4(Ipv4Addr::LOCALHOST))
                .await,
            Verdict::Proceed {
                delay: Duration::ZERO,
                locks: false
            }
        );
        t.succeeded(TENANT, "mario", HOME).await;
        assert_eq!(delay(&t).await, 0);
    }

    #[tokio::test]
    async fn refuses_an_address_that_tries_many_accounts() {
        let t = throttle();
        for n in 0..6 {
            t.attempt(TENANT, &format!("user{n}"), HOME).await;
        }
        assert!(matches!(
            t.attempt(TENANT, "someone-else", HOME).await,
            Verdict::Refuse { .. }
        ));
        assert!(matches!(
            t.attempt(TENANT, "someone-else", IpAddr::V4(Ipv4Addr::LOCALHOST))
                .await,
            Verdict::Proceed { .. }
        ));
    }

    #[tokio::test]
    async fn successful_logins_do_not_lock_a_shared_address() {
        let t = throttle();
        for n in 0..20 {
            let name = format!("user{n}");
            assert!(matches!(
                t.attempt(TENANT, &name, HOME).await,
                Verdict::Proceed { .. }
            ));
            t.succeeded(TENANT, &name, HOME).await;
        }
    }

    /// Many attempts at once each see the ones before them: no more than the threshold
    /// may go on to a password check.
    async fn burst_proceeds(t: &Arc<LoginThrottle>) -> usize {
        let attempts = (0..40).map(|_| {
            let t = Arc::clone(t);
            tokio::spawn(async move { t.attempt(TENANT, "mario", HOME).await })
        });
        let mut proceeded = 0;
        for attempt in attempts {
            if matches!(attempt.await.unwrap(), Verdict::Proceed { .. }) {
                proceeded += 1;
            }
        }
        proceeded
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_burst_gets_no_more_checks_than_the_threshold() {
        let t = Arc::new(throttle());
        assert_eq!(burst_proceeds(&t).await, 4);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_burst_against_replicas_on_one_redis_gets_no_more_than_the_threshold() {
        let Ok(url) = std::env::var("MENSA_TEST_REDIS_URL") else {
            eprintln!("skipped: set MENSA_TEST_REDIS_URL to count attempts in Redis");
            return;
        };
        let prefix = testkit::unique_name("throttle");
        let t = Arc::new(replica(&url, &prefix));
        assert_eq!(burst_proceeds(&t).await, 4);
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
            fail_five_times(&[&a, &b]).await,
            [0, 0, 100, 200, u128::MAX]
        );
        let verdict = a.attempt(TENANT, "mario", HOME).await;
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
        c.succeeded(TENANT, "mario", HOME).await;
        assert_eq!(delay(&a).await, 0);
        // Another prefix is another deployment.
        let other = replica(&url, &testkit::unique_name("throttle"));
        assert_eq!(delay(&other).await, 0);
    }

    /// A locked account is refused until its window ends, then tries afresh.
    async fn lock_then_wait_out(t: &LoginThrottle) {
        for _ in 0..4 {
            t.attempt(TENANT, "mario", HOME).await;
        }
        for _ in 0..2 {
            assert!(matches!(
                t.attempt(TENANT, "mario", HOME).await,
                Verdict::Refuse { .. }
            ));
        }
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(
            t.attempt(TENANT, "mario", HOME).await,
            Verdict::Proceed {
                delay: Duration::ZERO,
                locks: false
            }
        );
    }

    fn short_window() -> ThrottleConfig {
        ThrottleConfig {
            window: Duration::from_millis(300),
            ..throttle().config
        }
    }

    #[tokio::test]
    async fn a_lock_ends_with_its_window() {
        lock_then_wait_out(&LoginThrottle::new(short_window())).await;
        let Ok(url) = std::env::var("MENSA_TEST_REDIS_URL") else {
            eprintln!("skipped with Redis: set MENSA_TEST_REDIS_URL");
            return;
        };
        let redis = Arc::new(RedisLink::open(&url).unwrap());
        let prefix = testkit::unique_name("throttle");
        lock_then_wait_out(&LoginThrottle::with_redis(
            short_window(),
            Some(redis),
            &prefix,
        ))
        .await;
    }

    #[tokio::test]
    async fn without_redis_each_replica_counts_for_itself() {
        // Nothing listens on port 1: every Redis call fails at once.
        let t = replica("redis://127.0.0.1:1", "down");
        assert_eq!(fail_five_times(&[&t]).await, [0, 0, 100, 200, u128::MAX]);
    }
}
