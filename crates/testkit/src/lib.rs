//! Test support shared by the crates' integration tests: a fresh database for each test,
//! on the embedded SQLite default or on a real PostgreSQL (a schema of its own), and the
//! Redis to use next to it.
//!
//! PostgreSQL runs need `MENSA_TEST_POSTGRES_URL` (and `MENSA_TEST_REDIS_URL`), which
//! `scripts/test` sets; without them those runs are skipped with a note on stderr.
#![allow(clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicU32, Ordering};

use sea_orm::{ConnectionTrait, Database};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default: a SQLite file and the in-process cache.
    Sqlite,
    /// PostgreSQL (a fresh schema per test) and Redis.
    Postgres,
}

/// Every backend available here.
pub fn backends() -> Vec<Backend> {
    if postgres_admin_url().is_some() {
        vec![Backend::Sqlite, Backend::Postgres]
    } else {
        eprintln!(
            "skipped the PostgreSQL + Redis run: set MENSA_TEST_POSTGRES_URL and MENSA_TEST_REDIS_URL (scripts/test does)"
        );
        vec![Backend::Sqlite]
    }
}

/// PostgreSQL alone, for what only exists there; `None` (with a note) when not configured.
pub fn postgres() -> Option<Backend> {
    if postgres_admin_url().is_some() {
        Some(Backend::Postgres)
    } else {
        eprintln!(
            "skipped: this test needs PostgreSQL; set MENSA_TEST_POSTGRES_URL (scripts/test does)"
        );
        None
    }
}

pub fn postgres_admin_url() -> Option<String> {
    std::env::var("MENSA_TEST_POSTGRES_URL")
        .ok()
        .filter(|url| !url.is_empty())
}

/// Keeps a test's database alive while the test runs, and drops it afterwards.
#[derive(Debug)]
pub enum DatabaseGuard {
    Sqlite(tempfile::TempDir),
    Postgres { admin_url: String, schema: String },
}

impl Drop for DatabaseGuard {
    fn drop(&mut self) {
        if let DatabaseGuard::Postgres { admin_url, schema } = self {
            let (admin_url, schema) = (admin_url.clone(), schema.clone());
            // Never wait here: the test's own runtime may still have to roll back a
            // transaction that holds locks in this schema. Whatever is left when the process
            // exits goes with the test database, which scripts/test recreates on every run.
            std::thread::spawn(move || {
                let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                runtime.block_on(async {
                    if let Ok(db) = Database::connect(&admin_url).await {
                        let sql = format!(
                            "SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS {schema} CASCADE"
                        );
                        let _ = db.execute_unprepared(&sql).await;
                    }
                });
            });
        }
    }
}

impl Backend {
    pub fn redis_url(self) -> Option<String> {
        match self {
            Backend::Sqlite => None,
            Backend::Postgres => std::env::var("MENSA_TEST_REDIS_URL")
                .ok()
                .filter(|url| !url.is_empty()),
        }
    }

    /// A database URL nobody else uses, for the owner of its schema. For SQLite the file
    /// is created on first connection (`mode=rwc`).
    pub async fn fresh_database(self) -> (String, DatabaseGuard) {
        match self {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary folder");
                let url = format!("sqlite://{}", dir.path().join("mensa.sqlite").display());
                (url, DatabaseGuard::Sqlite(dir))
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url().expect("MENSA_TEST_POSTGRES_URL is set");
                let schema = unique_name("test");
                let admin = Database::connect(&admin_url)
                    .await
                    .expect("PostgreSQL is reachable");
                admin
                    .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
                    .await
                    .expect("can create a test schema");
                admin.close().await.ok();
                let separator = if admin_url.contains('?') { '&' } else { '?' };
                let url = format!("{admin_url}{separator}options%5Bsearch_path%5D={schema}");
                (url, DatabaseGuard::Postgres { admin_url, schema })
            }
        }
    }
}

/// A name no other test (in this run or a parallel one) uses: for schemas and cache prefixes.
pub fn unique_name(kind: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "{kind}_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

/// A migrated database of its own: `owner` sees everything (for checks), `runtime` is what
/// the application works with (on PostgreSQL, the role under row-level security).
#[derive(Debug)]
pub struct TestDatabase {
    pub owner: sea_orm::DatabaseConnection,
    pub runtime: sea_orm::DatabaseConnection,
    pub url: String,
    pub backend: Backend,
    _guard: DatabaseGuard,
}

impl Backend {
    pub async fn migrated(self) -> TestDatabase {
        let (url, guard) = self.fresh_database().await;
        let (owner, runtime) = match self {
            Backend::Sqlite => {
                let db = connect(&format!("{url}?mode=rwc"), 1).await;
                db.execute_unprepared("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")
                    .await
                    .expect("SQLite pragmas");
                migrations::migrate(&db).await.expect("migrations apply");
                (db.clone(), db)
            }
            Backend::Postgres => {
                let owner = connect(&url, 4).await;
                migrations::migrate(&owner).await.expect("migrations apply");
                (owner, connect(&migrations::runtime_url(&url), 16).await)
            }
        };
        TestDatabase {
            owner,
            runtime,
            url,
            backend: self,
            _guard: guard,
        }
    }
}

async fn connect(url: &str, max_connections: u32) -> sea_orm::DatabaseConnection {
    let mut options = sea_orm::ConnectOptions::new(url);
    options.max_connections(max_connections).sqlx_logging(false);
    Database::connect(options)
        .await
        .expect("the test database accepts connections")
}
