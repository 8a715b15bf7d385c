//! `kill -9` during a load of postings: after a restart and client retries under the same
//! keys, every acknowledged posting is present exactly once and the balance is the sum.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use testkit::Backend;

use crate::support::World;

const POSTINGS: u32 = 2_000;

fn worker() -> PathBuf {
    // Integration tests run from target/<profile>/deps; cargo builds examples next door.
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    profile_dir.join("examples").join("crash_worker")
}

fn run_worker(url: &str, account: i64, kill_after: Option<usize>) -> HashSet<u32> {
    let mut child = Command::new(worker())
        .args([
            url,
            "prova",
            &account.to_string(),
            "0",
            &POSTINGS.to_string(),
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the crash worker example is built by cargo test");
    let mut acked = HashSet::new();
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines {
        let line = line.unwrap();
        if let Some(n) = line.strip_prefix("ack ") {
            acked.insert(n.parse().unwrap());
        }
        if kill_after.is_some_and(|limit| acked.len() >= limit) {
            child.kill().unwrap(); // SIGKILL: no destructor, no flush, no goodbye.
            break;
        }
    }
    child.wait().unwrap();
    acked
}

testkit::on_both_backends! {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_killed_process_loses_no_acknowledged_posting(backend: Backend) {
        let world = World::new(backend).await;
        let family = world.family().await;
        let url = match backend {
            testkit::Backend::Sqlite => format!("{}?mode=rwc", world.db.url),
            testkit::Backend::Postgres => migrations::runtime_url(&world.db.url),
        };
        let (url_a, account) = (url.clone(), family.account.get());
        let acked_before_kill =
            tokio::task::spawn_blocking(move || run_worker(&url_a, account, Some(300)))
                .await
                .unwrap();
        assert!(
            acked_before_kill.len() >= 300,
            "the worker stopped early: run `cargo test -p accounts`, which builds the crash_worker example"
        );
        let acked_after = tokio::task::spawn_blocking(move || run_worker(&url, account, None))
            .await
            .unwrap();
        assert_eq!(
            acked_after.len(),
            usize::try_from(POSTINGS).unwrap(),
            "{backend:?}: the retry acknowledges everything"
        );

        let keys = world
            .db
            .owner
            .query_all_raw(Statement::from_string(
                world.db.owner.get_database_backend(),
                "SELECT idempotency_key, COUNT(*) FROM ledger_entries GROUP BY idempotency_key"
                    .to_owned(),
            ))
            .await
            .unwrap();
        assert_eq!(keys.len(), usize::try_from(POSTINGS).unwrap());
        for row in keys {
            assert_eq!(
                row.try_get_by_index::<i64>(1).unwrap(),
                1,
                "each posting exactly once"
            );
        }
        for n in &acked_before_kill {
            let key = format!("receipt:crash-{n}");
            let found = world
                .db
                .owner
                .query_one_raw(Statement::from_sql_and_values(
                    world.db.owner.get_database_backend(),
                    if world.db.owner.get_database_backend() == DbBackend::Postgres {
                        "SELECT COUNT(*) FROM ledger_entries WHERE idempotency_key = $1"
                    } else {
                        "SELECT COUNT(*) FROM ledger_entries WHERE idempotency_key = ?"
                    },
                    [key.into()],
                ))
                .await
                .unwrap()
                .unwrap();
            assert_eq!(found.try_get_by_index::<i64>(0).unwrap(), 1);
        }
        let (balance, sum, rows) = world.books(family.account).await;
        assert_eq!(balance.cents(), i64::from(POSTINGS) * 100);
        assert_eq!((sum, rows), (balance, u64::from(POSTINGS)));
    }
}
