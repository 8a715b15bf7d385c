//! Transactions scoped to one comune.
//!
//! Every query of tenant data runs in a transaction opened here. On PostgreSQL it also
//! tells the database which comune the transaction belongs to, so row-level security hides
//! every other comune's rows even from a query that forgot its `tenant_id` filter.
//!
//! `run` is the usual way in: it begins, scopes, runs the work and commits, or rolls back
//! when the work fails, so no caller can forget either end. `begin` and `enter` remain for
//! the few callers whose transaction outlives one function (a read that must drop its
//! transaction before deciding what to do next, a batch that scopes itself per comune).

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, Statement,
    TransactionTrait,
};

use crate::TenantId;

/// The PostgreSQL setting that carries the current transaction's comune. Row-level security
/// policies read it; the migrations that create them keep their own copy of the name (a
/// migration is history and must not change when this crate does), tested equal to this one.
pub const TENANT_SETTING: &str = "mensa.tenant_id";

/// Runs `work` in a transaction scoped to `tenant`: committed when it returns `Ok`, rolled
/// back when it returns `Err` (the work's error is returned, not the rollback's).
///
/// ```text
/// let row = scope::run(&db, tenant, async |txn| account::read(txn, tenant, id).await).await?;
/// ```
pub async fn run<T, E, F>(db: &DatabaseConnection, tenant: TenantId, work: F) -> Result<T, E>
where
    F: AsyncFnOnce(&DatabaseTransaction) -> Result<T, E>,
    E: From<DbErr>,
{
    let txn = begin(db, tenant).await?;
    match work(&txn).await {
        Ok(value) => {
            txn.commit().await?;
            Ok(value)
        }
        Err(error) => {
            // The work's error is the one the caller needs; a failed rollback is only logged.
            if let Err(rollback) = txn.rollback().await {
                tracing::warn!(tenant.id = tenant.get(), error = %rollback, "rollback failed");
            }
            Err(error)
        }
    }
}

/// Begins a transaction scoped to `tenant`; the caller commits it.
pub async fn begin(
    db: &DatabaseConnection,
    tenant: TenantId,
) -> Result<DatabaseTransaction, DbErr> {
    let txn = db.begin().await?;
    enter(&txn, tenant).await?;
    Ok(txn)
}

/// Scopes an open transaction to `tenant` (for one that had to create the tenant first).
pub async fn enter(txn: &DatabaseTransaction, tenant: TenantId) -> Result<(), DbErr> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT set_config($1, $2, true)",
            [TENANT_SETTING.into(), tenant.get().to_string().into()],
        ))
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
