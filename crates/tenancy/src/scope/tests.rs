#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr, Statement};

use super::{TENANT_SETTING, run};
use crate::TenantId;

/// An in-memory SQLite database on one connection (each connection would see its own).
async fn sqlite() -> DatabaseConnection {
    let mut options = ConnectOptions::new("sqlite::memory:");
    options.max_connections(1).sqlx_logging(false);
    let db = Database::connect(options).await.unwrap();
    db.execute_unprepared("CREATE TABLE notes (body TEXT NOT NULL)")
        .await
        .unwrap();
    db
}

async fn notes(db: &DatabaseConnection) -> Vec<String> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT body FROM notes ORDER BY body",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|row| row.try_get_by_index(0).unwrap())
        .collect()
}

async fn insert(txn: &sea_orm::DatabaseTransaction, body: &str) -> Result<(), DbErr> {
    txn.execute_unprepared(&format!("INSERT INTO notes (body) VALUES ('{body}')"))
        .await
        .map(|_| ())
}

#[derive(Debug, PartialEq)]
enum Failure {
    Refused,
    Database,
}

impl From<DbErr> for Failure {
    fn from(_: DbErr) -> Self {
        Failure::Database
    }
}

#[tokio::test]
async fn the_work_is_committed_when_it_succeeds() {
    let db = sqlite().await;
    let answer: Result<u32, Failure> = run(&db, TenantId::new(1), async |txn| {
        insert(txn, "kept").await?;
        Ok(42)
    })
    .await;
    assert_eq!(answer, Ok(42));
    assert_eq!(notes(&db).await, ["kept"]);
}

#[tokio::test]
async fn the_work_is_rolled_back_when_it_fails() {
    let db = sqlite().await;
    let answer: Result<(), Failure> = run(&db, TenantId::new(1), async |txn| {
        insert(txn, "dropped").await?;
        Err(Failure::Refused)
    })
    .await;
    assert_eq!(
        answer,
        Err(Failure::Refused),
        "the work's own error comes back"
    );
    assert!(notes(&db).await.is_empty());
}

/// The work borrows what its caller holds, and the whole runs on any tokio worker (an
/// actor, a request handler): its future is `Send`.
#[tokio::test]
async fn the_work_may_borrow_from_its_caller() {
    let db = sqlite().await;
    let task = tokio::spawn(async move {
        let body = String::from("borrowed");
        let body = body.as_str();
        run::<_, DbErr, _>(&db, TenantId::new(1), async |txn| insert(txn, body).await)
            .await
            .unwrap();
        notes(&db).await
    });
    assert_eq!(task.await.unwrap(), ["borrowed"]);
}

/// On PostgreSQL the comune is set inside the transaction, for that transaction only.
#[tokio::test]
async fn postgres_sees_the_comune_inside_the_transaction_only() {
    let Some(url) = std::env::var("MENSA_TEST_POSTGRES_URL")
        .ok()
        .filter(|url| !url.is_empty())
    else {
        eprintln!("skipped: this test needs PostgreSQL; set MENSA_TEST_POSTGRES_URL");
        return;
    };
    let mut options = ConnectOptions::new(url);
    options.max_connections(1).sqlx_logging(false);
    let db = Database::connect(options).await.unwrap();
    let sql = format!("SELECT coalesce(current_setting('{TENANT_SETTING}', true), '')");
    let inside = run::<_, DbErr, _>(&db, TenantId::new(4711), async |txn| text(txn, &sql).await)
        .await
        .unwrap();
    assert_eq!(inside, "4711");
    let sql = format!("SELECT coalesce(current_setting('{TENANT_SETTING}', true), '')");
    assert_eq!(
        text(&db, &sql).await.unwrap(),
        "",
        "the setting ends with the transaction"
    );
}

async fn text(conn: &impl ConnectionTrait, sql: &str) -> Result<String, DbErr> {
    let statement = Statement::from_string(conn.get_database_backend(), sql);
    let row = conn.query_one_raw(statement).await?;
    row.ok_or_else(|| DbErr::RecordNotFound(sql.to_owned()))?
        .try_get_by_index(0)
}
