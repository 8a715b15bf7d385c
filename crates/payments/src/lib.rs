//! How money comes in: pagoPA payment positions and the receipts that credit families.
//!
//! The comune is the creditor (Ente Creditore) and Mensa its technical broker. A top-up
//! becomes a payment position with a notice number (avviso) that a parent pays online or at
//! any PSP; the pagoPA Node then calls the creditor service here (verify, get, receipt), and
//! each receipt credits the family account exactly once through the account engine, keyed on
//! the receipt id, when it pays what the notice asked (anything else waits for an operator as
//! a payment anomaly). The wire formats are the `pagopa` crate's; this crate owns the rules and
//! the tables. It speaks no HTTP: the gateway serves the SOAP endpoint and implements the
//! outbound clients (Checkout, the central archive) behind the traits of `remote`.
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod anomalies;
pub mod archive;
pub mod creditor;
mod document;
pub mod entity;
mod error;
mod expiry;
mod iuv;
mod notice;
mod position;
mod queries;
mod receipts;
pub mod reconciliation;
mod refusal;
pub mod remote;

pub use anomalies::{AnomalyId, AnomalyStatus, Decision, PaymentAnomaly};
pub use creditor::{CreditorService, Handled, Station};
pub use document::{notice_document, notice_pdf, notice_pdf_for_account};
pub use error::{CreditorSetting, NoticeError, PaymentsError};
pub use expiry::{expire_due, expire_due_everywhere};
pub use notice::{NOTICE_VALIDITY_DAYS, cancel_notice, create_notice, due_date_for};
pub use position::{PaymentPosition, PositionId, PositionStatus, TAXONOMY};
pub use queries::{position_by_notice, positions_of_account};
pub use receipts::{
    ReceiptOutcome, credit_pending, credit_pending_everywhere, flags as receipt_flags,
};

/// Today in Italy: due dates are calendar days of the comune, whatever the server's zone.
pub fn today() -> chrono::NaiveDate {
    tenancy::today_in_italy()
}
