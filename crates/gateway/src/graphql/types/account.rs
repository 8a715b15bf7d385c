//! Stato contabile: the family account, its children's meals and its movements.

use std::collections::HashMap;
use std::sync::Arc;

use accounts::{AccountId, EntryFilter, EntryId, Movement, MovementKind};
use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::NaiveDate;

use super::family::StudentObject;
use super::page::{self, Page};
use crate::graphql::context;
use crate::graphql::error::{bad_input, internal};
use crate::graphql::scalars::{Date, Decimal};
use app::{family, statement};

/// The longest period one request may ask meals for.
const MAX_PERIOD_DAYS: i64 = 366;

pub struct AccountObject {
    pub account: AccountId,
    pub guardian: registry::GuardianId,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "MovementKind")]
pub enum Kind {
    Meal,
    TopUp,
    VoucherRecovery,
    Refund,
    Adjustment,
    Reversal,
}

impl From<MovementKind> for Kind {
    fn from(kind: MovementKind) -> Self {
        match kind {
            MovementKind::Meal => Kind::Meal,
            MovementKind::TopUp => Kind::TopUp,
            MovementKind::VoucherRecovery => Kind::VoucherRecovery,
            MovementKind::Refund => Kind::Refund,
            MovementKind::Adjustment => Kind::Adjustment,
            MovementKind::Reversal => Kind::Reversal,
        }
    }
}

impl From<Kind> for MovementKind {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Meal => MovementKind::Meal,
            Kind::TopUp => MovementKind::TopUp,
            Kind::VoucherRecovery => MovementKind::VoucherRecovery,
            Kind::Refund => MovementKind::Refund,
            Kind::Adjustment => MovementKind::Adjustment,
            Kind::Reversal => MovementKind::Reversal,
        }
    }
}

/// One row of the ledger: a credit (positive) or a debit (negative).
#[derive(SimpleObject)]
#[graphql(name = "Movement")]
pub struct MovementObject {
    id: ID,
    kind: Kind,
    amount: Decimal,
    date: Date,
    description: String,
    student_id: Option<ID>,
    reference: Option<String>,
    /// For a reversal: the movement it cancels.
    reverses: Option<ID>,
}

impl From<Movement> for MovementObject {
    fn from(m: Movement) -> Self {
        MovementObject {
            id: ID(m.id.get().to_string()),
            kind: m.kind.into(),
            amount: Decimal(m.amount),
            date: Date(m.date),
            description: m.description,
            student_id: m.student.map(|s| ID(s.get().to_string())),
            reference: m.reference,
            reverses: m.reverses.map(|e| ID(e.get().to_string())),
        }
    }
}

#[derive(SimpleObject)]
pub struct Meal {
    date: Date,
    price: Decimal,
}

pub struct AccountStudent {
    student: StudentObject,
    id: registry::StudentId,
    /// His band's price today, read with his enrolment.
    meal_price: Option<money::Money>,
    family_meals: Arc<FamilyMeals>,
}

/// The meals of all the family's children for one period, read in one statement the first
/// time a child's `meals` or `mealsTotal` asks: a page usually asks both, for every child,
/// for the same period.
struct FamilyMeals {
    children: Vec<registry::StudentId>,
    read: tokio::sync::Mutex<Option<MealsRead>>,
}

struct MealsRead {
    period: (NaiveDate, NaiveDate),
    meals: HashMap<registry::StudentId, Vec<accounts::MealDay>>,
}

impl FamilyMeals {
    async fn of(
        &self,
        ctx: &Context<'_>,
        child: registry::StudentId,
        period: (NaiveDate, NaiveDate),
    ) -> async_graphql::Result<Vec<accounts::MealDay>> {
        let mut read = self.read.lock().await;
        if let Some(read) = read.as_ref()
            && read.period == period
        {
            return Ok(read.meals.get(&child).cloned().unwrap_or_default());
        }
        let state = context::state(ctx)?;
        let tenant = context::caller(ctx)?.tenant.id;
        let meals =
            statement::meals_of_children(&state.app.db, tenant, &self.children, period.0, period.1)
                .await
                .map_err(internal)?;
        let answer = meals.get(&child).cloned().unwrap_or_default();
        *read = Some(MealsRead { period, meals });
        Ok(answer)
    }
}

fn period(from: Date, to: Date) -> async_graphql::Result<(NaiveDate, NaiveDate)> {
    if from.0 > to.0 {
        return Err(bad_input("`from` must not be after `to`."));
    }
    if (to.0 - from.0).num_days() > MAX_PERIOD_DAYS {
        return Err(bad_input(format!(
            "Ask for at most {MAX_PERIOD_DAYS} days at a time."
        )));
    }
    Ok((from.0, to.0))
}

#[Object]
impl AccountStudent {
    async fn student(&self) -> &StudentObject {
        &self.student
    }

    /// What one meal costs this child today (his tariff band's price); null when he is
    /// not enrolled today.
    async fn meal_price(&self) -> Option<Decimal> {
        self.meal_price.map(Decimal)
    }

    async fn meals_total(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
    ) -> async_graphql::Result<Decimal> {
        let meals = self.meals_between(ctx, from, to).await?;
        accounts::meals_total(&meals)
            .map(Decimal)
            .ok_or_else(|| internal("meals total overflows"))
    }

    /// The child's meals day by day, each at the price it was charged.
    async fn meals(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
    ) -> async_graphql::Result<Vec<Meal>> {
        Ok(self
            .meals_between(ctx, from, to)
            .await?
            .into_iter()
            .map(|m| Meal {
                date: Date(m.date),
                price: Decimal(m.price),
            })
            .collect())
    }
}

impl AccountStudent {
    async fn meals_between(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
    ) -> async_graphql::Result<Vec<accounts::MealDay>> {
        let period = period(from, to)?;
        self.family_meals.of(ctx, self.id, period).await
    }
}

#[Object(name = "Account")]
impl AccountObject {
    async fn id(&self) -> ID {
        ID(self.account.get().to_string())
    }

    /// The family balance: credits minus debits over all the children; may be negative.
    async fn balance(&self, ctx: &Context<'_>) -> async_graphql::Result<Decimal> {
        let state = context::state(ctx)?;
        let tenant = &context::caller(ctx)?.tenant;
        let view = statement::balance(&state.app.accounts, tenant, self.account)
            .await
            .map_err(internal)?;
        Ok(Decimal(view.balance))
    }

    /// True when the balance is below the comune's reminder threshold: time to top up.
    async fn below_reminder_threshold(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let state = context::state(ctx)?;
        let tenant = &context::caller(ctx)?.tenant;
        let view = statement::balance(&state.app.accounts, tenant, self.account)
            .await
            .map_err(internal)?;
        Ok(view.below_threshold)
    }

    async fn students(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<AccountStudent>> {
        let state = context::state(ctx)?;
        let tenant = context::caller(ctx)?.tenant.id;
        let students = family::students(
            &state.app.db,
            tenant,
            self.guardian,
            tenancy::today_in_italy(),
        )
        .await
        .map_err(internal)?;
        let family_meals = Arc::new(FamilyMeals {
            children: students.iter().map(|s| s.student.id).collect(),
            read: tokio::sync::Mutex::default(),
        });
        Ok(students
            .into_iter()
            .map(|s| AccountStudent {
                id: s.student.id,
                meal_price: s.service.as_ref().map(|service| service.band.meal_price),
                student: s.into(),
                family_meals: Arc::clone(&family_meals),
            })
            .collect())
    }

    /// The movements, newest first, optionally only some kinds and a period.
    #[graphql(complexity = "super::page::cost(first, child_complexity)")]
    async fn entries(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        kinds: Option<Vec<Kind>>,
        from: Option<Date>,
        to: Option<Date>,
    ) -> async_graphql::Result<Page<MovementObject>> {
        let (limit, after) = page::args(first, after.as_deref())?;
        let filter = EntryFilter {
            kinds: kinds
                .unwrap_or_default()
                .into_iter()
                .map(MovementKind::from)
                .collect(),
            from: from.map(|d| d.0),
            to: to.map(|d| d.0),
            before: after.map(EntryId::new),
        };
        let state = context::state(ctx)?;
        let tenant = context::caller(ctx)?.tenant.id;
        let (movements, has_more) =
            statement::movements(&state.app.db, tenant, self.account, &filter, limit)
                .await
                .map_err(internal)?;
        Ok(page::page(
            movements
                .into_iter()
                .map(|m| (m.id.get(), MovementObject::from(m))),
            has_more,
            after.is_some(),
        ))
    }
}
