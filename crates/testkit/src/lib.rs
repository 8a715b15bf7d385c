//! Test support shared by the crates' integration tests: a database of its own for each
//! test, on the embedded SQLite default or on a real PostgreSQL, cloned from a template
//! that is migrated (and, if asked, seeded) once per run; the Redis to use next to it; and
//! `on_both_backends!`, which turns one test body into a test per backend.
//!
//! PostgreSQL runs need `MENSA_TEST_POSTGRES_URL` (and `MENSA_TEST_REDIS_URL`), which
//! `scripts/test` sets; without them those runs are skipped with a note on stderr, or fail
//! when `MENSA_TEST_REQUIRE_TOOLS=1` says everything must run.
#![allow(clippy::expect_used, clippy::panic)]

mod database;
mod postgres;
mod sqlite;
mod template;
mod world;

use std::sync::atomic::{AtomicU32, Ordering};

pub use database::{DatabaseGuard, TestDatabase};
pub use template::{InitFuture, Initializer, Template};
pub use world::{Guardian, World, WorldBuilder, fiscal_code};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default: a SQLite file and the in-process cache.
    Sqlite,
    /// PostgreSQL (a database of its own per test) and Redis.
    Postgres,
}

/// PostgreSQL, for a test that runs there; `None` (with a note) when not configured. Under
/// `MENSA_TEST_REQUIRE_TOOLS=1` a missing PostgreSQL fails the test instead.
pub fn postgres() -> Option<Backend> {
    if postgres_admin_url().is_some() {
        return Some(Backend::Postgres);
    }
    if std::env::var("MENSA_TEST_REQUIRE_TOOLS").is_ok_and(|value| value == "1") {
        panic!("MENSA_TEST_REQUIRE_TOOLS=1 but MENSA_TEST_POSTGRES_URL is not set");
    }
    eprintln!(
        "skipped: this test needs PostgreSQL; set MENSA_TEST_POSTGRES_URL (scripts/test does)"
    );
    None
}

/// The PostgreSQL database the tests connect to in order to create their own; every test
/// database is named after it, so a run's leftovers are easy to find.
pub fn postgres_admin_url() -> Option<String> {
    std::env::var("MENSA_TEST_POSTGRES_URL")
        .ok()
        .filter(|url| !url.is_empty())
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

    /// An empty database nobody else uses (for a test of the migrations themselves).
    pub async fn fresh_database(self) -> (String, DatabaseGuard) {
        match self {
            Backend::Sqlite => sqlite::fresh(),
            Backend::Postgres => postgres::fresh().await,
        }
    }

    /// A database of its own, copied from `template` (built first if this run has not yet).
    pub async fn clone_database(self, template: &Template) -> (String, DatabaseGuard) {
        match self {
            Backend::Sqlite => sqlite::clone(template).await,
            Backend::Postgres => postgres::clone(template).await,
        }
    }

    /// A database of its own, copied from `template`, with its connections open.
    pub async fn cloned(self, template: &Template) -> TestDatabase {
        let (url, guard) = self.clone_database(template).await;
        TestDatabase::open(self, url, guard).await
    }

    /// A migrated, empty database of its own.
    pub async fn migrated(self) -> TestDatabase {
        self.cloned(&Template::MIGRATED).await
    }
}

/// A name no other test (in this run or a parallel one) uses: for cache prefixes and files.
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

/// One test body, two tests: `name::sqlite` and `name::postgres`, so a failure names its
/// backend and the two run in parallel. The PostgreSQL one is skipped (with a note) when
/// `MENSA_TEST_POSTGRES_URL` is unset, and fails then under `MENSA_TEST_REQUIRE_TOOLS=1`.
///
/// ```text
/// testkit::on_both_backends! {
///     /// What the test shows.
///     async fn balances_add_up(backend: Backend) {
///         let db = backend.migrated().await;
///         // ...
///     }
/// }
/// ```
///
/// The body sees everything its module imports (`use super::*`). A `#[tokio::test(…)]`
/// written first sets the runtime of both tests; a plain `fn` makes two `#[test]`s.
#[macro_export]
macro_rules! on_both_backends {
    (
        #[tokio::test($($args:tt)*)]
        $(#[$attr:meta])* async fn $name:ident($backend:ident: $ty:ty) $body:block
    ) => {
        $crate::on_both_backends!(@tests [::tokio::test($($args)*)] [async] [.await]
            $(#[$attr])* $name $backend $ty $body);
    };
    ($(#[$attr:meta])* async fn $name:ident($backend:ident: $ty:ty) $body:block) => {
        $crate::on_both_backends!(@tests [::tokio::test] [async] [.await]
            $(#[$attr])* $name $backend $ty $body);
    };
    ($(#[$attr:meta])* fn $name:ident($backend:ident: $ty:ty) $body:block) => {
        $crate::on_both_backends!(@tests [test] [] [] $(#[$attr])* $name $backend $ty $body);
    };
    (
        @tests [$($test:tt)*] [$($async:tt)?] [$($await:tt)*]
        $(#[$attr:meta])* $name:ident $backend:ident $ty:ty $body:block
    ) => {
        $(#[$attr])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $($async)? fn case($backend: $ty) $body

            #[$($test)*]
            $($async)? fn sqlite() {
                case($crate::Backend::Sqlite)$($await)*;
            }

            #[$($test)*]
            $($async)? fn postgres() {
                if let Some(backend) = $crate::postgres() {
                    case(backend)$($await)*;
                }
            }
        }
    };
}
