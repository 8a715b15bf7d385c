//! Counting requests by route (the route pattern, never the raw path: ids must not become
//! label values) and status, with a latency histogram per route.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// Upper bounds of the latency buckets, in seconds.
pub const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 2.5];

#[derive(Debug, Default)]
pub struct HttpMetrics {
    routes: Mutex<BTreeMap<String, Route>>,
    /// Set once when telemetry is exported over OTLP; empty, it costs one load per request.
    otlp: OnceLock<opentelemetry::metrics::Histogram<f64>>,
}

#[derive(Debug, Default, Clone)]
pub struct Route {
    pub by_status: BTreeMap<u16, u64>,
    /// Cumulative counts per bucket of `BUCKETS`.
    pub buckets: [u64; BUCKETS.len()],
    pub count: u64,
    pub sum_seconds: f64,
}

impl HttpMetrics {
    /// Records every request's latency on `histogram` too, from now on.
    pub fn export_to(&self, histogram: opentelemetry::metrics::Histogram<f64>) {
        let _ = self.otlp.set(histogram);
    }

    fn record(&self, route: &str, status: u16, seconds: f64) {
        if let Some(histogram) = self.otlp.get() {
            histogram.record(
                seconds,
                &[
                    opentelemetry::KeyValue::new("http.route", route.to_owned()),
                    opentelemetry::KeyValue::new("http.response.status_code", i64::from(status)),
                ],
            );
        }
        let Ok(mut routes) = self.routes.lock() else {
            return;
        };
        // Every route but the first request's finds its entry: no key to allocate.
        let entry = match routes.get_mut(route) {
            Some(entry) => entry,
            None => routes.entry(route.to_owned()).or_default(),
        };
        *entry.by_status.entry(status).or_default() += 1;
        for (bound, bucket) in BUCKETS.iter().zip(entry.buckets.iter_mut()) {
            if seconds <= *bound {
                *bucket += 1;
            }
        }
        entry.count += 1;
        entry.sum_seconds += seconds;
    }

    pub fn snapshot(&self) -> BTreeMap<String, Route> {
        self.routes
            .lock()
            .map(|routes| routes.clone())
            .unwrap_or_default()
    }
}

/// Middleware: times every request and counts it under its route pattern.
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().cloned();
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    tracing::Span::current().record("http.route", route);
    let started = Instant::now();
    let response = next.run(request).await;
    state.http_metrics.record(
        route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}
