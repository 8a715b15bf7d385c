//! Why the creditor service answered a request of the Node KO: shared by the payment
//! operations and the receipts, so neither imports the other.

use pagopa::soap::FaultCode;

/// Why a request was answered KO.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// An answer the SANP tables define.
    Fault(FaultCode, String),
    /// Our own failure: answered PAA_SYSTEM_ERROR, so the Node retries.
    Failed(crate::PaymentsError),
}

macro_rules! failed_from {
    ($($error:ty),*) => {$(
        impl From<$error> for Refusal {
            fn from(error: $error) -> Self {
                Refusal::Failed(error.into())
            }
        }
    )*};
}
failed_from!(
    crate::PaymentsError,
    sea_orm::DbErr,
    accounts::LedgerError,
    registry::RegistryError
);
