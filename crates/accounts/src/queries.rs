//! Reading a family account: its balance, its movements and each child's meals.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use money::Money;
use registry::StudentId;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use tenancy::TenantId;

use crate::entity::ledger_entry;
use crate::evaluate::cents;
use crate::ledger::to_movement;
use crate::{AccountId, EntryId, LedgerError, Movement, MovementKind};

pub async fn balance(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    account: AccountId,
) -> Result<Money, LedgerError> {
    let row = crate::account::load(db, tenant, account).await?;
    cents(row.id, row.balance_cents)
}

/// The sum of the account's ledger rows: what the balance must always equal.
pub async fn ledger_sum(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    account: AccountId,
) -> Result<Money, LedgerError> {
    let sum: Option<i64> = ledger_entry::Entity::find()
        .select_only()
        // PostgreSQL sums BIGINT into NUMERIC; cents always fit back in a BIGINT.
        .column_as(Expr::cust("CAST(SUM(amount_cents) AS BIGINT)"), "total")
        .filter(ledger_entry::Column::TenantId.eq(tenant.get()))
        .filter(ledger_entry::Column::AccountId.eq(account.get()))
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten();
    cents(account.get(), sum.unwrap_or(0))
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryFilter {
    pub kinds: Vec<MovementKind>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Keyset pagination: only movements older than this one.
    pub before: Option<EntryId>,
}

/// Movements newest first; asks for one more than `limit` so the caller knows whether a
/// next page exists.
pub async fn entries(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    account: AccountId,
    filter: &EntryFilter,
    limit: u64,
) -> Result<(Vec<Movement>, bool), LedgerError> {
    let mut query = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::TenantId.eq(tenant.get()))
        .filter(ledger_entry::Column::AccountId.eq(account.get()));
    if !filter.kinds.is_empty() {
        query = query.filter(
            ledger_entry::Column::Kind.is_in(filter.kinds.iter().map(|kind| kind.as_str())),
        );
    }
    if let Some(from) = filter.from {
        query = query.filter(ledger_entry::Column::EntryDate.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(ledger_entry::Column::EntryDate.lte(to));
    }
    if let Some(before) = filter.before {
        query = query.filter(ledger_entry::Column::Id.lt(before.get()));
    }
    let mut rows = query
        .order_by_desc(ledger_entry::Column::Id)
        .limit(limit.saturating_add(1))
        .all(db)
        .await?;
    let has_more = u64::try_from(rows.len()).unwrap_or(u64::MAX) > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let movements = rows
        .into_iter()
        .map(to_movement)
        .collect::<Result<_, _>>()?;
    Ok((movements, has_more))
}

/// How many movements of the account match the filter (for totals shown beside a page).
pub async fn count_entries(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    account: AccountId,
) -> Result<u64, LedgerError> {
    Ok(ledger_entry::Entity::find()
        .filter(ledger_entry::Column::TenantId.eq(tenant.get()))
        .filter(ledger_entry::Column::AccountId.eq(account.get()))
        .count(db)
        .await?)
}

/// One day's meal of a student and what it cost (net of any reversal).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MealDay {
    pub date: NaiveDate,
    pub price: Money,
}

/// A student's meals day by day in `[from, to]`; a reversed meal does not appear.
pub async fn meals_of_student(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    student: StudentId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<MealDay>, LedgerError> {
    let mut meals = meals_of_students(db, tenant, &[student], from, to).await?;
    Ok(meals.remove(&student).unwrap_or_default())
}

/// `meals_of_student` for several students (a family's children) in one statement; a
/// student with no meals in the period has no entry.
pub async fn meals_of_students(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    students: &[StudentId],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<StudentId, Vec<MealDay>>, LedgerError> {
    let rows = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::TenantId.eq(tenant.get()))
        .filter(ledger_entry::Column::StudentId.is_in(students.iter().map(|s| s.get())))
        .filter(ledger_entry::Column::EntryDate.between(from, to))
        .filter(
            ledger_entry::Column::Kind
                .is_in([MovementKind::Meal.as_str(), MovementKind::Reversal.as_str()]),
        )
        .order_by_asc(ledger_entry::Column::EntryDate)
        .order_by_asc(ledger_entry::Column::Id)
        .all(db)
        .await?;
    let reversed: HashSet<i64> = rows
        .iter()
        .filter_map(|row| row.reverses_entry_id)
        .collect();
    let mut meals: HashMap<StudentId, Vec<MealDay>> = HashMap::new();
    for row in rows {
        if row.kind != MovementKind::Meal.as_str() || reversed.contains(&row.id) {
            continue;
        }
        let Some(student) = row.student_id else {
            continue;
        };
        meals
            .entry(StudentId::new(student))
            .or_default()
            .push(MealDay {
                date: row.entry_date,
                price: -cents(row.id, row.amount_cents)?,
            });
    }
    Ok(meals)
}

/// What one meal of the student costs on `date`: the price of the tariff band of the
/// enrolment in force that day; `None` when the student is not enrolled then.
pub async fn student_meal_price(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    student: StudentId,
    date: NaiveDate,
) -> Result<Option<Money>, LedgerError> {
    let Some(enrolment) = registry::enrolment_on(db, tenant, student, date).await? else {
        return Ok(None);
    };
    let band = tenancy::band_on(db, tenant, &enrolment.tariff_band_code, date).await?;
    Ok(Some(band.meal_price))
}

/// The total of a student's meals in `[from, to]`.
pub fn meals_total(meals: &[MealDay]) -> Option<Money> {
    meals
        .iter()
        .try_fold(Money::ZERO, |total, meal| total.checked_add(meal.price))
}
