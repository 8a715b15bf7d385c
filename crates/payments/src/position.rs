//! A payment position (posizione debitoria): one top-up a family asked to pay through pagoPA.

use std::fmt;

use accounts::AccountId;
use chrono::{DateTime, FixedOffset, NaiveDate};
use money::Money;
use pagopa::NoticeNumber;
use registry::GuardianId;

use crate::PaymentsError;
use crate::entity::payment_position;

/// Taxonomy code of the service (codice tassonomico): school meals, "refezione scolastica".
pub const TAXONOMY: &str = "0107101TS";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PositionId(i64);

impl PositionId {
    pub fn new(id: i64) -> Self {
        Self(id)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for PositionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Where a position stands. `Open` past its due date counts as expired even before the
/// expiry sweep has written it, so the Node never gets a stale answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PositionStatus {
    Open,
    Paid,
    Expired,
    Cancelled,
}

impl PositionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "OPEN",
            Self::Paid => "PAID",
            Self::Expired => "EXPIRED",
            Self::Cancelled => "CANCELLED",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "OPEN" => Some(Self::Open),
            "PAID" => Some(Self::Paid),
            "EXPIRED" => Some(Self::Expired),
            "CANCELLED" => Some(Self::Cancelled),
            _ => None,
        }
    }
}

impl fmt::Display for PositionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentPosition {
    pub id: PositionId,
    pub account: AccountId,
    /// The guardian who asked for the notice: the payer (debitore) printed on it.
    pub guardian: GuardianId,
    pub amount: Money,
    pub notice_number: NoticeNumber,
    /// As stored; see `status_on` for the status a given day sees.
    pub status: PositionStatus,
    pub due_date: NaiveDate,
    /// Causale.
    pub description: String,
    pub taxonomy: String,
    /// The comune's IBAN when the notice was issued: where the money goes.
    pub iban: String,
    pub receipt_id: Option<String>,
    pub paid_at: Option<DateTime<FixedOffset>>,
    pub created_at: DateTime<FixedOffset>,
}

impl PaymentPosition {
    /// The status as seen on `today`: an open position whose due date has passed is expired.
    pub fn status_on(&self, today: NaiveDate) -> PositionStatus {
        match self.status {
            PositionStatus::Open if self.due_date < today => PositionStatus::Expired,
            other => other,
        }
    }

    pub(crate) fn from_row(row: payment_position::Model) -> Result<Self, PaymentsError> {
        let id = row.id;
        let corrupt =
            |problem: Box<dyn std::error::Error + Send + Sync>| PaymentsError::CorruptRow {
                table: "payment_positions",
                id,
                problem,
            };
        Ok(Self {
            id: PositionId(row.id),
            account: AccountId::new(row.account_id),
            guardian: GuardianId::new(row.guardian_id),
            amount: Money::from_cents(row.amount_cents).map_err(|e| corrupt(e.into()))?,
            notice_number: NoticeNumber::parse(&row.notice_number)
                .map_err(|e| corrupt(e.into()))?,
            status: PositionStatus::parse(&row.status)
                .ok_or_else(|| corrupt(format!("unknown status {:?}", row.status).into()))?,
            due_date: row.due_date,
            description: row.description,
            taxonomy: row.taxonomy,
            iban: row.iban,
            receipt_id: row.receipt_id,
            paid_at: row.paid_at,
            created_at: row.created_at,
        })
    }
}
