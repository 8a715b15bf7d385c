//! The balance cache: never older than the database, and never needed for a right answer.

use std::sync::Arc;

use accounts::Command;
use testkit::{Backend, postgres};

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

testkit::on_both_backends! {
    async fn with_redis_unreachable_every_read_is_still_right(backend: Backend) {
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

/// A relay to Redis that can be cut like a network partition: Redis keeps its data, the
/// replica behind the relay just cannot reach it.
struct Partition {
    url: String,
    cut: Arc<std::sync::atomic::AtomicBool>,
    kill: tokio::sync::broadcast::Sender<()>,
}

impl Partition {
    async fn to(redis_url: &str) -> Partition {
        let target = redis_url
            .trim_start_matches("redis://")
            .split('/')
            .next()
            .unwrap()
            .to_owned();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("redis://{}", listener.local_addr().unwrap());
        let cut = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (kill, _) = tokio::sync::broadcast::channel(4);
        let (relay_cut, relay_kill) = (Arc::clone(&cut), kill.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if relay_cut.load(std::sync::atomic::Ordering::SeqCst) {
                    continue; // dropped: the connection is refused
                }
                let (target, mut killed) = (target.clone(), relay_kill.subscribe());
                tokio::spawn(async move {
                    let mut outbound = tokio::net::TcpStream::connect(target).await.unwrap();
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = killed.recv() => {}
                    }
                });
            }
        });
        Partition { url, cut, kill }
    }

    fn cut(&self) {
        self.cut.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = self.kill.send(());
    }

    fn heal(&self) {
        self.cut.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

#[tokio::test]
async fn a_balance_redis_missed_during_a_partition_is_cleared_when_it_heals() {
    let Some(backend) = postgres() else { return };
    let world = World::new(backend).await;
    let family = world.family().await;
    let partition = Partition::to(&backend.redis_url().unwrap()).await;
    let (cut_off, other) = (
        world.engine_with_redis(Some(&partition.url)),
        world.engine(),
    );
    let top_up = |n: u32| Command::TopUp {
        amount: money("5.00"),
        receipt_id: format!("rt-partition-{n}"),
        date: date("2026-10-01"),
    };
    let balance = async |engine: &accounts::AccountEngine| {
        engine.balance(&world.tenant, family.account).await.unwrap()
    };
    cut_off
        .execute(&world.tenant, family.account, top_up(1), "test")
        .await
        .unwrap();
    assert_eq!(balance(&other).await, money("5.00"));

    partition.cut();
    cut_off
        .execute(&world.tenant, family.account, top_up(2), "test")
        .await
        .unwrap();
    assert_eq!(balance(&cut_off).await, money("10.00"));
    // While the partition lasts, Redis still holds the older balance: the scenario is real.
    assert_eq!(balance(&other).await, money("5.00"));

    partition.heal();
    let started = std::time::Instant::now();
    loop {
        // Any read on the replica that missed the write repairs Redis once it answers.
        assert_eq!(balance(&cut_off).await, money("10.00"));
        if balance(&other).await == money("10.00") {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "Redis still holds the balance of before the partition"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
