//! The actor of one family account: the only writer of its account in this process.
//!
//! It orders the family's commands, answers repeats from memory, applies the comune's rules
//! against the balance it expects once everything in flight has committed, and hands each
//! posting to the committer. The caller gets a ticket that resolves after the commit.
//!
//! About 450 lines on purpose: the actor's state and every message it handles are one
//! state machine, read best in one place.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use kameo::Actor;
use kameo::actor::{ActorRef, WeakActorRef};
use kameo::error::ActorStopReason;
use kameo::message::{Context, Message};
use money::Money;
use sea_orm::DatabaseConnection;
use tenancy::Tenant;
use tokio::sync::{mpsc, oneshot};

use super::Inner;
use super::posting::{Posting, Settlement};
use crate::cache::CachedBalance;
use crate::entity::family_account;
use crate::evaluate::{Draft, cents, evaluate, meal_description};
use crate::{AccountId, Command, LedgerError, Movement, MovementKind, Outage, Posted};

/// How many recent commands each family remembers to answer repeats without a query.
const RECENT_KEYS: usize = 64;

pub(crate) struct FamilyAccount {
    tenant: Arc<Tenant>,
    row: family_account::Model,
    /// Postings handed to the committer and not yet confirmed, by sequence number.
    pending: VecDeque<(u64, Money)>,
    next_seq: u64,
    recent: HashMap<String, (String, Movement)>,
    recent_order: VecDeque<String>,
    settlements: mpsc::UnboundedReceiver<Settlement>,
    settlement_sender: mpsc::UnboundedSender<Settlement>,
    /// A commit failed: reload from the database once nothing is in flight.
    stale: bool,
    db: DatabaseConnection,
    postings: mpsc::Sender<Posting>,
    engine: Weak<Inner>,
    last_active: Instant,
    idle_timeout: Duration,
}

impl FamilyAccount {
    /// The family's state: `known` when the caller just read the account row (a school
    /// day reads every family's in one query), else loaded now.
    pub async fn load(
        inner: &Arc<Inner>,
        tenant: &Arc<Tenant>,
        account: AccountId,
        known: Option<family_account::Model>,
    ) -> Result<Self, LedgerError> {
        let row = match known {
            Some(row) => row,
            None => crate::account::read(&inner.db, tenant.id, account).await?,
        };
        let (settlement_sender, settlements) = mpsc::unbounded_channel();
        Ok(FamilyAccount {
            settlements,
            settlement_sender,
            stale: false,
            tenant: Arc::clone(tenant),
            row,
            pending: VecDeque::new(),
            next_seq: 0,
            recent: HashMap::new(),
            recent_order: VecDeque::new(),
            db: inner.db.clone(),
            postings: inner.committer_of(account).ok_or(Outage::NoCommitter)?,
            engine: Arc::downgrade(inner),
            last_active: Instant::now(),
            idle_timeout: inner.config.idle_timeout,
        })
    }

    fn account(&self) -> AccountId {
        AccountId::new(self.row.id)
    }

    fn committed_balance(&self) -> Result<Money, LedgerError> {
        cents(self.row.id, self.row.balance_cents)
    }

    /// The balance once every posting in flight has committed: what policy is checked on.
    fn expected_balance(&self) -> Result<Money, LedgerError> {
        self.pending
            .iter()
            .try_fold(self.committed_balance()?, |balance, (_, delta)| {
                balance.checked_add(*delta)
            })
            .ok_or(LedgerError::Overflow)
    }

    fn remember(&mut self, key: String, fingerprint: String, movement: Movement) {
        if self
            .recent
            .insert(key.clone(), (fingerprint, movement))
            .is_none()
        {
            self.recent_order.push_back(key);
        }
        while self.recent_order.len() > RECENT_KEYS {
            if let Some(oldest) = self.recent_order.pop_front() {
                self.recent.remove(&oldest);
            }
        }
    }

    fn repeat(&self, key: &str, fingerprint: &str) -> Option<Result<Posted, LedgerError>> {
        let (first_fingerprint, movement) = self.recent.get(key)?;
        if first_fingerprint != fingerprint {
            return Some(Err(LedgerError::KeyConflict(key.to_owned())));
        }
        Some(self.committed_balance().map(|balance| Posted {
            movement: movement.clone(),
            balance,
            repeated: true,
        }))
    }

    /// The command's first run, if the ledger has one under this key.
    async fn stored_repeat(
        &mut self,
        key: &str,
        fingerprint: &str,
    ) -> Result<Option<Posted>, LedgerError> {
        let first = tenancy::scope::run(&self.db, self.tenant.id, async |txn| {
            crate::ledger::find_by_key(txn, &self.tenant, key).await
        })
        .await?;
        let Some(first) = first else { return Ok(None) };
        if first.command_hash != fingerprint {
            return Err(LedgerError::KeyConflict(key.to_owned()));
        }
        let movement = crate::ledger::to_movement(first)?;
        self.remember(key.to_owned(), fingerprint.to_owned(), movement.clone());
        Ok(Some(Posted {
            movement,
            balance: self.committed_balance()?,
            repeated: true,
        }))
    }

    async fn draft(&self, message: &Execute) -> Result<Draft, LedgerError> {
        let expected = self.expected_balance()?;
        if let (Some(meal), Command::Meal { student, date, .. }) =
            (&message.prepared, &message.command)
        {
            let description =
                meal_description(&self.tenant, expected, meal.price, &meal.first_name)?;
            return Ok(Draft {
                kind: MovementKind::Meal,
                amount: -meal.price,
                student: Some(*student),
                date: *date,
                description,
                reference: None,
                reverses: None,
            });
        }
        if let Some(draft) = crate::evaluate::evaluate_plain(&message.command) {
            return draft;
        }
        let as_expected = family_account::Model {
            balance_cents: expected.cents(),
            ..self.row.clone()
        };
        tenancy::scope::run(&self.db, self.tenant.id, async |txn| {
            evaluate(txn, &self.tenant, &as_expected, &message.command).await
        })
        .await
    }
}

impl std::fmt::Debug for FamilyAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FamilyAccount")
            .field("account", &self.row.id)
            .field("pending", &self.pending.len())
            .finish()
    }
}

impl Actor for FamilyAccount {
    type Args = Self;
    type Error = Infallible;

    async fn on_start(state: Self, _actor_ref: ActorRef<Self>) -> Result<Self, Self::Error> {
        Ok(state)
    }

    async fn on_stop(
        &mut self,
        actor_ref: WeakActorRef<Self>,
        _reason: ActorStopReason,
    ) -> Result<(), Self::Error> {
        if let Some(engine) = self.engine.upgrade() {
            engine
                .actors
                .forget(self.tenant.id, self.account(), actor_ref.id());
        }
        Ok(())
    }
}

/// A meal whose price and eligibility the bulk poster already settled for the whole day.
#[derive(Clone, Debug)]
pub(crate) struct PreparedMeal {
    pub price: Money,
    pub first_name: String,
}

#[derive(Clone, Debug)]
pub(crate) struct Execute {
    pub command: Command,
    pub actor: String,
    pub prepared: Option<PreparedMeal>,
    /// The account row as the caller read it, to start the actor without a query.
    pub account_row: Option<family_account::Model>,
}

/// The answer to a command, once the family has taken it: right away for a repeat or a
/// refusal, after the commit otherwise.
#[derive(Debug)]
pub(crate) struct Ticket(pub oneshot::Receiver<Result<Posted, LedgerError>>);

impl Ticket {
    pub async fn outcome(self) -> Result<Posted, LedgerError> {
        self.0
            .await
            .unwrap_or_else(|_| Err(Outage::ActorStopped.into()))
    }
}

type Reply = oneshot::Sender<Result<Posted, LedgerError>>;

impl FamilyAccount {
    /// Checks a command and queues its posting; `reply` gets the answer, now for a repeat
    /// or a refusal, after the commit otherwise.
    async fn accept(&mut self, message: Execute, reply: Reply) {
        self.last_active = Instant::now();
        self.apply_settlements();
        // Boxed: the heavy database futures must not be part of every idle actor's task.
        if let Err(error) = Box::pin(self.reload_if_stale()).await {
            let _ = reply.send(Err(error));
            return;
        }
        let key = message.command.idempotency_key().as_str().to_owned();
        let fingerprint = message.command.fingerprint(self.row.id);
        if let Some(outcome) = self.repeat(&key, &fingerprint) {
            let outcome = match outcome {
                Ok(first) => Box::pin(self.as_of_now(first)).await,
                Err(error) => Err(error),
            };
            let _ = reply.send(outcome);
            return;
        }
        // A repeat this actor does not remember is not looked up here (a query per command
        // would cap a family at one command per round trip): the ledger's unique key
        // catches it at commit and the committer answers it as a repeat.
        let mut draft = Box::pin(self.draft(&message)).await;
        if let Err(LedgerError::DebtLimitReached { .. }) = draft {
            draft = Box::pin(self.decide_again_on_the_database(&message)).await;
        }
        let draft = match draft {
            Ok(draft) => draft,
            Err(error) => {
                // A refused command may still be a repeat of one that passed earlier (a meal
                // forced then, not now): a repeat answers as the first time did.
                let answer = match Box::pin(self.stored_repeat(&key, &fingerprint)).await {
                    Ok(Some(first)) => Box::pin(self.as_of_now(first)).await,
                    Ok(None) => Err(error),
                    Err(lookup) => Err(lookup),
                };
                let _ = reply.send(answer);
                return;
            }
        };
        if self
            .expected_balance()
            .ok()
            .and_then(|balance| balance.checked_add(draft.amount))
            .is_none()
        {
            let _ = reply.send(Err(LedgerError::Overflow));
            return;
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.pending.push_back((seq, draft.amount));
        let posting = Posting {
            tenant: Arc::clone(&self.tenant),
            account: self.account(),
            version_hint: self.row.version,
            seq,
            draft,
            command: message.command,
            key,
            fingerprint,
            actor: message.actor,
            settlements: self.settlement_sender.clone(),
            reply,
        };
        if let Err(returned) = self.postings.send(posting).await {
            self.pending.pop_back();
            let _ = returned.0.reply.send(Err(Outage::CommitterStopped.into()));
        }
    }
}

/// A command for the family, sent without waiting for the family to take it (a school day
/// hands thousands of meals over without a round trip through each family's task); the
/// answer comes on `reply`.
#[derive(Debug)]
pub(crate) struct Submit {
    pub execute: Execute,
    pub reply: Reply,
}

impl Message<Submit> for FamilyAccount {
    type Reply = ();

    async fn handle(&mut self, submit: Submit, _ctx: &mut Context<Self, Self::Reply>) {
        self.accept(submit.execute, submit.reply).await;
    }
}

impl FamilyAccount {
    fn apply_settlements(&mut self) {
        while let Ok(settlement) = self.settlements.try_recv() {
            self.apply(settlement);
        }
    }

    fn apply(&mut self, settlement: Settlement) {
        match settlement {
            Settlement::Settled {
                seq,
                balance_cents,
                version,
                movements,
            } => {
                while self
                    .pending
                    .front()
                    .is_some_and(|(pending, _)| *pending <= seq)
                {
                    self.pending.pop_front();
                }
                if version >= self.row.version {
                    self.row.balance_cents = balance_cents;
                    self.row.version = version;
                }
                for (key, fingerprint, movement) in movements {
                    self.remember(key, fingerprint, movement);
                }
            }
            Settlement::Failed { seq } => {
                self.pending.retain(|(pending, _)| *pending != seq);
                // The commit may have happened after all: the database is the truth.
                self.stale = true;
            }
        }
    }

    async fn reload_if_stale(&mut self) -> Result<(), LedgerError> {
        if self.stale && self.pending.is_empty() {
            self.reload().await?;
        }
        Ok(())
    }

    async fn reload(&mut self) -> Result<(), LedgerError> {
        self.row = crate::account::read(&self.db, self.tenant.id, self.account()).await?;
        if self.stale {
            self.recent.clear();
            self.recent_order.clear();
            self.stale = false;
        }
        Ok(())
    }

    /// A repeat answers with the balance of now. This actor's memory is that balance in the
    /// embedded default, where it is the only writer; with Redis another replica may have
    /// written since, so the balance is read as any other read is.
    async fn as_of_now(&self, mut repeat: Posted) -> Result<Posted, LedgerError> {
        if let Some(engine) = self.engine.upgrade()
            && engine.cache.is_shared()
        {
            repeat.balance = engine.stored_balance(&self.tenant, self.account()).await?;
        }
        Ok(repeat)
    }

    /// Decides `message` again on the balance the database holds. This actor knows what
    /// this process committed, not what another replica did: an acceptance or a flag
    /// decided on an old balance is caught by the committer's version check, which
    /// decides again on the row it locks, but a refusal never reaches the committer. So
    /// before one is answered, the postings in flight settle and the account is read again.
    async fn decide_again_on_the_database(
        &mut self,
        message: &Execute,
    ) -> Result<Draft, LedgerError> {
        while !self.pending.is_empty() {
            // The committer settles (or fails) every posting it was handed, and this actor
            // holds a sender of the channel, so it never closes.
            match self.settlements.recv().await {
                Some(settlement) => self.apply(settlement),
                None => break,
            }
        }
        self.reload().await?;
        self.draft(message).await
    }
}

#[derive(Debug)]
pub(crate) struct GetBalance;

impl Message<GetBalance> for FamilyAccount {
    type Reply = Result<CachedBalance, LedgerError>;

    async fn handle(
        &mut self,
        _: GetBalance,
        _ctx: &mut Context<Self, Self::Reply>,
    ) -> Self::Reply {
        self.apply_settlements();
        Ok(CachedBalance {
            balance: self.committed_balance()?,
            version: self.row.version,
        })
    }
}

#[derive(Debug)]
pub(crate) struct IdleTick;

impl Message<IdleTick> for FamilyAccount {
    type Reply = ();

    async fn handle(&mut self, _: IdleTick, ctx: &mut Context<Self, Self::Reply>) {
        self.apply_settlements();
        if self.pending.is_empty() && self.last_active.elapsed() >= self.idle_timeout {
            ctx.stop();
        }
    }
}
