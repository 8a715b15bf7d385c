//! Scale-out proof: three `mensa serve` processes on one PostgreSQL and one Redis take
//! concurrent top-ups and meals for the same families of both demo comuni, each command
//! sent through one replica and many of them sent again, at the same time, through
//! another. Every balance must come out exact: what the commands say, what the ledger
//! rows add up to, what the shared cache holds and what every replica answers.

use std::collections::HashMap;

use accounts::cache::BalanceCache;
use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::{Value, json};

use crate::support::{Books, GREVE, Gql, GqlError, MensaProcess, SAN_CASCIANO};

const TOP_UP: &str = "mutation($g: ID!, $amount: Decimal!, $ref: String!, $date: Date!, $key: String!) { \
    recordVoucherRecovery(guardianId: $g, amount: $amount, reference: $ref, date: $date, idempotencyKey: $key) { id } }";
const POST_MEAL: &str = "mutation($date: Date!, $ids: [ID!]!) { \
    postMeals(date: $date, studentIds: $ids, force: true) { posted alreadyPosted } }";
const BALANCE: &str = "query($g: ID!) { familyAccount(guardianId: $g) { balance } }";

const TOP_UPS_PER_FAMILY: usize = 30;
const MEAL_DAYS: usize = 30;

/// "12.34" or "-0.50" in cents.
fn cents(decimal: &str) -> i64 {
    let (euros, cents) = decimal.split_once('.').unwrap();
    let sign = if euros.starts_with('-') { -1 } else { 1 };
    euros.parse::<i64>().unwrap() * 100 + sign * cents.parse::<i64>().unwrap()
}

fn school_days(count: usize) -> Vec<NaiveDate> {
    NaiveDate::from_ymd_opt(2027, 2, 1)
        .unwrap()
        .iter_days()
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .take(count)
        .collect()
}

/// The replica a command goes through and, for every third command, another one that
/// receives the same command at the same time.
fn targets(n: usize) -> Vec<usize> {
    let primary = n % 3;
    if (n / 3).is_multiple_of(3) {
        vec![primary, (primary + 1 + n % 2) % 3]
    } else {
        vec![primary]
    }
}

/// One comune as the test sees it: its operator on each replica, its people, and each
/// family's balance before and the change its commands must make.
struct Comune {
    slug: &'static str,
    tenant: i64,
    operators: Vec<Gql>,
    students: Vec<(i64, i64)>,
    before: HashMap<i64, i64>,
    change: HashMap<i64, i64>,
}

impl Comune {
    async fn load(slug: &'static str, books: &Books, replicas: &[&MensaProcess]) -> Comune {
        let mut operators = Vec::new();
        for replica in replicas {
            operators.push(Gql::login(replica.addr, slug, "operatore", "Mensa-2026").await);
        }
        let tenant = books.tenant_id(slug).await;
        let before = books
            .accounts(tenant)
            .await
            .iter()
            .map(|a| (a.guardian, a.balance_cents))
            .collect();
        Comune {
            slug,
            tenant,
            operators,
            students: books.students(tenant).await,
            before,
            change: HashMap::new(),
        }
    }

    /// Its commands as (operator on a replica, query, variables), the expected balance
    /// changes noted as it goes.
    fn commands(&mut self, price: &HashMap<i64, i64>) -> Vec<(Gql, &'static str, Value)> {
        let mut calls = Vec::new();
        let mut families: Vec<i64> = self.before.keys().copied().collect();
        families.sort_unstable();
        for (f, guardian) in families.iter().enumerate() {
            for n in 0..TOP_UPS_PER_FAMILY {
                let amount = 100 + i64::try_from(n * 5 + f).unwrap();
                *self.change.entry(*guardian).or_default() += amount;
                let reference = format!("RPL-{guardian}-{n}");
                let variables = json!({
                    "g": guardian.to_string(),
                    "amount": format!("{}.{:02}", amount / 100, amount % 100),
                    "ref": reference,
                    "date": "2027-02-01",
                    "key": reference,
                });
                for replica in targets(f + n) {
                    calls.push((self.operators[replica].clone(), TOP_UP, variables.clone()));
                }
            }
        }
        for (s, (student, guardian)) in self.students.iter().enumerate() {
            for (d, day) in school_days(MEAL_DAYS).iter().enumerate() {
                *self.change.entry(*guardian).or_default() -= price[student];
                let variables = json!({ "date": day.to_string(), "ids": [student.to_string()] });
                for replica in targets(s + d) {
                    calls.push((
                        self.operators[replica].clone(),
                        POST_MEAL,
                        variables.clone(),
                    ));
                }
            }
        }
        calls
    }

    /// Every command once in the ledger; every balance exact everywhere.
    async fn check(&self, books: &Books, cache: &BalanceCache) {
        for guardian in self.before.keys() {
            for n in 0..TOP_UPS_PER_FAMILY {
                let reference = format!("RPL-{guardian}-{n}");
                let rows = books.rows_with_reference(self.tenant, &reference).await;
                assert_eq!(rows, 1, "{}: top-up {reference}", self.slug);
            }
        }
        let meals = books.meals(self.tenant).await;
        for (student, _) in &self.students {
            for day in school_days(MEAL_DAYS) {
                let rows = meals.get(&(*student, day.to_string()));
                assert_eq!(rows, Some(&1), "{}: meal of {student} on {day}", self.slug);
            }
        }
        for account in books.accounts(self.tenant).await {
            let want = self.before[&account.guardian] + self.change[&account.guardian];
            assert_eq!(account.balance_cents, want, "{}: {account:?}", self.slug);
            assert_eq!(account.balance_cents, account.sum_cents, "{account:?}");
            let cached = cache
                .get(
                    tenancy::TenantId::new(self.tenant),
                    accounts::AccountId::new(account.account),
                )
                .await
                .expect("the committers left every written balance in Redis");
            assert_eq!(
                (cents(&cached.balance.to_string()), cached.version),
                (account.balance_cents, account.version),
                "{}: the cache disagrees with the database",
                self.slug
            );
            for (r, operator) in self.operators.iter().enumerate() {
                let data = operator
                    .send(BALANCE, json!({ "g": account.guardian.to_string() }))
                    .await
                    .unwrap();
                let balance = data["familyAccount"]["balance"].as_str().unwrap();
                assert_eq!(cents(balance), want, "{}: replica {r}", self.slug);
            }
        }
    }
}

#[tokio::test]
async fn three_replicas_keep_every_balance_exact() {
    let Some(backend) = testkit::postgres() else {
        return;
    };
    let (database_url, _guard) = backend.fresh_database().await;
    let redis_url = backend.redis_url().expect("MENSA_TEST_REDIS_URL is set");
    let prefix = testkit::unique_name("cache");
    let env = |demo: &str| {
        vec![
            ("DATABASE_URL", database_url.clone()),
            ("REDIS_URL", redis_url.clone()),
            ("MENSA_CACHE_PREFIX", prefix.clone()),
            ("MENSA_DEMO", demo.to_owned()),
        ]
    };
    // The first replica seeds the demo comuni; the others join the seeded database.
    let first = MensaProcess::serve(&env("true")).await;
    let joining = env("false");
    let (second, third) =
        tokio::join!(MensaProcess::serve(&joining), MensaProcess::serve(&joining));
    let replicas = [&first, &second, &third];

    let books = Books::open(&database_url).await;
    let mut comuni = Vec::new();
    let mut calls = Vec::new();
    for slug in [SAN_CASCIANO, GREVE] {
        let mut comune = Comune::load(slug, &books, &replicas).await;
        // Each child's meal price, from the demo's month of meals.
        let price = books.meal_prices(comune.tenant).await;
        calls.extend(comune.commands(&price));
        comuni.push(comune);
    }

    let sent = calls.len();
    let started = std::time::Instant::now();
    let tasks: Vec<_> = calls
        .into_iter()
        .map(|(operator, query, variables)| {
            tokio::spawn(async move { operator.send(query, variables).await })
        })
        .collect();
    let mut posted = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(data) => posted += data["postMeals"]["posted"].as_u64().unwrap_or(0),
            Err(GqlError::Errors(errors)) => panic!(
                "a command was refused: {errors}\nthe replicas' warnings:\n{}",
                replicas.map(MensaProcess::warnings).join("\n")
            ),
            Err(error) => panic!("a command got no answer: {error:?}"),
        }
    }
    let elapsed = started.elapsed();
    let students: usize = comuni.iter().map(|c| c.students.len()).sum();
    assert_eq!(posted, u64::try_from(students * MEAL_DAYS).unwrap());

    let cache = BalanceCache::new(Some(&redis_url), &prefix).unwrap();
    for comune in &comuni {
        comune.check(&books, &cache).await;
    }
    let families: usize = comuni.iter().map(|c| c.before.len()).sum();
    eprintln!(
        "{sent} requests through 3 replicas in {elapsed:?}: {families} families in 2 comuni, {} top-ups, {posted} meals",
        families * TOP_UPS_PER_FAMILY
    );
}
