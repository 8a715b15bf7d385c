//! A test's own database: its connections, and the guard that removes it afterwards.

use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

use crate::Backend;

/// Keeps a test's database (and the folder of files copied with it) while the test runs,
/// and removes both afterwards.
#[derive(Debug)]
pub struct DatabaseGuard {
    /// Always there but while `keep` moves it out.
    dir: Option<tempfile::TempDir>,
    /// The PostgreSQL database to drop, and where to connect to drop it.
    postgres: Option<(String, String)>,
}

impl DatabaseGuard {
    pub(crate) fn new(dir: tempfile::TempDir, postgres: Option<(String, String)>) -> Self {
        DatabaseGuard {
            dir: Some(dir),
            postgres,
        }
    }

    /// Files that belong with the database (a gateway's data folder): copied from the
    /// template's, removed with the database.
    pub fn files(&self) -> PathBuf {
        self.dir().join("files")
    }

    pub(crate) fn dir(&self) -> &Path {
        self.dir
            .as_ref()
            .map_or(Path::new(""), tempfile::TempDir::path)
    }

    /// The folder, kept (not removed) for a template; the database too.
    pub(crate) fn keep(mut self) -> PathBuf {
        self.postgres = None;
        self.dir
            .take()
            .map(tempfile::TempDir::keep)
            .unwrap_or_default()
    }
}

impl Drop for DatabaseGuard {
    fn drop(&mut self) {
        if let Some((admin_url, database)) = self.postgres.take() {
            // Dropping a database waits for a checkpoint (a second or so): let it happen
            // beside the next tests. A drop the end of the process cuts short leaves the
            // database to the next run's sweep (see `postgres::sweep`) or to scripts/test.
            std::thread::spawn(move || drop_database(&admin_url, &database));
        }
    }
}

/// A database of its own: `owner` sees everything (for checks), `runtime` is what the
/// application works with (on PostgreSQL, the role under row-level security).
#[derive(Debug)]
pub struct TestDatabase {
    pub owner: DatabaseConnection,
    pub runtime: DatabaseConnection,
    pub url: String,
    pub backend: Backend,
    guard: DatabaseGuard,
}

impl TestDatabase {
    /// Connects to the database at `url`, which `guard` keeps.
    pub(crate) async fn open(backend: Backend, url: String, guard: DatabaseGuard) -> Self {
        let (owner, runtime) = match backend {
            Backend::Sqlite => {
                let db = connect(&format!("{url}?mode=rwc"), 1).await;
                db.execute_unprepared("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")
                    .await
                    .expect("SQLite pragmas");
                (db.clone(), db)
            }
            Backend::Postgres => {
                let owner = connect(&url, 4).await;
                // On a fresh cluster the role exists only once a first migration ran.
                owner
                    .execute_unprepared(&migrations::create_runtime_role())
                    .await
                    .expect("the runtime role exists");
                (owner, connect(&migrations::runtime_url(&url), 16).await)
            }
        };
        TestDatabase {
            owner,
            runtime,
            url,
            backend,
            guard,
        }
    }

    /// The folder of files that belongs with this database (see `DatabaseGuard::files`).
    pub fn files(&self) -> PathBuf {
        self.guard.files()
    }

    /// Closes both connections (a template must have none left before it is copied).
    pub(crate) async fn close(self) -> DatabaseGuard {
        self.owner.close().await.ok();
        self.runtime.close().await.ok();
        self.guard
    }
}

pub(crate) async fn connect(url: &str, max_connections: u32) -> DatabaseConnection {
    let mut options = sea_orm::ConnectOptions::new(url);
    options
        .max_connections(max_connections)
        .min_connections(0)
        .sqlx_logging(false);
    Database::connect(options)
        .await
        .expect("the test database accepts connections")
}

/// Drops `database`, ending whatever sessions it still has; waits for it (call it on a
/// thread of its own).
pub(crate) fn drop_database(admin_url: &str, database: &str) {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    runtime.block_on(async {
        if let Ok(db) = sea_orm::Database::connect(admin_url).await {
            let sql = format!("DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
            let _ = db.execute_unprepared(&sql).await;
            db.close().await.ok();
        }
    });
}
