//! Integrators' API keys: shown once, stored as a digest, scoped to one comune and to what
//! the key may do, revocable by the comune's operators.

use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use tenancy::TenantId;

use crate::secret;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "api_keys")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub tenant_id: i64,
        pub name: String,
        pub prefix: String,
        pub key_hash: String,
        pub scopes: String,
        pub created_by: i64,
        pub revoked_at: Option<DateTimeWithTimeZone>,
        pub created_at: DateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ApiKeyId(pub i64);

/// What a key may do. Reading is the comune's data without special-diet details.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    Read,
    PostMeals,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::PostMeals => "post_meals",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "read" => Some(Scope::Read),
            "post_meals" => Some(Scope::PostMeals),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub name: String,
    /// The first characters of the key, so an operator can tell keys apart.
    pub prefix: String,
    pub scopes: Vec<Scope>,
    pub created_at: DateTime<FixedOffset>,
    pub revoked_at: Option<DateTime<FixedOffset>>,
}

pub struct NewApiKey {
    pub name: String,
    pub scopes: Vec<Scope>,
    pub created_by: i64,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    new: NewApiKey,
    key: &str,
) -> Result<ApiKey, DbErr> {
    let scopes = new
        .scopes
        .iter()
        .map(|scope| scope.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let row = entity::ActiveModel {
        tenant_id: Set(tenant.get()),
        name: Set(new.name),
        prefix: Set(key.chars().take(14).collect()),
        key_hash: Set(secret::digest(key)),
        scopes: Set(scopes),
        created_by: Set(new.created_by),
        revoked_at: Set(None),
        created_at: Set(Utc::now().fixed_offset()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(from_row(row))
}

pub async fn find_live(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    key_hash: &str,
) -> Result<Option<ApiKey>, DbErr> {
    Ok(entity::Entity::find()
        .filter(entity::Column::TenantId.eq(tenant.get()))
        .filter(entity::Column::KeyHash.eq(key_hash))
        .filter(entity::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .map(from_row))
}

pub async fn list(db: &impl ConnectionTrait, tenant: TenantId) -> Result<Vec<ApiKey>, DbErr> {
    Ok(entity::Entity::find()
        .filter(entity::Column::TenantId.eq(tenant.get()))
        .order_by_asc(entity::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(from_row)
        .collect())
}

/// Revokes the key; false when the comune has no such live key.
pub async fn revoke(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    id: ApiKeyId,
) -> Result<bool, DbErr> {
    let result = entity::Entity::update_many()
        .col_expr(
            entity::Column::RevokedAt,
            Expr::value(Utc::now().fixed_offset()),
        )
        .filter(entity::Column::TenantId.eq(tenant.get()))
        .filter(entity::Column::Id.eq(id.0))
        .filter(entity::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

fn from_row(row: entity::Model) -> ApiKey {
    ApiKey {
        id: ApiKeyId(row.id),
        name: row.name,
        prefix: row.prefix,
        scopes: row.scopes.split(',').filter_map(Scope::parse).collect(),
        created_at: row.created_at,
        revoked_at: row.revoked_at,
    }
}
