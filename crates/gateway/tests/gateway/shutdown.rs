//! SIGTERM in the middle of a school day's postings: the real binary stops accepting,
//! finishes what it is doing and exits 0, and every posting it acknowledged is in the
//! ledger, whose balances still add up.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::json;

use crate::support::{Books, Gql, GqlError, MensaProcess, SAN_CASCIANO};

const POST_MEALS: &str = "mutation($date: Date!, $ids: [ID!]!) { \
    postMeals(date: $date, studentIds: $ids, force: true) { posted alreadyPosted } }";

/// School days after the demo's month of meals, so that every posting is a first one.
fn school_days(count: usize) -> Vec<NaiveDate> {
    NaiveDate::from_ymd_opt(2027, 1, 4)
        .unwrap()
        .iter_days()
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .take(count)
        .collect()
}

#[tokio::test]
async fn sigterm_during_meal_postings_loses_nothing_acknowledged() {
    let Some(backend) = testkit::postgres() else {
        return;
    };
    let (database_url, _guard) = backend.fresh_database().await;
    let mut mensa = MensaProcess::serve(&[
        ("DATABASE_URL", database_url.clone()),
        ("REDIS_URL", backend.redis_url().unwrap_or_default()),
        ("MENSA_CACHE_PREFIX", testkit::unique_name("cache")),
        ("MENSA_DEMO", "true".into()),
    ])
    .await;
    let books = Books::open(&database_url).await;
    let tenant = books.tenant_id(SAN_CASCIANO).await;
    let students: Vec<String> = books
        .students(tenant)
        .await
        .iter()
        .map(|(id, _)| id.to_string())
        .collect();
    assert!(!students.is_empty());
    let operator = Gql::login(mensa.addr, SAN_CASCIANO, "operatore", "Mensa-2026").await;

    // Eight clients post one school day each, again and again, until the gateway is gone.
    let days = Arc::new(school_days(2_000));
    let next = Arc::new(AtomicUsize::new(0));
    let terminated = Arc::new(AtomicBool::new(false));
    let mut clients = Vec::new();
    for _ in 0..8 {
        let (operator, students, days, next, terminated) = (
            operator.clone(),
            students.clone(),
            Arc::clone(&days),
            Arc::clone(&next),
            Arc::clone(&terminated),
        );
        clients.push(tokio::spawn(async move {
            // (date, meals the gateway said it posted, answered after SIGTERM)
            let mut acknowledged = Vec::new();
            loop {
                let Some(day) = days.get(next.fetch_add(1, Ordering::Relaxed)) else {
                    panic!("the gateway never stopped");
                };
                let date = day.to_string();
                match operator
                    .send(POST_MEALS, json!({ "date": date, "ids": students }))
                    .await
                {
                    Ok(data) => {
                        let posted = data["postMeals"]["posted"].as_u64().unwrap();
                        acknowledged.push((date, posted, terminated.load(Ordering::SeqCst)));
                    }
                    Err(GqlError::Transport(_)) => return acknowledged,
                    Err(GqlError::Errors(errors)) => panic!("{date}: {errors}"),
                }
            }
        }));
    }
    // Mid-load: once a good number of days are acknowledged.
    while next.load(Ordering::Relaxed) < 60 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    terminated.store(true, Ordering::SeqCst);
    mensa.terminate();
    let status = mensa.wait(Duration::from_secs(60)).await;
    let mut acknowledged = Vec::new();
    for client in clients {
        acknowledged.extend(client.await.unwrap());
    }
    assert!(status.success(), "exit {status:?}:\n{}", mensa.output());
    assert!(
        mensa
            .output()
            .contains("requests finished and account actors drained"),
        "{}",
        mensa.output()
    );

    let meals = books.meals(tenant).await;
    let mut by_date: HashMap<&str, i64> = HashMap::new();
    for ((_, date), rows) in &meals {
        assert_eq!(*rows, 1, "a meal posted twice on {date}");
        *by_date.entry(date.as_str()).or_default() += rows;
    }
    for (date, posted, _) in &acknowledged {
        assert_eq!(
            by_date.get(date.as_str()).copied().unwrap_or(0),
            i64::try_from(*posted).unwrap(),
            "acknowledged meals of {date} missing from the ledger"
        );
    }
    for account in books.accounts(tenant).await {
        assert_eq!(account.balance_cents, account.sum_cents, "{account:?}");
    }
    let after_sigterm = acknowledged.iter().filter(|(_, _, late)| *late).count();
    eprintln!(
        "{} school days acknowledged ({} meals), {after_sigterm} of them answered after SIGTERM",
        acknowledged.len(),
        acknowledged.iter().map(|(_, p, _)| p).sum::<u64>()
    );
    assert!(acknowledged.iter().all(|(_, posted, _)| *posted > 0));
    // Eight clients were always mid-request: some were answered during the drain, which
    // shows the signal really arrived mid-load and in-flight requests were finished.
    assert!(after_sigterm > 0, "no request was in flight at SIGTERM");
}
