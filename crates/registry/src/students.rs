//! Students and their enrolment in the meal service: class, tariff band and diet.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use tenancy::{PersonFiscalCode, TenantId};

use crate::entity::{enrolment as enrolment_row, student as student_row};
use crate::{ClassId, GuardianId, RegistryError, StudentId, map_unique};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Student {
    pub id: StudentId,
    pub guardian: GuardianId,
    pub first_name: String,
    pub last_name: String,
    pub fiscal_code: PersonFiscalCode,
    pub birth_date: NaiveDate,
}

#[derive(Clone, Debug)]
pub struct NewStudent {
    pub guardian: GuardianId,
    pub first_name: String,
    pub last_name: String,
    pub fiscal_code: PersonFiscalCode,
    pub birth_date: NaiveDate,
}

/// The kind of meal: normal, or a special diet whose detail is health data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Diet {
    Normal,
    Special { detail: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrolment {
    pub student: StudentId,
    pub class: ClassId,
    pub tariff_band_code: String,
    pub diet: Diet,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

#[derive(Clone, Debug)]
pub struct NewEnrolment {
    pub class: ClassId,
    pub tariff_band_code: String,
    pub diet: Diet,
    pub valid_from: NaiveDate,
}

pub async fn create_student(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    new: NewStudent,
) -> Result<Student, RegistryError> {
    crate::guardian(db, tenant, new.guardian).await?;
    let fiscal_code = new.fiscal_code.as_str().to_owned();
    let row = student_row::ActiveModel {
        tenant_id: Set(tenant.get()),
        guardian_id: Set(new.guardian.get()),
        first_name: Set(new.first_name),
        last_name: Set(new.last_name),
        fiscal_code: Set(fiscal_code.clone()),
        birth_date: Set(new.birth_date),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| map_unique(e, &fiscal_code))?;
    student_from_row(row)
}

pub async fn students_of(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    guardian: GuardianId,
) -> Result<Vec<Student>, RegistryError> {
    student_row::Entity::find()
        .filter(student_row::Column::TenantId.eq(tenant.get()))
        .filter(student_row::Column::GuardianId.eq(guardian.get()))
        .order_by_asc(student_row::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(student_from_row)
        .collect()
}

pub async fn student(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    id: StudentId,
) -> Result<Student, RegistryError> {
    student_row::Entity::find_by_id(id.get())
        .filter(student_row::Column::TenantId.eq(tenant.get()))
        .one(db)
        .await?
        .ok_or(RegistryError::NotFound {
            what: "student",
            id: id.get(),
        })
        .and_then(student_from_row)
}

/// Enrols a student from `valid_from` on; an enrolment already open is closed the day
/// before, so the history (which class, band and diet applied when) is kept.
pub async fn enrol(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    student_id: StudentId,
    new: NewEnrolment,
) -> Result<(), RegistryError> {
    student(db, tenant, student_id).await?;
    crate::class(db, tenant, new.class).await?;
    if let Some(open) = enrolment_row::Entity::find()
        .filter(enrolment_row::Column::TenantId.eq(tenant.get()))
        .filter(enrolment_row::Column::StudentId.eq(student_id.get()))
        .filter(enrolment_row::Column::ValidTo.is_null())
        .one(db)
        .await?
    {
        let mut open: enrolment_row::ActiveModel = open.into();
        open.valid_to = Set(new.valid_from.pred_opt());
        open.update(db).await?;
    }
    let (kind, detail) = match new.diet {
        Diet::Normal => ("normal", None),
        Diet::Special { detail } => ("special", Some(detail)),
    };
    enrolment_row::ActiveModel {
        tenant_id: Set(tenant.get()),
        student_id: Set(student_id.get()),
        class_id: Set(new.class.get()),
        tariff_band_code: Set(new.tariff_band_code),
        diet_kind: Set(kind.to_owned()),
        diet_detail: Set(detail),
        valid_from: Set(new.valid_from),
        valid_to: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The enrolment in force for a student on a date, if any.
pub async fn enrolment_on(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    student_id: StudentId,
    date: NaiveDate,
) -> Result<Option<Enrolment>, RegistryError> {
    enrolment_row::Entity::find()
        .filter(enrolment_row::Column::TenantId.eq(tenant.get()))
        .filter(enrolment_row::Column::StudentId.eq(student_id.get()))
        .filter(enrolment_row::Column::ValidFrom.lte(date))
        .filter(
            Condition::any()
                .add(enrolment_row::Column::ValidTo.is_null())
                .add(enrolment_row::Column::ValidTo.gte(date)),
        )
        .order_by_desc(enrolment_row::Column::ValidFrom)
        .one(db)
        .await?
        .map(enrolment_from_row)
        .transpose()
}

/// Every enrolment of the comune in force on `date`.
pub async fn enrolments_on(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    date: NaiveDate,
) -> Result<Vec<Enrolment>, RegistryError> {
    enrolment_row::Entity::find()
        .filter(enrolment_row::Column::TenantId.eq(tenant.get()))
        .filter(enrolment_row::Column::ValidFrom.lte(date))
        .filter(
            Condition::any()
                .add(enrolment_row::Column::ValidTo.is_null())
                .add(enrolment_row::Column::ValidTo.gte(date)),
        )
        .order_by_asc(enrolment_row::Column::StudentId)
        .all(db)
        .await?
        .into_iter()
        .map(enrolment_from_row)
        .collect()
}

fn student_from_row(row: student_row::Model) -> Result<Student, RegistryError> {
    let fiscal_code =
        PersonFiscalCode::parse(&row.fiscal_code).map_err(|e| RegistryError::CorruptRow {
            table: "students",
            id: row.id,
            problem: e.into(),
        })?;
    Ok(Student {
        id: StudentId::new(row.id),
        guardian: GuardianId::new(row.guardian_id),
        first_name: row.first_name,
        last_name: row.last_name,
        fiscal_code,
        birth_date: row.birth_date,
    })
}

fn enrolment_from_row(row: enrolment_row::Model) -> Result<Enrolment, RegistryError> {
    let diet = match (row.diet_kind.as_str(), row.diet_detail) {
        ("normal", _) => Diet::Normal,
        ("special", Some(detail)) => Diet::Special { detail },
        (kind, _) => {
            return Err(RegistryError::CorruptRow {
                table: "enrolments",
                id: row.id,
                problem: format!("diet '{kind}' without a valid detail").into(),
            });
        }
    };
    Ok(Enrolment {
        student: StudentId::new(row.student_id),
        class: ClassId::new(row.class_id),
        tariff_band_code: row.tariff_band_code,
        diet,
        valid_from: row.valid_from,
        valid_to: row.valid_to,
    })
}
