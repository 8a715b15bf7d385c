//! Positions past their due date expire: the Node then hears PAA_PAGAMENTO_SCADUTO (it would
//! anyway, as an open position past due reads as expired; this writes it down for reports).

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tenancy::{Tenant, TenantDirectory};

use crate::entity::payment_position;
use crate::{PaymentsError, PositionStatus};

/// Expires the comune's open positions due before `today`; returns how many.
pub async fn expire_due(
    db: &DatabaseConnection,
    tenant: &Tenant,
    today: NaiveDate,
) -> Result<u64, PaymentsError> {
    let result = tenancy::scope::run(db, tenant.id, async |txn| {
        payment_position::Entity::update_many()
            .col_expr(
                payment_position::Column::Status,
                sea_orm::sea_query::Expr::value(PositionStatus::Expired.as_str()),
            )
            .filter(payment_position::Column::TenantId.eq(tenant.id.get()))
            .filter(payment_position::Column::Status.eq(PositionStatus::Open.as_str()))
            .filter(payment_position::Column::DueDate.lt(today))
            .exec(txn)
            .await
    })
    .await?;
    Ok(result.rows_affected)
}

/// `expire_due` for every comune, one transaction each.
pub async fn expire_due_everywhere(
    db: &DatabaseConnection,
    tenants: &TenantDirectory,
    today: NaiveDate,
) -> Result<u64, PaymentsError> {
    let mut expired = 0;
    for tenant in tenants.all().await? {
        expired += expire_due(db, &tenant, today).await?;
    }
    Ok(expired)
}
