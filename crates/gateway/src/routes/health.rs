//! Probes and metrics for orchestrators. They answer on any host, comune or not.
//!
//! `/metrics` tells a lot about the comuni's traffic: in a cluster it gets a port of its
//! own (`MENSA_ADMIN_ADDR`) that the ingress does not route to.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::AppState;

pub fn probes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

pub fn metrics_router() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics))
}

/// Prometheus scrapes this; like the probes it answers on any host.
async fn metrics(State(state): State<AppState>) -> impl axum::response::IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        crate::metrics::render(&state),
    )
}

/// The process is up and serving.
async fn healthz() -> &'static str {
    "ok"
}

#[derive(Serialize)]
struct Readiness {
    /// `ready`, `degraded` (serving, without the shared cache) or `unready`.
    status: &'static str,
    database: &'static str,
    cache: &'static str,
    cache_kind: &'static str,
}

/// The process can do useful work: its database answers. The cache is reported but does
/// not decide: with Redis down reads go to the database (slower, never wrong), so taking
/// every replica out of service would turn a slowdown into an outage.
async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let (database, cache) = tokio::join!(state.app.db.ping(), state.app.accounts.cache().ping());
    let status = |ok: bool| if ok { "ok" } else { "unreachable" };
    let (code, overall) = match (database.is_ok(), cache) {
        (true, true) => (StatusCode::OK, "ready"),
        (true, false) => (StatusCode::OK, "degraded"),
        (false, _) => (StatusCode::SERVICE_UNAVAILABLE, "unready"),
    };
    let body = Readiness {
        status: overall,
        database: status(database.is_ok()),
        cache: status(cache),
        cache_kind: state.app.accounts.cache().kind(),
    };
    (code, Json(body))
}
