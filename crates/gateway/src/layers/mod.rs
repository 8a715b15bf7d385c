//! The HTTP layers every request passes: a request id (kept only from a trusted proxy,
//! otherwise made here; returned in the response), a trace span carrying it (continuing the caller's
//! trace when spans are exported), the request's timeout and body limit, gzip, CORS for
//! integrators' web apps, a hidden Authorization header in logs, and the security
//! headers of `security`.
//!
//! They wrap the whole router as one stack rather than each route (`Router::layer`): axum
//! boxes and clones a route's layers one by one on every request, and that cost more
//! than all of GraphQL on a small query (docs/benchmarks.md).

mod timeout;

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderName, HeaderValue, Method, Request, header};
use axum::response::{IntoResponse, Response};
use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tenancy::TrustedProxies;
use tower::ServiceBuilder;
use tower::util::BoxCloneSyncService;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tracing_opentelemetry::OpenTelemetrySpanExt;

use self::timeout::TimeoutLayer;
use crate::config::HttpLimits;
use crate::security::SecurityConfig;

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

/// Request ids shaped as UUIDs: this process's random half, then a counter. Unique across
/// replicas like random UUIDs, without asking the kernel for randomness on every request.
#[derive(Clone)]
struct RequestIds {
    process: u64,
    counter: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl RequestIds {
    fn new() -> Self {
        // Without the kernel's randomness the clock still tells processes apart.
        let process = getrandom::u64().unwrap_or_else(|_| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() ^ u64::from(d.subsec_nanos()))
        });
        RequestIds {
            process,
            counter: std::sync::Arc::default(),
        }
    }

    fn next(&self) -> String {
        let n = self
            .counter
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let p = self.process;
        // UUID version 8 (custom) with the RFC 9562 variant bits.
        format!(
            "{:08x}-{:04x}-8{:03x}-{:04x}-{:012x}",
            p >> 32,
            (p >> 16) & 0xffff,
            p & 0xfff,
            0x8000 | ((n >> 48) & 0x3fff),
            n & 0xffff_ffff_ffff
        )
    }
}

/// Drops a client's `X-Request-Id` unless it comes from a trusted proxy (the ingress that
/// made it): an id chosen by anyone else could collide with another request's on purpose,
/// or smuggle text into the logs and traces that everyone searches by it.
fn forget_untrusted_request_id(
    mut request: Request<Body>,
    trusted: &TrustedProxies,
) -> Request<Body> {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    if !peer.is_some_and(|peer| trusted.trusts(peer)) {
        request.headers_mut().remove(&REQUEST_ID);
    }
    request
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&self.next()).ok().map(RequestId::new)
    }
}

/// `exporting`: spans go to a collector, so a request's span joins the trace its caller
/// (the ingress controller, an integrator) started, as `traceparent` says.
/// `trusted`: the proxies whose `X-Request-Id` is kept.
pub fn apply(
    router: Router,
    limits: &HttpLimits,
    security: &SecurityConfig,
    trusted: TrustedProxies,
    exporting: bool,
) -> BoxCloneSyncService<Request<Body>, Response, Infallible> {
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
            // by the route metrics layer, the status when the response leaves.
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
    // Outermost first: the id is set first, so the trace span and the response carry it.
    let stack = ServiceBuilder::new()
        .map_response(IntoResponse::into_response)
        .map_request(move |request| forget_untrusted_request_id(request, &trusted))
        .layer(SetRequestIdLayer::new(REQUEST_ID, RequestIds::new()))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetSensitiveRequestHeadersLayer::new([
            header::AUTHORIZATION,
            header::COOKIE,
        ]))
        .layer(trace)
        .layer(TimeoutLayer(limits.request_timeout))
        .layer(RequestBodyLimitLayer::new(limits.body_limit_bytes))
        .layer(cors)
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            security.hsts(),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .service(router);
    BoxCloneSyncService::new(stack)
}

#[cfg(test)]
mod tests {
    use super::RequestIds;

    #[test]
    fn request_ids_are_uuid_shaped_and_never_repeat() {
        let ids = RequestIds::new();
        let (first, second) = (ids.next(), ids.next());
        assert_ne!(first, second);
        let groups: Vec<usize> = first.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12], "{first}");
        assert_eq!(&first[14..15], "8", "version 8: {first}");
        assert_ne!(
            RequestIds::new().next(),
            first,
            "another process, another id"
        );
    }
}
