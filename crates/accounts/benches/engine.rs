//! The account engine's benchmarks, each against its floor in the same run (these machines
//! are noisy, so the ratio is what to compare). Needs PostgreSQL and Redis:
//!
//! ```sh
//! MENSA_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/mensa_test \
//! MENSA_TEST_REDIS_URL=redis://127.0.0.1:6379 cargo bench -p accounts --bench engine
//! ```
//!
//! 1. A school day: 100,000 students (one per family) across 20 comuni, posted through the
//!    family actors; floor: the same rows by plain multi-row INSERTs, 1,000 per transaction.
//! 2. 10,000 credits on one hot family: batched through its actor, against one
//!    transaction per command (the ledger's one-command path, on 1,000 of them).
//! 3. Balance reads: from the actor's memory, through Redis, and from PostgreSQL with
//!    Redis down: p50 and p99.
//! 4. Memory: 100,000 families touched once, then idle: resident memory with every actor
//!    live, bytes per live actor, and resident memory after passivation.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::indexing_slicing,
    clippy::as_conversions
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use accounts::cache::BalanceCache;
use accounts::{AccountEngine, AccountId, Command, EngineConfig, Ledger};
use chrono::NaiveDate;
use money::Money;
use registry::StudentId;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};
use tenancy::{
    BalancePolicy, Branding, Contacts, Creditor, EntityFiscalCode, Iban, NewTenant, OverLimit,
    Tenant, TenantDirectory, TenantSlug, TopUpLimits,
};

const COMUNI: usize = 20;
const FAMILIES_PER_COMUNE: usize = 5_000;

struct Comune {
    tenant: Arc<Tenant>,
    students: Vec<StudentId>,
    accounts: Vec<AccountId>,
}

#[tokio::main]
async fn main() {
    let backend =
        testkit::postgres().expect("set MENSA_TEST_POSTGRES_URL and MENSA_TEST_REDIS_URL");
    let redis = backend.redis_url().expect("set MENSA_TEST_REDIS_URL");
    let db = backend.migrated().await;
    println!("setting up {COMUNI} comuni x {FAMILIES_PER_COMUNE} families...");
    let started = Instant::now();
    let mut comuni = Vec::new();
    for index in 0..COMUNI {
        comuni.push(create_comune(&db.owner, &db.runtime, index).await);
    }
    // Production tables have statistics; freshly loaded ones need them for sane plans.
    db.owner.execute_unprepared("ANALYZE").await.unwrap();
    println!("  done in {:.1} s", started.elapsed().as_secs_f64());
    let prefix = testkit::unique_name("bench");
    let engine = |redis: Option<&str>, idle: Duration| {
        let cache = BalanceCache::new(redis, &prefix).unwrap();
        AccountEngine::start(
            db.runtime.clone(),
            cache,
            EngineConfig {
                idle_timeout: idle,
                ..EngineConfig::default()
            },
        )
    };

    println!(
        "\n## 1. A school day: {} meals across {COMUNI} comuni",
        COMUNI * FAMILIES_PER_COMUNE
    );
    let rss_before = rss_bytes();
    let idle = Duration::from_secs(20);
    let day_engine = engine(Some(&redis), idle);
    let monday = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for comune in &comuni {
        let (engine, tenant, students) = (
            day_engine.clone(),
            Arc::clone(&comune.tenant),
            comune.students.clone(),
        );
        tasks.spawn(async move {
            engine
                .post_meals(&tenant, monday, &students, false, "bench")
                .await
                .unwrap()
        });
    }
    let mut posted = 0;
    while let Some(summary) = tasks.join_next().await {
        let summary = summary.unwrap();
        assert!(summary.refused.is_empty(), "{:?}", summary.refused.first());
        posted += summary.posted;
    }
    let actors_seconds = started.elapsed().as_secs_f64();
    let stats = day_engine.stats();
    println!(
        "committer: {} batches, {} postings batched ({:.0} per batch), {} one by one, {:.1} s writing",
        stats.batches,
        stats.batched_postings,
        stats.batched_postings as f64 / stats.batches.max(1) as f64,
        stats.one_by_one,
        stats.write_micros as f64 / 1e6
    );
    let live = day_engine.live_actors();
    let rss_live = rss_bytes();
    let floor_seconds = plain_inserts(&db.owner, &comuni).await;
    let rows = (COMUNI * FAMILIES_PER_COMUNE) as f64;
    let (actor_rate, floor_rate) = (posted as f64 / actors_seconds, rows / floor_seconds);
    println!("| path | seconds | meals/s |\n|---|---|---|");
    println!("| family actors + batched committer | {actors_seconds:.2} | {actor_rate:.0} |");
    println!(
        "| floor: plain INSERTs, 1,000 rows/transaction | {floor_seconds:.2} | {floor_rate:.0} |"
    );
    println!("ratio actors/floor: {:.2}", actor_rate / floor_rate);

    println!("\n## 4. Memory: {live} families touched once");
    let per_actor = rss_live.saturating_sub(rss_before) / live.max(1) as u64;
    println!(
        "resident before: {} MiB; with {live} live actors: {} MiB; about {per_actor} bytes per live actor (incl. allocator slack)",
        rss_before >> 20,
        rss_live >> 20
    );
    tokio::time::sleep(idle + idle / 2).await;
    println!(
        "after passivation: {} live actors, resident {} MiB",
        day_engine.live_actors(),
        rss_bytes() >> 20
    );

    println!("\n## 2. 10,000 credits on one hot family");
    let hot = &comuni[0];
    let hot_engine = engine(Some(&redis), Duration::from_secs(60));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..10_000 {
        let (engine, tenant, account) =
            (hot_engine.clone(), Arc::clone(&hot.tenant), hot.accounts[0]);
        tasks.spawn(async move {
            let command = Command::TopUp {
                amount: Money::from_cents(100).unwrap(),
                receipt_id: format!("hot-{n}"),
                date: monday,
            };
            engine
                .execute(&tenant, account, command, "bench")
                .await
                .unwrap();
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    let batched = 10_000.0 / started.elapsed().as_secs_f64();
    let ledger = Ledger::new(db.runtime.clone());
    let started = Instant::now();
    for n in 0..1_000 {
        let command = Command::TopUp {
            amount: Money::from_cents(100).unwrap(),
            receipt_id: format!("single-{n}"),
            date: monday,
        };
        ledger
            .execute(&hot.tenant, hot.accounts[1], &command, "bench")
            .await
            .unwrap();
    }
    let single = 1_000.0 / started.elapsed().as_secs_f64();
    println!("| path | credits/s |\n|---|---|");
    println!("| batched through the family actor | {batched:.0} |");
    println!("| one transaction per command | {single:.0} |");
    println!("ratio batched/single: {:.1}", batched / single);

    println!("\n## 3. Balance reads (10,000 each)");
    let account = hot.accounts[0];
    let memory = latencies(|| hot_engine.balance(&hot.tenant, account)).await;
    let through_redis = engine(Some(&redis), Duration::from_secs(60));
    let redis_reads = latencies(|| through_redis.balance(&hot.tenant, account)).await;
    let no_redis = engine(Some("redis://127.0.0.1:1"), Duration::from_secs(60));
    let database = latencies(|| no_redis.balance(&hot.tenant, account)).await;
    println!("| source | p50 µs | p99 µs |\n|---|---|---|");
    for (name, (p50, p99)) in [
        ("live family actor (Redis answers first)", memory),
        ("Redis", redis_reads),
        ("PostgreSQL (Redis down)", database),
    ] {
        println!("| {name} | {p50:.2} | {p99:.2} |");
    }
    // Against the read every cache exists to spare, in the same run.
    println!(
        "p50 against PostgreSQL's: live actor {:.4}, Redis {:.4}",
        memory.0 / database.0,
        redis_reads.0 / database.0
    );
}

async fn latencies<F, Fut>(read: F) -> (f64, f64)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<Money, accounts::LedgerError>>,
{
    let mut samples = Vec::with_capacity(10_000);
    for _ in 0..10_000 {
        let started = Instant::now();
        read().await.unwrap();
        samples.push(started.elapsed().as_secs_f64() * 1e6);
    }
    samples.sort_by(f64::total_cmp);
    (
        samples[samples.len() / 2],
        samples[samples.len() * 99 / 100],
    )
}

fn rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|kb| kb.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        .unwrap_or(0)
        * 1024
}

/// The floor: the same number of ledger rows, written by plain multi-row INSERTs.
async fn plain_inserts(owner: &DatabaseConnection, comuni: &[Comune]) -> f64 {
    let started = Instant::now();
    for comune in comuni {
        for chunk in comune
            .accounts
            .chunks(1_000)
            .zip(comune.students.chunks(1_000))
        {
            let txn = owner.begin().await.unwrap();
            let mut values = Vec::new();
            let mut rows = Vec::new();
            for (account, student) in chunk.0.iter().zip(chunk.1) {
                let key = format!("floor:{}", student.get());
                let row: [sea_orm::Value; 8] = [
                    comune.tenant.id.get().into(),
                    account.get().into(),
                    (-400i64).into(),
                    student.get().into(),
                    NaiveDate::from_ymd_opt(2026, 10, 6).unwrap().into(),
                    key.clone().into(),
                    key.into(),
                    chrono::Utc::now().fixed_offset().into(),
                ];
                let base = values.len();
                values.extend(row);
                rows.push(format!(
                    "(${}, ${}, 'meal', ${}, ${}, ${}, 'floor', NULL, ${}, ${}, NULL, 'bench', ${})",
                    base + 1, base + 2, base + 3, base + 4, base + 5, base + 6, base + 7, base + 8
                ));
            }
            let sql = format!(
                "INSERT INTO ledger_entries (tenant_id, account_id, kind, amount_cents, student_id, entry_date, \
                 description, reference, idempotency_key, command_hash, reverses_entry_id, created_by, created_at) VALUES {}",
                rows.join(", ")
            );
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                sql,
                values,
            ))
            .await
            .unwrap();
            txn.commit().await.unwrap();
        }
    }
    started.elapsed().as_secs_f64()
}

/// A comune with one school, one class eating every weekday, band A at 4.00, and
/// `FAMILIES_PER_COMUNE` families of one child, written set-based by the schema's owner.
async fn create_comune(
    owner: &DatabaseConnection,
    runtime: &DatabaseConnection,
    index: usize,
) -> Comune {
    let directory = TenantDirectory::new(runtime.clone());
    let txn = runtime.begin().await.unwrap();
    let tenant = directory
        .create(
            &txn,
            NewTenant {
                slug: TenantSlug::parse(&format!("comune{index}")).unwrap(),
                name: format!("Comune {index}"),
                branding: Branding {
                    primary_color: "#123456".into(),
                    logo_url: None,
                },
                contacts: Contacts::default(),
                creditor: Creditor {
                    fiscal_code: EntityFiscalCode::parse(&entity_code(index)).unwrap(),
                    aux_digit: 3,
                    segregation_code: "01".into(),
                    iban: Iban::parse("IT60X0542811101000000123456").unwrap(),
                    postal_account: None,
                    cbill_code: None,
                },
                balance_policy: BalancePolicy {
                    reminder_threshold: Money::ZERO,
                    debt_limit: None,
                    over_limit: OverLimit::Flag,
                },
                top_up_limits: TopUpLimits {
                    min: Money::from_cents(100).unwrap(),
                    max: Money::from_cents(50_000).unwrap(),
                },
            },
        )
        .await
        .unwrap();
    txn.commit().await.unwrap();
    let t = tenant.id.get();
    let n = FAMILIES_PER_COMUNE;
    for sql in [
        format!(
            "INSERT INTO tariff_bands (tenant_id, code, name, meal_price_cents, valid_from) VALUES ({t}, 'A', 'A', 400, '2026-09-01')"
        ),
        format!("INSERT INTO schools (tenant_id, name, address) VALUES ({t}, 'Scuola', 'Via')"),
        format!(
            "INSERT INTO classes (tenant_id, school_id, name, meal_days) SELECT {t}, id, '1A', 31 FROM schools WHERE tenant_id = {t}"
        ),
        format!(
            "INSERT INTO guardians (tenant_id, username, password_hash, first_name, last_name, created_at, fiscal_code) \
             SELECT {t}, 'g' || g, 'x', 'Nome', 'Cognome', now(), 'RSSMRA80A01H501U' FROM generate_series(1, {n}) g"
        ),
        format!(
            "INSERT INTO family_accounts (tenant_id, guardian_id, balance_cents, version, created_at) SELECT {t}, id, 0, 0, now() FROM guardians WHERE tenant_id = {t}"
        ),
        format!(
            "INSERT INTO students (tenant_id, guardian_id, first_name, last_name, fiscal_code, birth_date) \
             SELECT {t}, id, 'Bimbo', 'Cognome', 'S' || lpad(id::text, 15, '0'), '2018-01-01' FROM guardians WHERE tenant_id = {t}"
        ),
        format!(
            "INSERT INTO enrolments (tenant_id, student_id, class_id, tariff_band_code, diet_kind, valid_from) \
             SELECT {t}, s.id, c.id, 'A', 'normal', '2026-09-01' FROM students s, classes c WHERE s.tenant_id = {t} AND c.tenant_id = {t}"
        ),
    ] {
        owner.execute_unprepared(&sql).await.unwrap();
    }
    let students = owner
        .query_all_raw(Statement::from_string(DbBackend::Postgres, format!("SELECT s.id, a.id FROM students s JOIN family_accounts a ON a.guardian_id = s.guardian_id WHERE s.tenant_id = {t} ORDER BY s.id")))
        .await
        .unwrap();
    let (students, accounts) = students
        .into_iter()
        .map(|row| {
            (
                StudentId::new(row.try_get_by_index(0).unwrap()),
                AccountId::new(row.try_get_by_index(1).unwrap()),
            )
        })
        .unzip();
    Comune {
        tenant: Arc::new(tenant),
        students,
        accounts,
    }
}

/// A valid 11-digit entity fiscal code per comune (check digit computed).
fn entity_code(index: usize) -> String {
    let stem = format!("8{:09}", 1_000 + index);
    (0..10)
        .map(|check| format!("{stem}{check}"))
        .find(|code| EntityFiscalCode::parse(code).is_ok())
        .unwrap()
}
