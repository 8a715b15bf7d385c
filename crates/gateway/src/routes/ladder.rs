//! Rungs of the GraphQL benchmark's ladder (`scripts/bench/graphql-ladder`), compiled only
//! with the `bench-ladder` feature, never into a release build.
//!
//! Each rung answers the guardian's balance as JSON and does one more step of what
//! `POST /graphql` does before it, so the ladder shows where the gateway's throughput goes
//! between a bare axum handler and the whole GraphQL request:
//!
//! - `/bench/http`: every layer, the router and the route metrics; a fixed body;
//! - `/bench/caller`: also the comune, the address's rate limit, the bearer token's
//!   session, the credential's rate limit and the body, as the GraphQL handler takes them;
//! - `/bench/balance`: also the balance, read as the `balance` field reads it.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use crate::auth::{ClientAddress, Identity, Principal, bearer};
use crate::graphql::RateKey;
use crate::services::statement;
use crate::tenant::CurrentTenant;
use crate::{AppState, GatewayError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/bench/http", post(http))
        .route("/bench/caller", post(caller))
        .route("/bench/balance", post(balance))
}

/// The shape of the GraphQL answer, so every rung sends as many bytes as the real one.
fn answer(balance: &str) -> Response {
    let body = format!(r#"{{"data":{{"account":{{"balance":"{balance}"}}}}}}"#);
    ([(CONTENT_TYPE, "application/json")], body).into_response()
}

async fn http() -> Response {
    answer("0.00")
}

async fn caller(
    State(state): State<AppState>,
    tenant: CurrentTenant,
    address: ClientAddress,
    headers: HeaderMap,
    _body: Bytes,
) -> Result<Response, GatewayError> {
    identify(&state, &tenant, address, &headers).await?;
    Ok(answer("0.00"))
}

async fn balance(
    State(state): State<AppState>,
    tenant: CurrentTenant,
    address: ClientAddress,
    headers: HeaderMap,
    _body: Bytes,
) -> Result<Response, GatewayError> {
    let identity = identify(&state, &tenant, address, &headers).await?;
    let Principal::Guardian { account, .. } = identity.principal else {
        return Err(GatewayError::Unauthenticated);
    };
    let view = statement::balance(&state.accounts, &tenant.0, account)
        .await
        .map_err(GatewayError::internal)?;
    Ok(answer(&view.balance.to_string()))
}

/// What the GraphQL handler does before it reads the request. Refusals are plain 401s
/// here: the ladder measures only the path of a guardian who gets his answer.
async fn identify(
    state: &AppState,
    CurrentTenant(tenant): &CurrentTenant,
    ClientAddress(address): ClientAddress,
    headers: &HeaderMap,
) -> Result<Identity, GatewayError> {
    let limits = &state.graphql_limits;
    let refused = |_| GatewayError::Unauthenticated;
    state
        .graphql_rates
        .take(RateKey::Address(address), limits.per_address_per_minute)
        .map_err(refused)?;
    let token = bearer(headers).ok_or(GatewayError::Unauthenticated)?;
    let identity = state
        .auth
        .authenticate(tenant.id, token)
        .await
        .ok()
        .flatten()
        .ok_or(GatewayError::Unauthenticated)?;
    state
        .graphql_rates
        .take(
            RateKey::Credential(identity.credential.clone()),
            limits.per_credential_per_minute,
        )
        .map_err(refused)?;
    Ok(identity)
}
