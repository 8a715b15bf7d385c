//! Reading payment positions.

use accounts::AccountId;
use pagopa::NoticeNumber;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement,
};
use tenancy::TenantId;

use crate::entity::payment_position;
use crate::{PaymentPosition, PaymentsError, PositionId};

/// A family's notices, newest first. Keyset pagination: `before` is the last id of the
/// previous page. Asks for one more than `limit`, so the caller knows whether a next page
/// exists (the boolean).
pub async fn positions_of_account(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    account: AccountId,
    before: Option<PositionId>,
    limit: u64,
) -> Result<(Vec<PaymentPosition>, bool), PaymentsError> {
    let mut query = payment_position::Entity::find()
        .filter(payment_position::Column::TenantId.eq(tenant.get()))
        .filter(payment_position::Column::AccountId.eq(account.get()));
    if let Some(before) = before {
        query = query.filter(payment_position::Column::Id.lt(before.get()));
    }
    let rows = query
        .order_by_desc(payment_position::Column::Id)
        .limit(limit.saturating_add(1))
        .all(db)
        .await?;
    let more = u64::try_from(rows.len()).unwrap_or(u64::MAX) > limit;
    let positions = rows
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(PaymentPosition::from_row)
        .collect::<Result<_, _>>()?;
    Ok((positions, more))
}

/// The comune's position with this notice number, if it issued one.
pub async fn position_by_notice(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    notice: &NoticeNumber,
) -> Result<Option<PaymentPosition>, PaymentsError> {
    payment_position::Entity::find()
        .filter(payment_position::Column::TenantId.eq(tenant.get()))
        .filter(payment_position::Column::NoticeNumber.eq(notice.to_string()))
        .one(db)
        .await?
        .map(PaymentPosition::from_row)
        .transpose()
}

/// `position_by_notice` in one statement of its own, for the Node's hottest call
/// (paVerifyPaymentNotice, up to hundreds at once).
///
/// A scoped transaction costs four round trips on PostgreSQL (BEGIN, set_config, the query,
/// COMMIT); here the comune is set for the statement's own implicit transaction by a
/// one-row subquery, and the positions are read in a LATERAL subquery that depends on it
/// and cannot be flattened (`OFFSET 0`), so PostgreSQL must evaluate `set_config` first.
/// Row-level security still applies; should the order ever differ, the policy sees no
/// comune and the read finds nothing (answered PAA_PAGAMENTO_SCONOSCIUTO), never another
/// comune's row. SQLite has no row-level security: a plain query.
pub async fn position_by_notice_now(
    db: &DatabaseConnection,
    tenant: TenantId,
    notice: &NoticeNumber,
) -> Result<Option<PaymentPosition>, PaymentsError> {
    if db.get_database_backend() != DbBackend::Postgres {
        return position_by_notice(db, tenant, notice).await;
    }
    let statement = Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT p.* FROM (SELECT set_config($1, $2, true) AS scoped) AS s \
         CROSS JOIN LATERAL (SELECT * FROM payment_positions \
         WHERE tenant_id = $3 AND notice_number = $4 AND s.scoped IS NOT NULL OFFSET 0) AS p",
        [
            tenancy::scope::TENANT_SETTING.into(),
            tenant.get().to_string().into(),
            tenant.get().into(),
            notice.to_string().into(),
        ],
    );
    payment_position::Entity::find()
        .from_raw_sql(statement)
        .one(db)
        .await?
        .map(PaymentPosition::from_row)
        .transpose()
}
