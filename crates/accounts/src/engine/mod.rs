//! The account engine: one actor per family account, a shared committer that writes many
//! families' postings in one transaction, and the balance cache.
//!
//! Why actors: a family's commands must be applied one after another (idempotency and the
//! debt limit depend on what came before), while different families are independent. An
//! actor per family orders its own commands and answers policy questions from memory; the
//! committer batches across families because one durable commit costs 1-2 ms here.
//!
//! Correctness never rests on the actor alone: every write is guarded by the account's
//! `version` in the database, so several gateway replicas can run at once.

mod batch;
mod bulk;
mod committer;
mod family;
mod posting;
mod registry;

use std::sync::Arc;
use std::time::Duration;

use money::Money;
use sea_orm::DatabaseConnection;
use tenancy::Tenant;
use tokio::sync::mpsc;

pub use bulk::{MealDaySummary, RefusedMeal};
pub use committer::BATCH_SIZE_BOUNDS;

use crate::cache::BalanceCache;
use crate::{AccountId, Command, LedgerError, Outage, Posted};
use family::Execute;
use posting::Posting;

#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// A family actor with nothing to do for this long stops and frees its memory.
    pub idle_timeout: Duration,
    /// Commands queued per family before senders wait.
    pub mailbox: usize,
    /// The most postings written in one transaction.
    pub max_batch: usize,
    /// Committers writing in parallel, each on its own connection; an account always goes
    /// to the same one, so each keeps its accounts' versions alone.
    pub committers: usize,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            idle_timeout: Duration::from_secs(60),
            mailbox: 256,
            max_batch: 10_000,
            committers: 2,
        }
    }
}

/// Counters of the committer: batches written, postings they carried, postings that went
/// the one-by-one way (version conflicts with another replica, repeats), failed batches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EngineStats {
    pub batches: u64,
    pub batched_postings: u64,
    pub one_by_one: u64,
    pub failed_batches: u64,
    /// Time spent writing batches, in microseconds.
    pub write_micros: u64,
    /// Committed batches of at most `BATCH_SIZE_BOUNDS[i]` postings (cumulative, as a
    /// Prometheus histogram counts them; `batches` is the +Inf bucket).
    pub batch_sizes: [u64; BATCH_SIZE_BOUNDS.len()],
    /// Postings in all committed batches together.
    pub batch_size_sum: u64,
}

#[derive(Clone, Debug)]
pub struct AccountEngine {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    stats: Arc<committer::EngineCounters>,
    db: DatabaseConnection,
    cache: BalanceCache,
    postings: Vec<mpsc::Sender<Posting>>,
    actors: registry::Actors,
    config: EngineConfig,
}

impl AccountEngine {
    /// Starts the committers; family actors start on first use.
    pub fn start(db: DatabaseConnection, cache: BalanceCache, config: EngineConfig) -> Self {
        let stats = Arc::new(committer::EngineCounters::default());
        let postings = (0..config.committers.max(1))
            .map(|_| {
                committer::spawn(
                    db.clone(),
                    cache.clone(),
                    config.max_batch,
                    Arc::clone(&stats),
                )
            })
            .collect();
        let inner = Arc::new(Inner {
            stats,
            db,
            cache,
            postings,
            actors: registry::Actors::default(),
            config,
        });
        tokio::spawn(sweep_idle(Arc::downgrade(&inner)));
        AccountEngine { inner }
    }

    /// Executes one command on a family account; answers after it is committed.
    pub async fn execute(
        &self,
        tenant: &Arc<Tenant>,
        account: AccountId,
        command: Command,
        actor: &str,
    ) -> Result<Posted, LedgerError> {
        let message = Execute {
            command,
            actor: actor.to_owned(),
            prepared: None,
            account_row: None,
        };
        self.submit(tenant, account, message).await?.outcome().await
    }

    /// Gives the command to the family's actor without waiting for it to be taken; the
    /// ticket resolves once the command is committed (or refused, or found a repeat).
    ///
    /// An actor that died (a panic, a lost connection) is replaced by a fresh one that
    /// reloads its state: commands are idempotent, so handing one over again is safe.
    async fn submit(
        &self,
        tenant: &Arc<Tenant>,
        account: AccountId,
        message: Execute,
    ) -> Result<family::Ticket, LedgerError> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            let family = self
                .inner
                .actors
                .get_or_spawn(&self.inner, tenant, account, message.account_row.clone())
                .await?;
            let (reply, ticket) = tokio::sync::oneshot::channel();
            match family
                .tell(family::Submit {
                    execute: message.clone(),
                    reply,
                })
                .send()
                .await
            {
                Ok(()) => return Ok(family::Ticket(ticket)),
                Err(error) if attempts < 3 => {
                    tracing::warn!(account.id = account.get(), %error, "family actor unavailable, retrying");
                    self.inner.actors.forget(tenant.id, account, family.id());
                }
                Err(error) => {
                    let cause = error.map_msg(|_| ());
                    return Err(Outage::Unreachable(Box::new(cause)).into());
                }
            }
        }
    }

    /// The family balance, exact whichever replica wrote last.
    ///
    /// With a shared cache (Redis) only Redis, or this process's copy of it while Redis
    /// vouches for that copy, answers before the database: every commit reaches Redis
    /// before anyone is told of it, whichever replica made it, and a write Redis missed
    /// reads as a miss until it is repaired. The family's actor is never asked: its memory
    /// holds what this process committed, not what another replica did.
    ///
    /// With the in-process cache (the embedded default) this process is the only writer by
    /// design, so its live actor and its cache know every commit and answer first.
    pub async fn balance(&self, tenant: &Tenant, account: AccountId) -> Result<Money, LedgerError> {
        if !self.inner.cache.is_shared()
            && let Some(family) = self.inner.actors.live(tenant.id, account)
            && let Ok(memory) = family.ask(family::GetBalance).await
        {
            return Ok(memory.balance);
        }
        self.inner.stored_balance(tenant, account).await
    }

    /// What the committer has done so far.
    pub fn stats(&self) -> EngineStats {
        let read = |counter: &std::sync::atomic::AtomicU64| {
            counter.load(std::sync::atomic::Ordering::Relaxed)
        };
        let counters = &self.inner.stats;
        EngineStats {
            batches: read(&counters.batches),
            batched_postings: read(&counters.batched_postings),
            one_by_one: read(&counters.one_by_one),
            failed_batches: read(&counters.failed),
            write_micros: read(&counters.write_micros),
            batch_sizes: {
                let mut total = 0;
                counters.batch_sizes.each_ref().map(|bucket| {
                    total += read(bucket);
                    total
                })
            },
            batch_size_sum: read(&counters.batch_size_sum),
        }
    }

    /// How many family actors are alive now.
    pub fn live_actors(&self) -> usize {
        self.inner.actors.len()
    }

    pub fn cache(&self) -> &BalanceCache {
        &self.inner.cache
    }

    /// Stops every family actor after its queued commands; the committer finishes what it
    /// holds. Used on graceful shutdown.
    pub async fn drain(&self) {
        self.inner.actors.stop_all().await;
    }
}

/// Asks every live family, every half idle timeout, whether it has been idle long enough
/// to stop. One task for the whole engine instead of a timer per family. It also clears
/// from Redis any balance whose write Redis missed, should no read have done it already.
async fn sweep_idle(engine: std::sync::Weak<Inner>) {
    loop {
        let Some(every) = engine.upgrade().map(|inner| inner.config.idle_timeout / 2) else {
            return;
        };
        tokio::time::sleep(every).await;
        let Some(inner) = engine.upgrade() else {
            return;
        };
        for family in inner.actors.all() {
            let _ = family.tell(family::IdleTick).try_send();
        }
        inner.cache.repair().await;
    }
}

impl Inner {
    /// The balance as the cache or the database has it, never asking a family actor (an
    /// actor asks this for itself).
    async fn stored_balance(
        &self,
        tenant: &Tenant,
        account: AccountId,
    ) -> Result<Money, LedgerError> {
        if let Some(cached) = self.cache.get(tenant.id, account).await {
            return Ok(cached.balance);
        }
        let row = crate::account::read(&self.db, tenant.id, account).await?;
        let balance = crate::evaluate::cents(row.id, row.balance_cents)?;
        self.cache
            .set_if_newer(
                tenant.id,
                account,
                crate::cache::CachedBalance {
                    balance,
                    version: row.version,
                },
            )
            .await;
        Ok(balance)
    }

    /// The committer that writes `account`.
    fn committer_of(&self, account: AccountId) -> Option<mpsc::Sender<Posting>> {
        let index =
            usize::try_from(account.get().unsigned_abs()).ok()? % self.postings.len().max(1);
        self.postings.get(index).cloned()
    }
}
