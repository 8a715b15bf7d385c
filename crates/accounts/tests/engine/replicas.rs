//! Two replicas writing the same family at once lose no update.

use std::sync::Arc;

use accounts::{Command, IdempotencyKey};
use chrono::Days;
use money::Money;
use testkit::postgres;

use crate::support::{World, date};

const TASKS: usize = 64;
const COMMANDS: usize = 100;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_writing_one_family_lose_no_update() {
    let Some(backend) = postgres() else { return };
    let world = Arc::new(World::new(backend).await);
    let family = Arc::new(world.family().await);
    let replicas = Arc::new([world.engine(), world.engine()]);
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..TASKS {
        let (world, family, replicas) = (
            Arc::clone(&world),
            Arc::clone(&family),
            Arc::clone(&replicas),
        );
        tasks.spawn(async move {
            let mut sent: Vec<Command> = Vec::new();
            for n in 0..COMMANDS {
                let unique = task * COMMANDS + n;
                let command = match n % 4 {
                    0 => Command::TopUp {
                        amount: Money::from_cents(1_000).unwrap(),
                        receipt_id: format!("rt-{unique}"),
                        date: date("2026-10-01"),
                    },
                    1 => Command::Adjustment {
                        amount: Money::from_cents(-25).unwrap(),
                        reason: "prova".into(),
                        date: date("2026-10-01"),
                        key: IdempotencyKey::client(&format!("adj-{unique}")).unwrap(),
                    },
                    2 => Command::Meal {
                        student: family.students[task % 2],
                        date: date("2026-09-01")
                            .checked_add_days(Days::new(
                                u64::try_from(task * COMMANDS + n).unwrap(),
                            ))
                            .unwrap(),
                        force: true,
                    },
                    // Every fourth command repeats an earlier one, on the other replica.
                    _ => sent[n - 3].clone(),
                };
                let replica = &replicas[(task + n) % 2];
                let posted = replica
                    .execute(
                        &world.tenant,
                        family.account,
                        command.clone(),
                        "replica-test",
                    )
                    .await
                    .unwrap();
                assert_eq!(posted.repeated, n % 4 == 3, "command {n} of task {task}");
                sent.push(command);
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    // Per task: 25 top-ups of 10.00, 25 adjustments of -0.25, 25 meals at 4.00 or 5.50.
    let per_task = |price: i64| 25 * (1_000 - 25 - price);
    let expected: i64 = (0..TASKS)
        .map(|task| per_task(if task % 2 == 0 { 400 } else { 550 }))
        .sum();
    let (balance, sum, rows) = world.books(family.account).await;
    assert_eq!(balance.cents(), expected);
    assert_eq!(sum, balance);
    assert_eq!(rows, u64::try_from(TASKS * 75).unwrap());
    for replica in replicas.iter() {
        assert_eq!(
            replica
                .balance(&world.tenant, family.account)
                .await
                .unwrap(),
            balance
        );
    }
}
