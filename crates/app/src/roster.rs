//! The comune's registry (anagrafica), kept by its operators: schools and classes with
//! their meal days, tariff prices, guardians with their family account, students and
//! their enrolment in the meal service. Each change is one transaction in the comune.

use chrono::NaiveDate;
use money::Money;
use registry::{
    ClassId, ClassRoom, Diet, Guardian, GuardianId, MealDays, School, SchoolId, Student, StudentId,
    Weekday,
};
use tenancy::{TariffBand, TenantId};

use crate::family::{self, StudentWithService};
use crate::input::{self, fiscal_code};
use crate::{App, AppError};

/// A guardian as the operator registers him, before any check.
#[derive(Debug)]
pub struct GuardianForm {
    pub username: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    pub fiscal_code: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A child as the operator registers him.
#[derive(Debug)]
pub struct StudentForm {
    pub guardian: GuardianId,
    pub first_name: String,
    pub last_name: String,
    pub fiscal_code: String,
    pub birth_date: NaiveDate,
}

/// An enrolment in the meal service from a date; `diet_detail` is required for a special
/// diet (what the kitchen must know: health data).
#[derive(Debug)]
pub struct EnrolmentForm {
    pub student: StudentId,
    pub class: ClassId,
    pub tariff_band_code: String,
    pub special_diet: bool,
    pub diet_detail: Option<String>,
    pub valid_from: NaiveDate,
}

fn meal_days(days: &[Weekday]) -> Result<MealDays, AppError> {
    if days.is_empty() {
        return Err(AppError::invalid("A class needs at least one meal day."));
    }
    Ok(MealDays::from_days(days))
}

fn diet(special: bool, detail: Option<&str>) -> Result<Diet, AppError> {
    match (special, detail.map(str::trim)) {
        (false, _) => Ok(Diet::Normal),
        (true, Some(detail)) if !detail.is_empty() => Ok(Diet::Special {
            detail: input::name(detail, "dietDetail")?,
        }),
        (true, _) => Err(AppError::invalid(
            "A special diet needs `dietDetail`: what the kitchen must prepare.",
        )),
    }
}

fn band_code(code: &str) -> Result<String, AppError> {
    let code = code.trim().to_owned();
    if code.is_empty() || code.len() > 16 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(AppError::invalid(
            "`code` must be 1 to 16 letters or digits.",
        ));
    }
    Ok(code)
}

impl App {
    pub async fn create_school(
        &self,
        tenant: TenantId,
        name: &str,
        address: &str,
    ) -> Result<School, AppError> {
        let (name, address) = (input::name(name, "name")?, input::name(address, "address")?);
        tenancy::scope::run(&self.db, tenant, async |txn| {
            Ok(registry::create_school(txn, tenant, &name, &address).await?)
        })
        .await
    }

    pub async fn create_class(
        &self,
        tenant: TenantId,
        school: SchoolId,
        name: &str,
        days: &[Weekday],
    ) -> Result<ClassRoom, AppError> {
        let name = input::name(name, "name")?;
        let meal_days = meal_days(days)?;
        tenancy::scope::run(&self.db, tenant, async |txn| {
            registry::school(txn, tenant, school).await?;
            let new = registry::NewClass {
                school,
                name,
                meal_days,
            };
            let id = registry::create_class(txn, tenant, new).await?;
            Ok(registry::class(txn, tenant, id).await?)
        })
        .await
    }

    /// Changes a class's meal days (giornate di rientro).
    pub async fn set_meal_days(
        &self,
        tenant: TenantId,
        class: ClassId,
        days: &[Weekday],
    ) -> Result<ClassRoom, AppError> {
        let days = meal_days(days)?;
        tenancy::scope::run(&self.db, tenant, async |txn| {
            Ok(registry::set_meal_days(txn, tenant, class, days).await?)
        })
        .await
    }

    /// Sets the meal price of a tariff band from a date on; meals already posted keep the
    /// price they were charged.
    pub async fn set_tariff_price(
        &self,
        tenant: TenantId,
        code: &str,
        name: &str,
        meal_price: Money,
        valid_from: NaiveDate,
    ) -> Result<TariffBand, AppError> {
        let code = band_code(code)?;
        if meal_price.is_negative() {
            return Err(AppError::invalid("`mealPrice` cannot be negative."));
        }
        let band = TariffBand {
            code,
            name: input::name(name, "name")?,
            meal_price,
            valid_from,
        };
        tenancy::scope::run(&self.db, tenant, async |txn| {
            tenancy::add_price(txn, tenant, &band).await?;
            Ok(tenancy::band_on(txn, tenant, &band.code, band.valid_from).await?)
        })
        .await
    }

    /// Registers a guardian with his login and opens his family account.
    pub async fn create_guardian(
        &self,
        tenant: TenantId,
        form: GuardianForm,
    ) -> Result<Guardian, AppError> {
        let username = input::username(&form.username)?;
        auth_policy(&form.password)?;
        let new = registry::NewGuardian {
            username,
            password_hash: auth::hash_password(&form.password)
                .await
                .map_err(AppError::internal)?,
            first_name: input::name(&form.first_name, "firstName")?,
            last_name: input::name(&form.last_name, "lastName")?,
            fiscal_code: fiscal_code(&form.fiscal_code)?,
            email: input::optional(form.email),
            phone: input::optional(form.phone),
        };
        tenancy::scope::run(&self.db, tenant, async |txn| {
            let guardian = registry::create_guardian(txn, tenant, new).await?;
            accounts::open_account(txn, tenant, guardian.id).await?;
            Ok(guardian)
        })
        .await
    }

    /// Registers a child of a guardian of the comune.
    pub async fn create_student(
        &self,
        tenant: TenantId,
        form: StudentForm,
    ) -> Result<Student, AppError> {
        let new = registry::NewStudent {
            guardian: form.guardian,
            first_name: input::name(&form.first_name, "firstName")?,
            last_name: input::name(&form.last_name, "lastName")?,
            fiscal_code: fiscal_code(&form.fiscal_code)?,
            birth_date: form.birth_date,
        };
        tenancy::scope::run(&self.db, tenant, async |txn| {
            registry::guardian(txn, tenant, form.guardian).await?;
            Ok(registry::create_student(txn, tenant, new).await?)
        })
        .await
    }

    /// Enrols a student in the meal service from a date. An enrolment already open ends
    /// the day before, so history is kept.
    pub async fn enrol_student(
        &self,
        tenant: TenantId,
        form: EnrolmentForm,
    ) -> Result<StudentWithService, AppError> {
        let diet = diet(form.special_diet, form.diet_detail.as_deref())?;
        let code = form.tariff_band_code.trim().to_owned();
        let valid_from = form.valid_from;
        tenancy::scope::run(&self.db, tenant, async |txn| {
            if tenancy::band_on(txn, tenant, &code, valid_from)
                .await
                .is_err()
            {
                return Err(AppError::Invalid(format!(
                    "Tariff band '{code}' has no price on {valid_from}; set its price first."
                )));
            }
            let enrolment = registry::NewEnrolment {
                class: form.class,
                tariff_band_code: code,
                diet,
                valid_from,
            };
            registry::enrol(txn, tenant, form.student, enrolment).await?;
            let student = registry::student(txn, tenant, form.student).await?;
            let service = family::meal_service(txn, tenant, student.id, valid_from).await?;
            Ok(StudentWithService { student, service })
        })
        .await
    }
}

/// The password policy of the logins we issue (the same as for a changed password).
fn auth_policy(password: &str) -> Result<(), AppError> {
    auth::check_strength(password).map_err(|e| AppError::Invalid(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_special_diet_needs_its_detail() {
        assert!(matches!(diet(false, Some("x")), Ok(Diet::Normal)));
        assert!(matches!(diet(true, Some("  ")), Err(AppError::Invalid(_))));
        assert!(matches!(diet(true, None), Err(AppError::Invalid(_))));
        assert!(matches!(
            diet(true, Some(" senza glutine ")),
            Ok(Diet::Special { detail }) if detail == "senza glutine"
        ));
    }

    #[test]
    fn band_codes_are_short_and_plain() {
        assert_eq!(band_code(" A1 ").ok().as_deref(), Some("A1"));
        assert!(band_code("").is_err());
        assert!(band_code("A-1").is_err());
        assert!(band_code(&"A".repeat(17)).is_err());
        assert!(meal_days(&[]).is_err());
    }
}
