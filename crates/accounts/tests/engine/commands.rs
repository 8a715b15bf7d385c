//! Each kind of command, its rules, and its idempotency.

use accounts::{Command, EntryId, IdempotencyKey, LedgerError, MovementKind};
use tenancy::{BalancePolicy, OverLimit};
use testkit::Backend;

use crate::support::{World, date, money};

fn key(value: &str) -> IdempotencyKey {
    IdempotencyKey::client(value).unwrap()
}

testkit::on_both_backends! {
    async fn credits_and_meals_move_the_balance_exactly(backend: Backend) {
        let world = World::new(backend).await;
        let engine = world.engine();
        let family = world.family().await;
        let run = |command| engine.execute(&world.tenant, family.account, command, "test");
        let top_up = run(Command::TopUp {
            amount: money("20.00"),
            receipt_id: "rt-1".into(),
            date: date("2026-10-01"),
        })
        .await
        .unwrap();
        assert_eq!(top_up.balance, money("20.00"));
        let meal = run(Command::Meal {
            student: family.students[1],
            date: date("2026-10-05"),
            force: false,
        })
        .await
        .unwrap();
        assert_eq!(meal.movement.amount, money("-5.50"), "band B price");
        assert_eq!(meal.balance, money("14.50"));
        let vouchers = run(Command::VoucherRecovery {
            amount: money("3.10"),
            reference: "buoni".into(),
            date: date("2026-10-06"),
            key: key("v1"),
        })
        .await
        .unwrap();
        assert_eq!(vouchers.balance, money("17.60"));
        let refund = run(Command::Refund {
            amount: money("2.00"),
            reason: "rimborso".into(),
            date: date("2026-10-07"),
            key: key("r1"),
        })
        .await
        .unwrap();
        assert_eq!(refund.movement.amount, money("-2.00"));
        let adjustment = run(Command::Adjustment {
            amount: money("-0.60"),
            reason: "arrotondamento".into(),
            date: date("2026-10-07"),
            key: key("a1"),
        })
        .await
        .unwrap();
        assert_eq!(adjustment.balance, money("15.00"));
        assert_eq!(
            engine.balance(&world.tenant, family.account).await.unwrap(),
            money("15.00")
        );
        assert_eq!(
            world.books(family.account).await,
            (money("15.00"), money("15.00"), 5),
            "{backend:?}"
        );
    }
}

testkit::on_both_backends! {
    async fn a_repeated_command_changes_nothing_and_answers_as_the_first_time(backend: Backend) {
        let world = World::new(backend).await;
        let family = world.family().await;
        let top_up = Command::TopUp {
            amount: money("20.00"),
            receipt_id: "rt-1".into(),
            date: date("2026-10-01"),
        };
        let first = world
            .engine()
            .execute(&world.tenant, family.account, top_up.clone(), "test")
            .await
            .unwrap();
        // The same engine answers from memory; a fresh one (a restart) from the database.
        for engine in [world.engine(), world.engine()] {
            for _ in 0..2 {
                let again = engine
                    .execute(&world.tenant, family.account, top_up.clone(), "test")
                    .await
                    .unwrap();
                assert!(again.repeated);
                assert_eq!(again.movement, first.movement);
                assert_eq!(again.balance, money("20.00"));
            }
        }
        assert_eq!(
            world.books(family.account).await,
            (money("20.00"), money("20.00"), 1),
            "{backend:?}"
        );
    }
}

testkit::on_both_backends! {
    async fn the_same_key_with_another_command_is_a_conflict(backend: Backend) {
        let world = World::new(backend).await;
        let engine = world.engine();
        let family = world.family().await;
        let adjust = |amount: &str| Command::Adjustment {
            amount: money(amount),
            reason: "x".into(),
            date: date("2026-10-01"),
            key: key("k"),
        };
        engine
            .execute(&world.tenant, family.account, adjust("1.00"), "test")
            .await
            .unwrap();
        let conflict = engine
            .execute(&world.tenant, family.account, adjust("2.00"), "test")
            .await;
        assert!(
            matches!(conflict, Err(LedgerError::KeyConflict(_))),
            "{conflict:?}"
        );
        let from_disk = world
            .engine()
            .execute(&world.tenant, family.account, adjust("2.00"), "test")
            .await;
        assert!(
            matches!(from_disk, Err(LedgerError::KeyConflict(_))),
            "{from_disk:?}"
        );
        assert_eq!(world.books(family.account).await.2, 1);
    }
}

testkit::on_both_backends! {
    async fn a_meal_on_a_day_without_school_meals_needs_an_operator_to_force_it(backend: Backend) {
        let world = World::new(backend).await;
        let engine = world.engine();
        let family = world.family().await;
        let saturday = date("2026-10-10");
        let meal = |force| Command::Meal {
            student: family.students[0],
            date: saturday,
            force,
        };
        let refused = engine
            .execute(&world.tenant, family.account, meal(false), "test")
            .await;
        assert!(
            matches!(refused, Err(LedgerError::NotAMealDay { .. })),
            "{refused:?}"
        );
        let forced = engine
            .execute(&world.tenant, family.account, meal(true), "test")
            .await
            .unwrap();
        assert_eq!(forced.balance, money("-4.00"));
        // Asked again without forcing, on this engine or a fresh one (a restart), the meal is
        // a repeat of the forced one, not a refusal.
        for engine in [engine.clone(), world.engine()] {
            let again = engine
                .execute(&world.tenant, family.account, meal(false), "test")
                .await
                .unwrap();
            assert!(again.repeated, "{backend:?}");
            assert_eq!(again.movement, forced.movement);
        }
    }
}

#[tokio::test]
async fn bad_amounts_and_missing_reasons_are_refused_and_write_nothing() {
    let world = World::new(testkit::Backend::Sqlite).await;
    let engine = world.engine();
    let family = world.family().await;
    let cases = [
        Command::TopUp {
            amount: money("0.00"),
            receipt_id: "rt".into(),
            date: date("2026-10-01"),
        },
        Command::Refund {
            amount: money("-1.00"),
            reason: "x".into(),
            date: date("2026-10-01"),
            key: key("r"),
        },
        Command::Refund {
            amount: money("1.00"),
            reason: "  ".into(),
            date: date("2026-10-01"),
            key: key("r2"),
        },
        Command::Adjustment {
            amount: money("0.00"),
            reason: "x".into(),
            date: date("2026-10-01"),
            key: key("a"),
        },
        Command::Reversal {
            entry: EntryId::new(999_999),
            reason: "x".into(),
            date: date("2026-10-01"),
            key: key("s"),
        },
    ];
    for command in cases {
        assert!(
            engine
                .execute(&world.tenant, family.account, command.clone(), "test")
                .await
                .is_err(),
            "{command:?}"
        );
    }
    assert_eq!(
        world.books(family.account).await,
        (money("0.00"), money("0.00"), 0)
    );
}

testkit::on_both_backends! {
    async fn a_reversal_cancels_a_movement_once_and_hides_the_meal(backend: Backend) {
        let world = World::new(backend).await;
        let engine = world.engine();
        let family = world.family().await;
        let monday = date("2026-10-05");
        let meal = engine
            .execute(
                &world.tenant,
                family.account,
                Command::Meal {
                    student: family.students[0],
                    date: monday,
                    force: false,
                },
                "test",
            )
            .await
            .unwrap();
        let reverse = |k: &str| Command::Reversal {
            entry: meal.movement.id,
            reason: "assente".into(),
            date: monday,
            key: key(k),
        };
        let reversal = engine
            .execute(&world.tenant, family.account, reverse("s1"), "test")
            .await
            .unwrap();
        assert_eq!(reversal.movement.kind, MovementKind::Reversal);
        assert_eq!(reversal.movement.reverses, Some(meal.movement.id));
        assert_eq!(reversal.balance, money("0.00"));
        let twice = engine
            .execute(&world.tenant, family.account, reverse("s2"), "test")
            .await;
        assert!(
            matches!(twice, Err(LedgerError::AlreadyReversed(_))),
            "{twice:?}"
        );
        let of_reversal = Command::Reversal {
            entry: reversal.movement.id,
            reason: "x".into(),
            date: monday,
            key: key("s3"),
        };
        assert!(matches!(
            engine
                .execute(&world.tenant, family.account, of_reversal, "test")
                .await,
            Err(LedgerError::ReversalOfReversal)
        ));
        let txn = tenancy::scope::begin(&world.db.runtime, world.tenant.id)
            .await
            .unwrap();
        let meals =
            accounts::meals_of_student(&txn, world.tenant.id, family.students[0], monday, monday)
                .await
                .unwrap();
        assert!(
            meals.is_empty(),
            "{backend:?}: a reversed meal is not shown"
        );
        drop(txn);
        assert_eq!(
            world.books(family.account).await,
            (money("0.00"), money("0.00"), 2)
        );
    }
}

#[tokio::test]
async fn past_meals_keep_the_price_they_were_posted_at() {
    let world = World::new(testkit::Backend::Sqlite).await;
    let engine = world.engine();
    let family = world.family().await;
    let new_price = tenancy::TariffBand {
        code: "A".into(),
        name: "Fascia A".into(),
        meal_price: money("4.40"),
        valid_from: date("2026-11-01"),
    };
    tenancy::add_price(&world.db.runtime, world.tenant.id, &new_price)
        .await
        .unwrap();
    let meal = |day| Command::Meal {
        student: family.students[0],
        date: date(day),
        force: false,
    };
    let october = engine
        .execute(&world.tenant, family.account, meal("2026-10-30"), "test")
        .await
        .unwrap();
    let november = engine
        .execute(&world.tenant, family.account, meal("2026-11-02"), "test")
        .await
        .unwrap();
    assert_eq!(october.movement.amount, money("-4.00"));
    assert_eq!(november.movement.amount, money("-4.40"));
    let db = &world.db.runtime;
    let price =
        |day| accounts::student_meal_price(db, world.tenant.id, family.students[0], date(day));
    assert_eq!(price("2026-10-30").await.unwrap(), Some(money("4.00")));
    assert_eq!(price("2026-11-02").await.unwrap(), Some(money("4.40")));
    assert_eq!(price("2025-10-30").await.unwrap(), None, "not enrolled yet");
    let meals = accounts::meals_of_student(
        db,
        world.tenant.id,
        family.students[0],
        date("2026-10-01"),
        date("2026-11-30"),
    )
    .await
    .unwrap();
    assert_eq!(meals.len(), 2);
    assert_eq!(accounts::meals_total(&meals), Some(money("8.40")));
}

#[tokio::test]
async fn the_debt_limit_refuses_or_flags_meals_as_the_comune_chooses() {
    for (over_limit, refused) in [(OverLimit::Refuse, true), (OverLimit::Flag, false)] {
        let policy = BalancePolicy {
            reminder_threshold: money("5.00"),
            debt_limit: Some(money("12.00")),
            over_limit,
        };
        let world = World::with_policy(testkit::Backend::Sqlite, policy).await;
        let engine = world.engine();
        let family = world.family().await;
        let meal = |day| Command::Meal {
            student: family.students[1],
            date: date(day),
            force: false,
        };
        engine
            .execute(&world.tenant, family.account, meal("2026-10-05"), "test")
            .await
            .unwrap();
        let second = engine
            .execute(&world.tenant, family.account, meal("2026-10-06"), "test")
            .await
            .unwrap();
        assert_eq!(
            second.balance,
            money("-11.00"),
            "two meals at 5.50, within the limit"
        );
        let third = engine
            .execute(&world.tenant, family.account, meal("2026-10-07"), "test")
            .await;
        if refused {
            assert!(
                matches!(third, Err(LedgerError::DebtLimitReached { .. })),
                "{third:?}"
            );
        } else {
            let third = third.unwrap();
            assert!(
                third.movement.description.contains("oltre il limite"),
                "{}",
                third.movement.description
            );
        }
    }
}

testkit::on_both_backends! {
    async fn a_familys_meals_read_together_stay_each_childs_own(backend: Backend) {
        let world = World::new(backend).await;
        let engine = world.engine();
        let family = world.family().await;
        let [first, second] = [family.students[0], family.students[1]];
        let meal = |student, day| Command::Meal {
            student,
            date: date(day),
            force: false,
        };
        for (student, day) in [
            (first, "2026-10-05"),
            (first, "2026-10-06"),
            (second, "2026-10-06"),
        ] {
            engine
                .execute(&world.tenant, family.account, meal(student, day), "test")
                .await
                .unwrap();
        }
        let wrong = engine
            .execute(
                &world.tenant,
                family.account,
                meal(second, "2026-10-07"),
                "test",
            )
            .await
            .unwrap();
        let reversal = Command::Reversal {
            entry: wrong.movement.id,
            reason: "absent".into(),
            date: date("2026-10-07"),
            key: key("rev-batched"),
        };
        engine
            .execute(&world.tenant, family.account, reversal, "test")
            .await
            .unwrap();

        // Row-level security: reads see the comune's rows only in a scoped transaction.
        let txn = tenancy::scope::begin(&world.db.runtime, world.tenant.id)
            .await
            .unwrap();
        let db = &txn;
        let (from, to) = (date("2026-10-01"), date("2026-10-31"));
        let together = accounts::meals_of_students(db, world.tenant.id, &[first, second], from, to)
            .await
            .unwrap();
        for student in [first, second] {
            let alone = accounts::meals_of_student(db, world.tenant.id, student, from, to)
                .await
                .unwrap();
            assert_eq!(together[&student], alone, "{backend:?}");
        }
        let days = |student| -> Vec<_> { together[&student].iter().map(|m| m.date).collect() };
        assert_eq!(days(first), [date("2026-10-05"), date("2026-10-06")]);
        assert_eq!(
            days(second),
            [date("2026-10-06")],
            "the reversed meal is gone"
        );
    }
}
