//! The same figures as `/metrics`, exported over OTLP when a collector is configured.
//!
//! The counters already live in the engine and the cache; observable instruments read
//! them at each export, so the request path pays nothing for a second exposition. Only
//! request latency is recorded as it happens (a histogram cannot be observed), and only
//! when an exporter exists.

use opentelemetry::KeyValue;
use opentelemetry::metrics::Meter;

use crate::AppState;

/// Registers the gateway's instruments on `meter`; they report for as long as the meter
/// provider lives.
pub fn export(meter: &Meter, state: &AppState) {
    state.http_metrics.export_to(
        meter
            .f64_histogram("http.server.request.duration")
            .with_unit("s")
            .with_description("HTTP request latency by route pattern and status.")
            .with_boundaries(super::http::BUCKETS.to_vec())
            .build(),
    );

    let engine = state.app.accounts.clone();
    meter
        .u64_observable_gauge("mensa.account.actors.live")
        .with_description("Family account actors alive in this process.")
        .with_callback(move |observer| {
            observer.observe(u64::try_from(engine.live_actors()).unwrap_or(u64::MAX), &[]);
        })
        .build();

    let engine = state.app.accounts.clone();
    meter
        .u64_observable_counter("mensa.balance_cache.operations")
        .with_description("Balance cache reads answered (hit), of those the ones answered from this process's copy of Redis (near-hit), reads not answered (miss), and operations that went without an unreachable Redis (fallback).")
        .with_callback(move |observer| {
            let stats = engine.cache().stats();
            let kind = KeyValue::new("cache", engine.cache().kind());
            for (outcome, value) in [
                ("hit", stats.hits),
                ("near-hit", stats.near_hits),
                ("miss", stats.misses),
                ("fallback", stats.fallbacks),
            ] {
                observer.observe(value, &[kind.clone(), KeyValue::new("outcome", outcome)]);
            }
        })
        .build();

    let engine = state.app.accounts.clone();
    meter
        .u64_observable_counter("mensa.ledger.batches")
        .with_description("Ledger batches committed, and those that failed.")
        .with_callback(move |observer| {
            let stats = engine.stats();
            observer.observe(stats.batches, &[KeyValue::new("outcome", "committed")]);
            observer.observe(stats.failed_batches, &[KeyValue::new("outcome", "failed")]);
        })
        .build();

    let engine = state.app.accounts.clone();
    meter
        .u64_observable_counter("mensa.ledger.postings")
        .with_description(
            "Postings committed in batches, or alone (a concurrent replica, a repeat).",
        )
        .with_callback(move |observer| {
            let stats = engine.stats();
            observer.observe(stats.batched_postings, &[KeyValue::new("path", "batch")]);
            observer.observe(stats.one_by_one, &[KeyValue::new("path", "alone")]);
        })
        .build();
}
