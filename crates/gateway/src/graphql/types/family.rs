//! Guardians and students as the API shows them; special-diet details only to whoever may
//! read health data, and every operator read of them goes to the audit log.

use async_graphql::{ComplexObject, Context, Enum, ID, Object, SimpleObject};
use registry::{Diet, Guardian, StudentId};

use crate::graphql::context::{self, reads_health_data};
use crate::graphql::error::internal;
use crate::graphql::scalars::{Date, Decimal};
use app::family::{MealService as ServiceView, StudentWithService};

pub struct GuardianObject {
    pub guardian: Guardian,
}

#[Object(name = "Guardian")]
impl GuardianObject {
    async fn id(&self) -> ID {
        ID(self.guardian.id.get().to_string())
    }
    async fn first_name(&self) -> &str {
        &self.guardian.first_name
    }
    async fn last_name(&self) -> &str {
        &self.guardian.last_name
    }
    async fn fiscal_code(&self) -> String {
        self.guardian.fiscal_code.to_string()
    }
    async fn email(&self) -> Option<&str> {
        self.guardian.email.as_deref()
    }
    async fn phone(&self) -> Option<&str> {
        self.guardian.phone.as_deref()
    }

    /// The guardian's children, each with the meal service he is enrolled in today.
    async fn students(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<StudentObject>> {
        let state = context::state(ctx)?;
        let tenant = &context::caller(ctx)?.tenant;
        let students = app::family::students(
            &state.app.db,
            tenant.id,
            self.guardian.id,
            tenancy::today_in_italy(),
        )
        .await
        .map_err(internal)?;
        Ok(students.into_iter().map(StudentObject::from).collect())
    }
}

#[derive(SimpleObject)]
#[graphql(name = "Student", complex)]
pub struct StudentObject {
    id: ID,
    first_name: String,
    last_name: String,
    fiscal_code: String,
    birth_date: Date,
    #[graphql(skip)]
    student: StudentId,
    #[graphql(skip)]
    service: Option<ServiceView>,
}

impl From<StudentWithService> for StudentObject {
    fn from(value: StudentWithService) -> Self {
        let s = value.student;
        StudentObject {
            id: ID(s.id.get().to_string()),
            first_name: s.first_name,
            last_name: s.last_name,
            fiscal_code: s.fiscal_code.to_string(),
            birth_date: Date(s.birth_date),
            student: s.id,
            service: value.service,
        }
    }
}

#[ComplexObject]
impl StudentObject {
    /// The meal service (refezione scolastica) today; null when not enrolled.
    async fn meal_service(&self) -> Option<MealServiceObject> {
        self.service.clone().map(|service| MealServiceObject {
            student: self.student,
            service,
        })
    }
}

pub struct MealServiceObject {
    student: StudentId,
    service: ServiceView,
}

#[derive(SimpleObject)]
pub struct School {
    id: ID,
    name: String,
    address: String,
}

impl From<registry::School> for School {
    fn from(s: registry::School) -> Self {
        School {
            id: ID(s.id.get().to_string()),
            name: s.name,
            address: s.address,
        }
    }
}

#[derive(SimpleObject)]
pub struct TariffBand {
    code: String,
    name: String,
    meal_price: Decimal,
}

impl From<tenancy::TariffBand> for TariffBand {
    fn from(band: tenancy::TariffBand) -> Self {
        TariffBand {
            code: band.code,
            name: band.name,
            meal_price: Decimal(band.meal_price),
        }
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl From<registry::Weekday> for Weekday {
    fn from(day: registry::Weekday) -> Self {
        match day {
            registry::Weekday::Monday => Weekday::Monday,
            registry::Weekday::Tuesday => Weekday::Tuesday,
            registry::Weekday::Wednesday => Weekday::Wednesday,
            registry::Weekday::Thursday => Weekday::Thursday,
            registry::Weekday::Friday => Weekday::Friday,
            registry::Weekday::Saturday => Weekday::Saturday,
            registry::Weekday::Sunday => Weekday::Sunday,
        }
    }
}

impl From<Weekday> for registry::Weekday {
    fn from(day: Weekday) -> Self {
        match day {
            Weekday::Monday => registry::Weekday::Monday,
            Weekday::Tuesday => registry::Weekday::Tuesday,
            Weekday::Wednesday => registry::Weekday::Wednesday,
            Weekday::Thursday => registry::Weekday::Thursday,
            Weekday::Friday => registry::Weekday::Friday,
            Weekday::Saturday => registry::Weekday::Saturday,
            Weekday::Sunday => registry::Weekday::Sunday,
        }
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum DietKind {
    Normal,
    Special,
}

pub struct DietObject {
    student: StudentId,
    diet: Diet,
}

#[Object(name = "Diet")]
impl DietObject {
    async fn kind(&self) -> DietKind {
        match self.diet {
            Diet::Normal => DietKind::Normal,
            Diet::Special { .. } => DietKind::Special,
        }
    }

    /// The special diet's detail (health data): shown to the child's own guardian and to
    /// operators with the health-data right; null for anyone else.
    async fn detail(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let Diet::Special { detail } = &self.diet else {
            return Ok(None);
        };
        let identity = context::identity(ctx)?;
        match identity.principal {
            auth::Principal::Guardian { .. } => Ok(Some(detail.clone())),
            _ if reads_health_data(ctx) => {
                let subject = format!("student:{}", self.student.get());
                context::audit(ctx, "read_diet", &subject).await?;
                Ok(Some(detail.clone()))
            }
            _ => Ok(None),
        }
    }
}

#[Object(name = "MealService")]
impl MealServiceObject {
    async fn school(&self) -> School {
        self.service.class.school.clone().into()
    }
    async fn class_name(&self) -> &str {
        &self.service.class.name
    }
    /// The giornate di rientro: the weekdays the class eats at school.
    async fn meal_days(&self) -> Vec<Weekday> {
        self.service
            .class
            .meal_days
            .days()
            .map(Weekday::from)
            .collect()
    }
    async fn tariff_band(&self) -> TariffBand {
        self.service.band.clone().into()
    }
    async fn diet(&self) -> DietObject {
        DietObject {
            student: self.student,
            diet: self.service.diet.clone(),
        }
    }
}

/// A class of a school with its meal days (giornate di rientro).
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
