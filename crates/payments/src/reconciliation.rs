//! Reconciliation of one day for an operator: the notices issued, the receipts the Node
//! sent, the credits the ledger holds for them, and every line that does not add up.
//!
//! Receipts belong to the day of the payment (their credit date), which is also the date of
//! the ledger's top-up; a top-up of that day without a receipt is listed too, because money
//! credited without pagoPA's proof is as wrong as proof without money.

use std::collections::HashMap;
use std::fmt::Write;

use accounts::MovementKind;
use accounts::entity::ledger_entry;
use chrono::NaiveDate;
use money::Money;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use tenancy::TenantId;

use crate::PaymentsError;
use crate::entity::{payment_position, payment_receipt};

/// One receipt of the day and its credit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptLine {
    pub receipt_id: String,
    pub notice_number: String,
    pub primitive: String,
    pub outcome: String,
    pub stand_in: bool,
    pub paid: Money,
    /// What the receipt should credit (the comune's own transfers, when the notice is known).
    pub to_credit: Money,
    /// What the ledger holds for it; `None` when nothing was credited.
    pub credited: Option<Money>,
    pub flags: Vec<String>,
}

impl ReceiptLine {
    /// Flagged when received, or its credit is missing or differs.
    pub fn is_mismatch(&self) -> bool {
        let expected = self.to_credit.is_positive().then_some(self.to_credit);
        !self.flags.is_empty() || self.credited != expected
    }
}

/// A top-up in the ledger on that day for which no receipt exists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnmatchedCredit {
    pub account_id: i64,
    pub amount: Money,
    pub reference: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayReport {
    pub date: NaiveDate,
    pub notices_issued: u64,
    pub notices_amount: Money,
    pub receipts: Vec<ReceiptLine>,
    pub paid_total: Money,
    pub credited_total: Money,
    pub unmatched_credits: Vec<UnmatchedCredit>,
}

impl DayReport {
    pub fn mismatches(&self) -> usize {
        self.receipts.iter().filter(|r| r.is_mismatch()).count() + self.unmatched_credits.len()
    }

    /// The receipts as CSV (one line each, with a header), for the comune's accounting.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "date,receipt_id,notice_number,primitive,outcome,stand_in,paid,to_credit,credited,flags,mismatch\n",
        );
        for r in &self.receipts {
            let credited = r.credited.map(|m| m.to_string()).unwrap_or_default();
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{}",
                self.date,
                csv_field(&r.receipt_id),
                r.notice_number,
                r.primitive,
                r.outcome,
                r.stand_in,
                r.paid,
                r.to_credit,
                credited,
                csv_field(&r.flags.join(";")),
                r.is_mismatch()
            );
        }
        for c in &self.unmatched_credits {
            let _ = writeln!(
                out,
                "{},{},,,,,,,{},credit_without_receipt,true",
                self.date,
                csv_field(&c.reference),
                c.amount
            );
        }
        out
    }
}

/// The comune's reconciliation for `date`; run it inside a tenant-scoped transaction.
pub async fn day(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    date: NaiveDate,
) -> Result<DayReport, PaymentsError> {
    let money = |cents: i64, table: &'static str, id: i64| {
        Money::from_cents(cents).map_err(|e| PaymentsError::CorruptRow {
            table,
            id,
            problem: e.into(),
        })
    };
    let issued = payment_position::Entity::find()
        .filter(payment_position::Column::TenantId.eq(tenant.get()))
        .filter(payment_position::Column::IssuedOn.eq(date))
        .all(db)
        .await?;
    let mut notices_amount = Money::ZERO;
    for p in &issued {
        notices_amount = notices_amount
            .checked_add(money(p.amount_cents, "payment_positions", p.id)?)
            .ok_or_else(|| overflow("notices"))?;
    }

    let receipts = payment_receipt::Entity::find()
        .filter(payment_receipt::Column::TenantId.eq(tenant.get()))
        .filter(payment_receipt::Column::CreditDate.eq(date))
        .order_by_asc(payment_receipt::Column::Id)
        .all(db)
        .await?;
    let top_ups = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::TenantId.eq(tenant.get()))
        .filter(ledger_entry::Column::Kind.eq(MovementKind::TopUp.as_str()))
        .filter(ledger_entry::Column::EntryDate.eq(date))
        .all(db)
        .await?;
    let mut by_key: HashMap<String, ledger_entry::Model> = top_ups
        .into_iter()
        .map(|entry| (entry.idempotency_key.clone(), entry))
        .collect();

    let mut lines = Vec::with_capacity(receipts.len());
    let (mut paid_total, mut credited_total) = (Money::ZERO, Money::ZERO);
    for r in receipts {
        let credited = by_key
            .remove(&format!("receipt:{}", r.receipt_id))
            .map(|entry| money(entry.amount_cents, "ledger_entries", entry.id))
            .transpose()?;
        let paid = money(r.paid_cents, "payment_receipts", r.id)?;
        paid_total = paid_total
            .checked_add(paid)
            .ok_or_else(|| overflow("paid"))?;
        if let Some(credited) = credited {
            credited_total = credited_total
                .checked_add(credited)
                .ok_or_else(|| overflow("credited"))?;
        }
        lines.push(ReceiptLine {
            to_credit: money(r.credit_cents, "payment_receipts", r.id)?,
            paid,
            credited,
            flags: r
                .flags
                .split(',')
                .filter(|f| !f.is_empty())
                .map(str::to_owned)
                .collect(),
            receipt_id: r.receipt_id,
            notice_number: r.notice_number,
            primitive: r.primitive,
            outcome: r.outcome,
            stand_in: r.stand_in,
        });
    }
    let mut unmatched_credits = by_key
        .into_values()
        .map(|entry| {
            Ok(UnmatchedCredit {
                account_id: entry.account_id,
                amount: money(entry.amount_cents, "ledger_entries", entry.id)?,
                reference: entry.idempotency_key,
            })
        })
        .collect::<Result<Vec<_>, PaymentsError>>()?;
    unmatched_credits.sort_by(|a, b| a.reference.cmp(&b.reference));
    Ok(DayReport {
        date,
        notices_issued: u64::try_from(issued.len()).unwrap_or(u64::MAX),
        notices_amount,
        receipts: lines,
        paid_total,
        credited_total,
        unmatched_credits,
    })
}

fn overflow(what: &str) -> PaymentsError {
    PaymentsError::OutOfRange(format!("the day's {what} total"))
}

/// Quotes a field that could hold a comma or a quote.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}
