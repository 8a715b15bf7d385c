//! Guardians (who pay) and operators (who run the service): the people who log in.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use tenancy::{PersonFiscalCode, TenantId};

use crate::entity::{guardian as guardian_row, operator as operator_row};
use crate::{GuardianId, OperatorId, PasswordHash, RegistryError, map_unique};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Guardian {
    pub id: GuardianId,
    pub username: String,
    pub password_hash: PasswordHash,
    pub first_name: String,
    pub last_name: String,
    pub fiscal_code: PersonFiscalCode,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Clone, Debug)]
pub struct NewGuardian {
    pub username: String,
    pub password_hash: PasswordHash,
    pub first_name: String,
    pub last_name: String,
    pub fiscal_code: PersonFiscalCode,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operator {
    pub id: OperatorId,
    pub username: String,
    pub password_hash: PasswordHash,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    /// Special diets are health data: only operators with this right read their detail.
    pub can_read_health_data: bool,
}

#[derive(Clone, Debug)]
pub struct NewOperator {
    pub username: String,
    pub password_hash: PasswordHash,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub can_read_health_data: bool,
}

pub async fn create_guardian(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    new: NewGuardian,
) -> Result<Guardian, RegistryError> {
    let username = new.username.clone();
    let row = guardian_row::ActiveModel {
        tenant_id: Set(tenant.get()),
        username: Set(new.username),
        password_hash: Set(new.password_hash.as_str().to_owned()),
        first_name: Set(new.first_name),
        last_name: Set(new.last_name),
        email: Set(new.email),
        created_at: Set(chrono::Utc::now().fixed_offset()),
        fiscal_code: Set(new.fiscal_code.as_str().to_owned()),
        phone: Set(new.phone),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| map_unique(e, &username))?;
    guardian_from_row(row)
}

pub async fn guardian(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    id: GuardianId,
) -> Result<Guardian, RegistryError> {
    guardian_row::Entity::find_by_id(id.get())
        .filter(guardian_row::Column::TenantId.eq(tenant.get()))
        .one(db)
        .await?
        .ok_or(RegistryError::NotFound {
            what: "guardian",
            id: id.get(),
        })
        .and_then(guardian_from_row)
}

pub async fn guardian_by_username(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    username: &str,
) -> Result<Option<Guardian>, RegistryError> {
    guardian_row::Entity::find()
        .filter(guardian_row::Column::TenantId.eq(tenant.get()))
        .filter(guardian_row::Column::Username.eq(username))
        .one(db)
        .await?
        .map(guardian_from_row)
        .transpose()
}

pub async fn create_operator(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    new: NewOperator,
) -> Result<Operator, RegistryError> {
    let username = new.username.clone();
    let row = operator_row::ActiveModel {
        tenant_id: Set(tenant.get()),
        username: Set(new.username),
        password_hash: Set(new.password_hash.as_str().to_owned()),
        first_name: Set(new.first_name),
        last_name: Set(new.last_name),
        email: Set(new.email),
        created_at: Set(chrono::Utc::now().fixed_offset()),
        can_read_health_data: Set(new.can_read_health_data),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| map_unique(e, &username))?;
    Ok(operator_from_row(row))
}

pub async fn operator_by_username(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    username: &str,
) -> Result<Option<Operator>, RegistryError> {
    Ok(operator_row::Entity::find()
        .filter(operator_row::Column::TenantId.eq(tenant.get()))
        .filter(operator_row::Column::Username.eq(username))
        .one(db)
        .await?
        .map(operator_from_row))
}

pub async fn operator(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    id: OperatorId,
) -> Result<Operator, RegistryError> {
    operator_row::Entity::find_by_id(id.get())
        .filter(operator_row::Column::TenantId.eq(tenant.get()))
        .one(db)
        .await?
        .map(operator_from_row)
        .ok_or(RegistryError::NotFound {
            what: "operator",
            id: id.get(),
        })
}

/// Every guardian of the comune, by surname; `after` continues after an id of a page.
pub async fn guardians(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    after: Option<GuardianId>,
    limit: u64,
) -> Result<Vec<Guardian>, RegistryError> {
    let mut query =
        guardian_row::Entity::find().filter(guardian_row::Column::TenantId.eq(tenant.get()));
    if let Some(after) = after {
        query = query.filter(guardian_row::Column::Id.gt(after.get()));
    }
    query
        .order_by_asc(guardian_row::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(guardian_from_row)
        .collect()
}

pub async fn set_guardian_password(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    id: GuardianId,
    hash: &PasswordHash,
) -> Result<(), RegistryError> {
    let updated = guardian_row::Entity::update_many()
        .col_expr(
            guardian_row::Column::PasswordHash,
            Expr::value(hash.as_str().to_owned()),
        )
        .filter(guardian_row::Column::TenantId.eq(tenant.get()))
        .filter(guardian_row::Column::Id.eq(id.get()))
        .exec(db)
        .await?;
    found(updated.rows_affected, "guardian", id.get())
}

pub async fn set_operator_password(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    id: OperatorId,
    hash: &PasswordHash,
) -> Result<(), RegistryError> {
    let updated = operator_row::Entity::update_many()
        .col_expr(
            operator_row::Column::PasswordHash,
            Expr::value(hash.as_str().to_owned()),
        )
        .filter(operator_row::Column::TenantId.eq(tenant.get()))
        .filter(operator_row::Column::Id.eq(id.get()))
        .exec(db)
        .await?;
    found(updated.rows_affected, "operator", id.get())
}

/// Replaces a guardian's password only if it is still `old`: false when it changed in the
/// meantime (a concurrent change), so that a change checked against a stale hash is lost,
/// not written over the other.
pub async fn replace_guardian_password(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    id: GuardianId,
    old: &PasswordHash,
    new: &PasswordHash,
) -> Result<bool, RegistryError> {
    let updated = guardian_row::Entity::update_many()
        .col_expr(
            guardian_row::Column::PasswordHash,
            Expr::value(new.as_str().to_owned()),
        )
        .filter(guardian_row::Column::TenantId.eq(tenant.get()))
        .filter(guardian_row::Column::Id.eq(id.get()))
        .filter(guardian_row::Column::PasswordHash.eq(old.as_str()))
        .exec(db)
        .await?;
    Ok(updated.rows_affected > 0)
}

/// Replaces an operator's password only if it is still `old` (see
/// `replace_guardian_password`).
pub async fn replace_operator_password(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    id: OperatorId,
    old: &PasswordHash,
    new: &PasswordHash,
) -> Result<bool, RegistryError> {
    let updated = operator_row::Entity::update_many()
        .col_expr(
            operator_row::Column::PasswordHash,
            Expr::value(new.as_str().to_owned()),
        )
        .filter(operator_row::Column::TenantId.eq(tenant.get()))
        .filter(operator_row::Column::Id.eq(id.get()))
        .filter(operator_row::Column::PasswordHash.eq(old.as_str()))
        .exec(db)
        .await?;
    Ok(updated.rows_affected > 0)
}

fn found(rows: u64, what: &'static str, id: i64) -> Result<(), RegistryError> {
    if rows == 0 {
        Err(RegistryError::NotFound { what, id })
    } else {
        Ok(())
    }
}

fn guardian_from_row(row: guardian_row::Model) -> Result<Guardian, RegistryError> {
    let fiscal_code =
        PersonFiscalCode::parse(&row.fiscal_code).map_err(|e| RegistryError::CorruptRow {
            table: "guardians",
            id: row.id,
            problem: e.into(),
        })?;
    Ok(Guardian {
        id: GuardianId::new(row.id),
        username: row.username,
        password_hash: PasswordHash::from_stored(row.password_hash),
        first_name: row.first_name,
        last_name: row.last_name,
        fiscal_code,
        email: row.email,
        phone: row.phone,
    })
}

fn operator_from_row(row: operator_row::Model) -> Operator {
    Operator {
        id: OperatorId::new(row.id),
        username: row.username,
        password_hash: PasswordHash::from_stored(row.password_hash),
        first_name: row.first_name,
        last_name: row.last_name,
        email: row.email,
        can_read_health_data: row.can_read_health_data,
    }
}
