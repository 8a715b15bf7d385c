//! What can go wrong: `NoticeError` for a parent's request that cannot be honoured (the
//! gateway shows it in Italian or English), `PaymentsError` for our own failures.

use money::Money;

#[derive(Debug, thiserror::Error)]
pub enum PaymentsError {
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Ledger(#[from] accounts::LedgerError),
    #[error(transparent)]
    Registry(#[from] registry::RegistryError),
    #[error(transparent)]
    Tenants(#[from] tenancy::DirectoryError),
    #[error("the payment notice PDF cannot be rendered: {0}")]
    Pdf(#[from] pagopa::NoticePdfError),
    #[error("row {id} of {table} is invalid")]
    CorruptRow {
        table: &'static str,
        id: i64,
        #[source]
        problem: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("the comune's pagoPA settings cannot be used")]
    Creditor(#[source] CreditorSetting),
    #[error("{0} is out of range")]
    OutOfRange(String),
    #[error("receipt {0} vanished after a conflict")]
    ReceiptVanished(String),
    #[error("{0} cannot be written in a pagoPA message")]
    Unwritable(String),
    #[error("the operating system gave no random numbers")]
    Randomness(#[source] getrandom::Error),
}

/// Which of the comune's pagoPA settings is unusable, and why.
#[derive(Debug, thiserror::Error)]
pub enum CreditorSetting {
    #[error("the creditor fiscal code")]
    FiscalCode(#[source] pagopa::IdentError),
    #[error("the postal account")]
    PostalAccount(#[source] pagopa::DataMatrixError),
}

/// Why a notice was not created. Each variant is something the parent (or the comune's
/// configuration) can act on; the gateway maps them to messages and error codes.
#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    #[error("the amount must be positive")]
    NotPositive,
    #[error("the amount has more than two decimals")]
    TooPrecise,
    #[error("the amount is below the comune's minimum top-up of {min}")]
    BelowMinimum { min: Money },
    #[error("the amount is above the comune's maximum top-up of {max}")]
    AboveMaximum { max: Money },
    #[error("the guardian has no family account in this comune")]
    NoAccount,
    #[error("the comune cannot issue pagoPA notices")]
    CreditorNotConfigured(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Every notice number drawn was taken already: with 10^13 per station, a sign that
    /// something else is wrong.
    #[error("the comune has used every notice number of its station")]
    SequenceExhausted,
    #[error(transparent)]
    Failed(#[from] PaymentsError),
}

impl From<sea_orm::DbErr> for NoticeError {
    fn from(error: sea_orm::DbErr) -> Self {
        NoticeError::Failed(error.into())
    }
}
