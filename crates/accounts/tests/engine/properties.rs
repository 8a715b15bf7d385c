//! For random command sequences: the balance always equals the sum of the ledger rows,
//! and replaying any prefix of the commands changes nothing.

use accounts::{AccountEngine, Command, IdempotencyKey, Posted};
use chrono::Days;
use money::Money;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use testkit::Backend;

use crate::support::{Family, World, date};

#[derive(Clone, Debug)]
enum Op {
    TopUp {
        cents: i64,
        receipt: u8,
    },
    Meal {
        student: usize,
        day: u64,
        force: bool,
    },
    Adjust {
        cents: i64,
        key: u8,
    },
    Refund {
        cents: i64,
        key: u8,
    },
    Vouchers {
        cents: i64,
        key: u8,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1i64..20_000, 0u8..12).prop_map(|(cents, receipt)| Op::TopUp { cents, receipt }),
        (0usize..2, 0u64..30, any::<bool>()).prop_map(|(student, day, force)| Op::Meal {
            student,
            day,
            force
        }),
        (-5_000i64..5_000, 0u8..6).prop_map(|(cents, key)| Op::Adjust { cents, key }),
        (1i64..3_000, 0u8..6).prop_map(|(cents, key)| Op::Refund { cents, key }),
        (1i64..3_000, 0u8..6).prop_map(|(cents, key)| Op::Vouchers { cents, key }),
    ]
}

fn command(op: &Op, family: &Family) -> Command {
    let money = |cents| Money::from_cents(cents).unwrap();
    let key = |kind: &str, key: u8| IdempotencyKey::client(&format!("{kind}-{key}")).unwrap();
    let day = date("2026-10-01");
    match op {
        Op::TopUp { cents, receipt } => Command::TopUp {
            amount: money(*cents),
            receipt_id: format!("rt-{receipt}"),
            date: day,
        },
        Op::Meal {
            student,
            day: offset,
            force,
        } => Command::Meal {
            student: family.students[*student],
            date: day.checked_add_days(Days::new(*offset)).unwrap(),
            force: *force,
        },
        Op::Adjust { cents, key: k } => Command::Adjustment {
            amount: money(*cents),
            reason: "prova".into(),
            date: day,
            key: key("adj", *k),
        },
        Op::Refund { cents, key: k } => Command::Refund {
            amount: money(*cents),
            reason: "prova".into(),
            date: day,
            key: key("ref", *k),
        },
        Op::Vouchers { cents, key: k } => Command::VoucherRecovery {
            amount: money(*cents),
            reference: "buoni".into(),
            date: day,
            key: key("buo", *k),
        },
    }
}

/// The outcome of a command as far as a replay must reproduce it.
fn summary(outcome: &Result<Posted, accounts::LedgerError>) -> Result<accounts::EntryId, String> {
    match outcome {
        Ok(posted) => Ok(posted.movement.id),
        Err(error) => Err(std::mem::discriminant(error)).map_err(|d| format!("{d:?}")),
    }
}

async fn check(world: &World, engine: &AccountEngine, ops: Vec<Op>) {
    let family = world.family().await;
    let mut first = Vec::new();
    let mut expected = Money::ZERO;
    for op in &ops {
        let outcome = engine
            .execute(&world.tenant, family.account, command(op, &family), "prop")
            .await;
        if let Ok(posted) = &outcome {
            if !posted.repeated {
                expected = expected.checked_add(posted.movement.amount).unwrap();
            }
            assert_eq!(
                posted.balance, expected,
                "the answer carries the balance after the command"
            );
        }
        first.push(summary(&outcome));
    }
    let books = world.books(family.account).await;
    assert_eq!(books.0, expected);
    assert_eq!(books.0, books.1, "balance equals the sum of the rows");

    // Replay a prefix, through a fresh engine half of the time (as after a restart).
    let prefix = ops.len() / 2 + 1;
    let fresh = world.engine();
    for (index, op) in ops.iter().take(prefix).enumerate() {
        let replayer = if index % 2 == 0 { engine } else { &fresh };
        let outcome = replayer
            .execute(&world.tenant, family.account, command(op, &family), "prop")
            .await;
        if let Ok(posted) = &outcome {
            assert!(posted.repeated, "{op:?} replayed must be a repeat");
        }
        // A command that was accepted answers exactly as the first time. One that was
        // refused may since have become a repeat of a later command with the same key (a
        // meal refused on a Saturday, then forced), but it never writes anything.
        if let Ok(first_id) = &first[index] {
            assert_eq!(
                summary(&outcome).ok().as_ref(),
                Some(first_id),
                "{op:?} answers as the first time"
            );
        }
    }
    assert_eq!(
        world.books(family.account).await,
        books,
        "replaying changed nothing"
    );
}

testkit::on_both_backends! {
    fn the_balance_is_the_sum_of_the_rows_and_replays_change_nothing(backend: Backend) {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let world = runtime.block_on(World::new(backend));
        let engine = runtime.block_on(async { world.engine() });
        let cases = if backend == Backend::Sqlite { 48 } else { 24 };
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&proptest::collection::vec(op(), 1..40), |ops| {
                runtime.block_on(check(&world, &engine, ops));
                Ok(())
            })
            .unwrap();
    }
}
