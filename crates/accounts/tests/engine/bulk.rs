//! Posting a school day in one call.

use accounts::Command;
use registry::StudentId;
use testkit::Backend;

use crate::support::{World, date, money};

testkit::on_both_backends! {
    async fn a_school_day_posts_each_meal_once_and_explains_refusals(backend: Backend) {
        let world = World::new(backend).await;
        let engine = world.engine();
        let families = [
            world.family().await,
            world.family().await,
            world.family().await,
        ];
        let students: Vec<StudentId> = families.iter().flat_map(|family| family.students).collect();
        let monday = date("2026-10-05");

        let first = engine
            .post_meals(&world.tenant, monday, &students, false, "test")
            .await
            .unwrap();
        assert_eq!((first.posted, first.already_posted), (6, 0), "{backend:?}");
        assert!(first.refused.is_empty());

        // Again, with a student of no family of this comune and a duplicate in the list.
        let mut again = students.clone();
        again.push(StudentId::new(987_654));
        again.push(students[0]);
        let second = engine
            .post_meals(&world.tenant, monday, &again, false, "test")
            .await
            .unwrap();
        assert_eq!((second.posted, second.already_posted), (0, 6));
        assert_eq!(second.refused.len(), 1);
        assert!(
            second.refused[0].reason.contains("not enrolled"),
            "{}",
            second.refused[0].reason
        );

        let saturday = date("2026-10-10");
        let refused = engine
            .post_meals(&world.tenant, saturday, &students, false, "test")
            .await
            .unwrap();
        assert_eq!((refused.posted, refused.refused.len()), (0, 6));
        let forced = engine
            .post_meals(&world.tenant, saturday, &students, true, "test")
            .await
            .unwrap();
        assert_eq!(forced.posted, 6);

        for family in &families {
            let (balance, sum, rows) = world.books(family.account).await;
            assert_eq!(
                balance,
                money("-19.00"),
                "{backend:?}: two days of 4.00 + 5.50"
            );
            assert_eq!((sum, rows), (balance, 4));
            // The same meal through the one-command path is a repeat.
            let repeat = engine
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
            assert!(repeat.repeated);
        }
    }
}

#[tokio::test]
async fn a_day_larger_than_one_statement_is_written_whole() {
    // More accounts than one statement carries (1,000 rows), so the committer must chunk.
    let world = World::new(testkit::Backend::Sqlite).await;
    let engine = world.engine();
    let mut families = Vec::new();
    for _ in 0..1_100 {
        families.push(world.family().await);
    }
    let students: Vec<StudentId> = families.iter().flat_map(|family| family.students).collect();
    let day = engine
        .post_meals(&world.tenant, date("2026-10-05"), &students, false, "test")
        .await
        .unwrap();
    assert_eq!(
        (day.posted, day.already_posted, day.refused.len()),
        (2_200, 0, 0)
    );
    for family in [&families[0], &families[549], &families[1_099]] {
        assert_eq!(
            world.books(family.account).await,
            (money("-9.50"), money("-9.50"), 2)
        );
    }
    assert!(engine.stats().batched_postings >= 2_200);
}
