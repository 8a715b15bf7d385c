//! What a use case answers when it cannot do what was asked: something the caller can fix
//! (named in English, for the API; the portal words its own Italian), or our own failure,
//! whose cause is kept for the log and never shown.

use accounts::LedgerError;
use payments::NoticeError;

/// An internal failure's cause, kept whole so the log shows the chain.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Nothing of that kind with that id in this comune (another comune's reads the same).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Input the caller can correct; the message says how.
    #[error("{0}")]
    Invalid(String),
    /// The ledger refused or failed; its own variants say which.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// A payment notice could not be created; its own variants say why.
    #[error(transparent)]
    Notice(#[from] NoticeError),
    #[error("the operation failed inside")]
    Internal(#[source] Cause),
}

impl AppError {
    pub fn internal(error: impl Into<Cause>) -> Self {
        AppError::Internal(error.into())
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        AppError::Invalid(message.into())
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, AppError::NotFound(_))
    }
}

impl From<registry::RegistryError> for AppError {
    fn from(error: registry::RegistryError) -> Self {
        match error {
            registry::RegistryError::NotFound { what, .. } => AppError::NotFound(what),
            registry::RegistryError::Duplicate(what) => AppError::Invalid(format!(
                "'{what}' is already registered in this comune; choose another or edit the existing one."
            )),
            other => AppError::internal(other),
        }
    }
}

impl From<content::ContentError> for AppError {
    fn from(error: content::ContentError) -> Self {
        match error {
            content::ContentError::Invalid(problem) => AppError::Invalid(problem),
            other => AppError::internal(other),
        }
    }
}

macro_rules! internal_from {
    ($($from:ty),*) => {$(
        impl From<$from> for AppError {
            fn from(error: $from) -> Self {
                AppError::internal(error)
            }
        }
    )*};
}

internal_from!(
    sea_orm::DbErr,
    tenancy::TariffError,
    payments::PaymentsError
);
