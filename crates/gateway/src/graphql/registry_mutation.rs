//! The comune's registry (anagrafica), kept by its operators: schools and classes with
//! their meal days, tariff bands, guardians and students, and enrolments.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use registry::{ClassId, Diet, GuardianId, MealDays, SchoolId, StudentId};
use tenancy::PersonFiscalCode;

use super::context;
use super::error::{bad_input, internal, not_found};
use super::query::parse_id;
use super::scalars::{Date, Decimal};
use super::types::family::{GuardianObject, School, StudentObject, TariffBand, Weekday};
use crate::services::family;

#[derive(Default)]
pub struct RegistryMutation;

const MAX_NAME: usize = 200;

fn name(value: &str, field: &str) -> async_graphql::Result<String> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > MAX_NAME {
        return Err(bad_input(format!(
            "`{field}` must have 1 to {MAX_NAME} characters."
        )));
    }
    Ok(value.to_owned())
}

fn fiscal_code(value: &str) -> async_graphql::Result<PersonFiscalCode> {
    PersonFiscalCode::parse(value)
        .map_err(|e| bad_input(format!("`fiscalCode` is not a valid codice fiscale: {e}")))
}

/// Registry refusals the caller can fix (a taken username, an unknown id) versus ours.
fn registry_error(error: registry::RegistryError) -> async_graphql::Error {
    match error {
        registry::RegistryError::NotFound { what, .. } => not_found(what),
        registry::RegistryError::Duplicate(what) => bad_input(format!(
            "'{what}' is already registered in this comune; choose another or edit the existing one."
        )),
        other => internal(other),
    }
}

fn meal_days(days: &[Weekday]) -> async_graphql::Result<MealDays> {
    if days.is_empty() {
        return Err(bad_input("A class needs at least one meal day."));
    }
    let days: Vec<registry::Weekday> = days.iter().copied().map(Into::into).collect();
    Ok(MealDays::from_days(&days))
}

#[derive(SimpleObject)]
pub struct Class {
    id: ID,
    name: String,
    school: School,
    meal_days: Vec<Weekday>,
}

impl From<registry::ClassRoom> for Class {
    fn from(c: registry::ClassRoom) -> Self {
        Class {
            id: ID(c.id.get().to_string()),
            name: c.name,
            meal_days: c.meal_days.days().map(Weekday::from).collect(),
            school: c.school.into(),
        }
    }
}

#[derive(InputObject)]
pub struct NewGuardianInput {
    username: String,
    /// At least 8 characters mixing three of: lower case, upper case, digits, symbols.
    password: String,
    first_name: String,
    last_name: String,
    fiscal_code: String,
    email: Option<String>,
    phone: Option<String>,
}

#[derive(InputObject)]
pub struct NewStudentInput {
    guardian_id: ID,
    first_name: String,
    last_name: String,
    fiscal_code: String,
    birth_date: Date,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "DietInputKind")]
pub enum DietKindInput {
    Normal,
    Special,
}

#[derive(InputObject)]
pub struct EnrolmentInput {
    student_id: ID,
    class_id: ID,
    tariff_band_code: String,
    diet: DietKindInput,
    /// Required for a special diet: what the kitchen must know (health data).
    diet_detail: Option<String>,
    valid_from: Date,
}

/// One transaction per change, scoped to the caller's comune; operators only.
async fn in_comune<T>(
    ctx: &Context<'_>,
    change: impl AsyncFnOnce(
        &sea_orm::DatabaseTransaction,
        tenancy::TenantId,
    ) -> async_graphql::Result<T>,
) -> async_graphql::Result<T> {
    context::operator(ctx)?;
    context::in_comune(ctx, change).await
}

#[Object]
impl RegistryMutation {
    /// Adds a school (operators).
    async fn create_school(
        &self,
        ctx: &Context<'_>,
        name: String,
        address: String,
    ) -> async_graphql::Result<School> {
        let (name, address) = (self::name(&name, "name")?, self::name(&address, "address")?);
        in_comune(ctx, async |txn, tenant| {
            registry::create_school(txn, tenant, &name, &address)
                .await
                .map(School::from)
                .map_err(registry_error)
        })
        .await
    }

    /// Adds a class to a school with its meal days (operators).
    async fn create_class(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        name: String,
        meal_days: Vec<Weekday>,
    ) -> async_graphql::Result<Class> {
        let school = SchoolId::new(parse_id(&school_id, "school")?);
        let name = self::name(&name, "name")?;
        let days = self::meal_days(&meal_days)?;
        in_comune(ctx, async |txn, tenant| {
            registry::school(txn, tenant, school)
                .await
                .map_err(registry_error)?;
            let id = registry::create_class(
                txn,
                tenant,
                registry::NewClass {
                    school,
                    name,
                    meal_days: days,
                },
            )
            .await
            .map_err(registry_error)?;
            registry::class(txn, tenant, id)
                .await
                .map(Class::from)
                .map_err(registry_error)
        })
        .await
    }

    /// Changes a class's meal days (giornate di rientro) (operators).
    async fn set_meal_days(
        &self,
        ctx: &Context<'_>,
        class_id: ID,
        meal_days: Vec<Weekday>,
    ) -> async_graphql::Result<Class> {
        let class = ClassId::new(parse_id(&class_id, "class")?);
        let days = self::meal_days(&meal_days)?;
        in_comune(ctx, async |txn, tenant| {
            registry::set_meal_days(txn, tenant, class, days)
                .await
                .map(Class::from)
                .map_err(registry_error)
        })
        .await
    }

    /// Sets the meal price of a tariff band from a date on; meals already posted keep
    /// the price they were charged (operators).
    async fn set_tariff_price(
        &self,
        ctx: &Context<'_>,
        code: String,
        name: String,
        meal_price: Decimal,
        valid_from: Date,
    ) -> async_graphql::Result<TariffBand> {
        let code = code.trim().to_owned();
        if code.is_empty() || code.len() > 16 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(bad_input("`code` must be 1 to 16 letters or digits."));
        }
        if meal_price.0.is_negative() {
            return Err(bad_input("`mealPrice` cannot be negative."));
        }
        let band = tenancy::TariffBand {
            code,
            name: self::name(&name, "name")?,
            meal_price: meal_price.0,
            valid_from: valid_from.0,
        };
        in_comune(ctx, async |txn, tenant| {
            tenancy::add_price(txn, tenant, &band)
                .await
                .map_err(internal)?;
            let saved = tenancy::band_on(txn, tenant, &band.code, band.valid_from)
                .await
                .map_err(internal)?;
            Ok(TariffBand::from(saved))
        })
        .await
    }

    /// Registers a guardian with his login and opens his family account (operators).
    async fn create_guardian(
        &self,
        ctx: &Context<'_>,
        input: NewGuardianInput,
    ) -> async_graphql::Result<GuardianObject> {
        let username = input.username.trim().to_lowercase();
        if username.is_empty()
            || username.len() > 64
            || !username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return Err(bad_input(
                "`username` must be 1 to 64 letters, digits, dots, dashes or underscores.",
            ));
        }
        crate::auth::check_strength(&input.password).map_err(|e| bad_input(e.to_string()))?;
        let password = input.password.clone();
        let password_hash = tokio::task::spawn_blocking(move || registry::hash_password(&password))
            .await
            .map_err(internal)?
            .map_err(internal)?;
        let new = registry::NewGuardian {
            username,
            password_hash,
            first_name: self::name(&input.first_name, "firstName")?,
            last_name: self::name(&input.last_name, "lastName")?,
            fiscal_code: fiscal_code(&input.fiscal_code)?,
            email: input
                .email
                .map(|e| e.trim().to_owned())
                .filter(|e| !e.is_empty()),
            phone: input
                .phone
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty()),
        };
        in_comune(ctx, async |txn, tenant| {
            let guardian = registry::create_guardian(txn, tenant, new)
                .await
                .map_err(registry_error)?;
            accounts::open_account(txn, tenant, guardian.id)
                .await
                .map_err(internal)?;
            Ok(GuardianObject { guardian })
        })
        .await
    }

    /// Registers a child of a guardian (operators).
    async fn create_student(
        &self,
        ctx: &Context<'_>,
        input: NewStudentInput,
    ) -> async_graphql::Result<StudentObject> {
        let new = registry::NewStudent {
            guardian: GuardianId::new(parse_id(&input.guardian_id, "guardian")?),
            first_name: self::name(&input.first_name, "firstName")?,
            last_name: self::name(&input.last_name, "lastName")?,
            fiscal_code: fiscal_code(&input.fiscal_code)?,
            birth_date: input.birth_date.0,
        };
        let guardian = new.guardian;
        in_comune(ctx, async |txn, tenant| {
            registry::guardian(txn, tenant, guardian)
                .await
                .map_err(registry_error)?;
            let student = registry::create_student(txn, tenant, new)
                .await
                .map_err(registry_error)?;
            Ok(StudentObject::from(family::StudentWithService {
                student,
                service: None,
            }))
        })
        .await
    }

    /// Enrols a student in the meal service from a date: class, tariff band, diet. An
    /// enrolment already open ends the day before, so history is kept (operators).
    async fn enrol_student(
        &self,
        ctx: &Context<'_>,
        input: EnrolmentInput,
    ) -> async_graphql::Result<StudentObject> {
        let student = StudentId::new(parse_id(&input.student_id, "student")?);
        let class = ClassId::new(parse_id(&input.class_id, "class")?);
        let diet = match (input.diet, input.diet_detail.as_deref().map(str::trim)) {
            (DietKindInput::Normal, _) => Diet::Normal,
            (DietKindInput::Special, Some(detail)) if !detail.is_empty() => Diet::Special {
                detail: self::name(detail, "dietDetail")?,
            },
            (DietKindInput::Special, _) => {
                return Err(bad_input(
                    "A special diet needs `dietDetail`: what the kitchen must prepare.",
                ));
            }
        };
        let code = input.tariff_band_code.trim().to_owned();
        let valid_from: NaiveDate = input.valid_from.0;
        in_comune(ctx, async |txn, tenant| {
            tenancy::band_on(txn, tenant, &code, valid_from)
                .await
                .map_err(|_| {
                    bad_input(format!(
                        "Tariff band '{code}' has no price on {valid_from}; set its price first."
                    ))
                })?;
            registry::enrol(
                txn,
                tenant,
                student,
                registry::NewEnrolment {
                    class,
                    tariff_band_code: code.clone(),
                    diet,
                    valid_from,
                },
            )
            .await
            .map_err(registry_error)?;
            let student = registry::student(txn, tenant, student)
                .await
                .map_err(registry_error)?;
            let service = family::meal_service(txn, tenant, student.id, valid_from)
                .await
                .map_err(internal)?;
            Ok(StudentObject::from(family::StudentWithService {
                student,
                service,
            }))
        })
        .await
    }
}
