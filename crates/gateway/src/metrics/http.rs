//! Counting requests by route (the route pattern, never the raw path: ids must not become
//! label values) and status, with a latency histogram per route.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::response::Response;
use tower::{Layer, Service};

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

/// Times every request and counts it under its route pattern. A layer of its own rather
/// than `middleware::from_fn`, which clones and boxes the route behind it on every request.
#[derive(Clone)]
pub struct TrackLayer(pub Arc<HttpMetrics>);

impl<S> Layer<S> for TrackLayer {
    type Service = Track<S>;

    fn layer(&self, inner: S) -> Track<S> {
        Track {
            inner,
            metrics: Arc::clone(&self.0),
        }
    }
}

#[derive(Clone)]
pub struct Track<S> {
    inner: S,
    metrics: Arc<HttpMetrics>,
}

impl<S> Service<Request> for Track<S>
where
    S: Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Tracked<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let route = request.extensions().get::<MatchedPath>().cloned();
        tracing::Span::current().record("http.route", label(&route));
        Tracked {
            inner: self.inner.call(request),
            route,
            metrics: Arc::clone(&self.metrics),
            started: Instant::now(),
        }
    }
}

/// The route pattern a request is counted under.
fn label(route: &Option<MatchedPath>) -> &str {
    route.as_ref().map_or("unmatched", MatchedPath::as_str)
}

pin_project_lite::pin_project! {
    /// The route's response, recorded when it is ready.
    pub struct Tracked<F> {
        #[pin]
        inner: F,
        route: Option<MatchedPath>,
        metrics: Arc<HttpMetrics>,
        started: Instant,
    }
}

impl<F, E> Future for Tracked<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let result = std::task::ready!(this.inner.poll(cx));
        if let Ok(response) = &result {
            this.metrics.record(
                label(this.route),
                response.status().as_u16(),
                this.started.elapsed().as_secs_f64(),
            );
        }
        Poll::Ready(result)
    }
}
