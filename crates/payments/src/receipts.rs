//! Receipts (ricevute telematiche): stored whole, then credited to the family exactly once,
//! and only when they pay what is owed.
//!
//! A receipt credits by itself only when it matches an open position of the comune: the
//! same notice, the amount the notice asks (paid and transferred), every transfer to the
//! comune's own fiscal code, paid on or before the due date. Anything else (another amount,
//! a notice paid already under another receipt id, expired or cancelled, a notice the comune
//! never issued, money to another creditor) is stored with a payment anomaly
//! (`crate::anomalies`), credits nothing, and waits for an operator. A KO outcome moved no
//! money: it is stored and flagged, with nothing to decide.
//!
//! Exactly once, even across crashes and replicas, rests on two unique keys and an order:
//! 1. the receipt row is inserted (unique per comune on the receipt id) together with the
//!    position's move to PAID (or the anomaly), in one transaction;
//! 2. then the family is credited through the account engine, whose top-up is keyed on the
//!    same receipt id (`receipt:<id>`, unique per comune in the ledger);
//! 3. only then does the Node hear OK.
//!
//! A crash between 1 and 2 loses nothing: the Node, having no OK, sends the receipt again,
//! which finds the row and runs step 2 from the stored values; `credit_pending` does the same
//! for every stored receipt without its ledger entry, at start-up and periodically. Running
//! step 2 twice credits once, because the ledger refuses a second row with the same key and
//! answers the repeat as the first time. The row itself is never updated (the table is
//! append-only): whether a receipt was credited is read from the ledger.
//!
//! Every receipt the Node delivers is answered OK, anomalies included. The payment has
//! happened (a PSP took the money); a KO changes nothing of that and only makes the Node
//! retry the same receipt until it gives up, while the receipt is already stored and waits
//! for an operator. The SANP fault table of the creditor domain (docs.pagopa.it "Gestione
//! degli errori" › Dominio EC) has no code for "paid, but not what was asked", and
//! PAA_PAGAMENTO_SCONOSCIUTO / _ANNULLATO / _SCADUTO / _DUPLICATO are the answers of
//! paVerifyPaymentNotice and paGetPayment, before a payment, not of a receipt after it.
//!
//! A duplicate receipt answers OK, not PAA_RECEIPT_DUPLICATA. Sources: the SANP fault table of
//! the creditor domain (pagopa/devportal-docs `faultcode-e-faultstring/domino-ec.md`) has no
//! PAA_RECEIPT_DUPLICATA, only PAA_RT_DUPLICATA of the older RPT/RT model; the code appears in
//! pagoPA's own creditor service (pagopa-gpd-payments, `PaaErrorEnum`), whose retry job treats
//! it as final, like OK. An OK is final for every Node, it is what the first delivery got, and
//! it keeps Mensa's own rule: a repeated command answers as the first time did (DESIGN.md,
//! idempotency).

use std::sync::Arc;

use accounts::{AccountEngine, AccountId, Command};
use chrono::NaiveDate;
use money::Money;
use pagopa::NoticeNumber;
use pagopa::soap::{FaultCode, Operation, Outcome, Receipt, SendRtReq, SendRtV2Req, XsdDateTime};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use tenancy::{Tenant, TenantDirectory};

use crate::anomalies::AnomalyStatus;
use crate::entity::{payment_anomaly, payment_position, payment_receipt};
use crate::refusal::Refusal;
use crate::{PaymentPosition, PaymentsError, PositionStatus};

/// What became of a receipt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReceiptOutcome {
    /// Stored and the family credited, now.
    Credited,
    /// Seen before: answered as the first time, nothing credited again.
    Duplicate,
    /// Stored, but nothing was paid (a KO outcome): the reconciliation lists it.
    NotCredited,
    /// Stored with a payment anomaly: it did not match an open position, credited nothing
    /// and waits for an operator.
    Anomaly,
}

/// Who the ledger names as the author of a top-up.
const ACTOR: &str = "pagopa";

/// Receipt ids are 32 hex characters in practice; the schema sets no bound, the ledger key
/// and the positions table do.
const MAX_RECEIPT_ID: usize = 64;

/// Receipts for notices the comune never issued keep their body only while fewer than this
/// many of their anomalies are open in the comune; beyond, the row (receipt id, notice,
/// amounts, PSP, dates) is kept and the body is not. Anyone able to reach the endpoint could
/// otherwise fill the database with made-up notices; a count cap rather than truncation,
/// because a truncated XML document proves nothing either.
pub(crate) const UNKNOWN_BODIES: u64 = 100;

pub mod flags;

/// A receipt of either version, reduced to what the creditor decides on.
pub(crate) struct Incoming<'a> {
    primitive: Operation,
    receipt_id: &'a str,
    notice: NoticeNumber,
    outcome: Outcome,
    paid_cents: u64,
    /// Fiscal code of the beneficiary and amount in cents, per transfer.
    transfers: Vec<(&'a str, u64)>,
    stand_in: bool,
    psp_id: &'a str,
    payment_date_time: Option<&'a XsdDateTime>,
    application_date: Option<NaiveDate>,
    raw: &'a str,
}

impl<'a> Incoming<'a> {
    pub(crate) fn v1(request: &'a SendRtReq, raw: &'a str) -> Self {
        Self::of(Operation::SendRt, &request.receipt, raw, |t| {
            (t.fiscal_code_pa.as_str(), t.transfer_amount.cents())
        })
    }

    pub(crate) fn v2(request: &'a SendRtV2Req, raw: &'a str) -> Self {
        Self::of(Operation::SendRtV2, &request.receipt, raw, |t| {
            (t.fiscal_code_pa.as_str(), t.transfer_amount.cents())
        })
    }

    fn of<T>(
        primitive: Operation,
        r: &'a Receipt<T>,
        raw: &'a str,
        transfer: impl Fn(&'a T) -> (&'a str, u64),
    ) -> Self {
        Self {
            primitive,
            receipt_id: &r.receipt_id,
            notice: r.notice_number,
            outcome: r.outcome,
            paid_cents: r.payment_amount.cents(),
            transfers: r.transfers.iter().map(transfer).collect(),
            stand_in: r.stand_in.unwrap_or(false),
            psp_id: r.id_psp.as_str(),
            payment_date_time: r.payment_date_time.as_ref(),
            application_date: r.application_date,
            raw,
        }
    }

    /// The day the family is credited: the day the payment was made, as the Node says.
    fn payment_day(&self, today: NaiveDate) -> NaiveDate {
        self.payment_date_time
            .map(|at| at.naive().date())
            .or(self.application_date)
            .unwrap_or(today)
    }
}

/// Stores and credits one receipt; answers only after the credit is committed.
pub(crate) async fn accept(
    db: &DatabaseConnection,
    engine: &AccountEngine,
    tenant: &Arc<Tenant>,
    incoming: Incoming<'_>,
    today: NaiveDate,
) -> Result<ReceiptOutcome, Refusal> {
    let id = incoming.receipt_id;
    if id.is_empty()
        || id.chars().count() > MAX_RECEIPT_ID
        || !id.chars().all(|c| c.is_ascii_graphic())
    {
        return Err(Refusal::Fault(
            FaultCode::Semantica,
            format!("receiptId must be 1 to {MAX_RECEIPT_ID} printable characters"),
        ));
    }
    // Not `scope::run`: a receipt stored before leaves this transaction for another path,
    // and a failed insert must end in a rollback, never a commit.
    let txn = tenancy::scope::begin(db, tenant.id).await?;
    let position = crate::position_by_notice(&txn, tenant.id, &incoming.notice).await?;
    let mut decided = decide(tenant, position.as_ref(), &incoming, today)?;
    if let Some(paid) = decided.pays {
        // Two receipts for one notice at the same moment both found it open: the update
        // waits for the other's commit and then finds it paid. This one is an anomaly.
        if !mark_paid(&txn, tenant, paid, id).await? {
            let position = crate::position_by_notice(&txn, tenant.id, &incoming.notice).await?;
            decided = decide(tenant, position.as_ref(), &incoming, today)?;
        }
    }
    let Decided {
        mut receipt,
        anomaly,
        ..
    } = decided;
    if let Some(anomaly) = &anomaly
        && matches!(anomaly.position_id, Set(None))
        && crate::anomalies::count_open_unknown(&txn, tenant.id).await? >= UNKNOWN_BODIES
    {
        receipt.document = Set(String::new());
    }
    let inserted = match receipt.insert(&txn).await {
        Ok(inserted) => inserted,
        Err(error) if is_unique_violation(&error) => {
            drop(txn);
            return duplicate(db, engine, tenant, id).await;
        }
        Err(error) => return Err(error.into()),
    };
    let is_anomaly = anomaly.is_some();
    if let Some(anomaly) = anomaly {
        anomaly.insert(&txn).await?;
    }
    txn.commit().await?;
    log_flags(tenant, &inserted);
    credit(engine, tenant, &inserted).await?;
    // Credited whoever posted it: a duplicate delivered at the same moment may have run the
    // credit first, from the row this request stored.
    if is_anomaly {
        Ok(ReceiptOutcome::Anomaly)
    } else if inserted.credit_cents > 0 && inserted.account_id.is_some() {
        Ok(ReceiptOutcome::Credited)
    } else {
        Ok(ReceiptOutcome::NotCredited)
    }
}

/// What to store for a receipt: the receipt row, the anomaly when it matched no open
/// position, and the position it pays when it did.
pub(crate) struct Decided {
    pub(crate) receipt: payment_receipt::ActiveModel,
    pub(crate) anomaly: Option<payment_anomaly::ActiveModel>,
    /// The position to mark PAID: an open one this receipt pays exactly.
    pays: Option<crate::PositionId>,
}

/// The rows to store: what to credit, to whom, and what an operator must look at.
fn decide(
    tenant: &Tenant,
    position: Option<&PaymentPosition>,
    incoming: &Incoming<'_>,
    today: NaiveDate,
) -> Result<Decided, PaymentsError> {
    let own_code = tenant.creditor.fiscal_code.as_str();
    let total: u64 = incoming.transfers.iter().map(|(_, cents)| cents).sum();
    let own: u64 = incoming
        .transfers
        .iter()
        .filter(|(code, _)| *code == own_code)
        .map(|(_, cents)| cents)
        .sum();
    let day = incoming.payment_day(today);
    let mut flags: Vec<&str> = Vec::new();
    match (incoming.outcome, position) {
        (Outcome::Ko, _) => flags.push(flags::OUTCOME_KO),
        (Outcome::Ok, None) => flags.push(flags::UNKNOWN_NOTICE),
        (Outcome::Ok, Some(position)) => {
            let expected = u64::try_from(position.amount.cents()).unwrap_or(0);
            if own == 0 {
                flags.push(flags::NO_OWN_TRANSFER);
            }
            if own != total {
                flags.push(flags::FOREIGN_TRANSFERS);
            }
            if own != expected || incoming.paid_cents != expected {
                flags.push(flags::AMOUNT_MISMATCH);
            }
            // Paid on or before the due date is paid in time, even if the receipt arrives
            // after the expiry sweep wrote the position EXPIRED.
            if position.due_date < day {
                flags.push(flags::EXPIRED);
            }
            match position.status {
                PositionStatus::Cancelled => flags.push(flags::CANCELLED),
                PositionStatus::Paid
                    if position.receipt_id.as_deref() != Some(incoming.receipt_id) =>
                {
                    flags.push(flags::ALREADY_PAID);
                }
                _ => {}
            }
        }
    }
    let matched = flags.is_empty();
    let is_anomaly = !matched && incoming.outcome == Outcome::Ok;
    let cents = |value: u64| {
        i64::try_from(value)
            .map_err(|_| PaymentsError::OutOfRange(format!("a receipt of {value} cents")))
    };
    let reason = flags.join(",");
    let received_at = chrono::Utc::now().fixed_offset();
    let receipt = payment_receipt::ActiveModel {
        tenant_id: Set(tenant.id.get()),
        receipt_id: Set(incoming.receipt_id.to_owned()),
        notice_number: Set(incoming.notice.to_string()),
        position_id: Set(position.map(|p| p.id.get())),
        account_id: Set(position.map(|p| p.account.get())),
        primitive: Set(incoming.primitive.soap_action().to_owned()),
        outcome: Set(incoming.outcome.code().to_owned()),
        paid_cents: Set(cents(incoming.paid_cents)?),
        // Only a receipt that pays what was asked credits by itself.
        credit_cents: Set(if matched { cents(own)? } else { 0 }),
        credit_date: Set(day),
        stand_in: Set(incoming.stand_in),
        flags: Set(reason.clone()),
        psp_id: Set(Some(incoming.psp_id.to_owned())),
        payment_date_time: Set(incoming
            .payment_date_time
            .map(|at| at.as_str().chars().take(35).collect())),
        document: Set(incoming.raw.to_owned()),
        received_at: Set(received_at),
        ..Default::default()
    };
    let anomaly = if is_anomaly {
        Some(payment_anomaly::ActiveModel {
            tenant_id: Set(tenant.id.get()),
            receipt_id: Set(incoming.receipt_id.to_owned()),
            notice_number: Set(incoming.notice.to_string()),
            position_id: Set(position.map(|p| p.id.get())),
            account_id: Set(position.map(|p| p.account.get())),
            paid_cents: Set(cents(incoming.paid_cents)?),
            expected_cents: Set(position.map(|p| p.amount.cents())),
            credit_cents: Set(cents(own)?),
            credit_date: Set(day),
            reason: Set(reason),
            received_at: Set(received_at),
            status: Set(AnomalyStatus::Open.as_str().to_owned()),
            credited_account_id: Set(None),
            decided_by: Set(None),
            decided_at: Set(None),
            note: Set(None),
            ..Default::default()
        })
    } else {
        None
    };
    let pays = position
        .filter(|p| matched && p.status != PositionStatus::Paid)
        .map(|p| p.id);
    Ok(Decided {
        receipt,
        anomaly,
        pays,
    })
}

/// Marks the position PAID by this receipt; false when it was no longer payable (paid by
/// another receipt, or cancelled, since it was read).
async fn mark_paid(
    txn: &impl sea_orm::ConnectionTrait,
    tenant: &Tenant,
    position: crate::PositionId,
    receipt_id: &str,
) -> Result<bool, sea_orm::DbErr> {
    let result = payment_position::Entity::update_many()
        .col_expr(
            payment_position::Column::Status,
            Expr::value(PositionStatus::Paid.as_str()),
        )
        .col_expr(payment_position::Column::ReceiptId, Expr::value(receipt_id))
        .col_expr(
            payment_position::Column::PaidAt,
            Expr::value(chrono::Utc::now().fixed_offset()),
        )
        .filter(payment_position::Column::TenantId.eq(tenant.id.get()))
        .filter(payment_position::Column::Id.eq(position.get()))
        .filter(payment_position::Column::Status.is_in([
            PositionStatus::Open.as_str(),
            PositionStatus::Expired.as_str(),
        ]))
        .exec(txn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// A receipt already stored: finish its credit if a crash interrupted it, answer as before.
async fn duplicate(
    db: &DatabaseConnection,
    engine: &AccountEngine,
    tenant: &Arc<Tenant>,
    receipt_id: &str,
) -> Result<ReceiptOutcome, Refusal> {
    let stored = tenancy::scope::run(db, tenant.id, async |txn| {
        payment_receipt::Entity::find()
            .filter(payment_receipt::Column::TenantId.eq(tenant.id.get()))
            .filter(payment_receipt::Column::ReceiptId.eq(receipt_id))
            .one(txn)
            .await
    })
    .await?;
    let stored = stored.ok_or_else(|| PaymentsError::ReceiptVanished(receipt_id.to_owned()))?;
    credit(engine, tenant, &stored).await?;
    Ok(ReceiptOutcome::Duplicate)
}

/// Credits the receipt's amount to its family, once: true when this call posted it.
async fn credit(
    engine: &AccountEngine,
    tenant: &Arc<Tenant>,
    receipt: &payment_receipt::Model,
) -> Result<bool, PaymentsError> {
    let Some(account) = receipt.account_id else {
        return Ok(false);
    };
    if receipt.credit_cents <= 0 {
        return Ok(false);
    }
    let amount =
        Money::from_cents(receipt.credit_cents).map_err(|e| PaymentsError::CorruptRow {
            table: "payment_receipts",
            id: receipt.id,
            problem: e.into(),
        })?;
    // Built from the stored row only, so every retry sends the very same command.
    let command = Command::TopUp {
        amount,
        receipt_id: receipt.receipt_id.clone(),
        date: receipt.credit_date,
    };
    let posted = engine
        .execute(tenant, AccountId::new(account), command, ACTOR)
        .await?;
    Ok(!posted.repeated)
}

fn log_flags(tenant: &Tenant, receipt: &payment_receipt::Model) {
    if !receipt.flags.is_empty() {
        tracing::warn!(
            tenant.slug = tenant.slug.as_str(),
            receipt.id = receipt.receipt_id.as_str(),
            notice = receipt.notice_number.as_str(),
            flags = receipt.flags.as_str(),
            "pagoPA receipt needs an operator"
        );
    }
}

/// The condition "this receipt has no ledger entry yet", for receipts that credit something.
pub(crate) fn not_yet_credited() -> sea_orm::sea_query::SimpleExpr {
    Expr::cust(
        "NOT EXISTS (SELECT 1 FROM ledger_entries l \
         WHERE l.tenant_id = payment_receipts.tenant_id \
         AND l.idempotency_key = 'receipt:' || payment_receipts.receipt_id)",
    )
}

/// Credits every stored receipt of the comune that is still waiting for its credit (a crash
/// or a failed commit after the receipt was stored), and every anomaly an operator credited
/// whose top-up is missing; returns how many it credited.
pub async fn credit_pending(
    db: &DatabaseConnection,
    engine: &AccountEngine,
    tenant: &Arc<Tenant>,
) -> Result<usize, PaymentsError> {
    let pending = tenancy::scope::run(db, tenant.id, async |txn| {
        payment_receipt::Entity::find()
            .filter(payment_receipt::Column::TenantId.eq(tenant.id.get()))
            .filter(payment_receipt::Column::CreditCents.gt(0))
            .filter(payment_receipt::Column::AccountId.is_not_null())
            .filter(not_yet_credited())
            .order_by_asc(payment_receipt::Column::Id)
            .all(txn)
            .await
    })
    .await?;
    let mut credited = crate::anomalies::credit_decided(db, engine, tenant).await?;
    for receipt in &pending {
        if credit(engine, tenant, receipt).await? {
            credited += 1;
            tracing::warn!(
                tenant.slug = tenant.slug.as_str(),
                receipt.id = receipt.receipt_id.as_str(),
                "credited a receipt whose credit had been interrupted"
            );
        }
    }
    Ok(credited)
}

/// `credit_pending` for every comune.
pub async fn credit_pending_everywhere(
    db: &DatabaseConnection,
    engine: &AccountEngine,
    tenants: &TenantDirectory,
) -> Result<usize, PaymentsError> {
    let mut credited = 0;
    for tenant in tenants.all().await? {
        credited += credit_pending(db, engine, &Arc::new(tenant)).await?;
    }
    Ok(credited)
}

pub(crate) fn is_unique_violation(error: &sea_orm::DbErr) -> bool {
    matches!(
        error.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

#[cfg(test)]
mod tests;
