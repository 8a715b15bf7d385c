//! Session rows: the digest of a token, whose it is and until when.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use tenancy::TenantId;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sessions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub tenant_id: i64,
        pub token_hash: String,
        pub principal_kind: String,
        pub person_id: i64,
        pub expires_at: DateTimeWithTimeZone,
        pub revoked_at: Option<DateTimeWithTimeZone>,
        pub created_at: DateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonKind {
    Guardian,
    Operator,
}

impl PersonKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            PersonKind::Guardian => "guardian",
            PersonKind::Operator => "operator",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        match value {
            "guardian" => Some(PersonKind::Guardian),
            "operator" => Some(PersonKind::Operator),
            _ => None,
        }
    }
}

pub struct SessionRow {
    pub kind: PersonKind,
    pub person_id: i64,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    token_hash: &str,
    kind: PersonKind,
    person_id: i64,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    entity::ActiveModel {
        tenant_id: Set(tenant.get()),
        token_hash: Set(token_hash.to_owned()),
        principal_kind: Set(kind.as_str().to_owned()),
        person_id: Set(person_id),
        expires_at: Set(expires_at.fixed_offset()),
        revoked_at: Set(None),
        created_at: Set(Utc::now().fixed_offset()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The live session of this token digest in this comune: not revoked, not expired.
pub async fn find_live(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<SessionRow>, DbErr> {
    let row = entity::Entity::find()
        .filter(entity::Column::TenantId.eq(tenant.get()))
        .filter(entity::Column::TokenHash.eq(token_hash))
        .filter(entity::Column::RevokedAt.is_null())
        .filter(entity::Column::ExpiresAt.gt(now.fixed_offset()))
        .one(db)
        .await?;
    Ok(row.and_then(|row| {
        Some(SessionRow {
            kind: PersonKind::parse(&row.principal_kind)?,
            person_id: row.person_id,
            expires_at: row.expires_at.with_timezone(&Utc),
        })
    }))
}

pub async fn revoke(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    token_hash: &str,
) -> Result<(), DbErr> {
    entity::Entity::update_many()
        .col_expr(
            entity::Column::RevokedAt,
            Expr::value(Utc::now().fixed_offset()),
        )
        .filter(entity::Column::TenantId.eq(tenant.get()))
        .filter(entity::Column::TokenHash.eq(token_hash))
        .filter(entity::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every other session of a person (after a password change).
pub async fn revoke_all_of(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    kind: PersonKind,
    person_id: i64,
    except_hash: &str,
) -> Result<(), DbErr> {
    entity::Entity::update_many()
        .col_expr(
            entity::Column::RevokedAt,
            Expr::value(Utc::now().fixed_offset()),
        )
        .filter(entity::Column::TenantId.eq(tenant.get()))
        .filter(entity::Column::PrincipalKind.eq(kind.as_str()))
        .filter(entity::Column::PersonId.eq(person_id))
        .filter(entity::Column::TokenHash.ne(except_hash))
        .filter(entity::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
