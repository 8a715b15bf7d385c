//! Applying the migrations safely when several replicas start at once.

use sea_orm_migration::MigratorTrait;
use sea_orm_migration::sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, TransactionTrait,
};

use crate::{Migrator, row_level_security};

/// Any fixed number works: it only has to be the same for every replica ("mensa" in ASCII).
const MIGRATION_LOCK_KEY: i64 = 0x6d_65_6e_73_61;

#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    #[error("could not apply the database migrations: {0}")]
    Database(#[from] DbErr),
}

/// Applies every pending migration and returns how many there were.
///
/// On PostgreSQL everything runs in one transaction that first takes an advisory lock:
/// a replica that starts while another migrates waits, then finds nothing to do, and a
/// failure leaves the schema exactly as it was (PostgreSQL's DDL is transactional).
pub async fn migrate(db: &DatabaseConnection) -> Result<usize, MigrationError> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let txn = db.begin().await?;
            txn.execute_unprepared(&format!(
                "SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"
            ))
            .await?;
            let pending = Migrator::get_pending_migrations(&txn).await?.len();
            Migrator::up(&txn, None).await?;
            for statement in row_level_security::statements() {
                txn.execute_unprepared(&statement).await?;
            }
            txn.commit().await?;
            log_outcome(pending);
            Ok(pending)
        }
        _ => {
            // SQLite is the single-process embedded default: its file lock is enough.
            let pending = Migrator::get_pending_migrations(db).await?.len();
            Migrator::up(db, None).await?;
            log_outcome(pending);
            Ok(pending)
        }
    }
}

/// Names of the migrations not yet applied (for `mensa migrate --dry-run`).
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<Vec<String>, MigrationError> {
    Ok(Migrator::get_pending_migrations(db)
        .await?
        .iter()
        .map(|migration| migration.name().to_owned())
        .collect())
}

fn log_outcome(applied: usize) {
    if applied == 0 {
        tracing::info!("database schema is up to date");
    } else {
        tracing::info!(migrations.applied = applied, "database schema migrated");
    }
}
