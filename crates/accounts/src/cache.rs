//! Where balance reads are cached: Redis when `REDIS_URL` is set, this process's memory
//! otherwise.
//!
//! Every entry carries the account's version, and a write only replaces an older version
//! (atomically, in a Lua script on Redis), so a slow writer can never put back a stale
//! balance. Redis being down never fails a request: reads fall back to the database, a
//! counter records it, and Redis is left alone for a moment before being tried again.
//! A write Redis did not take would leave an older balance there for every replica to read:
//! such keys are remembered, read as misses here, and deleted as soon as Redis answers
//! again, so the next read anywhere goes to the database.
//!
//! On Redis, balances read are also kept in this process (Redis's server-assisted
//! client-side caching, through the redis crate): the server pushes an invalidation on the
//! reading connection the moment any replica changes one, so a read of a balance nobody
//! changed costs no round trip. That copy answers only while a heartbeat on the same
//! connection vouches for it, and is dropped whole when the connection is lost or replaced
//! (`redis_store` says how and why).
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use money::Money;
use redis::{CommandCacheConfig, IntoConnectionInfo, ProtocolVersion};
use tenancy::TenantId;

use crate::AccountId;
use redis_store::{REDIS_TIMEOUT, RedisStore, Trust};

mod redis_store;
mod unsure;

/// Entries expire so that accounts nobody reads do not stay in Redis forever.
const TTL_SECONDS: u64 = 24 * 3600;

const SET_IF_NEWER: &str = r"
local current = redis.call('GET', KEYS[1])
if current then
  local version = tonumber(string.match(current, '^(%-?%d+):'))
  if version and version >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. ARGV[2], 'EX', ARGV[3])
return 1
";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CachedBalance {
    pub balance: Money,
    pub version: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("REDIS_URL is not a valid Redis URL")]
    BadUrl(#[source] redis::RedisError),
}

/// Counters for `/metrics`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    /// Reads or writes that found Redis unreachable and went without it.
    pub fallbacks: u64,
    /// Of the hits on Redis, those answered from this process's copy, with no round trip.
    pub near_hits: u64,
}

#[derive(Clone)]
pub struct BalanceCache {
    store: Store,
    prefix: Arc<str>,
    counters: Arc<Counters>,
}

#[derive(Clone)]
enum Store {
    InProcess(Arc<Mutex<HashMap<(TenantId, AccountId), CachedBalance>>>),
    Redis(Arc<RedisStore>),
}

#[derive(Default)]
struct Counters {
    hits: AtomicU64,
    misses: AtomicU64,
    fallbacks: AtomicU64,
}

impl std::fmt::Debug for BalanceCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BalanceCache")
            .field("kind", &self.kind())
            .field("prefix", &self.prefix)
            .finish()
    }
}

impl BalanceCache {
    /// Does not connect yet: the gateway must start even while Redis is down. `prefix`
    /// keeps deployments (and tests) that share one Redis apart.
    pub fn new(redis_url: Option<&str>, prefix: &str) -> Result<Self, CacheError> {
        let store = match redis_url {
            None => Store::InProcess(Arc::default()),
            Some(url) => Store::Redis(Arc::new(RedisStore::new(
                resp3_client(url).map_err(CacheError::BadUrl)?,
            ))),
        };
        Ok(BalanceCache {
            store,
            prefix: prefix.into(),
            counters: Arc::default(),
        })
    }

    pub fn kind(&self) -> &'static str {
        match self.store {
            Store::InProcess(_) => "in-process",
            Store::Redis(_) => "redis",
        }
    }

    /// Whether other replicas see the same cache (Redis) or only this process does.
    pub fn is_shared(&self) -> bool {
        matches!(self.store, Store::Redis(_))
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.counters.hits.load(Ordering::Relaxed),
            misses: self.counters.misses.load(Ordering::Relaxed),
            fallbacks: self.counters.fallbacks.load(Ordering::Relaxed),
            near_hits: match &self.store {
                Store::InProcess(_) => 0,
                Store::Redis(redis) => redis.near_hits(),
            },
        }
    }

    fn key(&self, tenant: TenantId, account: AccountId) -> String {
        format!("{}:balance:{}:{}", self.prefix, tenant.get(), account.get())
    }

    pub async fn get(&self, tenant: TenantId, account: AccountId) -> Option<CachedBalance> {
        let found = match &self.store {
            Store::InProcess(map) => map.lock().ok()?.get(&(tenant, account)).copied(),
            Store::Redis(redis) => {
                redis.start(&self.counters);
                let key = self.key(tenant, account);
                if redis.unsure.any() {
                    redis.repair(&self.counters).await;
                    if redis.unsure.holds(&key) {
                        self.counters.misses.fetch_add(1, Ordering::Relaxed);
                        return None;
                    }
                }
                let near = match redis.trust() {
                    Trust::Nothing => {
                        self.counters.misses.fetch_add(1, Ordering::Relaxed);
                        return None;
                    }
                    Trust::Server => false,
                    Trust::NearCopy => true,
                };
                let value = redis
                    .run(&self.counters, |mut connection| async move {
                        let mut get = redis::cmd("GET");
                        get.arg(key);
                        if near {
                            get.set_cache_config(CommandCacheConfig::new());
                        }
                        get.query_async::<Option<String>>(&mut connection).await
                    })
                    .await?;
                value.as_deref().and_then(parse_entry)
            }
        };
        let counter = if found.is_some() {
            &self.counters.hits
        } else {
            &self.counters.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Stores `entry` unless the cache already holds this version or a newer one.
    pub async fn set_if_newer(&self, tenant: TenantId, account: AccountId, entry: CachedBalance) {
        self.set_many_if_newer(&[(tenant, account, entry)]).await;
    }

    /// `set_if_newer` for many accounts at once: one round trip to Redis for a whole batch.
    /// Keys Redis did not take are remembered for `repair`.
    pub async fn set_many_if_newer(&self, entries: &[(TenantId, AccountId, CachedBalance)]) {
        match &self.store {
            Store::InProcess(map) => {
                if let Ok(mut map) = map.lock() {
                    for (tenant, account, entry) in entries {
                        let slot = map.entry((*tenant, *account)).or_insert(*entry);
                        if slot.version < entry.version {
                            *slot = *entry;
                        }
                    }
                }
            }
            Store::Redis(redis) => {
                redis.start(&self.counters);
                if entries.is_empty() {
                    return;
                }
                let mut pipeline = redis::pipe();
                let keys: Vec<String> = entries
                    .iter()
                    .map(|(tenant, account, _)| self.key(*tenant, *account))
                    .collect();
                for ((_, _, entry), key) in entries.iter().zip(&keys) {
                    pipeline
                        .cmd("EVAL")
                        .arg(SET_IF_NEWER)
                        .arg(1)
                        .arg(key)
                        .arg(entry.version)
                        .arg(entry.balance.cents())
                        .arg(TTL_SECONDS)
                        .ignore();
                }
                let written = redis
                    .run(&self.counters, |mut connection| async move {
                        pipeline.query_async::<()>(&mut connection).await
                    })
                    .await;
                if written.is_none() {
                    redis.unsure.remember(keys);
                }
            }
        }
    }

    /// Deletes from Redis the balances whose write Redis did not take, if it answers now
    /// (the engine calls this periodically; reads do too).
    pub async fn repair(&self) {
        if let Store::Redis(redis) = &self.store {
            redis.start(&self.counters);
            redis.repair(&self.counters).await;
        }
    }

    /// Whether the cache answers now (for readiness).
    pub async fn ping(&self) -> bool {
        match &self.store {
            Store::InProcess(_) => true,
            Store::Redis(redis) => {
                redis.start(&self.counters);
                let Some(mut connection) = redis.connection().await else {
                    return false;
                };
                let pong = tokio::time::timeout(
                    REDIS_TIMEOUT,
                    redis::cmd("PING").query_async::<String>(&mut connection),
                )
                .await;
                matches!(pong, Ok(Ok(_)))
            }
        }
    }
}

/// Server-assisted client-side caching needs RESP3, whatever the URL asks for.
fn resp3_client(url: &str) -> redis::RedisResult<redis::Client> {
    let info = url.into_connection_info()?;
    let settings = info
        .redis_settings()
        .clone()
        .set_protocol(ProtocolVersion::RESP3);
    redis::Client::open(info.set_redis_settings(settings))
}

fn parse_entry(value: &str) -> Option<CachedBalance> {
    let (version, cents) = value.split_once(':')?;
    Some(CachedBalance {
        version: version.parse().ok()?,
        balance: Money::from_cents(cents.parse().ok()?).ok()?,
    })
}

#[cfg(test)]
mod tests;
