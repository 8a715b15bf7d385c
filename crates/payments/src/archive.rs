//! Loading notices into pagoPA's central archive (ACA, `paCreatePosition`) when one is
//! configured, so that the Node's stand-in can collect them while Mensa is unreachable.
//!
//! A position is loaded once; `aca_synced_at` records it. A failed load is retried a few
//! times at once and otherwise left for the next `sync_pending` round, so a pagoPA outage
//! delays the archive without ever blocking a parent.

use std::time::Duration;

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tenancy::{Tenant, TenantDirectory};

use crate::entity::payment_position;
use crate::remote::{ArchivedPosition, CentralArchive, RemoteError};
use crate::{PaymentPosition, PaymentsError, PositionStatus};

/// Attempts per position and round, with these pauses between them.
const BACKOFF: [Duration; 2] = [Duration::from_millis(200), Duration::from_secs(1)];
/// Positions loaded per comune and round.
const ROUND: u64 = 100;

/// What the archive needs to know about `position`, payable by `guardian`.
pub fn archived(
    tenant: &Tenant,
    position: &PaymentPosition,
    guardian: &registry::Guardian,
) -> ArchivedPosition {
    ArchivedPosition {
        pa_fiscal_code: tenant.creditor.fiscal_code.as_str().to_owned(),
        entity_type: 'F',
        entity_fiscal_code: guardian.fiscal_code.as_str().to_owned(),
        entity_full_name: format!("{} {}", guardian.first_name, guardian.last_name),
        iuv: position.notice_number.iuv().to_string(),
        nav: position.notice_number.to_string(),
        amount_cents: u64::try_from(position.amount.cents()).unwrap_or(0),
        description: position.description.clone(),
        expiration_date: position.due_date,
        iban: position.iban.clone(),
        postal_iban: None,
        switch_to_expired: true,
        pay_stand_in: true,
    }
}

/// Loads one position, retrying transient failures; records success.
pub async fn sync_position(
    db: &DatabaseConnection,
    archive: &dyn CentralArchive,
    tenant: &Tenant,
    position: &PaymentPosition,
) -> Result<(), SyncError> {
    let guardian = tenancy::scope::run(db, tenant.id, async |txn| {
        registry::guardian(txn, tenant.id, position.guardian).await
    })
    .await
    .map_err(PaymentsError::from)?;
    let request = archived(tenant, position, &guardian);
    let mut pauses = BACKOFF.iter();
    loop {
        match archive.create_position(&request).await {
            Ok(()) => break,
            Err(error) if error.is_retryable() => match pauses.next() {
                Some(pause) => tokio_sleep(*pause).await,
                None => return Err(SyncError::Remote(error)),
            },
            Err(error) => return Err(SyncError::Remote(error)),
        }
    }
    tenancy::scope::run(db, tenant.id, async |txn| {
        payment_position::Entity::update_many()
            .col_expr(
                payment_position::Column::AcaSyncedAt,
                Expr::value(chrono::Utc::now().fixed_offset()),
            )
            .filter(payment_position::Column::TenantId.eq(tenant.id.get()))
            .filter(payment_position::Column::Id.eq(position.id.get()))
            .exec(txn)
            .await
    })
    .await?;
    Ok(())
}

/// Loads the comune's open positions the archive has not got yet; returns how many it
/// loaded. A position the archive refuses is logged and tried again next round.
pub async fn sync_pending(
    db: &DatabaseConnection,
    archive: &dyn CentralArchive,
    tenant: &Tenant,
) -> Result<usize, PaymentsError> {
    let rows = tenancy::scope::run(db, tenant.id, async |txn| {
        payment_position::Entity::find()
            .filter(payment_position::Column::TenantId.eq(tenant.id.get()))
            .filter(payment_position::Column::Status.eq(PositionStatus::Open.as_str()))
            .filter(payment_position::Column::AcaSyncedAt.is_null())
            .filter(payment_position::Column::DueDate.gte(crate::today()))
            .order_by_asc(payment_position::Column::Id)
            .limit(ROUND)
            .all(txn)
            .await
    })
    .await?;
    let mut loaded = 0;
    for row in rows {
        let position = PaymentPosition::from_row(row)?;
        match sync_position(db, archive, tenant, &position).await {
            Ok(()) => loaded += 1,
            Err(SyncError::Remote(error)) => {
                tracing::warn!(
                    tenant.slug = tenant.slug.as_str(),
                    notice = %position.notice_number,
                    %error,
                    "central archive did not take the position; will retry"
                );
                if error.is_retryable() {
                    // pagoPA is down: the rest of the round would fail the same way.
                    break;
                }
            }
            Err(SyncError::Local(error)) => return Err(error),
        }
    }
    Ok(loaded)
}

/// `sync_pending` for every comune.
pub async fn sync_pending_everywhere(
    db: &DatabaseConnection,
    archive: &dyn CentralArchive,
    tenants: &TenantDirectory,
) -> Result<usize, PaymentsError> {
    let mut loaded = 0;
    for tenant in tenants.all().await? {
        loaded += sync_pending(db, archive, &tenant).await?;
    }
    Ok(loaded)
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Remote(RemoteError),
    #[error(transparent)]
    Local(#[from] PaymentsError),
}

impl From<sea_orm::DbErr> for SyncError {
    fn from(error: sea_orm::DbErr) -> Self {
        SyncError::Local(error.into())
    }
}

async fn tokio_sleep(pause: Duration) {
    tokio::time::sleep(pause).await;
}
