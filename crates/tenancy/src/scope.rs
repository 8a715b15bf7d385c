//! Transactions scoped to one comune.
//!
//! Every query of tenant data runs in a transaction opened here. On PostgreSQL it also
//! tells the database which comune the transaction belongs to, so row-level security hides
//! every other comune's rows even from a query that forgot its `tenant_id` filter.

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, Statement,
    TransactionTrait,
};

use crate::TenantId;

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
            [
                migrations::TENANT_SETTING.into(),
                tenant.get().to_string().into(),
            ],
        ))
        .await?;
    }
    Ok(())
}
