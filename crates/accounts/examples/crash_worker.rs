//! A posting load for the crash test (`tests/engine/crash.rs`): credits 1.00 per receipt
//! `crash-<n>` for n in `[from, to)` on one family account, 32 at a time, and prints
//! `ack <n>` once each is acknowledged. The test kills it with SIGKILL mid-load, then runs
//! it again over the whole range, as a client retrying under the same keys would.
//!
//! Usage: crash_worker <database url> <tenant slug> <account id> <from> <to>
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::io::Write;

use accounts::cache::BalanceCache;
use accounts::{AccountEngine, AccountId, Command, EngineConfig};
use money::Money;
use sea_orm::{ConnectOptions, Database};
use tenancy::{TenantDirectory, TenantSlug};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, slug, account, from, to] = args.as_slice() else {
        panic!("usage: crash_worker <database url> <tenant slug> <account id> <from> <to>");
    };
    let mut options = ConnectOptions::new(url.clone());
    options
        .max_connections(if url.starts_with("sqlite") { 1 } else { 8 })
        .sqlx_logging(false);
    let db = Database::connect(options).await.expect("database");
    let tenant = TenantDirectory::new(db.clone())
        .by_slug(&TenantSlug::parse(slug).unwrap())
        .await
        .unwrap()
        .expect("tenant");
    let engine = AccountEngine::start(
        db,
        BalanceCache::new(None, "crash").unwrap(),
        EngineConfig::default(),
    );
    let account = AccountId::new(account.parse().unwrap());
    let (from, to): (u32, u32) = (from.parse().unwrap(), to.parse().unwrap());
    let mut tasks = tokio::task::JoinSet::new();
    let mut next = from;
    loop {
        while tasks.len() < 32 && next < to {
            let (engine, tenant, n) = (engine.clone(), tenant.clone(), next);
            tasks.spawn(async move {
                let command = Command::TopUp {
                    amount: Money::from_cents(100).unwrap(),
                    receipt_id: format!("crash-{n}"),
                    date: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
                };
                engine
                    .execute(&tenant, account, command, "crash-test")
                    .await
                    .map(|_| n)
            });
            next += 1;
        }
        let Some(done) = tasks.join_next().await else {
            break;
        };
        if let Ok(Ok(n)) = done {
            let mut out = std::io::stdout().lock();
            writeln!(out, "ack {n}").unwrap();
            out.flush().unwrap();
        }
    }
}
