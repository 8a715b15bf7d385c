//! The family account: one prepaid balance per paying guardian, shared by his children.

use registry::GuardianId;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};
use tenancy::TenantId;

use crate::LedgerError;
use crate::entity::family_account;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(i64);

impl AccountId {
    pub fn new(id: i64) -> Self {
        Self(id)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Opens the guardian's account at zero, or returns the one he has.
pub async fn open_account(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    guardian: GuardianId,
) -> Result<AccountId, LedgerError> {
    if let Some(existing) = account_of_guardian(db, tenant, guardian).await? {
        return Ok(existing);
    }
    registry::guardian(db, tenant, guardian).await?;
    let row = family_account::ActiveModel {
        tenant_id: Set(tenant.get()),
        guardian_id: Set(guardian.get()),
        balance_cents: Set(0),
        version: Set(0),
        created_at: Set(chrono::Utc::now().fixed_offset()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(AccountId::new(row.id))
}

pub async fn account_of_guardian(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    guardian: GuardianId,
) -> Result<Option<AccountId>, LedgerError> {
    Ok(family_account::Entity::find()
        .filter(family_account::Column::TenantId.eq(tenant.get()))
        .filter(family_account::Column::GuardianId.eq(guardian.get()))
        .one(db)
        .await?
        .map(|row| AccountId::new(row.id)))
}

/// Reads the account row in a transaction of its own, scoped to the comune.
pub(crate) async fn read(
    db: &sea_orm::DatabaseConnection,
    tenant: TenantId,
    account: AccountId,
) -> Result<family_account::Model, LedgerError> {
    tenancy::scope::run(db, tenant, async |txn| load(txn, tenant, account).await).await
}

pub(crate) async fn load(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    account: AccountId,
) -> Result<family_account::Model, LedgerError> {
    family_account::Entity::find_by_id(account.get())
        .filter(family_account::Column::TenantId.eq(tenant.get()))
        .one(db)
        .await?
        .ok_or(LedgerError::AccountNotFound(account.get()))
}

/// Like `load`, but on PostgreSQL also locks the row until the transaction ends: the
/// one-command path uses it so that two replicas hammering one family take turns instead
/// of failing each other's version checks forever.
pub(crate) async fn load_for_update(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    account: AccountId,
) -> Result<family_account::Model, LedgerError> {
    let mut query = family_account::Entity::find_by_id(account.get())
        .filter(family_account::Column::TenantId.eq(tenant.get()));
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    query
        .one(db)
        .await?
        .ok_or(LedgerError::AccountNotFound(account.get()))
}
