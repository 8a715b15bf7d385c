//! A family as its guardian sees it: who he is, and each child with the meal service he
//! is enrolled in (school, class, meal days, tariff band and its price, diet).

use accounts::AccountId;
use chrono::NaiveDate;
use money::Money;
use registry::{ClassRoom, Diet, Guardian, GuardianId, Student, StudentId};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use tenancy::{TariffBand, Tenant, TenantId};

use crate::statement::{self, BalanceView};
use crate::{App, AppError};

#[derive(Clone, Debug)]
pub struct MealService {
    pub class: ClassRoom,
    pub band: TariffBand,
    pub diet: Diet,
}

#[derive(Clone, Debug)]
pub struct StudentWithService {
    pub student: Student,
    /// `None` when the child has no enrolment in force on the day asked.
    pub service: Option<MealService>,
}

/// What every page of a family shows: the guardian, the children with their service on
/// the day asked, and the balance.
#[derive(Clone, Debug)]
pub struct Household {
    pub guardian: Guardian,
    pub students: Vec<StudentWithService>,
    pub balance: BalanceView,
}

impl Household {
    /// One day of meals of every enrolled child: what a school day costs the family.
    pub fn daily_cost(&self) -> Money {
        self.students
            .iter()
            .filter_map(|s| s.service.as_ref())
            .try_fold(Money::ZERO, |sum, service| {
                sum.checked_add(service.band.meal_price)
            })
            .unwrap_or(Money::ZERO)
    }

    pub fn enrolled(&self) -> usize {
        self.students.iter().filter(|s| s.service.is_some()).count()
    }
}

impl App {
    /// The family of `guardian` as it stands on `date`, read at once.
    pub async fn household(
        &self,
        tenant: &Tenant,
        guardian: GuardianId,
        account: AccountId,
        date: NaiveDate,
    ) -> Result<Household, AppError> {
        let (guardian, students, balance) = tokio::join!(
            self::guardian(&self.db, tenant.id, guardian),
            students(&self.db, tenant.id, guardian, date),
            statement::balance(&self.accounts, tenant, account),
        );
        Ok(Household {
            guardian: guardian?,
            students: students?,
            balance: balance?,
        })
    }
}

pub async fn guardian(
    db: &DatabaseConnection,
    tenant: TenantId,
    id: GuardianId,
) -> Result<Guardian, AppError> {
    tenancy::scope::run(db, tenant, async |txn| {
        Ok(registry::guardian(txn, tenant, id).await?)
    })
    .await
}

/// The guardian's children and their meal service as it stands on `date`.
pub async fn students(
    db: &DatabaseConnection,
    tenant: TenantId,
    guardian: GuardianId,
    date: NaiveDate,
) -> Result<Vec<StudentWithService>, AppError> {
    tenancy::scope::run(db, tenant, async |txn| {
        let mut out = Vec::new();
        for student in registry::students_of(txn, tenant, guardian).await? {
            let service = meal_service(txn, tenant, student.id, date).await?;
            out.push(StudentWithService { student, service });
        }
        Ok(out)
    })
    .await
}

/// One student of the comune, if he exists in it (an operator's view).
pub async fn student(
    db: &DatabaseConnection,
    tenant: TenantId,
    id: StudentId,
    date: NaiveDate,
) -> Result<Option<StudentWithService>, AppError> {
    tenancy::scope::run(db, tenant, async |txn| {
        let student = match registry::student(txn, tenant, id).await {
            Ok(student) => student,
            Err(registry::RegistryError::NotFound { .. }) => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        let service = meal_service(txn, tenant, student.id, date).await?;
        Ok(Some(StudentWithService { student, service }))
    })
    .await
}

pub async fn meal_service(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    student: StudentId,
    date: NaiveDate,
) -> Result<Option<MealService>, AppError> {
    let Some(enrolment) = registry::enrolment_on(db, tenant, student, date).await? else {
        return Ok(None);
    };
    let class = registry::class(db, tenant, enrolment.class).await?;
    let band = tenancy::band_on(db, tenant, &enrolment.tariff_band_code, date).await?;
    Ok(Some(MealService {
        class,
        band,
        diet: enrolment.diet,
    }))
}
