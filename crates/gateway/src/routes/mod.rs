//! Every HTTP route of the gateway, one module per concern.

mod health;
mod home;

use axum::Router;

use crate::{AppState, GatewayError};

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(health::router())
        .merge(home::router())
        .fallback(|| async { GatewayError::NotFound })
        .with_state(state)
}
