//! The database schema of Mensa, as sea-orm migrations that run on PostgreSQL and SQLite.
//!
//! Money is BIGINT cents everywhere (SQLite would round a decimal). On PostgreSQL every
//! tenant table is also guarded by row-level security, and the gateway works as a role
//! that neither owns the tables nor bypasses that policy; see `row_level_security`.

mod columns;
mod m20261126_000001_tenancy;
mod m20261126_000002_registry;
mod m20261126_000003_ledger;
mod m20261126_000004_payments;
mod m20261126_000005_content;
mod m20261126_000006_account_fillfactor;
mod m20261127_000007_payment_receipts;
mod m20261127_000008_auth;
mod m20261205_000009_payment_anomalies;
mod row_level_security;
mod run;

pub use row_level_security::{RUNTIME_ROLE, TENANT_TABLES, create_runtime_role, runtime_url};
pub use run::{MigrationError, migrate, pending_migrations};

use sea_orm_migration::prelude::*;

#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_tenancy::Migration),
            Box::new(m20261126_000002_registry::Migration),
            Box::new(m20261126_000003_ledger::Migration),
            Box::new(m20261126_000004_payments::Migration),
            Box::new(m20261126_000005_content::Migration),
            Box::new(m20261126_000006_account_fillfactor::Migration),
            Box::new(m20261127_000007_payment_receipts::Migration),
            Box::new(m20261127_000008_auth::Migration),
            Box::new(m20261205_000009_payment_anomalies::Migration),
        ]
    }
}
