//! The balance cache: never older than the database, and never needed for a right answer.

use std::sync::Arc;

use accounts::Command;
use testkit::{backends, postgres};

use crate::support::{World, date, money};

#[tokio::test]
async fn concurrent_writers_on_two_replicas_never_leave_an_older_balance_cached() {
    let Some(backend) = postgres() else { return };
    let world = Arc::new(World::new(backend).await);
    let family = world.family().await;
    let replicas = [world.engine(), world.engine()];
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..16 {
        let engine = replicas[task % 2].clone();
        let (world, account) = (Arc::clone(&world), family.account);
        tasks.spawn(async move {
            for n in 0..20 {
                let command = Command::TopUp {
                    amount: money("1.00"),
                    receipt_id: format!("rt-{task}-{n}"),
                    date: date("2026-10-01"),
                };
                engine
                    .execute(&world.tenant, account, command, "test")
                    .await
                    .unwrap();
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    let (balance, sum, rows) = world.books(family.account).await;
    assert_eq!(
        (balance, sum, rows),
        (money("320.00"), money("320.00"), 320)
    );
    // What a third replica reads through Redis is the committed balance, not an older one.
    let reader = world.engine();
    let cached = reader
        .cache()
        .get(world.tenant.id, family.account)
        .await
        .expect("the writers cached the balance");
    assert_eq!(cached.balance, balance);
    assert_eq!(
        reader.balance(&world.tenant, family.account).await.unwrap(),
        balance
    );
}

#[tokio::test]
async fn with_redis_unreachable_every_read_is_still_right() {
    for backend in backends() {
        let world = World::new(backend).await;
        let family = world.family().await;
        // Port 1: connection refused at once, as when Redis is down.
        let engine = world.engine_with_redis(Some("redis://127.0.0.1:1"));
        for n in 1..=5 {
            let command = Command::TopUp {
                amount: money("2.00"),
                receipt_id: format!("rt-{n}"),
                date: date("2026-10-01"),
            };
            let posted = engine
                .execute(&world.tenant, family.account, command, "test")
                .await
                .unwrap();
            assert_eq!(posted.balance.cents(), 200 * n);
        }
        // A replica with no live actor for this family must go to the database.
        let other = world.engine_with_redis(Some("redis://127.0.0.1:1"));
        for _ in 0..3 {
            assert_eq!(
                other.balance(&world.tenant, family.account).await.unwrap(),
                money("10.00"),
                "{backend:?}"
            );
        }
        assert!(
            other.cache().stats().fallbacks > 0,
            "the fallbacks are counted"
        );
        assert!(!other.cache().ping().await);
    }
}

#[tokio::test]
async fn a_replica_keeps_a_copy_of_a_balance_until_another_replica_changes_it() {
    let Some(backend) = postgres() else { return };
    let world = World::new(backend).await;
    let family = world.family().await;
    let (writer, reader) = (world.engine(), world.engine());
    let top_up = |n: u32| Command::TopUp {
        amount: money("5.00"),
        receipt_id: format!("rt-near-{n}"),
        date: date("2026-10-01"),
    };
    writer
        .execute(&world.tenant, family.account, top_up(1), "test")
        .await
        .unwrap();
    for _ in 0..3 {
        assert_eq!(
            reader.balance(&world.tenant, family.account).await.unwrap(),
            money("5.00")
        );
    }
    let near_hits = reader.cache().stats().near_hits;
    assert!(
        near_hits >= 1,
        "repeated reads of an unchanged balance stay in the process"
    );

    writer
        .execute(&world.tenant, family.account, top_up(2), "test")
        .await
        .unwrap();
    // Redis pushes the invalidation to the reader's connection as the writer changes the
    // key; the copy would otherwise live for seconds.
    let started = std::time::Instant::now();
    while reader.balance(&world.tenant, family.account).await.unwrap() != money("10.00") {
        assert!(
            started.elapsed() < std::time::Duration::from_millis(500),
            "the reader still answers the old balance"
        );
        tokio::task::yield_now().await;
    }
}
