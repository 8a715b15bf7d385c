//! The comune's registry (anagrafica), kept by its operators: schools and classes with
//! their meal days, tariff bands, guardians and students, and enrolments. The checks and
//! the transactions are `app::roster`'s; here only ids are parsed and answers shaped.

use app::roster::{EnrolmentForm, GuardianForm, StudentForm};
use async_graphql::{Context, Enum, ID, InputObject, Object};
use registry::{ClassId, GuardianId, SchoolId, StudentId};

use super::super::context;
use super::super::error::{app_error, parse_id};
use super::super::scalars::{Date, Decimal};
use super::super::types::family::{
    Class, GuardianObject, School, StudentObject, TariffBand, Weekday,
};

#[derive(Default)]
pub struct RegistryMutation;

fn weekdays(days: &[Weekday]) -> Vec<registry::Weekday> {
    days.iter().copied().map(Into::into).collect()
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

#[Object]
impl RegistryMutation {
    /// Adds a school (operators).
    async fn create_school(
        &self,
        ctx: &Context<'_>,
        name: String,
        address: String,
    ) -> async_graphql::Result<School> {
        let (app, tenant) = context::operator_in_comune(ctx)?;
        app.create_school(tenant, &name, &address)
            .await
            .map(School::from)
            .map_err(app_error)
    }

    /// Adds a class to a school with its meal days (operators).
    async fn create_class(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        name: String,
        meal_days: Vec<Weekday>,
    ) -> async_graphql::Result<Class> {
        let (app, tenant) = context::operator_in_comune(ctx)?;
        let school = SchoolId::new(parse_id(&school_id, "school")?);
        app.create_class(tenant, school, &name, &weekdays(&meal_days))
            .await
            .map(Class::from)
            .map_err(app_error)
    }

    /// Changes a class's meal days (giornate di rientro) (operators).
    async fn set_meal_days(
        &self,
        ctx: &Context<'_>,
        class_id: ID,
        meal_days: Vec<Weekday>,
    ) -> async_graphql::Result<Class> {
        let (app, tenant) = context::operator_in_comune(ctx)?;
        let class = ClassId::new(parse_id(&class_id, "class")?);
        app.set_meal_days(tenant, class, &weekdays(&meal_days))
            .await
            .map(Class::from)
            .map_err(app_error)
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
        let (app, tenant) = context::operator_in_comune(ctx)?;
        app.set_tariff_price(tenant, &code, &name, meal_price.0, valid_from.0)
            .await
            .map(TariffBand::from)
            .map_err(app_error)
    }

    /// Registers a guardian with his login and opens his family account (operators).
    async fn create_guardian(
        &self,
        ctx: &Context<'_>,
        input: NewGuardianInput,
    ) -> async_graphql::Result<GuardianObject> {
        let (app, tenant) = context::operator_in_comune(ctx)?;
        let form = GuardianForm {
            username: input.username,
            password: input.password,
            first_name: input.first_name,
            last_name: input.last_name,
            fiscal_code: input.fiscal_code,
            email: input.email,
            phone: input.phone,
        };
        let guardian = app.create_guardian(tenant, form).await.map_err(app_error)?;
        Ok(GuardianObject { guardian })
    }

    /// Registers a child of a guardian (operators).
    async fn create_student(
        &self,
        ctx: &Context<'_>,
        input: NewStudentInput,
    ) -> async_graphql::Result<StudentObject> {
        let (app, tenant) = context::operator_in_comune(ctx)?;
        let form = StudentForm {
            guardian: GuardianId::new(parse_id(&input.guardian_id, "guardian")?),
            first_name: input.first_name,
            last_name: input.last_name,
            fiscal_code: input.fiscal_code,
            birth_date: input.birth_date.0,
        };
        let student = app.create_student(tenant, form).await.map_err(app_error)?;
        Ok(StudentObject::from(app::family::StudentWithService {
            student,
            service: None,
        }))
    }

    /// Enrols a student in the meal service from a date: class, tariff band, diet. An
    /// enrolment already open ends the day before, so history is kept (operators).
    async fn enrol_student(
        &self,
        ctx: &Context<'_>,
        input: EnrolmentInput,
    ) -> async_graphql::Result<StudentObject> {
        let (app, tenant) = context::operator_in_comune(ctx)?;
        let form = EnrolmentForm {
            student: StudentId::new(parse_id(&input.student_id, "student")?),
            class: ClassId::new(parse_id(&input.class_id, "class")?),
            tariff_band_code: input.tariff_band_code,
            special_diet: input.diet == DietKindInput::Special,
            diet_detail: input.diet_detail,
            valid_from: input.valid_from.0,
        };
        let enrolled = app.enrol_student(tenant, form).await.map_err(app_error)?;
        Ok(StudentObject::from(enrolled))
    }
}
