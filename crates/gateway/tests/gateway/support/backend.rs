//! The databases tests run on: SQLite always, PostgreSQL and Redis when configured.

use std::sync::atomic::{AtomicU32, Ordering};

use sea_orm::{ConnectionTrait, Database};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default: a SQLite file and the in-process cache.
    Sqlite,
    /// PostgreSQL (a fresh schema per test) and Redis.
    Postgres,
}

/// Every backend available here. Without `MENSA_TEST_POSTGRES_URL` the PostgreSQL runs are
/// skipped, and the test says so on stderr (`cargo test -- --nocapture` shows it).
pub fn backends() -> Vec<Backend> {
    if postgres_admin_url().is_some() {
        vec![Backend::Sqlite, Backend::Postgres]
    } else {
        eprintln!(
            "skipped the PostgreSQL + Redis run: set MENSA_TEST_POSTGRES_URL and MENSA_TEST_REDIS_URL (see .ci/run)"
        );
        vec![Backend::Sqlite]
    }
}

pub fn postgres_admin_url() -> Option<String> {
    std::env::var("MENSA_TEST_POSTGRES_URL")
        .ok()
        .filter(|url| !url.is_empty())
}

/// Keeps a test's database alive while the test runs, and drops it afterwards.
pub enum DatabaseGuard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, schema: String },
}

impl Drop for DatabaseGuard {
    fn drop(&mut self) {
        if let DatabaseGuard::Postgres { admin_url, schema } = self {
            let (admin_url, schema) = (admin_url.clone(), schema.clone());
            // Never wait here: the test's own runtime may still have to roll back a
            // transaction that holds locks in this schema. Whatever is left when the process
            // exits goes with the test database, which .ci/run recreates on every run.
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

    /// A database URL nobody else uses.
    pub async fn fresh_database(self) -> (String, DatabaseGuard) {
        match self {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
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
