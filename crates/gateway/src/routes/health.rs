//! Probes and metrics for orchestrators. They answer on any host, comune or not.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
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
    database: &'static str,
    cache: &'static str,
    cache_kind: &'static str,
}

/// The process can do useful work: its database and cache answer.
async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let (database, cache) = tokio::join!(state.db.ping(), state.accounts.cache().ping());
    let status = |ok: bool| if ok { "ok" } else { "unreachable" };
    let ready = database.is_ok() && cache;
    let body = Readiness {
        database: status(database.is_ok()),
        cache: status(cache),
        cache_kind: state.accounts.cache().kind(),
    };
    let code = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(body))
}
