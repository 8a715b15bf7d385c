//! Payment anomalies (anomalie di pagamento): the comune's queue of receipts that matched no
//! open notice, and an operator's decision on each: credit a family, or mark the payment
//! for refund. Either is taken once, with a note, and written to the audit log with who
//! took it; a credit goes through the account engine keyed on the receipt, so it lands in
//! the ledger once however often (or however concurrently) it is asked for. The rules of
//! the queue itself are `payments::anomalies`'.

use std::sync::Arc;

use payments::{AnomalyId, AnomalyStatus, Decision, PaymentAnomaly, PaymentsError};
use registry::GuardianId;
use sea_orm::DatabaseTransaction;
use tenancy::{Tenant, TenantId};

use crate::{App, AppError, input};

/// The comune's anomalies, newest first, of one status or all. `after` is the id of the
/// last anomaly of the previous page; the boolean says whether there is a next one.
pub async fn payment_anomalies(
    app: &App,
    tenant: TenantId,
    status: Option<AnomalyStatus>,
    after: Option<AnomalyId>,
    limit: u64,
) -> Result<(Vec<PaymentAnomaly>, bool), AppError> {
    Ok(tenancy::scope::run(&app.db, tenant, async |txn| {
        payments::anomalies::anomalies(txn, tenant, status, after, limit).await
    })
    .await?)
}

/// How many anomalies wait for the comune's staff (for their dashboard).
pub async fn open_payment_anomalies(app: &App, tenant: TenantId) -> Result<u64, AppError> {
    Ok(tenancy::scope::run(&app.db, tenant, async |txn| {
        payments::anomalies::count_open(txn, tenant).await
    })
    .await?)
}

/// Credits the anomaly's payment (the comune's share of it) to the family whose notice it
/// was, or, for a notice the comune never issued, to the family of `guardian`. Asked again,
/// it answers the credited anomaly and credits nothing more.
pub async fn credit_payment_anomaly(
    app: &App,
    tenant: &Arc<Tenant>,
    id: AnomalyId,
    guardian: Option<GuardianId>,
    note: &str,
    actor: &str,
) -> Result<PaymentAnomaly, AppError> {
    let note = input::text(note, "note")?;
    let anomaly = tenancy::scope::run::<_, AppError, _>(&app.db, tenant.id, async |txn| {
        let found = find(txn, tenant.id, id).await?;
        match found.status {
            AnomalyStatus::Credited => return Ok(found),
            AnomalyStatus::ToRefund => {
                return Err(AppError::invalid(
                    "This payment was marked for refund; a refunded payment cannot also be credited.",
                ));
            }
            AnomalyStatus::Open => {}
        }
        if !found.to_credit.is_positive() {
            return Err(AppError::invalid(
                "No part of this payment was transferred to the comune, so there is nothing to credit; mark it for refund instead.",
            ));
        }
        let account = match (found.account, guardian) {
            (Some(account), None) => account,
            (Some(_), Some(_)) => {
                return Err(AppError::invalid(
                    "This payment's notice belongs to a family already; leave out `guardianId` to credit that family.",
                ));
            }
            (None, Some(guardian)) => accounts::account_of_guardian(txn, tenant.id, guardian)
                .await?
                .ok_or(AppError::NotFound("guardian"))?,
            (None, None) => {
                return Err(AppError::invalid(
                    "The notice of this payment is unknown to the comune: name the family to credit with `guardianId`.",
                ));
            }
        };
        let detail = format!(
            "receipt {}, notice {}: {} to account {}. {note}",
            found.receipt_id, found.notice_number, found.to_credit, account
        );
        record(txn, tenant.id, &found, Decision::Credit(account), actor, &note, &detail).await
    })
    .await?;
    payments::anomalies::credit(&app.accounts, tenant, &anomaly, actor)
        .await
        .map_err(|error| match error {
            PaymentsError::Ledger(error) => AppError::Ledger(error),
            other => AppError::internal(other),
        })?;
    Ok(anomaly)
}

/// Marks the anomaly's payment for refund to the payer (made outside Mensa, by the comune's
/// treasury); nothing is credited. Asked again, it answers the marked anomaly.
pub async fn refund_payment_anomaly(
    app: &App,
    tenant: &Tenant,
    id: AnomalyId,
    note: &str,
    actor: &str,
) -> Result<PaymentAnomaly, AppError> {
    let note = input::text(note, "note")?;
    tenancy::scope::run::<_, AppError, _>(&app.db, tenant.id, async |txn| {
        let found = find(txn, tenant.id, id).await?;
        match found.status {
            AnomalyStatus::ToRefund => Ok(found),
            AnomalyStatus::Credited => Err(AppError::invalid(
                "This payment was credited to a family already; to give the money back, record a refund on that family's account.",
            )),
            AnomalyStatus::Open => {
                let detail = format!(
                    "receipt {}, notice {}: {} to refund. {note}",
                    found.receipt_id, found.notice_number, found.paid
                );
                record(txn, tenant.id, &found, Decision::Refund, actor, &note, &detail).await
            }
        }
    })
    .await
}

async fn find(
    txn: &DatabaseTransaction,
    tenant: TenantId,
    id: AnomalyId,
) -> Result<PaymentAnomaly, AppError> {
    payments::anomalies::anomaly(txn, tenant, id)
        .await?
        .ok_or(AppError::NotFound("payment anomaly"))
}

/// Writes the decision and its audit entry in the caller's transaction, and answers the
/// anomaly as it now stands. When another decision came first, only that one is recorded
/// and answered.
async fn record(
    txn: &DatabaseTransaction,
    tenant: TenantId,
    anomaly: &PaymentAnomaly,
    decision: Decision,
    actor: &str,
    note: &str,
    detail: &str,
) -> Result<PaymentAnomaly, AppError> {
    if payments::anomalies::decide(txn, tenant, anomaly.id, decision, actor, note).await? {
        let action = match decision {
            Decision::Credit(_) => "credit_payment_anomaly",
            Decision::Refund => "refund_payment_anomaly",
        };
        content::record(
            txn,
            tenant,
            content::AuditEntry {
                actor,
                action,
                subject: &format!("payment_anomaly:{}", anomaly.id),
                detail: Some(detail),
            },
        )
        .await?;
    }
    let now = find(txn, tenant, anomaly.id).await?;
    let wanted = match decision {
        Decision::Credit(_) => AnomalyStatus::Credited,
        Decision::Refund => AnomalyStatus::ToRefund,
    };
    if now.status == wanted {
        Ok(now)
    } else {
        Err(AppError::invalid(format!(
            "Someone else decided this payment at the same moment: it is now {}. Reload the list.",
            now.status
        )))
    }
}
