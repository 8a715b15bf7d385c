//! Reading payment positions.

use accounts::AccountId;
use pagopa::NoticeNumber;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
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
