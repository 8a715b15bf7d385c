//! SQLite test databases: the template is a migrated file, each test gets a copy of it.

use std::path::{Path, PathBuf};

use sea_orm::ConnectionTrait;

use crate::template::{Template, copy_tree, once, store};
use crate::{Backend, DatabaseGuard};

const FILE: &str = "mensa.sqlite";

/// A folder for a database file not yet created (the first connection creates it).
pub(crate) fn fresh() -> (String, DatabaseGuard) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir_all(dir.path().join("files")).expect("a folder for files");
    (url(dir.path()), DatabaseGuard::new(dir, None))
}

pub(crate) async fn clone(template: &Template) -> (String, DatabaseGuard) {
    let source = ensure(template).await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::copy(source.join(FILE), dir.path().join(FILE)).expect("the template is copied");
    copy_tree(&source.join("files"), &dir.path().join("files")).expect("its files are copied");
    (url(dir.path()), DatabaseGuard::new(dir, None))
}

fn url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join(FILE).display())
}

/// The template's folder, built by the first test of the run that asks for it (in this
/// process or another: a finished template is a folder renamed into place at once).
async fn ensure(template: &Template) -> PathBuf {
    let name = format!("sqlite-{}", template.key());
    let path = store().join(&name);
    let target = path.clone();
    once(name, || async move {
        if !target.exists() {
            build(template, &target).await;
        }
    })
    .await;
    path
}

async fn build(template: &Template, target: &Path) {
    let db = crate::template::build(Backend::Sqlite, template, url).await;
    // Everything into the main file, so that copying that file copies the database.
    db.owner
        .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
        .await
        .expect("the template's journal is written back");
    let built = db.close().await.keep();
    if std::fs::rename(&built, target).is_err() {
        // Another test program finished the same template first: use that one.
        assert!(target.exists(), "cannot publish the template {target:?}");
        std::fs::remove_dir_all(&built).ok();
    }
    // Templates of earlier builds are of no more use.
    for entry in std::fs::read_dir(store()).into_iter().flatten().flatten() {
        if template.is_stale(&entry.file_name().to_string_lossy(), "sqlite-") {
            std::fs::remove_dir_all(entry.path()).ok();
        }
    }
}
