//! Every HTTP route of the gateway, one module per concern.

mod health;
#[cfg(feature = "bench-ladder")]
mod ladder;

use axum::Router;

use crate::{AppState, GatewayError, metrics};

/// The public router; `/metrics` is on it only when no admin port serves it.
pub fn router(state: AppState, with_metrics: bool) -> Router {
    let health = if with_metrics {
        health::probes().merge(health::metrics_router())
    } else {
        health::probes()
    };
    let router = Router::new()
        .merge(health)
        .merge(crate::portal::router())
        .merge(crate::assets::router())
        .merge(crate::graphql::router(&state))
        .merge(crate::documents::router())
        .merge(crate::notices::router())
        .merge(crate::creditor::router(&state));
    #[cfg(feature = "bench-ladder")]
    let router = router.merge(ladder::router());
    router
        .route_layer(metrics::TrackLayer(state.http_metrics.clone()))
        .fallback(|| async { GatewayError::NotFound })
        .with_state(state)
}

/// The pagoPA creditor listener: `/pagopa/paForNode` and nothing else (no probes, no
/// metrics, no pages), counted in the route metrics like the public routes.
pub fn node_router(state: AppState) -> Router {
    crate::creditor::node_router()
        .route_layer(metrics::TrackLayer(state.http_metrics.clone()))
        .fallback(|| async { GatewayError::NotFound })
        .with_state(state)
}

/// The admin port: metrics and probes, without the public layers (nobody outside the
/// cluster reaches it, and its scrapes are not the comuni's traffic).
pub fn admin_router(state: AppState) -> Router {
    health::probes()
        .merge(health::metrics_router())
        .with_state(state)
}
