//! Every HTTP route of the gateway, one module per concern.

mod health;

use axum::Router;

use crate::{AppState, GatewayError, metrics};

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(health::router())
        .merge(crate::portal::router())
        .merge(crate::assets::router())
        .merge(crate::graphql::router(&state))
        .merge(crate::documents::router())
        .merge(crate::payments::router())
        .merge(crate::pagopa::router(&state))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .fallback(|| async { GatewayError::NotFound })
        .with_state(state)
}
