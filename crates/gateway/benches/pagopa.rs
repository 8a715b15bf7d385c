//! The creditor endpoint under load, each figure against a baseline in the same run
//! (`GET /healthz` through the same HTTP stack), because these machines are noisy:
//!
//! 1. receipts per second through `POST /pagopa/paForNode` (paSendRTV2, each stored and
//!    credited), 50 at a time, against /healthz requests per second at the same concurrency;
//! 2. latency of paVerifyPaymentNotice with 200 requests in flight (p50, p99), against
//!    /healthz with 200 in flight.
//!
//! The gateway runs in this process on PostgreSQL and Redis, as in production; the load
//! driver shares the machine with it.
//!
//! ```sh
//! MENSA_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/mensa_test \
//! MENSA_TEST_REDIS_URL=redis://127.0.0.1:6379 cargo bench -p gateway --bench pagopa
//! ```
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::indexing_slicing,
    clippy::as_conversions
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use gateway::Application;
use gateway::config::{Config, LogFormat, Settings};
use pagopa::soap::*;
use pagopa::{Amount, FiscalCodePa, NoticeNumber, PositiveAmount};
use tenancy::TenantSlug;

/// Receipts sent in measurement 1 (`MENSA_BENCH_RECEIPTS` overrides, for a quick try).
fn receipts() -> usize {
    std::env::var("MENSA_BENCH_RECEIPTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000)
}
const RECEIPT_CONCURRENCY: usize = 50;
const VERIFY_CONCURRENCY: usize = 200;
const VERIFIES_PER_WORKER: usize = 25;

#[tokio::main]
async fn main() {
    let receipts_total = receipts();
    let backend = testkit::postgres().expect("this benchmark needs PostgreSQL and Redis");
    let (database_url, _guard) = backend.fresh_database().await;
    let mut settings = Settings::default();
    settings.server.addr = "127.0.0.1:0".parse().unwrap();
    // The Node's calls go to the creditor listener, plain HTTP in demo mode.
    settings.creditor_listener.pagopa_addr = "127.0.0.1:0".parse().unwrap();
    settings.storage.database_url = Some(database_url.parse().unwrap());
    settings.storage.redis_url = backend.redis_url();
    settings.storage.cache_prefix = testkit::unique_name("bench");
    settings.hosts.demo = Some(true);
    settings.telemetry.log_format = Some(LogFormat::Text);
    let config = Config::from_settings(settings).unwrap();
    let app = Application::build(&config).await.unwrap();
    let addr = app.local_addr().unwrap();
    let creditor = app.creditor_addr();
    let state = app.state().clone();
    tokio::spawn(app.run_until(std::future::pending()));

    let tenant = state
        .app
        .tenants
        .by_slug(&TenantSlug::parse("sancascianovaldipesa").unwrap())
        .await
        .unwrap()
        .unwrap();
    let txn = tenancy::scope::begin(&state.app.db, tenant.id)
        .await
        .unwrap();
    let mut guardians = Vec::new();
    for username in ["genitore", "galli"] {
        guardians.push(
            registry::guardian_by_username(&txn, tenant.id, username)
                .await
                .unwrap()
                .unwrap()
                .id,
        );
    }
    txn.commit().await.unwrap();

    println!("creating {} notices…", receipts_total + VERIFY_CONCURRENCY);
    let mut notices = Vec::new();
    for i in 0..receipts_total + VERIFY_CONCURRENCY {
        let position = payments::create_notice(
            &state.app.db,
            &tenant,
            guardians[i % 2],
            rust_decimal::Decimal::new(1_000, 2),
            payments::today(),
        )
        .await
        .unwrap();
        notices.push(position.notice_number);
    }
    let (to_pay, to_verify) = notices.split_at(receipts_total);
    let fiscal_code = tenant.creditor.fiscal_code.as_str().to_owned();
    let url = format!("http://{creditor}/pagopa/paForNode");
    let health = format!("http://{addr}/healthz");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(VERIFY_CONCURRENCY)
        .build()
        .unwrap();

    // Warm-up: connections, caches, prepared statements.
    let warm: Vec<String> = to_verify
        .iter()
        .take(50)
        .map(|n| write_request(&verify(&fiscal_code, n)))
        .collect();
    run_all(&client, &url, "paVerifyPaymentNotice", warm, 50).await;

    // 1. Receipts per second.
    let bodies: Vec<String> = to_pay
        .iter()
        .enumerate()
        .map(|(i, n)| write_request(&receipt(&fiscal_code, n, &format!("bench{i:027}"))))
        .collect();
    let started = Instant::now();
    let answers = run_all(&client, &url, "paSendRTV2", bodies, RECEIPT_CONCURRENCY).await;
    let receipts_seconds = started.elapsed().as_secs_f64();
    assert!(
        answers
            .iter()
            .all(|(_, body)| body.contains("<outcome>OK</outcome>"))
    );
    let receipts_per_second = receipts_total as f64 / receipts_seconds;
    assert_eq!(
        state.pagopa.metrics.receipts_credited(),
        receipts_total as u64
    );

    let started = Instant::now();
    run_get(&client, &health, receipts_total, RECEIPT_CONCURRENCY).await;
    let health_per_second = receipts_total as f64 / started.elapsed().as_secs_f64();

    // 2. paVerifyPaymentNotice with 200 in flight.
    let bodies: Vec<String> = (0..VERIFY_CONCURRENCY * VERIFIES_PER_WORKER)
        .map(|i| write_request(&verify(&fiscal_code, &to_verify[i % to_verify.len()])))
        .collect();
    let answers = run_all(
        &client,
        &url,
        "paVerifyPaymentNotice",
        bodies,
        VERIFY_CONCURRENCY,
    )
    .await;
    assert!(
        answers
            .iter()
            .all(|(_, body)| body.contains("<outcome>OK</outcome>"))
    );
    let mut verify_latencies: Vec<Duration> = answers.into_iter().map(|(d, _)| d).collect();
    let mut health_latencies = run_get(
        &client,
        &health,
        VERIFY_CONCURRENCY * VERIFIES_PER_WORKER,
        VERIFY_CONCURRENCY,
    )
    .await;

    let (v50, v99) = percentiles(&mut verify_latencies);
    let (h50, h99) = percentiles(&mut health_latencies);
    println!();
    println!("| measurement | value | baseline (/healthz) | ratio |");
    println!("|---|---|---|---|");
    println!(
        "| receipts/s (paSendRTV2, {RECEIPT_CONCURRENCY} in flight, {receipts_total} receipts) | {receipts_per_second:.0} | {health_per_second:.0} req/s | {:.3} |",
        receipts_per_second / health_per_second
    );
    println!(
        "| paVerifyPaymentNotice p50, {VERIFY_CONCURRENCY} in flight | {:.1} ms | {:.1} ms | {:.1} |",
        ms(v50),
        ms(h50),
        ms(v50) / ms(h50)
    );
    println!(
        "| paVerifyPaymentNotice p99, {VERIFY_CONCURRENCY} in flight | {:.1} ms | {:.1} ms | {:.1} |",
        ms(v99),
        ms(h99),
        ms(v99) / ms(h99)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

fn percentiles(latencies: &mut [Duration]) -> (Duration, Duration) {
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    (at(0.50), at(0.99))
}

/// Posts every body, `concurrency` at a time; returns each latency and answer.
async fn run_all(
    client: &reqwest::Client,
    url: &str,
    action: &'static str,
    bodies: Vec<String>,
    concurrency: usize,
) -> Vec<(Duration, String)> {
    let queue = Arc::new(std::sync::Mutex::new(bodies.into_iter()));
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (client, url, queue) = (client.clone(), url.to_owned(), Arc::clone(&queue));
        workers.push(tokio::spawn(async move {
            let mut done = Vec::new();
            loop {
                let Some(body) = queue.lock().unwrap().next() else {
                    return done;
                };
                let started = Instant::now();
                let answer = client
                    .post(&url)
                    .header("SOAPAction", action)
                    .header("content-type", "text/xml; charset=utf-8")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                assert!(answer.status().is_success());
                let text = answer.text().await.unwrap();
                done.push((started.elapsed(), text));
            }
        }));
    }
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await.unwrap());
    }
    all
}

async fn run_get(
    client: &reqwest::Client,
    url: &str,
    requests: usize,
    concurrency: usize,
) -> Vec<Duration> {
    let left = Arc::new(std::sync::atomic::AtomicUsize::new(requests));
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (client, url, left) = (client.clone(), url.to_owned(), Arc::clone(&left));
        workers.push(tokio::spawn(async move {
            let mut done = Vec::new();
            while left
                .fetch_update(
                    std::sync::atomic::Ordering::SeqCst,
                    std::sync::atomic::Ordering::SeqCst,
                    |n| n.checked_sub(1),
                )
                .is_ok()
            {
                let started = Instant::now();
                let answer = client.get(&url).send().await.unwrap();
                assert!(answer.status().is_success());
                answer.bytes().await.unwrap();
                done.push(started.elapsed());
            }
            done
        }));
    }
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await.unwrap());
    }
    all
}

fn t<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().unwrap()
}

fn caller(fiscal_code: &str) -> Caller {
    Caller {
        id_pa: t(fiscal_code),
        id_broker_pa: t("77777777777"),
        id_station: t("77777777777_01"),
    }
}

fn verify(fiscal_code: &str, notice: &NoticeNumber) -> Request {
    Request::VerifyPaymentNotice(VerifyPaymentNoticeReq {
        caller: caller(fiscal_code),
        qr_code: QrCode {
            fiscal_code: FiscalCodePa::new(fiscal_code).unwrap(),
            notice_number: *notice,
        },
    })
}

fn receipt(fiscal_code: &str, notice: &NoticeNumber, receipt_id: &str) -> Request {
    let amount = PositiveAmount::from_cents(1_000).unwrap();
    let debtor = Subject::new(
        EntityType::Natural,
        t("CNTGLI84E61D612I"),
        t("Giulia Conti"),
    );
    Request::SendRtV2(SendRtV2Req {
        caller: caller(fiscal_code),
        receipt: Receipt {
            receipt_id: receipt_id.to_owned(),
            notice_number: *notice,
            fiscal_code: FiscalCodePa::new(fiscal_code).unwrap(),
            outcome: Outcome::Ok,
            creditor_reference_id: t(&notice.iuv().to_string()),
            payment_amount: Amount::from(amount),
            description: t("Ricarica refezione scolastica"),
            company_name: t("Comune di San Casciano in Val di Pesa"),
            office_name: None,
            payer: None,
            debtor,
            transfers: vec![TransferV2 {
                id_transfer: IdTransfer::new(1).unwrap(),
                transfer_amount: amount,
                fiscal_code_pa: t(fiscal_code),
                company_name: None,
                iban: t("IT60X0542811101000000123456"),
                remittance_information: t("Ricarica refezione scolastica"),
                transfer_category: t("9/0107101TS/"),
                metadata: Vec::new(),
            }],
            id_psp: t("BCITITMM"),
            psp_fiscal_code: None,
            psp_partita_iva: None,
            psp_company_name: t("Intesa Sanpaolo"),
            id_channel: t("00799960158_01"),
            channel_description: t("app"),
            payment_method: None,
            fee: None,
            payment_date_time: None,
            application_date: Some(payments::today()),
            transfer_date: None,
            metadata: Vec::new(),
            stand_in: None,
        },
        extras: ReceiptV2Extras::default(),
    })
}
