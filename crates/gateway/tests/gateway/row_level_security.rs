//! On PostgreSQL the database itself keeps comuni apart, behind the query filters.

use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use tenancy::TenantSlug;

use crate::support::{Backend, GREVE, SAN_CASCIANO, TestApp, postgres_admin_url};

async fn count(db: &impl ConnectionTrait, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql.to_owned()))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

#[tokio::test]
async fn a_query_without_a_tenant_filter_still_sees_only_its_comune() {
    if postgres_admin_url().is_none() {
        eprintln!(
            "skipped: row-level security exists only on PostgreSQL; set MENSA_TEST_POSTGRES_URL"
        );
        return;
    }
    let app = TestApp::spawn(Backend::Postgres).await;
    let slug = |s: &str| TenantSlug::parse(s).unwrap();
    let san_casciano = app
        .state
        .app
        .tenants
        .by_slug(&slug(SAN_CASCIANO))
        .await
        .unwrap()
        .unwrap();
    let greve = app
        .state
        .app
        .tenants
        .by_slug(&slug(GREVE))
        .await
        .unwrap()
        .unwrap();

    // The schema's owner sees every comune's students...
    let owner = Database::connect(&app.database_url).await.unwrap();
    assert_eq!(count(&owner, "SELECT count(*) FROM students").await, 5);

    // ...the gateway's role sees none outside a comune's transaction...
    let runtime = &app.state.app.db;
    assert_eq!(count(runtime, "SELECT count(*) FROM students").await, 0);
    assert_eq!(
        count(runtime, "SELECT count(*) FROM ledger_entries").await,
        0
    );

    // ...and only its own comune's inside one, though the query has no tenant filter.
    let txn = tenancy::scope::begin(runtime, san_casciano.id)
        .await
        .unwrap();
    assert_eq!(count(&txn, "SELECT count(*) FROM students").await, 3);
    let foreign = format!(
        "SELECT count(*) FROM ledger_entries WHERE tenant_id <> {}",
        san_casciano.id
    );
    assert_eq!(count(&txn, &foreign).await, 0);
    assert!(count(&txn, "SELECT count(*) FROM ledger_entries").await > 0);

    // Writing a row for another comune is refused by the policy's check.
    let insert = format!(
        "INSERT INTO schools (tenant_id, name, address) VALUES ({}, 'x', 'y')",
        greve.id
    );
    assert!(txn.execute_unprepared(&insert).await.is_err());
    txn.rollback().await.unwrap();

    // The ledger is append-only for the gateway: no update, no delete.
    for statement in [
        "UPDATE ledger_entries SET amount_cents = 0",
        "DELETE FROM ledger_entries",
    ] {
        let txn = tenancy::scope::begin(runtime, san_casciano.id)
            .await
            .unwrap();
        assert!(
            txn.execute_unprepared(statement).await.is_err(),
            "{statement}"
        );
        txn.rollback().await.unwrap();
    }

    // The role neither owns the tables nor bypasses RLS.
    let runtime_user = runtime
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT current_user::text, (SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user)".to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        runtime_user.try_get_by_index::<String>(0).unwrap(),
        migrations::RUNTIME_ROLE
    );
    assert!(!runtime_user.try_get_by_index::<bool>(1).unwrap());
    let owned = count(
        runtime,
        "SELECT count(*) FROM pg_tables WHERE tableowner = current_user",
    )
    .await;
    assert_eq!(owned, 0);
}
