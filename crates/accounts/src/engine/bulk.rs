//! Posting a whole school day: the attendance of a comune on a date, fanned out to the
//! family actors.
//!
//! Everything the day shares is read once: the roster (who is enrolled, in which class,
//! on which band, paid by which family), the prices in force and the meals already posted.
//! Each family actor then only checks its own rules and hands its postings to the
//! committer, so thousands of meals cost a handful of queries and a few batched commits.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use money::Money;
use registry::{MealDays, StudentId};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use tenancy::Tenant;

use super::AccountEngine;
use super::family::{Execute, PreparedMeal};
use crate::entity::family_account;
use crate::{AccountId, Command, LedgerError};

/// What posting a day did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MealDaySummary {
    pub posted: usize,
    pub already_posted: usize,
    pub refused: Vec<RefusedMeal>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefusedMeal {
    pub student: StudentId,
    pub reason: String,
}

struct Enrolled {
    account: family_account::Model,
    first_name: String,
    band: String,
    meal_days: MealDays,
}

impl AccountEngine {
    /// Posts the meals of `students` on `date`. `force` posts on a day that is not one of
    /// the class's meal days. A student of another comune reads as not enrolled.
    pub async fn post_meals(
        &self,
        tenant: &Arc<Tenant>,
        date: NaiveDate,
        students: &[StudentId],
        force: bool,
        actor: &str,
    ) -> Result<MealDaySummary, LedgerError> {
        let (roster, prices, posted) =
            tenancy::scope::run(&self.inner.db, tenant.id, async |txn| {
                let roster = roster(txn, tenant, date).await?;
                let prices: HashMap<String, Money> = tenancy::bands_on(txn, tenant.id, date)
                    .await?
                    .into_iter()
                    .map(|band| (band.code, band.meal_price))
                    .collect();
                let posted = already_posted(txn, tenant, date).await?;
                Ok::<_, LedgerError>((roster, prices, posted))
            })
            .await?;

        let mut summary = MealDaySummary::default();
        let mut tickets = Vec::new();
        let mut seen = HashSet::new();
        for student in students
            .iter()
            .copied()
            .filter(|student| seen.insert(*student))
        {
            let refuse = |reason: String| RefusedMeal { student, reason };
            let Some(enrolled) = roster.get(&student) else {
                summary.refused.push(refuse(format!(
                    "student {student} is not enrolled in the meal service on {date}"
                )));
                continue;
            };
            if posted.contains(&student) {
                summary.already_posted += 1;
                continue;
            }
            if !force && !enrolled.meal_days.includes_date(date) {
                summary
                    .refused
                    .push(refuse(LedgerError::NotAMealDay { date }.to_string()));
                continue;
            }
            let Some(price) = prices.get(&enrolled.band).copied() else {
                summary.refused.push(refuse(format!(
                    "tariff band '{}' has no price in force on {date}",
                    enrolled.band
                )));
                continue;
            };
            let message = Execute {
                command: Command::Meal {
                    student,
                    date,
                    force,
                },
                actor: actor.to_owned(),
                prepared: Some(PreparedMeal {
                    price,
                    first_name: enrolled.first_name.clone(),
                }),
                account_row: Some(enrolled.account.clone()),
            };
            // Handing over is quick (the actor checks and queues the posting); the commits
            // happen in batches while the rest of the day is still being handed over.
            let account = AccountId::new(enrolled.account.id);
            match self.submit(tenant, account, message).await {
                Ok(ticket) => tickets.push((student, ticket)),
                Err(error) => summary.refused.push(refuse(error.to_string())),
            }
        }
        for (student, ticket) in tickets {
            match ticket.outcome().await {
                Ok(posted) if posted.repeated => summary.already_posted += 1,
                Ok(_) => summary.posted += 1,
                Err(error) => summary.refused.push(RefusedMeal {
                    student,
                    reason: error.to_string(),
                }),
            }
        }
        summary.refused.sort_by_key(|refused| refused.student);
        Ok(summary)
    }
}

async fn roster(
    db: &impl ConnectionTrait,
    tenant: &Tenant,
    date: NaiveDate,
) -> Result<HashMap<StudentId, Enrolled>, LedgerError> {
    let rows = query_day(db, tenant, date, |t, d| {
        format!(
            "SELECT s.id, s.first_name, a.id, e.tariff_band_code, c.meal_days, \
                a.guardian_id, a.balance_cents, a.version, a.created_at \
         FROM students s \
         JOIN family_accounts a ON a.guardian_id = s.guardian_id AND a.tenant_id = s.tenant_id \
         JOIN enrolments e ON e.student_id = s.id AND e.tenant_id = s.tenant_id \
              AND e.valid_from <= {d} AND (e.valid_to IS NULL OR e.valid_to >= {d}) \
         JOIN classes c ON c.id = e.class_id AND c.tenant_id = s.tenant_id \
         WHERE s.tenant_id = {t}"
        )
    })
    .await?;
    let mut roster = HashMap::with_capacity(rows.len());
    for row in rows {
        roster.insert(
            StudentId::new(row.try_get_by_index(0)?),
            Enrolled {
                first_name: row.try_get_by_index(1)?,
                account: family_account::Model {
                    id: row.try_get_by_index(2)?,
                    tenant_id: tenant.id.get(),
                    guardian_id: row.try_get_by_index(5)?,
                    balance_cents: row.try_get_by_index(6)?,
                    version: row.try_get_by_index(7)?,
                    created_at: row.try_get_by_index(8)?,
                },
                band: row.try_get_by_index(3)?,
                meal_days: MealDays::from_mask(row.try_get_by_index(4)?),
            },
        );
    }
    Ok(roster)
}

async fn already_posted(
    db: &impl ConnectionTrait,
    tenant: &Tenant,
    date: NaiveDate,
) -> Result<HashSet<StudentId>, LedgerError> {
    let rows = query_day(db, tenant, date, |t, d| {
        format!("SELECT student_id FROM ledger_entries WHERE tenant_id = {t} AND kind = 'meal' AND entry_date = {d}")
    })
    .await?;
    rows.into_iter()
        .map(|row| Ok(StudentId::new(row.try_get_by_index::<i64>(0)?)))
        .collect()
}

/// Runs a query about one comune on one day; `sql` gets the placeholders of the tenant id
/// and the date in the backend's syntax.
async fn query_day(
    db: &impl ConnectionTrait,
    tenant: &Tenant,
    date: NaiveDate,
    sql: impl FnOnce(&str, &str) -> String,
) -> Result<Vec<sea_orm::QueryResult>, LedgerError> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => sql("$1", "$2"),
        _ => sql("?1", "?2"),
    };
    let values = [tenant.id.get().into(), date.into()];
    Ok(db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?)
}
