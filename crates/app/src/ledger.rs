//! The staff's commands on family accounts: a day of meals, voucher recoveries, refunds,
//! adjustments and reversals. The engine applies the comune's rules and commits each
//! command whole or not at all; here are the limits a caller must respect first.

use std::sync::Arc;

use accounts::{AccountId, Command, MealDaySummary, Posted};
use chrono::NaiveDate;
use registry::{GuardianId, StudentId};
use tenancy::Tenant;

use crate::{App, AppError};

/// The most students one call may post: a large comune's whole school day.
pub const MAX_MEALS_PER_CALL: usize = 10_000;

impl App {
    /// Posts the meals eaten on `date`. Re-posting a student and date changes nothing;
    /// `force` posts on a day that is not one of the class's meal days.
    pub async fn post_meals(
        &self,
        tenant: &Arc<Tenant>,
        date: NaiveDate,
        students: &[StudentId],
        force: bool,
        actor: &str,
    ) -> Result<MealDaySummary, AppError> {
        if students.len() > MAX_MEALS_PER_CALL {
            return Err(AppError::Invalid(format!(
                "Post at most {MAX_MEALS_PER_CALL} students per call; split the day in parts."
            )));
        }
        Ok(self
            .accounts
            .post_meals(tenant, date, students, force, actor)
            .await?)
    }

    /// The family account of `guardian` in this comune.
    pub async fn account_of(
        &self,
        tenant: &Tenant,
        guardian: GuardianId,
    ) -> Result<AccountId, AppError> {
        let account = tenancy::scope::run(&self.db, tenant.id, async |txn| {
            accounts::account_of_guardian(txn, tenant.id, guardian).await
        })
        .await?;
        account.ok_or(AppError::NotFound("guardian"))
    }

    /// An operator's command on the family account of `guardian`.
    pub async fn record(
        &self,
        tenant: &Arc<Tenant>,
        guardian: GuardianId,
        command: Command,
        actor: &str,
    ) -> Result<Posted, AppError> {
        let account = self.account_of(tenant, guardian).await?;
        Ok(self
            .accounts
            .execute(tenant, account, command, actor)
            .await?)
    }
}
