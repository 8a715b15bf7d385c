//! The pagoPA services Mensa calls, as small traits: the gateway implements them over HTTP,
//! tests with doubles. Values are plain data in the shape of the official OpenAPI files
//! (`crates/pagopa/spec/openapi/checkout_v1.json`, `paCreatePosition.json`).

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;

use chrono::NaiveDate;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why a call to pagoPA failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RemoteError {
    /// No answer, or a 5xx/429: worth trying again later.
    #[error("pagoPA is unreachable or busy: {0}")]
    Unavailable(String),
    /// pagoPA refused the request (4xx): trying again will not help.
    #[error("pagoPA refused the request ({status}): {detail}")]
    Refused { status: u16, detail: String },
}

impl RemoteError {
    pub fn is_retryable(&self) -> bool {
        matches!(self, RemoteError::Unavailable(_))
    }
}

/// One notice of a Checkout cart (`PaymentNotice`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartNotice {
    pub notice_number: String,
    /// The creditor's fiscal code.
    pub fiscal_code: String,
    pub amount_cents: u64,
    pub company_name: String,
    pub description: String,
}

/// `CartRequest`: what `POST /carts` needs to start a payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cart {
    pub notices: Vec<CartNotice>,
    pub email: Option<String>,
    /// Absolute URLs Checkout sends the parent back to.
    pub return_ok: String,
    pub return_cancel: String,
    pub return_error: String,
    pub id_cart: Option<String>,
}

/// pagoPA Checkout: starts an online payment and gives the page to send the parent to.
pub trait Checkout: Send + Sync + Debug {
    fn start(&self, cart: &Cart) -> BoxFuture<'_, Result<String, RemoteError>>;
}

/// `NewDebtPositionRequest` of the central archive (ACA).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchivedPosition {
    pub pa_fiscal_code: String,
    /// `F` (a person) or `G` (a company).
    pub entity_type: char,
    pub entity_fiscal_code: String,
    pub entity_full_name: String,
    pub iuv: String,
    /// The notice number (numero avviso).
    pub nav: String,
    pub amount_cents: u64,
    pub description: String,
    /// The last day it can be paid; sent as the end of that day.
    pub expiration_date: NaiveDate,
    pub iban: String,
    pub postal_iban: Option<String>,
    pub switch_to_expired: bool,
    pub pay_stand_in: bool,
}

/// pagoPA's central archive of debt positions: what lets stand-in collect a notice while
/// Mensa is down.
pub trait CentralArchive: Send + Sync + Debug {
    fn create_position(
        &self,
        position: &ArchivedPosition,
    ) -> BoxFuture<'_, Result<(), RemoteError>>;
}
