//! The application layer: the use cases that both the GraphQL API and the portal (and
//! tomorrow the staff pages) call, so a resolver and a page handler are thin adapters
//! over the same call and can never tell a family different things.
//!
//! A use case checks what the caller sent (the business rules: sizes, kinds, limits),
//! opens its own tenant-scoped transaction or goes through the account engine, and
//! answers in domain types or an `AppError`. It knows nothing of HTTP, GraphQL or HTML:
//! who may call it is the adapter's question, answered before the call.

pub mod anomalies;
pub mod documents;
mod error;
pub mod family;
pub mod input;
pub mod kitchen;
pub mod ledger;
mod news;
pub mod notices;
pub mod roster;
pub mod statement;

use std::sync::Arc;

use accounts::AccountEngine;
use sea_orm::DatabaseConnection;
use tenancy::TenantDirectory;

pub use documents::{DocumentStore, FileStore, Upload};
pub use error::{AppError, Cause};
pub use notices::{NoticeView, PaymentLinks};

/// What the use cases work with: the database, the comuni, the account engine, where
/// documents live and how a parent pays.
#[derive(Debug)]
pub struct App {
    pub db: DatabaseConnection,
    pub tenants: Arc<TenantDirectory>,
    pub accounts: AccountEngine,
    pub documents: Arc<dyn DocumentStore>,
    pub pagopa: PaymentLinks,
    pub limits: Limits,
}

/// The deployment's limits on what a caller may send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest document an operator may publish, in bytes.
    pub document_max_bytes: usize,
}
