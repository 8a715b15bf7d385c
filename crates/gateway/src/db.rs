//! Opening the database: migrate as the owner, then work as the restricted runtime role.

use std::time::Duration;

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};

use crate::config::{DatabaseConfig, redact};

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error(
        "cannot create the data directory {path}: {source}; check MENSA_DATA_DIR and its permissions"
    )]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "cannot connect to the database at {url}: {source}; check DATABASE_URL and that the server is running"
    )]
    Connect { url: String, source: DbErr },
    #[error(transparent)]
    Migrate(#[from] migrations::MigrationError),
    #[error("database check failed: {0}")]
    Check(#[from] DbErr),
}

/// Connects, applies pending migrations and returns the pool the gateway works with.
pub async fn open(config: &DatabaseConfig) -> Result<DatabaseConnection, DbSetupError> {
    match config {
        DatabaseConfig::Sqlite { path } => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|source| DbSetupError::DataDir {
                    path: parent.display().to_string(),
                    source,
                })?;
            }
            let url = format!("sqlite://{}?mode=rwc", path.display());
            // One connection: SQLite has a single writer anyway, and a lone connection
            // never meets "database is locked" between our own transactions.
            let db = connect(&url, 1).await?;
            db.execute_unprepared("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")
                .await?;
            migrations::migrate(&db).await?;
            Ok(db)
        }
        DatabaseConfig::Postgres { url } => {
            let owner = connect(url, 1).await?;
            migrations::migrate(&owner).await?;
            owner.close().await.ok();
            connect(&migrations::runtime_url(url), 16).await
        }
    }
}

async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbSetupError> {
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(max_connections)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    Database::connect(options)
        .await
        .map_err(|source| DbSetupError::Connect {
            url: redact(url),
            source,
        })
}
