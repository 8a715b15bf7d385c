//! Scale-out proof: three `mensa serve` processes on one PostgreSQL and one Redis take
//! concurrent top-ups and meals for the same families of both demo comuni, each command
//! sent through one replica and many of them sent again, at the same time, through
//! another. Every balance must come out exact: what the commands say, what the ledger
//! rows add up to, what the shared cache holds and what every replica answers.

use std::collections::HashMap;
use std::sync::Arc;

use accounts::cache::BalanceCache;
use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::{Value, json};

use crate::pagopa::node::{Node, fault_of};
use crate::support::{Books, GREVE, Gql, GqlError, MensaProcess, Pki, SAN_CASCIANO};

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

fn receipt_id(guardian: i64, n: usize) -> String {
    format!("rpl{guardian:012}{n:012}")
}

/// One call to a replica: GraphQL as an operator, or SOAP as the pagoPA Node.
enum Call {
    Gql(Gql, &'static str, Value),
    Node(Node, Box<pagopa::soap::Request>),
}

impl Call {
    /// How many meals the call posted, or why it failed.
    async fn run(self) -> Result<u64, String> {
        match self {
            Call::Gql(operator, query, variables) => match operator.send(query, variables).await {
                Ok(data) => Ok(data["postMeals"]["posted"].as_u64().unwrap_or(0)),
                Err(GqlError::Errors(errors)) => Err(format!("a command was refused: {errors}")),
                Err(error) => Err(format!("a command got no answer: {error:?}")),
            },
            Call::Node(node, request) => match node.client.call(&request).await {
                Ok((response, _)) if fault_of(&response).is_none() => Ok(0),
                Ok((response, _)) => Err(format!("a receipt was refused: {response:?}")),
                Err(error) => Err(format!("a receipt got no answer: {error:?}")),
            },
        }
    }
}

/// One comune as the test sees it: its operator and the Node on each replica, its people,
/// and each family's balance before and the change its commands must make.
struct Comune {
    slug: &'static str,
    tenant: i64,
    model: Arc<tenancy::Tenant>,
    operators: Vec<Gql>,
    nodes: Vec<Node>,
    students: Vec<(i64, i64)>,
    before: HashMap<i64, i64>,
    change: HashMap<i64, i64>,
}

impl Comune {
    async fn load(
        slug: &'static str,
        books: &Books,
        replicas: &[&MensaProcess],
        pki: &Pki,
    ) -> Comune {
        let mut operators = Vec::new();
        for replica in replicas {
            operators.push(Gql::login(replica.addr, slug, "operatore", "Mensa-2026").await);
        }
        let tenant = books.tenant_id(slug).await;
        let model = tenancy::TenantDirectory::new(books.db().clone())
            .by_slug(&tenancy::TenantSlug::parse(slug).unwrap())
            .await
            .unwrap()
            .unwrap();
        let nodes = replicas
            .iter()
            .map(|replica| {
                Node::at(
                    pki.node_client(),
                    format!("https://{}/pagopa/paForNode", replica.pagopa_addr),
                    model.creditor.fiscal_code.as_str(),
                )
            })
            .collect();
        let before = books
            .accounts(tenant)
            .await
            .iter()
            .map(|a| (a.guardian, a.balance_cents))
            .collect();
        Comune {
            slug,
            tenant,
            model,
            operators,
            nodes,
            students: books.students(tenant).await,
            before,
            change: HashMap::new(),
        }
    }

    /// Its calls, the expected balance changes noted as it goes. Each top-up is a payment
    /// notice the family was given, then paid at a PSP.
    async fn calls(&mut self, books: &Books, price: &HashMap<i64, i64>) -> Vec<Call> {
        let mut calls = Vec::new();
        let mut families: Vec<i64> = self.before.keys().copied().collect();
        families.sort_unstable();
        for (f, guardian) in families.iter().enumerate() {
            for n in 0..TOP_UPS_PER_FAMILY {
                let amount = 500 + i64::try_from(n * 5 + f).unwrap();
                *self.change.entry(*guardian).or_default() += amount;
                let position = payments::create_notice(
                    books.db(),
                    &self.model,
                    registry::GuardianId::new(*guardian),
                    rust_decimal::Decimal::new(amount, 2),
                    payments::today(),
                )
                .await
                .unwrap();
                let receipt = receipt_id(*guardian, n);
                for replica in targets(f + n) {
                    let node = &self.nodes[replica];
                    let request = node.send_rt_v2(
                        &position.notice_number,
                        &receipt,
                        u64::try_from(amount).unwrap(),
                    );
                    calls.push(Call::Node(node.clone(), Box::new(request)));
                }
            }
        }
        for (s, (student, guardian)) in self.students.iter().enumerate() {
            for (d, day) in school_days(MEAL_DAYS).iter().enumerate() {
                *self.change.entry(*guardian).or_default() -= price[student];
                let variables = json!({ "date": day.to_string(), "ids": [student.to_string()] });
                for replica in targets(s + d) {
                    let operator = self.operators[replica].clone();
                    calls.push(Call::Gql(operator, POST_MEAL, variables.clone()));
                }
            }
        }
        calls
    }

    /// Every command once in the ledger; every balance exact everywhere.
    async fn check(&self, books: &Books, cache: &BalanceCache) {
        for guardian in self.before.keys() {
            for n in 0..TOP_UPS_PER_FAMILY {
                let receipt = receipt_id(*guardian, n);
                let rows = books.rows_with_reference(self.tenant, &receipt).await;
                assert_eq!(rows, 1, "{}: receipt {receipt}", self.slug);
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
    // Every replica's creditor listener speaks mutual TLS, as in production.
    let pki = Pki::new();
    let env = |demo: &str| {
        let mut env = vec![
            ("DATABASE_URL", database_url.clone()),
            ("REDIS_URL", redis_url.clone()),
            ("MENSA_CACHE_PREFIX", prefix.clone()),
            ("MENSA_DEMO", demo.to_owned()),
        ];
        env.extend(pki.env());
        env
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
        let mut comune = Comune::load(slug, &books, &replicas, &pki).await;
        // Each child's meal price, from the demo's month of meals.
        let price = books.meal_prices(comune.tenant).await;
        calls.extend(comune.calls(&books, &price).await);
        comuni.push(comune);
    }

    let sent = calls.len();
    let started = std::time::Instant::now();
    let tasks: Vec<_> = calls
        .into_iter()
        .map(|call| tokio::spawn(call.run()))
        .collect();
    let mut posted = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(meals) => posted += meals,
            Err(problem) => panic!(
                "{problem}\nthe replicas' warnings:\n{}",
                replicas.map(MensaProcess::warnings).join("\n")
            ),
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
        "{sent} requests through 3 replicas in {elapsed:?}: {families} families in 2 comuni, {} receipts, {posted} meals",
        families * TOP_UPS_PER_FAMILY
    );
}
