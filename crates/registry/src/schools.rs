//! Schools and their classes; a class carries its meal days (giornate di rientro).

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use tenancy::TenantId;

use crate::entity::{class as class_row, school as school_row};
use crate::{ClassId, MealDays, RegistryError, SchoolId};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct School {
    pub id: SchoolId,
    pub name: String,
    pub address: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassRoom {
    pub id: ClassId,
    pub school: School,
    pub name: String,
    pub meal_days: MealDays,
}

#[derive(Clone, Debug)]
pub struct NewClass {
    pub school: SchoolId,
    pub name: String,
    pub meal_days: MealDays,
}

pub async fn create_school(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    name: &str,
    address: &str,
) -> Result<School, RegistryError> {
    let row = school_row::ActiveModel {
        tenant_id: Set(tenant.get()),
        name: Set(name.to_owned()),
        address: Set(address.to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(School {
        id: SchoolId::new(row.id),
        name: row.name,
        address: row.address,
    })
}

pub async fn create_class(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    new: NewClass,
) -> Result<ClassId, RegistryError> {
    school(db, tenant, new.school).await?;
    let row = class_row::ActiveModel {
        tenant_id: Set(tenant.get()),
        school_id: Set(new.school.get()),
        name: Set(new.name),
        meal_days: Set(new.meal_days.mask()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(ClassId::new(row.id))
}

pub async fn school(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    id: SchoolId,
) -> Result<School, RegistryError> {
    let row = school_row::Entity::find_by_id(id.get())
        .filter(school_row::Column::TenantId.eq(tenant.get()))
        .one(db)
        .await?
        .ok_or(RegistryError::NotFound {
            what: "school",
            id: id.get(),
        })?;
    Ok(School {
        id,
        name: row.name,
        address: row.address,
    })
}

pub async fn class(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    id: ClassId,
) -> Result<ClassRoom, RegistryError> {
    let row = class_row::Entity::find_by_id(id.get())
        .filter(class_row::Column::TenantId.eq(tenant.get()))
        .one(db)
        .await?
        .ok_or(RegistryError::NotFound {
            what: "class",
            id: id.get(),
        })?;
    Ok(ClassRoom {
        id,
        school: school(db, tenant, SchoolId::new(row.school_id)).await?,
        name: row.name,
        meal_days: MealDays::from_mask(row.meal_days),
    })
}

/// Every class of the comune with its school, by school then class name.
pub async fn classes(
    db: &impl ConnectionTrait,
    tenant: TenantId,
) -> Result<Vec<ClassRoom>, RegistryError> {
    let schools: std::collections::HashMap<i64, School> = school_row::Entity::find()
        .filter(school_row::Column::TenantId.eq(tenant.get()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            (
                row.id,
                School {
                    id: SchoolId::new(row.id),
                    name: row.name,
                    address: row.address,
                },
            )
        })
        .collect();
    let mut classes: Vec<ClassRoom> = class_row::Entity::find()
        .filter(class_row::Column::TenantId.eq(tenant.get()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| {
            Some(ClassRoom {
                id: ClassId::new(row.id),
                school: schools.get(&row.school_id)?.clone(),
                name: row.name,
                meal_days: MealDays::from_mask(row.meal_days),
            })
        })
        .collect();
    classes.sort_by(|a, b| (&a.school.name, &a.name).cmp(&(&b.school.name, &b.name)));
    Ok(classes)
}

/// Changes the weekdays a class eats at school (giornate di rientro).
pub async fn set_meal_days(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    id: ClassId,
    days: MealDays,
) -> Result<ClassRoom, RegistryError> {
    let mut class = class(db, tenant, id).await?;
    class_row::Entity::update_many()
        .col_expr(class_row::Column::MealDays, Expr::value(days.mask()))
        .filter(class_row::Column::TenantId.eq(tenant.get()))
        .filter(class_row::Column::Id.eq(id.get()))
        .exec(db)
        .await?;
    class.meal_days = days;
    Ok(class)
}
