//! Issuing a payment notice for a family's top-up, and cancelling one.

use chrono::{Days, NaiveDate};
use money::Money;
use pagopa::{NoticeNumber, SegregationCode};
use registry::GuardianId;
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use tenancy::Tenant;

use crate::entity::payment_position;
use crate::position::{PaymentPosition, PositionStatus, TAXONOMY};
use crate::{NoticeError, PaymentsError};

/// A notice can be paid for this many days; after that it expires and the parent asks for a
/// new one (amounts and the comune's IBAN may have changed by then).
pub const NOTICE_VALIDITY_DAYS: u64 = 30;

pub fn due_date_for(issued_on: NaiveDate) -> NaiveDate {
    issued_on
        .checked_add_days(Days::new(NOTICE_VALIDITY_DAYS))
        .unwrap_or(NaiveDate::MAX)
}

/// How many bases `create_notice` draws before giving up: with 10^13 per station, a second
/// collision in a row already means something other than chance.
const DRAWS: usize = 8;

/// Creates the payment position of a top-up of `amount` euro for the family of `guardian`,
/// issued on `today`. The amount must be positive, in whole cents and within the comune's
/// top-up limits. The notice number is random (see `iuv`).
pub async fn create_notice(
    db: &DatabaseConnection,
    tenant: &Tenant,
    guardian: GuardianId,
    amount: Decimal,
    today: NaiveDate,
) -> Result<PaymentPosition, NoticeError> {
    create_notice_drawing(db, tenant, guardian, amount, today, || {
        crate::iuv::random_base().map_err(PaymentsError::Randomness)
    })
    .await
}

/// `create_notice` with the bases drawn by `draw`, so a test can make them collide.
pub(crate) async fn create_notice_drawing(
    db: &DatabaseConnection,
    tenant: &Tenant,
    guardian: GuardianId,
    amount: Decimal,
    today: NaiveDate,
    mut draw: impl FnMut() -> Result<u64, PaymentsError>,
) -> Result<PaymentPosition, NoticeError> {
    let amount = valid_amount(tenant, amount)?;
    let segregation = segregation_code(tenant)?;
    for _ in 0..DRAWS {
        let notice = NoticeNumber::generate(segregation, draw()?)
            .map_err(|_| NoticeError::SequenceExhausted)?;
        match insert(db, tenant, guardian, amount, today, notice).await {
            // The unique notice number of the comune: taken, draw again.
            Err(NoticeError::Failed(PaymentsError::Database(error)))
                if crate::receipts::is_unique_violation(&error) =>
            {
                tracing::warn!(
                    tenant.slug = tenant.slug.as_str(),
                    notice = %notice,
                    "a random notice number was taken already; drawing another"
                );
            }
            other => return other,
        }
    }
    Err(NoticeError::SequenceExhausted)
}

/// Writes the position with this notice number in one tenant-scoped transaction.
async fn insert(
    db: &DatabaseConnection,
    tenant: &Tenant,
    guardian: GuardianId,
    amount: Money,
    today: NaiveDate,
    notice: NoticeNumber,
) -> Result<PaymentPosition, NoticeError> {
    let (account, row) = tenancy::scope::run::<_, NoticeError, _>(db, tenant.id, async |txn| {
        let account = accounts::account_of_guardian(txn, tenant.id, guardian)
            .await
            .map_err(PaymentsError::from)?
            .ok_or(NoticeError::NoAccount)?;
        let person = registry::guardian(txn, tenant.id, guardian)
            .await
            .map_err(PaymentsError::from)?;
        let description = format!(
            "Ricarica refezione scolastica - {} {}",
            person.first_name, person.last_name
        );
        let row = payment_position::ActiveModel {
            tenant_id: Set(tenant.id.get()),
            account_id: Set(account.get()),
            guardian_id: Set(guardian.get()),
            amount_cents: Set(amount.cents()),
            iuv: Set(notice.iuv().to_string()),
            notice_number: Set(notice.to_string()),
            status: Set(PositionStatus::Open.as_str().to_owned()),
            due_date: Set(due_date_for(today)),
            description: Set(description.chars().take(140).collect()),
            taxonomy: Set(TAXONOMY.to_owned()),
            iban: Set(tenant.creditor.iban.as_str().to_owned()),
            receipt_id: Set(None),
            paid_at: Set(None),
            created_at: Set(chrono::Utc::now().fixed_offset()),
            aca_synced_at: Set(None),
            issued_on: Set(Some(today)),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        Ok((account, row))
    })
    .await?;
    let position = PaymentPosition::from_row(row)?;
    tracing::info!(
        tenant.slug = tenant.slug.as_str(),
        account.id = account.get(),
        notice = %position.notice_number,
        amount = %position.amount,
        "payment notice issued"
    );
    Ok(position)
}

/// Cancels an open notice; the Node then hears PAA_PAGAMENTO_ANNULLATO. False when there
/// was no open notice with that number.
pub async fn cancel_notice(
    db: &DatabaseConnection,
    tenant: &Tenant,
    notice: &NoticeNumber,
) -> Result<bool, PaymentsError> {
    let result = tenancy::scope::run(db, tenant.id, async |txn| {
        payment_position::Entity::update_many()
            .col_expr(
                payment_position::Column::Status,
                sea_orm::sea_query::Expr::value(PositionStatus::Cancelled.as_str()),
            )
            .filter(payment_position::Column::TenantId.eq(tenant.id.get()))
            .filter(payment_position::Column::NoticeNumber.eq(notice.to_string()))
            .filter(payment_position::Column::Status.eq(PositionStatus::Open.as_str()))
            .exec(txn)
            .await
    })
    .await?;
    Ok(result.rows_affected == 1)
}

fn valid_amount(tenant: &Tenant, amount: Decimal) -> Result<Money, NoticeError> {
    if amount <= Decimal::ZERO {
        return Err(NoticeError::NotPositive);
    }
    if amount.normalize().scale() > 2 {
        return Err(NoticeError::TooPrecise);
    }
    let limits = tenant.top_up_limits;
    let money =
        Money::from_decimal(amount).map_err(|_| NoticeError::AboveMaximum { max: limits.max })?;
    if money < limits.min {
        return Err(NoticeError::BelowMinimum { min: limits.min });
    }
    if money > limits.max {
        return Err(NoticeError::AboveMaximum { max: limits.max });
    }
    Ok(money)
}

/// Only aux digit 3 (a segregation code per station) is supported; a comune configured
/// otherwise cannot issue notices through Mensa.
fn segregation_code(tenant: &Tenant) -> Result<SegregationCode, NoticeError> {
    if tenant.creditor.aux_digit != 3 {
        return Err(NoticeError::CreditorNotConfigured(
            format!(
                "aux digit {} is not supported (only 3)",
                tenant.creditor.aux_digit
            )
            .into(),
        ));
    }
    tenant
        .creditor
        .segregation_code
        .parse()
        .map_err(|e: pagopa::NoticeError| NoticeError::CreditorNotConfigured(e.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_fall_due_after_the_validity_period() {
        let issued = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(
            due_date_for(issued),
            NaiveDate::from_ymd_opt(2026, 12, 27).unwrap()
        );
    }
}
