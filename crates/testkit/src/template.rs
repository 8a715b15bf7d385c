//! What a test database starts from: the migrated schema, and optionally what an
//! initializer adds to it (the demo comuni, say). Each template is built once per run and
//! then copied for every test, which is far cheaper than migrating and seeding each one.
//!
//! A template's name carries a fingerprint of what built it (the migrations' source, and
//! the test program for an initializer), so a changed schema or seed never reuses a stale
//! copy left by an earlier run.

use std::collections::HashMap;
use std::future::Future;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use crate::{Backend, DatabaseGuard, TestDatabase};

/// What an initializer returns: its work, borrowing the database it fills.
pub type InitFuture<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

/// Fills a freshly migrated template through its owner connection (or its URL); the files
/// it writes under `TestDatabase::files` are copied along with the database.
pub type Initializer = for<'a> fn(&'a TestDatabase) -> InitFuture<'a>;

#[derive(Clone, Copy)]
pub struct Template {
    name: &'static str,
    init: Option<Initializer>,
}

impl std::fmt::Debug for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Template")
            .field("name", &self.name)
            .finish()
    }
}

impl Template {
    /// The migrated schema and nothing else.
    pub const MIGRATED: Template = Template {
        name: "migrated",
        init: None,
    };

    /// The migrated schema filled by `init`; `name` (short, lowercase) tells templates apart.
    pub const fn seeded(name: &'static str, init: Initializer) -> Template {
        Template {
            name,
            init: Some(init),
        }
    }

    pub(crate) fn init(&self) -> Option<Initializer> {
        self.init
    }

    /// Whether `stored` (`prefix` then a key) is this template as an earlier build made it.
    pub(crate) fn is_stale(&self, stored: &str, prefix: &str) -> bool {
        stored
            .strip_prefix(prefix)
            .and_then(|key| key.strip_prefix(self.name))
            .and_then(|rest| rest.strip_prefix('_'))
            .is_some_and(|fingerprint| {
                fingerprint.len() == 12
                    && fingerprint.chars().all(|c| c.is_ascii_hexdigit())
                    && stored != format!("{prefix}{}", self.key())
            })
    }

    /// `name_fingerprint`: what a template is stored as, here and in PostgreSQL.
    pub(crate) fn key(&self) -> String {
        static MIGRATIONS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
        let mut hasher = DefaultHasher::new();
        MIGRATIONS
            .get_or_init(|| hash(&migrations_source()))
            .hash(&mut hasher);
        if self.init.is_some() {
            // The initializer is code of the test program: a rebuilt program may seed
            // differently, so it gets a template of its own.
            test_program().hash(&mut hasher);
        }
        format!("{}_{:012x}", self.name, hasher.finish() & 0xffff_ffff_ffff)
    }
}

pub(crate) fn hash(value: &impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Runs `build` once per process for `key`; later callers wait for the first and reuse it.
/// A build that panics leaves the key unbuilt, so the next test tries again.
pub(crate) async fn once<F, Fut>(key: String, build: F)
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = ()>,
{
    static BUILT: Mutex<Option<HashMap<String, Arc<OnceCell<()>>>>> = Mutex::new(None);
    let cell = {
        let mut built = BUILT
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(
            built
                .get_or_insert_with(HashMap::new)
                .entry(key)
                .or_default(),
        )
    };
    cell.get_or_init(build).await;
}

/// Where templates (SQLite files, the files beside a PostgreSQL template) are kept between
/// the test programs of a run.
pub(crate) fn store() -> PathBuf {
    std::env::temp_dir().join("mensa-testkit")
}

/// The migrations' source files, read where the workspace keeps them.
fn migrations_source() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/src");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the migrations' source is beside testkit")
        .filter_map(Result::ok)
        .map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(entry.path()).unwrap_or_default())
        })
        .collect();
    files.sort();
    files
}

/// The running test program, as its path, size and modification time.
fn test_program() -> Option<(PathBuf, u64, std::time::SystemTime)> {
    let exe = std::env::current_exe().ok()?;
    let metadata = std::fs::metadata(&exe).ok()?;
    Some((exe, metadata.len(), metadata.modified().ok()?))
}

/// A template being built: a folder under `store()` for its files (and its SQLite file),
/// the database at `url_in(folder)` migrated and filled by the initializer.
pub(crate) async fn build(
    backend: Backend,
    template: &Template,
    url_in: impl FnOnce(&Path) -> String,
) -> TestDatabase {
    std::fs::create_dir_all(store()).expect("a folder for templates");
    let dir = tempfile::Builder::new()
        .prefix("building-")
        .tempdir_in(store())
        .expect("a temporary folder");
    std::fs::create_dir_all(dir.path().join("files")).expect("a folder for files");
    let url = url_in(dir.path());
    let db = TestDatabase::open(backend, url, DatabaseGuard::new(dir, None)).await;
    // On PostgreSQL this also creates the cluster-wide runtime role and grants it what it
    // needs in this database; the grants are copied with the database.
    migrations::migrate(&db.owner)
        .await
        .expect("migrations apply");
    if let Some(init) = template.init() {
        init(&db).await;
    }
    db
}

/// Copies the folder `from` into `to` (created), with everything under it.
pub(crate) fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
