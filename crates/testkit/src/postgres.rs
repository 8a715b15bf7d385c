//! PostgreSQL test databases: a template database migrated (and seeded) once per run, and
//! a database per test created from it (`CREATE DATABASE … TEMPLATE`), dropped afterwards.
//!
//! Every database is named after the one `MENSA_TEST_POSTGRES_URL` names (`<base>_<pid>_<n>`
//! for a test's, `<base>_tpl_<template>_<fingerprint>` for a template), so that a run's
//! databases are found by that prefix, and two runs on different bases never meet.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use crate::database::{connect, drop_database};
use crate::template::{Template, copy_tree, hash, once, store};
use crate::{Backend, DatabaseGuard};

/// An empty database of its own.
pub(crate) async fn fresh() -> (String, DatabaseGuard) {
    create("template0").await
}

/// A copy of `template`, built first if this run has not built it yet.
pub(crate) async fn clone(template: &Template) -> (String, DatabaseGuard) {
    let name = ensure(template).await;
    let (url, guard) = create(&name).await;
    copy_tree(&store().join(format!("pg-{name}")), &guard.files()).expect("its files are copied");
    (url, guard)
}

async fn create(template: &str) -> (String, DatabaseGuard) {
    let admin_url = crate::postgres_admin_url().expect("MENSA_TEST_POSTGRES_URL is set");
    let admin = connect(&admin_url, 1).await;
    sweep(&admin, &admin_url).await;
    let name = crate::unique_name(&prefix(&admin_url));
    let sql = format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
    let mut attempts = 0;
    // An autovacuum worker visiting the template makes PostgreSQL refuse to copy it.
    while let Err(error) = admin.execute_unprepared(&sql).await {
        attempts += 1;
        assert!(attempts < 20, "cannot create a test database: {error}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    admin.close().await.ok();
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir_all(dir.path().join("files")).expect("a folder for files");
    let url = with_database(&admin_url, &name);
    (url, DatabaseGuard::new(dir, Some((admin_url, name))))
}

/// The template's database name, once it exists and is complete.
///
/// Test programs of one run build it at most once between them: under an advisory lock,
/// as `<name>_new`, renamed to its name only when migrated, seeded and left by every
/// connection; whoever finds the name can copy it.
async fn ensure(template: &Template) -> String {
    let admin_url = crate::postgres_admin_url().expect("MENSA_TEST_POSTGRES_URL is set");
    let name = format!("{}_tpl_{}", prefix(&admin_url), template.key());
    let key = name.clone();
    once(format!("pg-{name}"), || async move {
        let admin = connect(&admin_url, 1).await;
        if !published(&admin, &key).await {
            let lock = i64::from_ne_bytes(hash(&key).to_ne_bytes());
            execute(&admin, &format!("SELECT pg_advisory_lock({lock})")).await;
            if !published(&admin, &key).await {
                build(&admin, &admin_url, &key, template).await;
            }
            execute(&admin, &format!("SELECT pg_advisory_unlock({lock})")).await;
        }
        admin.close().await.ok();
    })
    .await;
    name
}

async fn published(admin: &DatabaseConnection, name: &str) -> bool {
    store().join(format!("pg-{name}")).exists() && databases(admin).await.iter().any(|d| d == name)
}

async fn build(admin: &DatabaseConnection, admin_url: &str, name: &str, template: &Template) {
    let building = format!("{name}_new");
    // Left by a run that stopped half-way, or without its files: start again.
    execute(
        admin,
        &format!("DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)"),
    )
    .await;
    execute(
        admin,
        &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
    )
    .await;
    execute(
        admin,
        &format!("CREATE DATABASE \"{building}\" TEMPLATE template0"),
    )
    .await;

    let url = with_database(admin_url, &building);
    let db = crate::template::build(Backend::Postgres, template, |_| url).await;
    let built = db.close().await.keep();

    let files = store().join(format!("pg-{name}"));
    std::fs::remove_dir_all(&files).ok();
    std::fs::rename(built.join("files"), &files).expect("the template's files are kept");
    std::fs::remove_dir_all(built).ok();
    // Nobody may be connected to a template while it is copied: an initializer may have
    // left a pool behind.
    let terminate = format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = '{building}' AND pid <> pg_backend_pid()"
    );
    let rename = format!("ALTER DATABASE \"{building}\" RENAME TO \"{name}\"");
    let mut attempts = 0;
    loop {
        execute(admin, &terminate).await;
        match admin.execute_unprepared(&rename).await {
            Ok(_) => break,
            Err(error) => {
                attempts += 1;
                assert!(attempts < 50, "cannot publish the template {name}: {error}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    }

    // Templates of earlier builds are of no more use.
    let stale_prefix = format!("{}_tpl_", prefix(admin_url));
    for stale in databases(admin).await {
        if template.is_stale(&stale, &stale_prefix) {
            std::fs::remove_dir_all(store().join(format!("pg-{stale}"))).ok();
            let admin_url = admin_url.to_owned();
            std::thread::spawn(move || drop_database(&admin_url, &stale));
        }
    }
}

/// Drops the test databases of test programs that are no longer running (a drop the end
/// of a process cut short), once per process.
async fn sweep(admin: &DatabaseConnection, admin_url: &str) {
    once("pg-sweep".to_owned(), || async {
        let own = format!("{}_", prefix(admin_url));
        for database in databases(admin).await {
            // `unique_name`'s pid_counter_nanos, and nothing else.
            let Some(rest) = database.strip_prefix(&own) else {
                continue;
            };
            let numbers: Vec<u32> = rest
                .split('_')
                .map(str::parse)
                .collect::<Result<_, _>>()
                .unwrap_or_default();
            let &[pid, _, _] = numbers.as_slice() else {
                continue;
            };
            let alive = std::path::Path::new(&format!("/proc/{pid}")).exists();
            if pid != std::process::id() && !alive {
                let admin_url = admin_url.to_owned();
                std::thread::spawn(move || drop_database(&admin_url, &database));
            }
        }
    })
    .await;
}

async fn databases(admin: &DatabaseConnection) -> Vec<String> {
    let statement = Statement::from_string(
        DbBackend::Postgres,
        "SELECT datname::text FROM pg_database".to_owned(),
    );
    admin
        .query_all_raw(statement)
        .await
        .expect("PostgreSQL lists its databases")
        .iter()
        .filter_map(|row| row.try_get_by_index::<String>(0).ok())
        .collect()
}

async fn execute(admin: &DatabaseConnection, sql: &str) {
    if let Err(error) = admin.execute_unprepared(sql).await {
        panic!("{sql}: {error}");
    }
}

/// What the test databases' names start with: the base database's name, short enough
/// that theirs stay under PostgreSQL's 63 characters.
fn prefix(admin_url: &str) -> String {
    let (_, database, _) = split(admin_url);
    database.chars().take(24).collect()
}

/// `admin_url` with another database.
fn with_database(admin_url: &str, database: &str) -> String {
    let (server, _, query) = split(admin_url);
    format!("{server}/{database}{query}")
}

/// (`postgres://user@host:port`, database, `?query` or "").
fn split(url: &str) -> (&str, &str, &str) {
    let (main, query) = url.find('?').map_or((url, ""), |at| url.split_at(at));
    let (server, database) = main
        .rsplit_once('/')
        .expect("MENSA_TEST_POSTGRES_URL names a database");
    (server, database, query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_database_keeps_the_server_and_the_options() {
        assert_eq!(
            with_database("postgres://u@h:5432/base?sslmode=disable", "base_1_2"),
            "postgres://u@h:5432/base_1_2?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://u@h/base", "x"),
            "postgres://u@h/x"
        );
        assert_eq!(prefix("postgres://u@h/mensa_test_123"), "mensa_test_123");
    }
}
