//! What a guardian's and an operator's screens show, read once here for both the GraphQL
//! API and the portal's pages, so the two can never tell a family different things.
//!
//! Each function opens its own tenant-scoped transaction (row-level security on
//! PostgreSQL) and answers in domain types; the callers only format.

pub mod family;
pub mod kitchen;
pub mod statement;

/// A lookup found nothing in the comune, or something went wrong inside (logged by the
/// caller, shown as a generic error).
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Failed(String),
}

impl ServiceError {
    pub fn new(error: impl std::fmt::Display) -> Self {
        ServiceError::Failed(error.to_string())
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, ServiceError::NotFound(_))
    }
}

impl From<registry::RegistryError> for ServiceError {
    fn from(error: registry::RegistryError) -> Self {
        match error {
            registry::RegistryError::NotFound { what, .. } => ServiceError::NotFound(what),
            other => ServiceError::new(other),
        }
    }
}

macro_rules! into_service_error {
    ($($from:ty),*) => {$(
        impl From<$from> for ServiceError {
            fn from(error: $from) -> Self {
                ServiceError::new(error)
            }
        }
    )*};
}

into_service_error!(
    sea_orm::DbErr,
    accounts::LedgerError,
    tenancy::TariffError,
    content::ContentError
);
