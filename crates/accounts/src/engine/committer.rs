//! The shared committer: writes many families' postings in one transaction.
//!
//! It takes whatever postings are waiting (up to `max_batch`), groups them by account, and
//! commits them with one version-checked update per comune and one multi-row insert. An
//! account whose version moved (another replica wrote it) is retried alone through the
//! ledger's one-command path, which reloads it; the other accounts commit.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::DatabaseConnection;
use tenancy::{Tenant, TenantId};
use tokio::sync::mpsc;

use super::batch::{self, AccountGroup, BatchError};
use super::posting::{Posting, Settlement};
use crate::cache::{BalanceCache, CachedBalance};
use crate::evaluate::cents;
use crate::{AccountId, Ledger, LedgerError, Posted};

pub(super) fn spawn(
    db: DatabaseConnection,
    cache: BalanceCache,
    max_batch: usize,
    stats: Arc<EngineCounters>,
) -> mpsc::Sender<Posting> {
    let (sender, receiver) = mpsc::channel(max_batch.saturating_mul(4).max(64));
    let committer = Committer {
        ledger: Ledger::new(db.clone()),
        db,
        cache,
        versions: HashMap::new(),
        max_batch,
        stats,
    };
    tokio::spawn(committer.run(receiver));
    sender
}

struct Committer {
    db: DatabaseConnection,
    ledger: Ledger,
    cache: BalanceCache,
    /// The version this process last committed for each account: lets a family pipeline
    /// several postings without waiting for each commit.
    versions: HashMap<(TenantId, AccountId), i64>,
    max_batch: usize,
    stats: Arc<EngineCounters>,
}

/// Upper bounds of the batch-size histogram: postings per committed batch.
pub const BATCH_SIZE_BOUNDS: [u64; 6] = [1, 10, 100, 1_000, 5_000, 16_000];

/// What the committer has done, for `/metrics` and the benchmarks.
#[derive(Debug, Default)]
pub(crate) struct EngineCounters {
    pub batches: AtomicU64,
    /// Committed batches by size: the first bucket whose bound holds the size (not
    /// cumulative; `AccountEngine::stats` adds them up).
    pub batch_sizes: [AtomicU64; BATCH_SIZE_BOUNDS.len()],
    /// Postings in all committed batches together.
    pub batch_size_sum: AtomicU64,
    pub batched_postings: AtomicU64,
    pub one_by_one: AtomicU64,
    pub failed: AtomicU64,
    pub write_micros: AtomicU64,
}

impl Committer {
    async fn run(mut self, mut receiver: mpsc::Receiver<Posting>) {
        while let Some(first) = receiver.recv().await {
            let mut postings = vec![first];
            while postings.len() < self.max_batch {
                match receiver.try_recv() {
                    Ok(posting) => postings.push(posting),
                    Err(_) => break,
                }
            }
            self.commit(postings).await;
        }
    }

    async fn commit(&mut self, mut postings: Vec<Posting>) {
        // A retried command whose first run already committed (after a restart, or on
        // another replica) makes the insert meet its key: those postings are answered by
        // the one-by-one path, as repeats, and the rest of the batch is written again.
        for _ in 0..3 {
            let groups = self.group(postings);
            let started = std::time::Instant::now();
            let written = batch::write(&self.db, &groups).await;
            let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
            self.stats.write_micros.fetch_add(micros, Ordering::Relaxed);
            match written {
                Ok(outcome) => {
                    self.stats.batches.fetch_add(1, Ordering::Relaxed);
                    self.count_batch(groups.iter().map(|group| group.postings.len()).sum());
                    return self.settle_all(groups, outcome).await;
                }
                Err(BatchError::Duplicate) => {
                    let existing = batch::existing_keys(&self.db, &groups)
                        .await
                        .unwrap_or_default();
                    let (repeats, fresh): (Vec<Posting>, Vec<Posting>) = groups
                        .into_iter()
                        .flat_map(|group| group.postings)
                        .partition(|posting| {
                            existing.contains(&(posting.tenant.id, posting.key.clone()))
                        });
                    if repeats.is_empty() {
                        // Not a repeated key (a reversal raced another one): go one by one.
                        return self.all_one_by_one(fresh).await;
                    }
                    self.all_one_by_one(repeats).await;
                    postings = fresh;
                    if postings.is_empty() {
                        return;
                    }
                }
                Err(BatchError::Database(error)) if is_transient(&error) => {
                    // The database gave up on this transaction only because of the others
                    // (the ordered locks make this rare): nothing of it was written, and each
                    // posting alone still can be.
                    tracing::warn!(%error, "ledger batch met another writer; writing it one by one");
                    let postings = groups
                        .into_iter()
                        .inspect(|group| {
                            self.versions.remove(&(group.tenant.id, group.account));
                        })
                        .flat_map(|group| group.postings)
                        .collect();
                    return self.all_one_by_one(postings).await;
                }
                Err(BatchError::Database(error)) => return self.fail_all(groups, error),
            }
        }
        self.all_one_by_one(postings).await;
    }

    fn count_batch(&self, size: usize) {
        let size = u64::try_from(size).unwrap_or(u64::MAX);
        self.stats.batch_size_sum.fetch_add(size, Ordering::Relaxed);
        // A size above the last bound is counted by `batches` alone (the +Inf bucket).
        if let Some(bucket) = BATCH_SIZE_BOUNDS
            .iter()
            .zip(&self.stats.batch_sizes)
            .find_map(|(bound, bucket)| (size <= *bound).then_some(bucket))
        {
            bucket.fetch_add(1, Ordering::Relaxed);
        }
    }

    async fn settle_all(
        &mut self,
        groups: Vec<AccountGroup>,
        outcome: Vec<Option<batch::Written>>,
    ) {
        debug_assert_eq!(groups.len(), outcome.len(), "an outcome per account");
        // The cache learns the new balances before anyone hears of the commit, in one round
        // trip for the whole batch.
        let balances: Vec<_> = groups
            .iter()
            .zip(&outcome)
            .filter_map(|(group, written)| {
                let written = written.as_ref()?;
                let balance = cents(group.account.get(), written.balance_cents).ok()?;
                Some((
                    group.tenant.id,
                    group.account,
                    CachedBalance {
                        balance,
                        version: written.version,
                    },
                ))
            })
            .collect();
        self.cache.set_many_if_newer(&balances).await;
        let mut conflicted = Vec::new();
        for (group, written) in groups.into_iter().zip(outcome) {
            match written {
                Some(written) => self.settle(group, written),
                None => conflicted.push(group),
            }
        }
        for group in conflicted {
            self.one_by_one(group).await;
        }
    }

    async fn all_one_by_one(&mut self, postings: Vec<Posting>) {
        for group in self.group(postings) {
            self.one_by_one(group).await;
        }
    }

    fn fail_all(&mut self, groups: Vec<AccountGroup>, error: sea_orm::DbErr) {
        self.stats.failed.fetch_add(1, Ordering::Relaxed);
        tracing::error!(%error, "ledger batch failed; nothing of it was written");
        let error = Arc::new(error);
        for group in groups {
            self.versions.remove(&(group.tenant.id, group.account));
            for posting in group.postings {
                notify_failed(&posting);
                let _ = posting
                    .reply
                    .send(Err(LedgerError::CommitFailed(Arc::clone(&error))));
            }
        }
    }

    fn group(&self, postings: Vec<Posting>) -> Vec<AccountGroup> {
        let mut index: HashMap<(TenantId, AccountId), usize> = HashMap::new();
        let mut groups: Vec<AccountGroup> = Vec::new();
        for posting in postings {
            let key = (posting.tenant.id, posting.account);
            match index.get(&key).and_then(|i| groups.get_mut(*i)) {
                Some(group) => group.postings.push(posting),
                None => {
                    let expected = self
                        .versions
                        .get(&key)
                        .copied()
                        .unwrap_or(posting.version_hint);
                    index.insert(key, groups.len());
                    groups.push(AccountGroup {
                        tenant: Arc::clone(&posting.tenant),
                        account: posting.account,
                        expected_version: expected,
                        postings: vec![posting],
                    });
                }
            }
        }
        groups
    }

    fn settle(&mut self, group: AccountGroup, written: batch::Written) {
        let count = u64::try_from(group.postings.len()).unwrap_or(u64::MAX);
        self.stats
            .batched_postings
            .fetch_add(count, Ordering::Relaxed);
        let key = (group.tenant.id, group.account);
        self.versions.insert(key, written.version);
        debug_assert_eq!(
            group.postings.len(),
            written.entry_ids.len(),
            "a row per posting"
        );
        let mut balance = written.balance_cents - group.delta_cents();
        let mut movements = Vec::new();
        let mut replies = Vec::new();
        let last_seq = group
            .postings
            .last()
            .map(|posting| posting.seq)
            .unwrap_or_default();
        let family = group
            .postings
            .first()
            .map(|posting| posting.settlements.clone());
        for (posting, id) in group.postings.into_iter().zip(written.entry_ids) {
            balance += posting.draft.amount.cents();
            let movement = posting.draft.into_movement(id, group.account);
            let answer = cents(group.account.get(), balance).map(|balance| Posted {
                movement: movement.clone(),
                balance,
                repeated: false,
            });
            movements.push((posting.key, posting.fingerprint, movement));
            replies.push((posting.reply, answer));
        }
        // Each answer's balance is rebuilt from the one before the batch: the last must be
        // the balance the database wrote.
        debug_assert_eq!(
            balance, written.balance_cents,
            "rebuilt balance is the written one"
        );
        if let Some(family) = family {
            let settled = Settlement::Settled {
                seq: last_seq,
                balance_cents: written.balance_cents,
                version: written.version,
                movements,
            };
            let _ = family.send(settled);
        }
        for (reply, answer) in replies {
            let _ = reply.send(answer);
        }
    }

    /// The slow, always-correct path: each posting alone, reloading the account first.
    async fn one_by_one(&mut self, group: AccountGroup) {
        let count = u64::try_from(group.postings.len()).unwrap_or(u64::MAX);
        self.stats.one_by_one.fetch_add(count, Ordering::Relaxed);
        let tenant = Arc::clone(&group.tenant);
        let family = group
            .postings
            .first()
            .map(|posting| posting.settlements.clone());
        let mut seqs = Vec::with_capacity(group.postings.len());
        let mut answers = Vec::with_capacity(group.postings.len());
        for posting in group.postings {
            let answer = self
                .ledger
                .execute(&tenant, group.account, &posting.command, &posting.actor)
                .await;
            if answer.is_err() {
                notify_failed(&posting);
            }
            seqs.push(posting.seq);
            answers.push((posting.reply, answer));
        }
        // As for a batch, the cache learns the balance before anyone hears of the commit:
        // reads take the cache's word first.
        self.refresh(&tenant, group.account, family, &seqs).await;
        for (reply, answer) in answers {
            let _ = reply.send(answer);
        }
    }

    /// Reads the account's balance back after one-by-one postings, for the cache and the
    /// family actor. Should the read fail, the family is told its postings `seqs` failed:
    /// it then reloads from the database instead of waiting on them.
    async fn refresh(
        &mut self,
        tenant: &Tenant,
        account: AccountId,
        family: Option<mpsc::UnboundedSender<Settlement>>,
        seqs: &[u64],
    ) {
        let Ok(row) = crate::account::read(&self.db, tenant.id, account).await else {
            self.versions.remove(&(tenant.id, account));
            if let Some(family) = family {
                for seq in seqs {
                    let _ = family.send(Settlement::Failed { seq: *seq });
                }
            }
            return;
        };
        self.versions.insert((tenant.id, account), row.version);
        if let Ok(balance) = cents(row.id, row.balance_cents) {
            self.cache
                .set_if_newer(
                    tenant.id,
                    account,
                    CachedBalance {
                        balance,
                        version: row.version,
                    },
                )
                .await;
        }
        if let (Some(family), Some(seq)) = (family, seqs.last().copied()) {
            let settled = Settlement::Settled {
                seq,
                balance_cents: row.balance_cents,
                version: row.version,
                movements: Vec::new(),
            };
            let _ = family.send(settled);
        }
    }
}

fn notify_failed(posting: &Posting) {
    let _ = posting
        .settlements
        .send(Settlement::Failed { seq: posting.seq });
}

/// A deadlock or serialization failure: the transaction lost to a concurrent one and may
/// simply be tried again (PostgreSQL SQLSTATE 40P01, 40001).
fn is_transient(error: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr};
    if let DbErr::Query(RuntimeErr::SqlxError(error)) | DbErr::Exec(RuntimeErr::SqlxError(error)) =
        error
        && let sea_orm::sqlx::Error::Database(error) = &**error
    {
        return matches!(error.code().as_deref(), Some("40P01" | "40001"));
    }
    false
}
