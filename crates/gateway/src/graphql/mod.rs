//! The GraphQL API at `/graphql` on each comune's host: parents' apps, the comune's staff
//! and integrators. The schema's SDL is checked in (`schema.graphql`) and a test fails
//! when code and file drift apart.

mod context;
mod error;
mod explorer;
mod limits;
mod mutation;
mod parsed;
mod query;

mod scalars;
mod types;

use std::sync::Arc;

use async_graphql::http::MultipartOptions;
use async_graphql::{EmptySubscription, Schema, ServerError, ValidationMode};
use axum::Extension;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub use context::Caller;
pub use error::Code;
pub use limits::{GraphqlLimits, RateKey, RateLimiter};
pub use mutation::MutationRoot;
pub use query::Query;

use parsed::Validation;

use tenancy::Tenant;

use crate::AppState;
use crate::caller::{ClientAddress, bearer};
use crate::tenant::CurrentTenant;
use auth::Identity;

pub type MensaSchema = Schema<Query, MutationRoot, EmptySubscription>;

/// The schema with the deployment's limits; the app state is reachable from resolvers.
pub fn schema(state: Option<AppState>, limits: &GraphqlLimits) -> MensaSchema {
    build(state, limits, ValidationMode::Strict)
}

/// `rules`: `Fast` checks the limits but not the validation rules, for documents known to
/// pass them (see `parsed`).
fn build(state: Option<AppState>, limits: &GraphqlLimits, rules: ValidationMode) -> MensaSchema {
    let mut builder = Schema::build(Query, MutationRoot::default(), EmptySubscription)
        .validation_mode(rules)
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .limit_recursive_depth(32)
        .limit_directives(10);
    if !limits.suggestions {
        builder = builder.disable_suggestions();
    }
    if let Some(state) = state {
        builder = builder.data(state);
    }
    builder.finish()
}

/// The SDL as checked in at `crates/gateway/schema.graphql`.
pub fn sdl() -> String {
    schema(None, &GraphqlLimits::default()).sdl()
}

/// Distinct operation texts kept parsed; a deployment's apps send a few dozen.
const PARSED_QUERIES: usize = 512;

struct Endpoint {
    schema: MensaSchema,
    /// The same schema without the validation rules, for `Validation::Done` requests.
    validated: MensaSchema,
    parsed: parsed::ParsedQueries,
}

pub fn router(state: &AppState) -> Router<AppState> {
    let endpoint = Arc::new(Endpoint {
        schema: schema(Some(state.clone()), &state.graphql_limits),
        validated: build(
            Some(state.clone()),
            &state.graphql_limits,
            ValidationMode::Fast,
        ),
        parsed: parsed::ParsedQueries::new(PARSED_QUERIES),
    });
    let router = if state.graphql_limits.graphiql {
        Router::new()
            .route("/graphql", get(explorer::page).post(execute))
            .route(
                &format!("{}{{file}}", explorer::PREFIX),
                get(explorer::file),
            )
    } else {
        Router::new().route("/graphql", get(explorer::off).post(execute))
    };
    router.layer(Extension(endpoint))
}

async fn execute(
    Extension(endpoint): Extension<Arc<Endpoint>>,
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let identity = match identify(&state, &tenant, address, &headers).await {
        Ok(identity) => identity,
        Err(refused) => return refused,
    };
    let limits = &state.graphql_limits;
    let mut request = match parse_request(&headers, body, limits).await {
        Ok(request) => request,
        Err(message) => return refusal(StatusCode::BAD_REQUEST, Code::BadUserInput, &message),
    };
    let validation = endpoint.parsed.prepare(&mut request);
    let request = request.data(Caller {
        tenant,
        identity,
        address,
    });
    let mut response = match validation {
        Validation::Done => endpoint.validated.execute(request).await,
        Validation::Needed { remember } => {
            let response = endpoint.schema.execute(request).await;
            // Data, even partial, means the document passed every rule.
            if let Some(validated) = remember
                && response.data != async_graphql::Value::Null
            {
                endpoint.parsed.passed(validated);
            }
            response
        }
    };
    for error in &mut response.errors {
        ensure_code(error);
    }
    let mut http = match serde_json::to_vec(&response) {
        Ok(body) => ([(CONTENT_TYPE, "application/json")], body).into_response(),
        Err(error) => {
            tracing::error!(%error, "graphql response not serialisable");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    };
    http.headers_mut()
        .insert("cache-control", HeaderValue::from_static("no-store"));
    http
}

/// Who calls, before the request is read: the address's rate limit, the bearer token's
/// session (none: an anonymous caller) and the credential's rate limit. `Err` is the
/// answer that refuses the request.
pub(crate) async fn identify(
    state: &AppState,
    tenant: &Tenant,
    address: std::net::IpAddr,
    headers: &HeaderMap,
) -> Result<Option<Identity>, Response> {
    let limits = &state.graphql_limits;
    state
        .graphql_rates
        .take(RateKey::Address(address), limits.per_address_per_minute)
        .map_err(rate_limited)?;
    let Some(token) = bearer(headers) else {
        return Ok(None);
    };
    let identity = match state.auth.authenticate(tenant.id, token).await {
        Ok(Some(identity)) => identity,
        Ok(None) => {
            return Err(refusal(
                StatusCode::UNAUTHORIZED,
                Code::Unauthenticated,
                "This token is not valid on this comune: it expired, was revoked, or belongs to another comune. Log in again.",
            ));
        }
        Err(error) => {
            tracing::error!(error.cause = %error, "authentication failed");
            return Err(refusal(
                StatusCode::INTERNAL_SERVER_ERROR,
                Code::Internal,
                "Something went wrong on our side; try again in a minute.",
            ));
        }
    };
    state
        .graphql_rates
        .take(
            RateKey::Credential(identity.credential.clone()),
            limits.per_credential_per_minute,
        )
        .map_err(rate_limited)?;
    Ok(Some(identity))
}

/// One operation per request: arrays of operations (batching) multiply the cost of a
/// request past every limit, so they are refused.
async fn parse_request(
    headers: &HeaderMap,
    body: Bytes,
    limits: &GraphqlLimits,
) -> Result<async_graphql::Request, String> {
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json");
    if content_type.starts_with("multipart/form-data") {
        let options = MultipartOptions::default()
            .max_file_size(limits.max_upload_bytes)
            .max_num_files(1);
        let reader = futures_util::io::Cursor::new(body.to_vec());
        return async_graphql::http::receive_body(Some(content_type), reader, options)
            .await
            .map_err(|e| format!("The multipart request is not valid: {e}"));
    }
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err("Batched requests are not accepted: send one operation per request.".into());
    }
    serde_json::from_slice::<async_graphql::Request>(&body).map_err(|e| {
        format!("The body must be a JSON object with `query` and optional `variables` and `operationName`: {e}")
    })
}

/// Errors the engine raises itself (syntax, validation, limits) carry no code yet: they
/// are all the caller's to fix.
fn ensure_code(error: &mut ServerError) {
    let has_code = error
        .extensions
        .as_ref()
        .is_some_and(|e| e.get("code").is_some());
    if !has_code {
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", Code::BadUserInput.as_str());
    }
}

fn refusal(status: StatusCode, code: Code, message: &str) -> Response {
    let body = serde_json::json!({
        "data": null,
        "errors": [{ "message": message, "extensions": { "code": code.as_str() } }],
    });
    (
        status,
        [(CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn rate_limited(wait: std::time::Duration) -> Response {
    let seconds = wait.as_secs().saturating_add(1);
    let mut response = refusal(
        StatusCode::TOO_MANY_REQUESTS,
        Code::RateLimited,
        &format!("Too many requests; retry in {seconds} seconds."),
    );
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(RETRY_AFTER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn checked_in_sdl_matches_the_code() {
        let checked_in = include_str!("../../schema.graphql");
        assert!(
            super::sdl() == checked_in,
            "crates/gateway/schema.graphql is out of date: run `cargo run -q -- schema > crates/gateway/schema.graphql` and review the diff (names may grow, never change or vanish)"
        );
    }
}
