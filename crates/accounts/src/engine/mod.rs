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
mod registry;

use std::sync::Arc;
use std::time::Duration;

use money::Money;
use sea_orm::DatabaseConnection;
use tenancy::Tenant;
use tokio::sync::mpsc;

pub use bulk::{MealDaySummary, RefusedMeal};

use crate::cache::BalanceCache;
use crate::{AccountId, Command, LedgerError, Posted};
use committer::Posting;
use family::Execute;

#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// A family actor with nothing to do for this long stops and frees its memory.
    pub idle_timeout: Duration,
    /// Commands queued per family before senders wait.
    pub mailbox: usize,
    /// The most postings written in one transaction.
    pub max_batch: usize,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            idle_timeout: Duration::from_secs(60),
            mailbox: 256,
            max_batch: 2_000,
        }
    }
}

#[derive(Clone, Debug)]
pub struct AccountEngine {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    db: DatabaseConnection,
    cache: BalanceCache,
    postings: mpsc::Sender<Posting>,
    actors: registry::Actors,
    config: EngineConfig,
}

impl AccountEngine {
    /// Starts the committer; family actors start on first use.
    pub fn start(db: DatabaseConnection, cache: BalanceCache, config: EngineConfig) -> Self {
        let postings = committer::spawn(db.clone(), cache.clone(), config.max_batch);
        AccountEngine {
            inner: Arc::new(Inner {
                db,
                cache,
                postings,
                actors: registry::Actors::default(),
                config,
            }),
        }
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
        self.send(tenant, account, message).await
    }

    async fn send(
        &self,
        tenant: &Arc<Tenant>,
        account: AccountId,
        message: Execute,
    ) -> Result<Posted, LedgerError> {
        // An actor that died (a panic, a lost connection) is replaced by a fresh one that
        // reloads its state: commands are idempotent, so one retry is always safe.
        let mut attempts = 0;
        loop {
            attempts += 1;
            let family = self
                .inner
                .actors
                .get_or_spawn(&self.inner, tenant, account, message.account_row.clone())
                .await?;
            match family.ask(message.clone()).await {
                Ok(ticket) => return ticket.outcome().await,
                Err(kameo::error::SendError::HandlerError(error)) => return Err(error),
                Err(error) if attempts < 3 => {
                    tracing::warn!(account.id = account.get(), %error, "family actor unavailable, retrying");
                    self.inner.actors.forget(tenant.id, account, family.id());
                }
                Err(error) => return Err(LedgerError::Unavailable(error.to_string())),
            }
        }
    }

    /// The family balance: from the live actor's memory, else the cache, else the database.
    ///
    /// Another replica may have written since this one's actor last did; with a shared
    /// cache (Redis) whichever of the two has the newer version wins.
    pub async fn balance(&self, tenant: &Tenant, account: AccountId) -> Result<Money, LedgerError> {
        let in_memory = match self.inner.actors.live(tenant.id, account) {
            Some(family) => family.ask(family::GetBalance).await.ok(),
            None => None,
        };
        let cached = match (&in_memory, self.inner.cache.is_shared()) {
            (Some(_), false) => None,
            _ => self.inner.cache.get(tenant.id, account).await,
        };
        let newest = match (in_memory, cached) {
            (Some(memory), Some(cached)) if cached.version > memory.version => Some(cached),
            (Some(memory), _) => Some(memory),
            (None, cached) => cached,
        };
        if let Some(newest) = newest {
            return Ok(newest.balance);
        }
        let txn = tenancy::scope::begin(&self.inner.db, tenant.id).await?;
        let row = crate::account::load(&txn, tenant.id, account).await?;
        txn.commit().await?;
        let balance = crate::evaluate::cents(row.id, row.balance_cents)?;
        self.inner
            .cache
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
