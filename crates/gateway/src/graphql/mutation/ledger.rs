//! The staff's commands on family accounts: a day of meals, voucher recoveries, refunds,
//! adjustments and reversals. The rules are the account engine's and `app::ledger`'s.

use accounts::{Command, EntryId};
use app::input::{client_key, text};
use async_graphql::{Context, ID, Object, SimpleObject};
use auth::Scope;
use registry::{GuardianId, StudentId};

use super::super::context::{self, staff_or_key};
use super::super::error::{app_error, parse_id};
use super::super::scalars::{Date, Decimal};
use super::super::types::account::MovementObject;

#[derive(Default)]
pub struct LedgerMutation;

#[derive(SimpleObject)]
pub struct RefusedMeal {
    student_id: ID,
    reason: String,
}

#[derive(SimpleObject)]
pub struct PostMealsPayload {
    posted: u64,
    /// Meals of that date already in the ledger: re-posting changes nothing.
    already_posted: u64,
    refused: Vec<RefusedMeal>,
}

#[Object]
impl LedgerMutation {
    /// Posts the meals eaten on `date`. Re-posting a student and date changes nothing.
    /// `force` posts on a day that is not one of the class's meal days (a trip, a make-up
    /// day). Operators and keys with the `post_meals` scope.
    async fn post_meals(
        &self,
        ctx: &Context<'_>,
        date: Date,
        student_ids: Vec<ID>,
        #[graphql(default = false)] force: bool,
    ) -> async_graphql::Result<PostMealsPayload> {
        staff_or_key(ctx, Scope::PostMeals)?;
        let mut refused = Vec::new();
        let mut students = Vec::with_capacity(student_ids.len());
        for id in &student_ids {
            match id.parse::<i64>() {
                Ok(n) => students.push(StudentId::new(n)),
                Err(_) => refused.push(RefusedMeal {
                    student_id: id.clone(),
                    reason: "no student with this id in this comune".to_owned(),
                }),
            }
        }
        let state = context::state(ctx)?;
        let caller = context::caller(ctx)?;
        let summary = state
            .app
            .post_meals(
                &caller.tenant,
                date.0,
                &students,
                force,
                &context::actor(ctx)?,
            )
            .await
            .map_err(app_error)?;
        refused.extend(summary.refused.into_iter().map(|r| RefusedMeal {
            student_id: ID(r.student.get().to_string()),
            reason: r.reason,
        }));
        Ok(PostMealsPayload {
            posted: u64::try_from(summary.posted).unwrap_or(u64::MAX),
            already_posted: u64::try_from(summary.already_posted).unwrap_or(u64::MAX),
            refused,
        })
    }

    /// Credits a family with old paper vouchers converted to balance (operators).
    async fn record_voucher_recovery(
        &self,
        ctx: &Context<'_>,
        guardian_id: ID,
        amount: Decimal,
        reference: String,
        date: Date,
        idempotency_key: String,
    ) -> async_graphql::Result<MovementObject> {
        let command = Command::VoucherRecovery {
            amount: amount.0,
            reference: text(&reference, "reference").map_err(app_error)?,
            date: date.0,
            key: client_key(&idempotency_key).map_err(app_error)?,
        };
        record(ctx, &guardian_id, command).await
    }

    /// Pays money back to a family: a debit of the balance (operators).
    async fn record_refund(
        &self,
        ctx: &Context<'_>,
        guardian_id: ID,
        amount: Decimal,
        reason: String,
        date: Date,
        idempotency_key: String,
    ) -> async_graphql::Result<MovementObject> {
        let command = Command::Refund {
            amount: amount.0,
            reason: text(&reason, "reason").map_err(app_error)?,
            date: date.0,
            key: client_key(&idempotency_key).map_err(app_error)?,
        };
        record(ctx, &guardian_id, command).await
    }

    /// Corrects a balance: positive credits, negative debits (operators).
    async fn record_adjustment(
        &self,
        ctx: &Context<'_>,
        guardian_id: ID,
        amount: Decimal,
        reason: String,
        date: Date,
        idempotency_key: String,
    ) -> async_graphql::Result<MovementObject> {
        let command = Command::Adjustment {
            amount: amount.0,
            reason: text(&reason, "reason").map_err(app_error)?,
            date: date.0,
            key: client_key(&idempotency_key).map_err(app_error)?,
        };
        record(ctx, &guardian_id, command).await
    }

    /// Cancels a movement with its opposite (a meal posted by mistake, say) (operators).
    async fn reverse_movement(
        &self,
        ctx: &Context<'_>,
        guardian_id: ID,
        movement_id: ID,
        reason: String,
        date: Date,
        idempotency_key: String,
    ) -> async_graphql::Result<MovementObject> {
        let command = Command::Reversal {
            entry: EntryId::new(parse_id(&movement_id, "movement")?),
            reason: text(&reason, "reason").map_err(app_error)?,
            date: date.0,
            key: client_key(&idempotency_key).map_err(app_error)?,
        };
        record(ctx, &guardian_id, command).await
    }
}

/// An operator's command on a family account, through the account engine.
async fn record(
    ctx: &Context<'_>,
    guardian_id: &ID,
    command: Command,
) -> async_graphql::Result<MovementObject> {
    context::operator(ctx)?;
    let guardian = GuardianId::new(parse_id(guardian_id, "guardian")?);
    let state = context::state(ctx)?;
    let tenant = &context::caller(ctx)?.tenant;
    let posted = state
        .app
        .record(tenant, guardian, command, &context::actor(ctx)?)
        .await
        .map_err(app_error)?;
    Ok(posted.movement.into())
}
