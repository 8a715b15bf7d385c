use std::sync::Arc;

use chrono::NaiveDate;
use money::Money;

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Registry(#[from] registry::RegistryError),
    #[error(transparent)]
    Tariff(#[from] tenancy::TariffError),
    #[error("account {0} does not exist in this comune")]
    AccountNotFound(i64),
    #[error("student {0} does not belong to this family account")]
    StudentNotInFamily(i64),
    #[error("student {student} is not enrolled in the meal service on {date}")]
    NotEnrolled { student: i64, date: NaiveDate },
    #[error("{date} is not one of the class's meal days; an operator may force it")]
    NotAMealDay { date: NaiveDate },
    #[error(
        "the meal would take the balance to {would_be}, past the comune's debt limit of {limit}"
    )]
    DebtLimitReached { would_be: Money, limit: Money },
    #[error("the amount must be positive")]
    AmountNotPositive,
    #[error("an adjustment needs a non-zero amount")]
    ZeroAdjustment,
    #[error("a reason is required")]
    ReasonRequired,
    #[error("movement {0} does not exist on this account")]
    EntryNotFound(i64),
    #[error("movement {0} has already been reversed")]
    AlreadyReversed(i64),
    #[error("a reversal cannot itself be reversed; post a new movement instead")]
    ReversalOfReversal,
    #[error("idempotency key '{0}' was already used for a different command")]
    KeyConflict(String),
    #[error("the balance would leave the supported range")]
    Overflow,
    #[error("the account kept changing under concurrent writers; try again")]
    Contention,
    /// Shared: one failed batch answers every command it carried.
    #[error("the ledger could not commit, nothing was written; try again")]
    CommitFailed(#[source] Arc<sea_orm::DbErr>),
    #[error("the account service is unavailable; try again")]
    Unavailable(#[from] Outage),
    #[error("stored row {id} is invalid")]
    CorruptRow {
        id: i64,
        #[source]
        problem: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Why the account engine could not take a command or lost its answer. Commands are
/// idempotent, so each of these is answered "try again".
#[derive(Debug, thiserror::Error)]
pub enum Outage {
    #[error("the family actor cannot be reached")]
    Unreachable(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("the family actor stopped before answering")]
    ActorStopped,
    #[error("no committer is running")]
    NoCommitter,
    #[error("the committer stopped")]
    CommitterStopped,
    /// Cannot happen: every command kind is evaluated by `evaluate` or `evaluate_plain`.
    #[error("the command has no evaluation")]
    NoEvaluation,
}
