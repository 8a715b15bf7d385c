//! `/metrics` parses as Prometheus text and shows every family the operator needs.

use reqwest::StatusCode;

use crate::support::{Backend, SAN_CASCIANO, TestApp};

/// Top-ups the metrics test posts itself.
const POSTINGS: u32 = 5;

/// `name{labels} value`: the sample line grammar of the text format, checked by hand.
fn parse_sample(line: &str) -> (String, f64) {
    let (series, value) = line
        .rsplit_once(' ')
        .unwrap_or_else(|| panic!("no value in {line:?}"));
    let name_end = series.find('{').unwrap_or(series.len());
    let name = &series[..name_end];
    assert!(
        name.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
            && !name.is_empty(),
        "bad metric name in {line:?}"
    );
    if name_end < series.len() {
        assert!(series.ends_with('}'), "unclosed labels in {line:?}");
        let labels = &series[name_end + 1..series.len() - 1];
        for label in labels.split("\",").filter(|l| !l.is_empty()) {
            let (key, value) = label
                .split_once("=\"")
                .unwrap_or_else(|| panic!("bad label {label:?} in {line:?}"));
            assert!(
                key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "bad label name in {line:?}"
            );
            assert!(
                !value.trim_end_matches('"').contains('"') || value.contains("\\\""),
                "unescaped quote in {line:?}"
            );
        }
    }
    let value = value
        .parse::<f64>()
        .unwrap_or_else(|_| panic!("bad value in {line:?}"));
    (series.to_owned(), value)
}

testkit::on_both_backends! {
    async fn metrics_parse_and_show_requests_actors_cache_and_ledger(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        for _ in 0..3 {
            assert_eq!(app.get(SAN_CASCIANO, "/").await.status(), StatusCode::OK);
        }
        // The demo was seeded before the gateway started: give the ledger work of its own.
        let family = crate::pagopa::node::family(&app, SAN_CASCIANO, "genitore").await;
        for n in 0..POSTINGS {
            let top_up = accounts::Command::TopUp {
                amount: "1.00".parse().unwrap(),
                receipt_id: format!("metrics-{n}"),
                date: "2026-10-01".parse().unwrap(),
            };
            app.state
                .app
                .accounts
                .execute(&family.tenant, family.account, top_up, "test")
                .await
                .unwrap();
        }
        let response = app.get_with_host("127.0.0.1", "/metrics").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain")
        );
        let body = response.text().await.unwrap();
        let samples: Vec<(String, f64)> = body
            .lines()
            .filter(|line| !line.starts_with('#') && !line.is_empty())
            .map(parse_sample)
            .collect();
        let value = |series: &str| samples.iter().find(|(s, _)| s == series).map(|(_, v)| *v);
        assert_eq!(
            value("mensa_http_requests_total{route=\"/\",status=\"200\"}"),
            Some(3.0),
            "{backend:?}"
        );
        assert_eq!(
            value("mensa_http_request_duration_seconds_count{route=\"/\"}"),
            Some(3.0)
        );
        assert!(
            value("mensa_account_actors_live").is_some_and(|live| live >= 1.0),
            "the family just posted to is live"
        );
        assert!(value("mensa_ledger_batches_total").is_some_and(|batches| batches >= 1.0));
        assert!(
            value("mensa_ledger_batched_postings_total").is_some_and(|postings| postings >= f64::from(POSTINGS))
        );
        // Batch sizes: a histogram whose buckets never decrease and end at the batch count.
        let batches = value("mensa_ledger_batches_total").unwrap();
        let buckets: Vec<f64> = ["1", "10", "100", "1000", "5000", "16000", "+Inf"]
            .iter()
            .map(|le| value(&format!("mensa_ledger_batch_size_bucket{{le=\"{le}\"}}")).unwrap())
            .collect();
        assert!(buckets.windows(2).all(|w| w[0] <= w[1]), "{buckets:?}");
        assert_eq!(buckets.last(), Some(&batches));
        assert_eq!(value("mensa_ledger_batch_size_count"), Some(batches));
        assert!(value("mensa_ledger_batch_size_sum").is_some_and(|sum| sum >= f64::from(POSTINGS)));
        let cache = if backend.redis_url().is_some() {
            "redis"
        } else {
            "in-process"
        };
        assert!(
            value(&format!(
                "mensa_balance_cache_fallbacks_total{{cache=\"{cache}\"}}"
            ))
            .is_some()
        );
        for family in [
            "mensa_balance_cache_hits_total",
            "mensa_balance_cache_misses_total",
            "mensa_ledger_failed_batches_total",
        ] {
            assert!(
                body.contains(&format!("# TYPE {family} counter")),
                "{family}"
            );
        }
    }
}

/// In a cluster `/metrics` lives on the admin port, which the ingress never routes to: the
/// public port must not answer it, on any host.
#[tokio::test]
async fn with_an_admin_port_metrics_are_served_only_there() {
    let app = TestApp::spawn_with(crate::support::Backend::Sqlite, |settings| {
        settings.server.admin_addr = Some("127.0.0.1:0".parse().unwrap());
    })
    .await;
    let admin = app.admin_addr.expect("an admin port was configured");
    for host in ["127.0.0.1", "sancascianovaldipesa.localhost"] {
        let public = app.get_with_host(host, "/metrics").await;
        assert_eq!(public.status(), StatusCode::NOT_FOUND, "{host}");
    }
    let scraped = reqwest::get(format!("http://{admin}/metrics"))
        .await
        .unwrap();
    assert_eq!(scraped.status(), StatusCode::OK);
    let body = scraped.text().await.unwrap();
    assert!(body.contains("# TYPE mensa_ledger_batches_total counter"));
    body.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .for_each(|line| drop(parse_sample(line)));
    // The probes keep answering on the public port, where the kubelet calls them.
    assert_eq!(
        app.get_with_host("127.0.0.1", "/readyz").await.status(),
        StatusCode::OK
    );
}
