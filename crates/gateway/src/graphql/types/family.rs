//! Guardians and students as the API shows them; special-diet details only to whoever may
//! read health data, and every operator read of them goes to the audit log.

use async_graphql::{ComplexObject, Context, Enum, ID, Object, SimpleObject};
use auth::Principal;
use registry::{Diet, Guardian, GuardianId, StudentId};

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
    /// The child's guardian: the one family allowed to read the diet detail.
    #[graphql(skip)]
    guardian: GuardianId,
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
            guardian: s.guardian,
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
            guardian: self.guardian,
            service,
        })
    }
}

pub struct MealServiceObject {
    student: StudentId,
    guardian: GuardianId,
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
    guardian: GuardianId,
    diet: Diet,
}

/// Who may read a special diet's detail (health data).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DietAccess {
    /// The child's own guardian.
    Family,
    /// An operator with the health-data right: the read is audited.
    Audited,
    Hidden,
}

/// Checked against the caller, not assumed from the path that reached the child: a
/// guardian reads only his own children's diets, whatever query led to another child.
fn diet_access(
    principal: &Principal,
    child_guardian: GuardianId,
    health_right: bool,
) -> DietAccess {
    match principal {
        Principal::Guardian { guardian, .. } if *guardian == child_guardian => DietAccess::Family,
        Principal::Operator { .. } if health_right => DietAccess::Audited,
        _ => DietAccess::Hidden,
    }
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
        match diet_access(&identity.principal, self.guardian, reads_health_data(ctx)) {
            DietAccess::Family => Ok(Some(detail.clone())),
            DietAccess::Audited => {
                let subject = format!("student:{}", self.student.get());
                context::audit(ctx, "read_diet", &subject).await?;
                Ok(Some(detail.clone()))
            }
            DietAccess::Hidden => Ok(None),
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
            guardian: self.guardian,
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

#[cfg(test)]
mod tests {
    use accounts::AccountId;
    use auth::{ApiKeyId, Scope};
    use registry::OperatorId;

    use super::*;

    #[test]
    fn a_diet_detail_is_checked_against_the_caller() {
        let child_of = GuardianId::new(1);
        let parent = |id| Principal::Guardian {
            guardian: GuardianId::new(id),
            account: AccountId::new(id),
        };
        assert_eq!(diet_access(&parent(1), child_of, false), DietAccess::Family);
        // Another family's child, however it was reached: nothing.
        assert_eq!(diet_access(&parent(2), child_of, false), DietAccess::Hidden);
        let operator = Principal::Operator {
            operator: OperatorId::new(5),
            can_read_health_data: true,
        };
        assert_eq!(diet_access(&operator, child_of, true), DietAccess::Audited);
        assert_eq!(diet_access(&operator, child_of, false), DietAccess::Hidden);
        let key = Principal::Integrator {
            key: ApiKeyId(1),
            scopes: vec![Scope::Read],
        };
        assert_eq!(diet_access(&key, child_of, false), DietAccess::Hidden);
    }
}
