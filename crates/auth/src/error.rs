//! Why a login, a password change or a key operation did not happen.

use std::time::Duration;

/// An internal failure's cause, kept for the log (never shown to the caller).
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Unknown username or wrong password: deliberately the same answer.
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("too many failed attempts; retry in {} minutes", retry_after.as_secs().div_ceil(60))]
    RateLimited { retry_after: Duration },
    #[error("the current password is wrong")]
    WrongPassword,
    #[error("{0}")]
    WeakPassword(&'static str),
    #[error("the authentication service failed")]
    Internal(#[source] Cause),
}

impl AuthError {
    pub(crate) fn internal(error: impl Into<Cause>) -> Self {
        AuthError::Internal(error.into())
    }
}

macro_rules! internal_from {
    ($($from:ty),*) => {$(
        impl From<$from> for AuthError {
            fn from(error: $from) -> Self {
                AuthError::internal(error)
            }
        }
    )*};
}

internal_from!(
    sea_orm::DbErr,
    registry::RegistryError,
    accounts::LedgerError
);
