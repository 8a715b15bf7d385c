//! Payment anomalies (anomalie di pagamento): receipts that matched no open notice and wait
//! for the comune's operators.

use async_graphql::{Enum, ID, SimpleObject};
use payments::{AnomalyStatus, PaymentAnomaly};

use crate::graphql::scalars::{Date, DateTime, Decimal};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "PaymentAnomalyStatus")]
pub enum Status {
    /// Waiting for an operator.
    Open,
    /// An operator credited a family.
    Credited,
    /// An operator decided the payer gets the money back.
    ToRefund,
}

impl From<AnomalyStatus> for Status {
    fn from(status: AnomalyStatus) -> Self {
        match status {
            AnomalyStatus::Open => Status::Open,
            AnomalyStatus::Credited => Status::Credited,
            AnomalyStatus::ToRefund => Status::ToRefund,
        }
    }
}

impl From<Status> for AnomalyStatus {
    fn from(status: Status) -> Self {
        match status {
            Status::Open => AnomalyStatus::Open,
            Status::Credited => AnomalyStatus::Credited,
            Status::ToRefund => AnomalyStatus::ToRefund,
        }
    }
}

#[derive(SimpleObject)]
#[graphql(name = "PaymentAnomaly")]
pub struct PaymentAnomalyObject {
    id: ID,
    /// pagoPA's receipt id (receiptId).
    receipt_id: String,
    /// The 18-digit notice number the receipt names.
    notice_number: String,
    /// What the payer paid.
    paid: Decimal,
    /// What the notice asked; null for a notice the comune never issued.
    expected: Option<Decimal>,
    /// The part of the payment transferred to the comune: what crediting gives the family.
    to_credit: Decimal,
    /// The day of payment.
    paid_on: Date,
    /// Why it did not match: amount_mismatch, already_paid, expired, cancelled,
    /// unknown_notice, foreign_transfers, no_own_transfer.
    reasons: Vec<String>,
    received_at: DateTime,
    status: Status,
    /// The family account of the notice; null for an unknown notice.
    account_id: Option<ID>,
    /// The family account an operator credited.
    credited_account_id: Option<ID>,
    /// Who decided, as in the audit log (`operator:<id>`).
    decided_by: Option<String>,
    decided_at: Option<DateTime>,
    note: Option<String>,
}

impl From<PaymentAnomaly> for PaymentAnomalyObject {
    fn from(a: PaymentAnomaly) -> Self {
        PaymentAnomalyObject {
            id: ID(a.id.get().to_string()),
            receipt_id: a.receipt_id,
            notice_number: a.notice_number,
            paid: Decimal(a.paid),
            expected: a.expected.map(Decimal),
            to_credit: Decimal(a.to_credit),
            paid_on: Date(a.credit_date),
            reasons: a.reasons,
            received_at: DateTime(a.received_at),
            status: a.status.into(),
            account_id: a.account.map(|id| ID(id.get().to_string())),
            credited_account_id: a.credited_account.map(|id| ID(id.get().to_string())),
            decided_by: a.decided_by,
            decided_at: a.decided_at.map(DateTime),
            note: a.note,
        }
    }
}
