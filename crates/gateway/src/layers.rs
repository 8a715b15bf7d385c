//! The HTTP layers every request passes: a request id (kept from a trusted caller or made
//! here, returned in the response), a trace span carrying it, the request's timeout and
//! body limit, gzip, CORS for integrators' web apps, and a hidden Authorization header in
//! logs.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::config::HttpLimits;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn apply(router: Router, limits: &HttpLimits) -> Router {
    let origins: Vec<HeaderValue> = limits
        .cors_origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE]);
    let trace = TraceLayer::new_for_http()
        .make_span_with(|request: &axum::http::Request<_>| {
            let request_id = request
                .headers()
                .get(&REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            // Every field is declared here, even those filled in later: a span only keeps
            // (and exports as attributes) the fields it was created with. `tenant.slug` is
            // recorded once the comune is known (see `tenant::CurrentTenant`), `http.route`
            // by the metrics middleware, the status when the response leaves.
            tracing::info_span!(
                "request",
                otel.kind = "server",
                http.method = %request.method(),
                http.route = tracing::field::Empty,
                http.response.status_code = tracing::field::Empty,
                request.id = request_id,
                tenant.slug = tracing::field::Empty,
            )
        })
        .on_response(
            |response: &axum::http::Response<_>,
             latency: std::time::Duration,
             span: &tracing::Span| {
                span.record("http.response.status_code", response.status().as_u16());
                tracing::debug!(latency_ms = latency.as_millis(), "response sent");
            },
        );
    // Outermost last: the id is set first, so the trace span and the response carry it.
    router
        .layer(CompressionLayer::new())
        .layer(cors)
        .layer(RequestBodyLimitLayer::new(limits.body_limit_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .layer(trace)
        .layer(SetSensitiveRequestHeadersLayer::new([
            header::AUTHORIZATION,
            header::COOKIE,
        ]))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}
