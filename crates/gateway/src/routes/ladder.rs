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

use crate::caller::ClientAddress;
use crate::tenant::CurrentTenant;
use crate::{AppState, GatewayError};
use app::statement;
use auth::{Identity, Principal};

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
) -> Result<Response, Response> {
    identify(&state, &tenant, address, &headers).await?;
    Ok(answer("0.00"))
}

async fn balance(
    State(state): State<AppState>,
    tenant: CurrentTenant,
    address: ClientAddress,
    headers: HeaderMap,
    _body: Bytes,
) -> Result<Response, Response> {
    let identity = identify(&state, &tenant, address, &headers).await?;
    let Principal::Guardian { account, .. } = identity.principal else {
        return Err(GatewayError::Unauthenticated.into_response());
    };
    let view = statement::balance(&state.app.accounts, &tenant.0, account)
        .await
        .map_err(|error| GatewayError::internal(error).into_response())?;
    Ok(answer(&view.balance.to_string()))
}

/// What the GraphQL handler does before it reads the request, with its refusals; a
/// caller without a token is refused too, since the ladder measures a guardian's path.
async fn identify(
    state: &AppState,
    CurrentTenant(tenant): &CurrentTenant,
    ClientAddress(address): ClientAddress,
    headers: &HeaderMap,
) -> Result<Identity, Response> {
    crate::graphql::identify(state, tenant, address, headers)
        .await?
        .ok_or_else(|| GatewayError::Unauthenticated.into_response())
}
