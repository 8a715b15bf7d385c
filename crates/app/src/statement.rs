//! Stato contabile: the family balance, each child's meals, the movements.

use std::collections::HashMap;

use accounts::{AccountEngine, AccountId, EntryFilter, MealDay, Movement};
use chrono::NaiveDate;
use money::Money;
use registry::StudentId;
use sea_orm::DatabaseConnection;
use tenancy::{Tenant, TenantId};

use crate::AppError;

/// The balance and what it means for the family: below the comune's reminder threshold
/// the portal shows a banner with how many meals are left.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BalanceView {
    pub balance: Money,
    pub below_threshold: bool,
}

pub async fn balance(
    engine: &AccountEngine,
    tenant: &Tenant,
    account: AccountId,
) -> Result<BalanceView, AppError> {
    let balance = engine.balance(tenant, account).await?;
    Ok(BalanceView {
        balance,
        below_threshold: balance < tenant.balance_policy.reminder_threshold,
    })
}

/// How many meals at `price` the balance still pays for (none when it is not positive).
pub fn meals_left(balance: Money, price: Money) -> u64 {
    balance
        .whole_multiples_of(price)
        .and_then(|n| u64::try_from(n).ok())
        .unwrap_or(0)
}

pub async fn movements(
    db: &DatabaseConnection,
    tenant: TenantId,
    account: AccountId,
    filter: &EntryFilter,
    limit: u64,
) -> Result<(Vec<Movement>, bool), AppError> {
    tenancy::scope::run(db, tenant, async |txn| {
        Ok(accounts::entries(txn, tenant, account, filter, limit).await?)
    })
    .await
}

/// The meals of several children at once (a family's), by child.
pub async fn meals_of_children(
    db: &DatabaseConnection,
    tenant: TenantId,
    students: &[StudentId],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<StudentId, Vec<MealDay>>, AppError> {
    tenancy::scope::run(db, tenant, async |txn| {
        Ok(accounts::meals_of_students(txn, tenant, students, from, to).await?)
    })
    .await
}

pub async fn meals(
    db: &DatabaseConnection,
    tenant: TenantId,
    student: StudentId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<MealDay>, AppError> {
    tenancy::scope::run(db, tenant, async |txn| {
        Ok(accounts::meals_of_student(txn, tenant, student, from, to).await?)
    })
    .await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn meals_left_counts_whole_meals() {
        let m = |s: &str| s.parse::<Money>().unwrap();
        assert_eq!(meals_left(m("26.40"), m("4.60")), 5);
        assert_eq!(meals_left(m("4.59"), m("4.60")), 0);
        assert_eq!(meals_left(m("-3.00"), m("4.60")), 0);
        assert_eq!(meals_left(m("10.00"), m("0.00")), 0);
    }
}
