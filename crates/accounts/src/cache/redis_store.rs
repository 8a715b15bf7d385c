//! The balance cache on Redis: one connection that keeps, in this process, a copy of the
//! balances it read (the near copy), a heartbeat that says whether that copy may still
//! answer, and the keys whose write Redis may have missed.
//!
//! The redis crate drops a balance from the near copy when Redis pushes an invalidation on
//! the connection that read it. That is only as good as the connection: while Redis is
//! paused (or the network holds its packets) nothing arrives, and a replica would keep
//! answering a balance another replica has changed. So every `HEARTBEAT` this process asks
//! Redis, on that same connection, for the name it gave the connection:
//!
//! 1. An answer in time vouches for the near copy for `LEASE`, counted from when it was
//!    asked: Redis writes the invalidations of a connection ahead of any later reply on
//!    it, so every change Redis had taken by then has reached the copy.
//! 2. No answer in `REDIS_TIMEOUT`, an error, or another name (the crate reconnected
//!    behind our back, or Redis restarted) drops the connection and its copy whole; the
//!    heartbeat connects again, and the new copy starts empty. A changed server `run_id`
//!    would tell nothing more: a restart always breaks the connection, and the name is
//!    gone with it.
//! 3. `LEASE` is shorter than `REDIS_TIMEOUT`, which a writer waits for Redis before it
//!    gives up and answers: once a write Redis did not take is acknowledged, every
//!    reader's lease has lapsed, and its reads ask Redis itself, which answers or makes
//!    the read go to the database.
//! 4. A writer that gave Redis up deletes the keys it could not write (`Unsure`) as soon
//!    as its heartbeat reaches Redis again. Until then Redis may hold an older balance for
//!    them, so a process that lost Redis takes none of its answers for `SETTLE` after it
//!    reaches Redis again: time for every replica's heartbeat to come back and repair.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::caching::{CacheConfig, CacheMode};

use super::Counters;
use super::unsure::Unsure;

pub(super) const REDIS_TIMEOUT: Duration = Duration::from_millis(250);
/// After a Redis failure, reads skip it for this long instead of paying a timeout each.
const BACKOFF: Duration = Duration::from_secs(2);
/// The longest this process keeps a balance it read from Redis. Invalidations and the
/// heartbeat make it fresh long before; this only bounds the damage of a bug.
const NEAR_TTL: Duration = Duration::from_secs(5);
/// Families whose balance this process keeps; the least recently read go first.
const NEAR_ENTRIES: usize = 50_000;
/// How often the connection is asked whether it still holds.
const HEARTBEAT: Duration = Duration::from_millis(50);
/// How long an answered heartbeat vouches for the near copy, from when it was asked:
/// shorter than `REDIS_TIMEOUT` (point 3 above).
const LEASE: Duration = Duration::from_millis(150);
/// After this process lost Redis, how long it still reads the database once Redis
/// answers again (point 4 above).
const SETTLE: Duration = Duration::from_millis(500);

/// What a read may take from Redis now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Trust {
    /// Nothing: Redis is settling after this process lost it; read the database.
    Nothing,
    /// What Redis answers, asked over the network.
    Server,
    /// What this process's copy holds, else what Redis answers.
    NearCopy,
}

pub(super) struct RedisStore {
    client: redis::Client,
    link: RwLock<Option<Arc<Link>>>,
    connecting: tokio::sync::Mutex<()>,
    down_since: Mutex<Option<Instant>>,
    pub(super) unsure: Unsure,
    clock: Instant,
    /// Nanoseconds since `clock` until which the near copy may answer.
    vouched_until: AtomicU64,
    /// Nanoseconds since `clock` from which Redis's answers are taken again.
    trusted_from: AtomicU64,
    /// Redis was out of reach since the last connection was made.
    lost: AtomicBool,
    heartbeat: AtomicBool,
    names: AtomicU64,
    /// Near-copy hits of the connections already dropped, so the counter never goes back.
    near_hits_before: AtomicU64,
}

/// One connection to Redis and the name this process gave it.
struct Link {
    manager: ConnectionManager,
    name: String,
}

impl RedisStore {
    pub(super) fn new(client: redis::Client) -> Self {
        RedisStore {
            client,
            link: RwLock::new(None),
            connecting: tokio::sync::Mutex::new(()),
            down_since: Mutex::new(None),
            unsure: Unsure::default(),
            clock: Instant::now(),
            vouched_until: AtomicU64::new(0),
            trusted_from: AtomicU64::new(0),
            lost: AtomicBool::new(false),
            heartbeat: AtomicBool::new(false),
            names: AtomicU64::new(0),
            near_hits_before: AtomicU64::new(0),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.clock.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    fn later(&self, from: u64, by: Duration) -> u64 {
        from.saturating_add(u64::try_from(by.as_nanos()).unwrap_or(u64::MAX))
    }

    pub(super) fn trust(&self) -> Trust {
        let now = self.now();
        if now < self.trusted_from.load(Ordering::Acquire) {
            Trust::Nothing
        } else if now < self.vouched_until.load(Ordering::Acquire) {
            Trust::NearCopy
        } else {
            Trust::Server
        }
    }

    pub(super) fn near_hits(&self) -> u64 {
        let current = self
            .current()
            .and_then(|link| link.manager.get_cache_statistics())
            .map_or(0, |near| u64::try_from(near.hit).unwrap_or(u64::MAX));
        self.near_hits_before
            .load(Ordering::Relaxed)
            .saturating_add(current)
    }

    fn current(&self) -> Option<Arc<Link>> {
        self.link.read().ok().and_then(|link| link.clone())
    }

    /// Deletes from Redis the balances whose write Redis did not take, if it answers now.
    pub(super) async fn repair(self: &Arc<Self>, counters: &Arc<Counters>) {
        if !self.unsure.any() {
            return;
        }
        let repaired = self.unsure.snapshot();
        let keys: Vec<&str> = repaired.iter().map(|(key, _)| key.as_str()).collect();
        let deleted = self
            .run(counters, |mut connection| async move {
                redis::cmd("DEL")
                    .arg(keys)
                    .query_async::<i64>(&mut connection)
                    .await
            })
            .await;
        if deleted.is_some() {
            self.unsure.forget(&repaired);
        }
    }

    /// Starts the heartbeat, once; the cache calls it on every use (it must run inside the
    /// runtime, and `BalanceCache::new` may not).
    pub(super) fn start(self: &Arc<Self>, counters: &Arc<Counters>) {
        if !self.heartbeat.load(Ordering::Relaxed) && !self.heartbeat.swap(true, Ordering::AcqRel) {
            tokio::spawn(heartbeat(Arc::downgrade(self), Arc::clone(counters)));
        }
    }

    /// The connection, made now if there is none and nobody else is making it.
    pub(super) async fn connection(&self) -> Option<ConnectionManager> {
        if let Some(link) = self.current() {
            return Some(link.manager.clone());
        }
        // A read does not queue behind a connection attempt: it goes to the database.
        let attempt = self.connecting.try_lock().ok()?;
        let link = self.connect(attempt).await?;
        Some(link.manager.clone())
    }

    async fn connect(&self, _attempt: tokio::sync::MutexGuard<'_, ()>) -> Option<Arc<Link>> {
        if let Some(link) = self.current() {
            return Some(link);
        }
        let name = format!(
            "mensa-{}-{}",
            std::process::id(),
            self.names.fetch_add(1, Ordering::Relaxed)
        );
        let near_copy = CacheConfig::new()
            .set_mode(CacheMode::OptIn)
            .set_default_client_ttl(NEAR_TTL)
            .set_size(
                std::num::NonZeroUsize::new(NEAR_ENTRIES).unwrap_or(std::num::NonZeroUsize::MIN),
            );
        let config = ConnectionManagerConfig::new().set_cache_config(near_copy);
        let opened = async {
            let mut manager =
                ConnectionManager::new_with_config(self.client.clone(), config).await?;
            let asked = self.now();
            redis::cmd("CLIENT")
                .arg("SETNAME")
                .arg(&name)
                .query_async::<()>(&mut manager)
                .await?;
            redis::RedisResult::Ok((manager, asked))
        };
        let Ok(Ok((manager, asked))) = tokio::time::timeout(REDIS_TIMEOUT, opened).await else {
            self.lost.store(true, Ordering::Release);
            return None;
        };
        let link = Arc::new(Link { manager, name });
        if self.lost.swap(false, Ordering::AcqRel) {
            let settled = self.later(self.now(), SETTLE);
            self.trusted_from.store(settled, Ordering::Release);
        }
        if let Ok(mut current) = self.link.write() {
            *current = Some(Arc::clone(&link));
        }
        self.vouch(asked);
        Some(link)
    }

    fn vouch(&self, asked: u64) {
        self.vouched_until
            .store(self.later(asked, LEASE), Ordering::Release);
    }

    /// Drops `link` and the near copy with it, unless it was replaced already.
    fn drop_link(&self, link: &Arc<Link>) {
        let Ok(mut current) = self.link.write() else {
            return;
        };
        if current.as_ref().is_some_and(|held| Arc::ptr_eq(held, link)) {
            self.vouched_until.store(0, Ordering::Release);
            self.lost.store(true, Ordering::Release);
            *current = None;
            let hits = link
                .manager
                .get_cache_statistics()
                .map_or(0, |near| u64::try_from(near.hit).unwrap_or(u64::MAX));
            self.near_hits_before.fetch_add(hits, Ordering::Relaxed);
        }
    }

    /// One heartbeat: vouch for the connection or drop it, connect again if there is none,
    /// and delete what Redis missed once it answers.
    async fn beat(self: &Arc<Self>, counters: &Arc<Counters>) {
        match self.current() {
            None => {
                let attempt = self.connecting.lock().await;
                if self.connect(attempt).await.is_none() {
                    return;
                }
            }
            Some(link) => {
                let asked = self.now();
                let mut manager = link.manager.clone();
                let answer = tokio::time::timeout(
                    REDIS_TIMEOUT,
                    redis::cmd("CLIENT")
                        .arg("GETNAME")
                        .query_async::<Option<String>>(&mut manager),
                )
                .await;
                match answer {
                    Ok(Ok(Some(name))) if name == link.name => self.vouch(asked),
                    _ => {
                        self.drop_link(&link);
                        return;
                    }
                }
            }
        }
        if let Ok(mut since) = self.down_since.lock() {
            *since = None;
        }
        self.repair(counters).await;
    }

    /// Runs one Redis operation with a deadline; any failure counts as a fallback and
    /// pauses Redis use for `BACKOFF`.
    pub(super) async fn run<T, F, Fut>(
        self: &Arc<Self>,
        counters: &Arc<Counters>,
        operation: F,
    ) -> Option<T>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: std::future::Future<Output = redis::RedisResult<T>>,
    {
        let down_since = self.down_since.lock().ok().and_then(|since| *since);
        if down_since.is_some_and(|since| since.elapsed() < BACKOFF) {
            counters.fallbacks.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        let result = match self.connection().await {
            Some(connection) => within_deadline(operation(connection)).await,
            None => None,
        };
        // The lock is taken again only when Redis changes state, not on every answer.
        if (result.is_none() || down_since.is_some())
            && let Ok(mut since) = self.down_since.lock()
        {
            *since = result.is_none().then(Instant::now);
        }
        if result.is_none() {
            counters.fallbacks.fetch_add(1, Ordering::Relaxed);
        }
        result
    }
}

/// Beats every `HEARTBEAT` for as long as the cache exists.
async fn heartbeat(store: Weak<RedisStore>, counters: Arc<Counters>) {
    loop {
        tokio::time::sleep(HEARTBEAT).await;
        let Some(store) = store.upgrade() else {
            return;
        };
        store.beat(&counters).await;
    }
}

/// `operation` within `REDIS_TIMEOUT`. A read this process's copy answers is ready at the
/// first poll, and is spared arming and disarming a timer, which would cost it more than
/// the read itself.
async fn within_deadline<T>(
    operation: impl std::future::Future<Output = redis::RedisResult<T>>,
) -> Option<T> {
    let mut operation = std::pin::pin!(operation);
    let first =
        std::future::poll_fn(|cx| std::task::Poll::Ready(operation.as_mut().poll(cx))).await;
    match first {
        std::task::Poll::Ready(result) => result.ok(),
        std::task::Poll::Pending => tokio::time::timeout(REDIS_TIMEOUT, operation)
            .await
            .ok()
            .and_then(Result::ok),
    }
}
