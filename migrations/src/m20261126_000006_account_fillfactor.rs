//! Room for HOT updates on family accounts (PostgreSQL).
//!
//! Every posting rewrites its account's row (balance and version). With free space left in
//! each page, PostgreSQL can update the row in place without touching its indexes
//! ("heap-only tuples"), which roughly halves the cost of a batch's version-checked update.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("ALTER TABLE family_accounts SET (fillfactor = 70)")
                .await?;
        }
        Ok(())
    }
}
