//! The demo is created once, through the ledger, and seeding again changes nothing.

use accounts::entity::family_account;
use money::Money;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use tenancy::TenantSlug;

use crate::support::{Backend, SAN_CASCIANO, TestApp};

testkit::on_both_backends! {
    async fn the_demo_is_created_once_and_seeding_again_changes_nothing(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let rows_before = accounts::entity::ledger_entry::Entity::find()
            .count(&admin_view(&app).await)
            .await
            .unwrap();
        assert!(rows_before > 0);

        let again = demo::seed(&app.state.app).await.unwrap();
        assert_eq!(again.comuni_created, 0, "{backend:?}");
        assert_eq!(again.movements_posted, 0, "{backend:?}");
        assert_eq!(
            again.movements_already_there,
            usize::try_from(rows_before).unwrap(),
            "{backend:?}"
        );

        let rows_after = accounts::entity::ledger_entry::Entity::find()
            .count(&admin_view(&app).await)
            .await
            .unwrap();
        assert_eq!(rows_before, rows_after, "{backend:?}");
    }
}

testkit::on_both_backends! {
    async fn every_demo_balance_equals_the_sum_of_its_rows(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        for tenant in app.state.app.tenants.all().await.unwrap() {
            let txn = tenancy::scope::begin(&app.state.app.db, tenant.id)
                .await
                .unwrap();
            let accounts = family_account::Entity::find()
                .filter(family_account::Column::TenantId.eq(tenant.id.get()))
                .all(&txn)
                .await
                .unwrap();
            assert!(!accounts.is_empty());
            for row in accounts {
                let id = accounts::AccountId::new(row.id);
                let balance = accounts::balance(&txn, tenant.id, id).await.unwrap();
                let sum = accounts::ledger_sum(&txn, tenant.id, id).await.unwrap();
                assert_eq!(balance, sum, "{backend:?} account {id}");
            }
        }
    }
}

#[tokio::test]
async fn the_san_casciano_parent_has_two_children_a_month_of_meals_and_credits() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let tenant = app
        .state
        .app
        .tenants
        .by_slug(&TenantSlug::parse(SAN_CASCIANO).unwrap())
        .await
        .unwrap()
        .unwrap();
    let txn = tenancy::scope::begin(&app.state.app.db, tenant.id)
        .await
        .unwrap();
    let parent = registry::guardian_by_username(&txn, tenant.id, "genitore")
        .await
        .unwrap()
        .unwrap();
    let children = registry::students_of(&txn, tenant.id, parent.id)
        .await
        .unwrap();
    assert_eq!(children.len(), 2);
    let account = accounts::account_of_guardian(&txn, tenant.id, parent.id)
        .await
        .unwrap()
        .unwrap();
    // 150.00 top-up + 21.00 vouchers - 22 meals at 3.50 (Luca, every weekday of October 2026)
    // - 13 meals at 5.20 (Sofia, Monday, Wednesday and Thursday).
    let expected: Money = "26.40".parse().unwrap();
    assert_eq!(
        accounts::balance(&txn, tenant.id, account).await.unwrap(),
        expected
    );
    let (movements, _) = accounts::entries(
        &txn,
        tenant.id,
        account,
        &accounts::EntryFilter::default(),
        100,
    )
    .await
    .unwrap();
    let kinds: std::collections::HashSet<_> = movements.iter().map(|m| m.kind).collect();
    assert!(kinds.contains(&accounts::MovementKind::TopUp));
    assert!(kinds.contains(&accounts::MovementKind::VoucherRecovery));
    assert!(kinds.contains(&accounts::MovementKind::Meal));
    assert_eq!(movements.len(), 2 + 22 + 13);
}

/// A connection that sees every comune's rows: the SQLite file itself, or the schema's
/// owner on PostgreSQL (the runtime role only sees the comune of its transaction).
async fn admin_view(app: &TestApp) -> sea_orm::DatabaseConnection {
    if app.database_url.starts_with("sqlite") {
        app.state.app.db.clone()
    } else {
        sea_orm::Database::connect(&app.database_url).await.unwrap()
    }
}
