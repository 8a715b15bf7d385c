//! Turning a command into the row it posts: its signed amount, its description and the
//! comune's rules (meal days, tariff in force, debt limit).

use chrono::NaiveDate;
use money::Money;
use registry::StudentId;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use tenancy::{OverLimit, Tenant};

use crate::entity::{family_account, ledger_entry};
use crate::{Command, LedgerError, MovementKind, Outage};

/// The row a command will add, before it has an id.
#[derive(Clone, Debug)]
pub(crate) struct Draft {
    pub kind: MovementKind,
    pub amount: Money,
    pub student: Option<StudentId>,
    pub date: NaiveDate,
    pub description: String,
    pub reference: Option<String>,
    pub reverses: Option<i64>,
}

pub(crate) async fn evaluate(
    db: &impl ConnectionTrait,
    tenant: &Tenant,
    account: &family_account::Model,
    command: &Command,
) -> Result<Draft, LedgerError> {
    if let Some(draft) = evaluate_plain(command) {
        return draft;
    }
    match command {
        Command::Meal {
            student,
            date,
            force,
        } => meal(db, tenant, account, *student, *date, *force).await,
        Command::Reversal {
            entry,
            reason,
            date,
            ..
        } => {
            let reason = required(reason)?;
            let target = ledger_entry::Entity::find_by_id(entry.get())
                .filter(ledger_entry::Column::TenantId.eq(tenant.id.get()))
                .filter(ledger_entry::Column::AccountId.eq(account.id))
                .one(db)
                .await?
                .ok_or(LedgerError::EntryNotFound(entry.get()))?;
            if target.reverses_entry_id.is_some() {
                return Err(LedgerError::ReversalOfReversal);
            }
            let already = ledger_entry::Entity::find()
                .filter(ledger_entry::Column::TenantId.eq(tenant.id.get()))
                .filter(ledger_entry::Column::ReversesEntryId.eq(target.id))
                .one(db)
                .await?;
            if already.is_some() {
                return Err(LedgerError::AlreadyReversed(target.id));
            }
            let amount = cents(target.id, target.amount_cents)?;
            Ok(Draft {
                kind: MovementKind::Reversal,
                amount: -amount,
                student: target.student_id.map(StudentId::new),
                date: *date,
                description: reason,
                reference: None,
                reverses: Some(target.id),
            })
        }
        _ => Err(Outage::NoEvaluation.into()),
    }
}

/// Commands whose row follows from the command alone, without reading the database: a
/// family actor evaluates these without a round trip.
pub(crate) fn evaluate_plain(command: &Command) -> Option<Result<Draft, LedgerError>> {
    let draft = |amount: Money, description: String, reference: Option<String>| Draft {
        kind: command.kind(),
        amount,
        student: None,
        date: command.date(),
        description,
        reference,
        reverses: None,
    };
    let outcome = match command {
        Command::TopUp {
            amount, receipt_id, ..
        } => positive(*amount).map(|()| {
            draft(
                *amount,
                "Ricarica pagoPA".to_owned(),
                Some(receipt_id.clone()),
            )
        }),
        Command::VoucherRecovery {
            amount, reference, ..
        } => positive(*amount).map(|()| {
            draft(
                *amount,
                "Recupero buoni pasto".to_owned(),
                Some(reference.clone()),
            )
        }),
        Command::Refund { amount, reason, .. } => {
            positive(*amount).and_then(|()| Ok(draft(-*amount, required(reason)?, None)))
        }
        Command::Adjustment { amount, reason, .. } => {
            if *amount == Money::ZERO {
                Err(LedgerError::ZeroAdjustment)
            } else {
                required(reason).map(|reason| draft(*amount, reason, None))
            }
        }
        Command::Meal { .. } | Command::Reversal { .. } => return None,
    };
    Some(outcome)
}

async fn meal(
    db: &impl ConnectionTrait,
    tenant: &Tenant,
    account: &family_account::Model,
    student_id: StudentId,
    date: NaiveDate,
    force: bool,
) -> Result<Draft, LedgerError> {
    let student = registry::student(db, tenant.id, student_id).await?;
    if student.guardian.get() != account.guardian_id {
        return Err(LedgerError::StudentNotInFamily(student_id.get()));
    }
    let enrolment = registry::enrolment_on(db, tenant.id, student_id, date)
        .await?
        .ok_or(LedgerError::NotEnrolled {
            student: student_id.get(),
            date,
        })?;
    let class = registry::class(db, tenant.id, enrolment.class).await?;
    if !force && !class.meal_days.includes_date(date) {
        return Err(LedgerError::NotAMealDay { date });
    }
    let band = tenancy::band_on(db, tenant.id, &enrolment.tariff_band_code, date).await?;
    let balance = cents(account.id, account.balance_cents)?;
    let description = meal_description(tenant, balance, band.meal_price, &student.first_name)?;
    Ok(Draft {
        kind: MovementKind::Meal,
        amount: -band.meal_price,
        student: Some(student_id),
        date,
        description,
        reference: None,
        reverses: None,
    })
}

/// Applies the comune's debt limit to a meal of `price` on a family whose balance is
/// `balance`, and says how the movement reads.
pub(crate) fn meal_description(
    tenant: &Tenant,
    balance: Money,
    price: Money,
    first_name: &str,
) -> Result<String, LedgerError> {
    let mut description = format!("Pasto di {first_name}");
    if let Some(limit) = tenant.balance_policy.debt_limit {
        let would_be = balance.checked_sub(price).ok_or(LedgerError::Overflow)?;
        if would_be < -limit {
            match tenant.balance_policy.over_limit {
                OverLimit::Refuse => return Err(LedgerError::DebtLimitReached { would_be, limit }),
                OverLimit::Flag => description.push_str(" (oltre il limite di debito)"),
            }
        }
    }
    Ok(description)
}

fn positive(amount: Money) -> Result<(), LedgerError> {
    if amount.is_positive() {
        Ok(())
    } else {
        Err(LedgerError::AmountNotPositive)
    }
}

fn required(reason: &str) -> Result<String, LedgerError> {
    let reason = reason.trim();
    if reason.is_empty() {
        Err(LedgerError::ReasonRequired)
    } else {
        Ok(reason.to_owned())
    }
}

pub(crate) fn cents(id: i64, cents: i64) -> Result<Money, LedgerError> {
    Money::from_cents(cents).map_err(|e| LedgerError::CorruptRow {
        id,
        problem: e.into(),
    })
}

impl Draft {
    pub(crate) fn into_movement(self, id: i64, account: crate::AccountId) -> crate::Movement {
        crate::Movement {
            id: crate::EntryId::new(id),
            account,
            kind: self.kind,
            amount: self.amount,
            student: self.student,
            date: self.date,
            description: self.description,
            reference: self.reference,
            reverses: self.reverses.map(crate::EntryId::new),
        }
    }
}
