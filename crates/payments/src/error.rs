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
    #[error("row {id} of {table} is invalid: {problem}")]
    CorruptRow {
        table: &'static str,
        id: i64,
        problem: String,
    },
    #[error("the comune's pagoPA settings cannot be used: {0}")]
    Creditor(String),
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
    #[error("the comune cannot issue pagoPA notices: {0}")]
    CreditorNotConfigured(String),
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
