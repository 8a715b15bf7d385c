//! `/metrics` in the Prometheus text format: HTTP requests by route and status with their
//! latency, live family actors, the balance cache, and the ledger's committer; the same
//! figures over OTLP when a collector is configured.
//!
//! Written by hand: a few counters and one histogram do not need a metrics framework, and
//! the exposition format is small and stable.

mod http;
mod otel;
mod render;

pub use http::{HttpMetrics, TrackLayer};
pub use otel::export;
pub use render::render;
