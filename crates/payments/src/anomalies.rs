//! Payment anomalies (anomalie di pagamento): receipts that did not match an open position
//! of the comune, kept for an operator to decide. Nothing is credited until he does.
//!
//! A decision is made once, and credits at most once, even when two operators (or two
//! replicas) decide at the same moment:
//! 1. the anomaly moves from OPEN to CREDITED (or TO_REFUND) in one conditional update; of
//!    two decisions only one finds it OPEN, the other learns it was decided already;
//! 2. a CREDITED anomaly is then credited through the account engine with the top-up of
//!    its receipt (`receipt:<id>`, unique per comune in the ledger), built from the stored
//!    row only, so every retry sends the very same command and the ledger keeps one row;
//!    the same key means a receipt is never credited both by the Node and by an operator.
//!
//! A crash between 1 and 2 loses nothing: repeating the decision finds it CREDITED and runs
//! step 2 again, and `credit_pending` finishes every CREDITED anomaly without its ledger row.

use std::fmt;
use std::sync::Arc;

use accounts::{AccountEngine, AccountId, Command, Posted};
use chrono::{DateTime, FixedOffset, NaiveDate};
use money::Money;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use tenancy::{Tenant, TenantId};

use crate::PaymentsError;
use crate::entity::payment_anomaly;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AnomalyId(i64);

impl AnomalyId {
    pub fn new(id: i64) -> Self {
        Self(id)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for AnomalyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Where an anomaly stands. Only `Open` changes, and only once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AnomalyStatus {
    /// Waiting for an operator.
    Open,
    /// An operator credited a family.
    Credited,
    /// An operator decided the payer gets the money back (outside Mensa: a bank transfer).
    ToRefund,
}

impl AnomalyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "OPEN",
            Self::Credited => "CREDITED",
            Self::ToRefund => "TO_REFUND",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "OPEN" => Some(Self::Open),
            "CREDITED" => Some(Self::Credited),
            "TO_REFUND" => Some(Self::ToRefund),
            _ => None,
        }
    }
}

impl fmt::Display for AnomalyStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentAnomaly {
    pub id: AnomalyId,
    pub receipt_id: String,
    /// As the receipt carried it: an unknown notice has no position to parse it against.
    pub notice_number: String,
    /// The family whose notice it was; `None` for a notice the comune never issued.
    pub account: Option<AccountId>,
    /// What the payer paid.
    pub paid: Money,
    /// What the notice asked, when there is one.
    pub expected: Option<Money>,
    /// The comune's own share of the transfers: what crediting it gives the family.
    pub to_credit: Money,
    /// The day of payment, and of the top-up if it is credited.
    pub credit_date: NaiveDate,
    /// Why it did not match, as the receipt flags' words (`amount_mismatch`, …).
    pub reasons: Vec<String>,
    pub received_at: DateTime<FixedOffset>,
    pub status: AnomalyStatus,
    /// The family an operator credited.
    pub credited_account: Option<AccountId>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    pub note: Option<String>,
}

impl PaymentAnomaly {
    fn from_row(row: payment_anomaly::Model) -> Result<Self, PaymentsError> {
        let id = row.id;
        let corrupt =
            |problem: Box<dyn std::error::Error + Send + Sync>| PaymentsError::CorruptRow {
                table: "payment_anomalies",
                id,
                problem,
            };
        let money = |cents: i64| Money::from_cents(cents).map_err(|e| corrupt(e.into()));
        Ok(Self {
            id: AnomalyId(row.id),
            receipt_id: row.receipt_id,
            notice_number: row.notice_number,
            account: row.account_id.map(AccountId::new),
            paid: money(row.paid_cents)?,
            expected: row.expected_cents.map(money).transpose()?,
            to_credit: money(row.credit_cents)?,
            credit_date: row.credit_date,
            reasons: row
                .reason
                .split(',')
                .filter(|r| !r.is_empty())
                .map(str::to_owned)
                .collect(),
            received_at: row.received_at,
            status: AnomalyStatus::parse(&row.status)
                .ok_or_else(|| corrupt(format!("unknown status {:?}", row.status).into()))?,
            credited_account: row.credited_account_id.map(AccountId::new),
            decided_by: row.decided_by,
            decided_at: row.decided_at,
            note: row.note,
        })
    }

    /// The top-up that credits this anomaly, from the stored row only; `None` until an
    /// operator credited it (or when nothing of the payment reached the comune).
    fn top_up(&self) -> Option<(AccountId, Command)> {
        let account = self.credited_account?;
        if self.status != AnomalyStatus::Credited || !self.to_credit.is_positive() {
            return None;
        }
        Some((
            account,
            Command::TopUp {
                amount: self.to_credit,
                receipt_id: self.receipt_id.clone(),
                date: self.credit_date,
            },
        ))
    }
}

/// The comune's anomalies, newest first, optionally of one status. Keyset pagination as
/// `positions_of_account`: `before` is the last id of the previous page; the boolean says
/// whether a next page exists.
pub async fn anomalies(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    status: Option<AnomalyStatus>,
    before: Option<AnomalyId>,
    limit: u64,
) -> Result<(Vec<PaymentAnomaly>, bool), PaymentsError> {
    let mut query =
        payment_anomaly::Entity::find().filter(payment_anomaly::Column::TenantId.eq(tenant.get()));
    if let Some(status) = status {
        query = query.filter(payment_anomaly::Column::Status.eq(status.as_str()));
    }
    if let Some(before) = before {
        query = query.filter(payment_anomaly::Column::Id.lt(before.get()));
    }
    let rows = query
        .order_by_desc(payment_anomaly::Column::Id)
        .limit(limit.saturating_add(1))
        .all(db)
        .await?;
    let more = u64::try_from(rows.len()).unwrap_or(u64::MAX) > limit;
    let found = rows
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(PaymentAnomaly::from_row)
        .collect::<Result<_, _>>()?;
    Ok((found, more))
}

/// One anomaly of the comune.
pub async fn anomaly(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    id: AnomalyId,
) -> Result<Option<PaymentAnomaly>, PaymentsError> {
    payment_anomaly::Entity::find()
        .filter(payment_anomaly::Column::TenantId.eq(tenant.get()))
        .filter(payment_anomaly::Column::Id.eq(id.get()))
        .one(db)
        .await?
        .map(PaymentAnomaly::from_row)
        .transpose()
}

/// How many anomalies of the comune wait for an operator.
pub async fn count_open(db: &impl ConnectionTrait, tenant: TenantId) -> Result<u64, PaymentsError> {
    Ok(payment_anomaly::Entity::find()
        .filter(payment_anomaly::Column::TenantId.eq(tenant.get()))
        .filter(payment_anomaly::Column::Status.eq(AnomalyStatus::Open.as_str()))
        .count(db)
        .await?)
}

/// Open anomalies of notices the comune never issued: bounds how many receipt bodies of
/// that kind are kept (see `receipts::UNKNOWN_BODIES`).
pub(crate) async fn count_open_unknown(
    db: &impl ConnectionTrait,
    tenant: TenantId,
) -> Result<u64, sea_orm::DbErr> {
    payment_anomaly::Entity::find()
        .filter(payment_anomaly::Column::TenantId.eq(tenant.get()))
        .filter(payment_anomaly::Column::Status.eq(AnomalyStatus::Open.as_str()))
        .filter(payment_anomaly::Column::PositionId.is_null())
        .count(db)
        .await
}

/// An operator's decision on an anomaly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Credit the family of this account with the comune's share of the payment.
    Credit(AccountId),
    /// The payer gets the money back; nothing is credited.
    Refund,
}

impl Decision {
    fn status(self) -> AnomalyStatus {
        match self {
            Decision::Credit(_) => AnomalyStatus::Credited,
            Decision::Refund => AnomalyStatus::ToRefund,
        }
    }
}

/// Records the decision on an OPEN anomaly; false when it was no longer open (decided
/// before, perhaps at the same moment by someone else). Run it in the transaction that
/// writes the decision's audit entry.
pub async fn decide(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    id: AnomalyId,
    decision: Decision,
    actor: &str,
    note: &str,
) -> Result<bool, PaymentsError> {
    let credited = match decision {
        Decision::Credit(account) => Some(account.get()),
        Decision::Refund => None,
    };
    let result = payment_anomaly::Entity::update_many()
        .col_expr(
            payment_anomaly::Column::Status,
            Expr::value(decision.status().as_str()),
        )
        .col_expr(
            payment_anomaly::Column::CreditedAccountId,
            Expr::value(credited),
        )
        .col_expr(payment_anomaly::Column::DecidedBy, Expr::value(actor))
        .col_expr(
            payment_anomaly::Column::DecidedAt,
            Expr::value(chrono::Utc::now().fixed_offset()),
        )
        .col_expr(payment_anomaly::Column::Note, Expr::value(note))
        .filter(payment_anomaly::Column::TenantId.eq(tenant.get()))
        .filter(payment_anomaly::Column::Id.eq(id.get()))
        .filter(payment_anomaly::Column::Status.eq(AnomalyStatus::Open.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Credits a CREDITED anomaly's family, once: the posting (or, on a repeat, the first one);
/// `None` when the anomaly is not one to credit.
pub async fn credit(
    engine: &AccountEngine,
    tenant: &Arc<Tenant>,
    anomaly: &PaymentAnomaly,
    actor: &str,
) -> Result<Option<Posted>, PaymentsError> {
    let Some((account, command)) = anomaly.top_up() else {
        return Ok(None);
    };
    Ok(Some(engine.execute(tenant, account, command, actor).await?))
}

/// Credits every CREDITED anomaly of the comune whose top-up is missing (a crash between
/// the decision and the credit); returns how many it credited.
pub(crate) async fn credit_decided(
    db: &DatabaseConnection,
    engine: &AccountEngine,
    tenant: &Arc<Tenant>,
) -> Result<usize, PaymentsError> {
    let pending = tenancy::scope::run(db, tenant.id, async |txn| {
        payment_anomaly::Entity::find()
            .filter(payment_anomaly::Column::TenantId.eq(tenant.id.get()))
            .filter(payment_anomaly::Column::Status.eq(AnomalyStatus::Credited.as_str()))
            .filter(Expr::cust(
                "NOT EXISTS (SELECT 1 FROM ledger_entries l \
                 WHERE l.tenant_id = payment_anomalies.tenant_id \
                 AND l.idempotency_key = 'receipt:' || payment_anomalies.receipt_id)",
            ))
            .order_by_asc(payment_anomaly::Column::Id)
            .all(txn)
            .await
    })
    .await?;
    let mut credited = 0;
    for row in pending {
        let anomaly = PaymentAnomaly::from_row(row)?;
        let actor = anomaly.decided_by.clone().unwrap_or_default();
        if let Some(posted) = credit(engine, tenant, &anomaly, &actor).await?
            && !posted.repeated
        {
            credited += 1;
            tracing::warn!(
                tenant.slug = tenant.slug.as_str(),
                receipt.id = anomaly.receipt_id.as_str(),
                "credited a payment anomaly whose credit had been interrupted"
            );
        }
    }
    Ok(credited)
}
