//! The registry (anagrafica) of a comune: schools and classes with their meal days,
//! guardians who pay, operators who run the service, students and their enrolment in the
//! meal service (class, tariff band, diet).
//!
//! Every function takes the `TenantId` and filters by it; callers pass a transaction
//! opened by `tenancy::scope::run`, so PostgreSQL's row-level security backs the filter.

pub mod entity;
mod ids;
mod meal_days;
mod password;
mod people;
mod schools;
mod students;

pub use ids::{ClassId, GuardianId, OperatorId, SchoolId, StudentId};
pub use meal_days::{MealDays, Weekday};
pub use password::{PasswordError, PasswordHash, hash_password, verify_password};
pub use people::{
    Guardian, NewGuardian, NewOperator, Operator, create_guardian, create_operator, guardian,
    guardian_by_username, guardians, operator, operator_by_username, replace_guardian_password,
    replace_operator_password, set_guardian_password, set_operator_password,
};
pub use schools::{
    ClassRoom, NewClass, School, class, classes, create_class, create_school, school, set_meal_days,
};
pub use students::{
    Diet, Enrolment, NewEnrolment, NewStudent, Student, create_student, enrol, enrolment_on,
    enrolments_on, student, students_of,
};

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
    #[error("{what} {id} does not exist in this comune")]
    NotFound { what: &'static str, id: i64 },
    #[error("'{0}' is already taken in this comune")]
    Duplicate(String),
    #[error("row {id} of {table} is invalid")]
    CorruptRow {
        table: &'static str,
        id: i64,
        #[source]
        problem: Box<dyn std::error::Error + Send + Sync>,
    },
}

pub(crate) fn map_unique(error: sea_orm::DbErr, what: &str) -> RegistryError {
    match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            RegistryError::Duplicate(what.to_owned())
        }
        _ => RegistryError::Database(error),
    }
}
