//! The HTTP layers every request passes: a request id (kept from a trusted caller or made
//! here, returned in the response), a trace span carrying it (continuing the caller's
//! trace when spans are exported), the request's timeout and body limit, gzip, CORS for
//! integrators' web apps, and a hidden Authorization header in logs.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tracing_opentelemetry::OpenTelemetrySpanExt;

use crate::config::HttpLimits;

/// Request headers as OpenTelemetry's propagators read them.
struct Headers<'a>(&'a axum::http::HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|value| value.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(HeaderName::as_str).collect()
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// `exporting`: spans go to a collector, so a request's span joins the trace its caller
/// (the ingress controller, an integrator) started, as `traceparent` says.
pub fn apply(router: Router, limits: &HttpLimits, exporting: bool) -> Router {
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
        .make_span_with(move |request: &axum::http::Request<_>| {
            let request_id = request
                .headers()
                .get(&REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            // Every field is declared here, even those filled in later: a span only keeps
            // (and exports as attributes) the fields it was created with. `tenant.slug` is
            // recorded once the comune is known (see `tenant::CurrentTenant`), `http.route`
            // by the metrics middleware, the status when the response leaves.
            let span = tracing::info_span!(
                "request",
                otel.kind = "server",
                http.method = %request.method(),
                http.route = tracing::field::Empty,
                http.response.status_code = tracing::field::Empty,
                request.id = request_id,
                tenant.slug = tracing::field::Empty,
            );
            if exporting {
                let parent = TraceContextPropagator::new().extract(&Headers(request.headers()));
                // Fails only without the OpenTelemetry layer, which `exporting` rules out.
                let _ = span.set_parent(parent);
            }
            span
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
