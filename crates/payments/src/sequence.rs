//! The per-comune counter behind notice numbers.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, Set};
use tenancy::TenantId;

use crate::entity::notice_sequence;

/// The next IUV base of the comune. Run inside the transaction that inserts the position:
/// the `UPDATE` holds the row until commit, so two creations never share a number, and a
/// rolled-back creation gives its number back.
pub(crate) async fn next_base(
    txn: &impl ConnectionTrait,
    tenant: TenantId,
) -> Result<i64, sea_orm::DbErr> {
    // The first notice of a comune creates its row; racing first notices both land on the
    // unique index and the loser does nothing.
    notice_sequence::Entity::insert(notice_sequence::ActiveModel {
        tenant_id: Set(tenant.get()),
        last_value: Set(0),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([notice_sequence::Column::TenantId])
    .exec(txn)
    .await?;
    notice_sequence::Entity::update_many()
        .col_expr(
            notice_sequence::Column::LastValue,
            Expr::col(notice_sequence::Column::LastValue).add(1),
        )
        .filter(notice_sequence::Column::TenantId.eq(tenant.get()))
        .exec(txn)
        .await?;
    let row = notice_sequence::Entity::find()
        .filter(notice_sequence::Column::TenantId.eq(tenant.get()))
        .one(txn)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("notice sequence".into()))?;
    Ok(row.last_value)
}
