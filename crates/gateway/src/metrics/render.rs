//! The Prometheus text exposition of everything the gateway counts.

use std::fmt::Write;

use super::http::BUCKETS;
use crate::AppState;

pub fn render(state: &AppState) -> String {
    let mut out = String::with_capacity(4096);
    http(&mut out, state);
    accounts(&mut out, state);
    crate::creditor::render_metrics(&mut out, &state.pagopa.metrics);
    out
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

fn http(out: &mut String, state: &AppState) {
    let routes = state.http_metrics.snapshot();
    family(
        out,
        "mensa_http_requests_total",
        "counter",
        "HTTP requests by route pattern and status.",
    );
    for (route, metrics) in &routes {
        for (status, count) in &metrics.by_status {
            let _ = writeln!(
                out,
                "mensa_http_requests_total{{route=\"{}\",status=\"{status}\"}} {count}",
                escape(route)
            );
        }
    }
    family(
        out,
        "mensa_http_request_duration_seconds",
        "histogram",
        "HTTP request latency by route pattern.",
    );
    for (route, metrics) in &routes {
        let route = escape(route);
        for (bound, count) in BUCKETS.iter().zip(metrics.buckets) {
            let _ = writeln!(
                out,
                "mensa_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}"
            );
        }
        let _ = writeln!(
            out,
            "mensa_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
            metrics.count
        );
        let _ = writeln!(
            out,
            "mensa_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
            metrics.sum_seconds
        );
        let _ = writeln!(
            out,
            "mensa_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
            metrics.count
        );
    }
}

fn accounts(out: &mut String, state: &AppState) {
    let engine = &state.app.accounts;
    family(
        out,
        "mensa_account_actors_live",
        "gauge",
        "Family account actors alive in this process.",
    );
    let _ = writeln!(out, "mensa_account_actors_live {}", engine.live_actors());

    let cache = engine.cache().stats();
    let kind = engine.cache().kind();
    for (name, help, value) in [
        (
            "mensa_balance_cache_hits_total",
            "Balance reads answered by the cache.",
            cache.hits,
        ),
        (
            "mensa_balance_cache_misses_total",
            "Balance reads the cache could not answer.",
            cache.misses,
        ),
        (
            "mensa_balance_cache_near_hits_total",
            "Of the hits on Redis, those this process answered from its own copy.",
            cache.near_hits,
        ),
        (
            "mensa_balance_cache_fallbacks_total",
            "Cache operations that found Redis unreachable and went without it.",
            cache.fallbacks,
        ),
    ] {
        counter(out, name, help, &format!("{{cache=\"{kind}\"}}"), value);
    }

    let ledger = engine.stats();
    for (name, help, value) in [
        (
            "mensa_ledger_batches_total",
            "Ledger batches committed.",
            ledger.batches,
        ),
        (
            "mensa_ledger_batched_postings_total",
            "Postings committed in batches (divide by batches for the mean batch size).",
            ledger.batched_postings,
        ),
        (
            "mensa_ledger_one_by_one_postings_total",
            "Postings committed alone (a concurrent replica, a repeat).",
            ledger.one_by_one,
        ),
        (
            "mensa_ledger_failed_batches_total",
            "Ledger batches that failed; nothing of them was written.",
            ledger.failed_batches,
        ),
    ] {
        counter(out, name, help, "", value);
    }
    family(
        out,
        "mensa_ledger_batch_size",
        "histogram",
        "Postings per committed ledger batch.",
    );
    for (bound, count) in accounts::BATCH_SIZE_BOUNDS.iter().zip(ledger.batch_sizes) {
        let _ = writeln!(
            out,
            "mensa_ledger_batch_size_bucket{{le=\"{bound}\"}} {count}"
        );
    }
    let _ = writeln!(
        out,
        "mensa_ledger_batch_size_bucket{{le=\"+Inf\"}} {}",
        ledger.batches
    );
    let _ = writeln!(out, "mensa_ledger_batch_size_sum {}", ledger.batch_size_sum);
    let _ = writeln!(out, "mensa_ledger_batch_size_count {}", ledger.batches);
    family(
        out,
        "mensa_ledger_write_seconds_total",
        "counter",
        "Time spent writing ledger batches.",
    );
    let _ = writeln!(
        out,
        "mensa_ledger_write_seconds_total {}",
        f64::from(u32::try_from(ledger.write_micros / 1_000).unwrap_or(u32::MAX)) / 1_000.0
    );
}

fn counter(out: &mut String, name: &str, help: &str, labels: &str, value: u64) {
    family(out, name, "counter", help);
    let _ = writeln!(out, "{name}{labels} {value}");
}

/// Label values escape backslash, quote and newline.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
