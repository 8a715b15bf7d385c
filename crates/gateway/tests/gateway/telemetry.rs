//! OpenTelemetry: with `OTEL_EXPORTER_OTLP_ENDPOINT` set, the real binary exports each
//! request's span, with its comune, and its metrics, to a collector; here a tiny OTLP
//! receiver decodes what it gets with the protocol's own message types.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use prost::Message;
use reqwest::StatusCode;

use crate::support::{GREVE, MensaProcess, SAN_CASCIANO};

const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Clone, Default)]
struct Received {
    traces: Arc<Mutex<Vec<ExportTraceServiceRequest>>>,
    metrics: Arc<Mutex<Vec<ExportMetricsServiceRequest>>>,
}

/// A collector's OTLP/HTTP endpoint, protobuf only (the exporter's default encoding).
async fn start_receiver() -> (String, Received) {
    let received = Received::default();
    let app = Router::new()
        .route(
            "/v1/traces",
            post(|State(r): State<Received>, body: Bytes| async move {
                let request = ExportTraceServiceRequest::decode(body).expect("OTLP trace protobuf");
                r.traces.lock().unwrap().push(request);
                StatusCode::OK
            }),
        )
        .route(
            "/v1/metrics",
            post(|State(r): State<Received>, body: Bytes| async move {
                let request =
                    ExportMetricsServiceRequest::decode(body).expect("OTLP metrics protobuf");
                r.metrics.lock().unwrap().push(request);
                StatusCode::OK
            }),
        )
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), received)
}

fn string_attribute<'a>(attributes: &'a [KeyValue], key: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|kv| kv.key == key)
        .and_then(|kv| kv.value.as_ref())
        .and_then(|AnyValue { value }| match value {
            Some(any_value::Value::StringValue(s)) => Some(s.as_str()),
            _ => None,
        })
}

#[tokio::test]
async fn a_request_span_reaches_the_collector_with_its_comune() {
    let (endpoint, received) = start_receiver().await;
    let data = tempfile::tempdir().unwrap();
    let mut mensa = MensaProcess::serve(&[
        ("MENSA_DATA_DIR", data.path().display().to_string()),
        ("MENSA_DEMO", "true".into()),
        // The test plays the ingress, whose request ids are kept.
        ("MENSA_TRUSTED_PROXIES", "127.0.0.1".into()),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint),
        ("OTEL_SERVICE_NAME", "mensa-under-test".into()),
    ])
    .await;

    let client = reqwest::Client::new();
    let page = client
        .get(format!("http://{}/", mensa.addr))
        .header("host", format!("{SAN_CASCIANO}.localhost"))
        .header("x-request-id", "trace-me-1")
        // The ingress controller started this trace: the gateway's span continues it.
        .header("traceparent", format!("00-{TRACE_ID}-00f067aa0ba902b7-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    // The API too: the comune comes from the host there as well.
    let api = client
        .post(format!("http://{}/graphql", mensa.addr))
        .header("host", format!("{GREVE}.localhost"))
        .header("x-request-id", "trace-me-2")
        .json(&serde_json::json!({ "query": "{ tenant { slug } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::OK);

    // Nothing waits for the exporter's schedule: the spans still buffered leave on
    // shutdown, which is also what this checks.
    mensa.terminate();
    let status = mensa.wait(Duration::from_secs(30)).await;
    assert!(status.success(), "exit {status:?}:\n{}", mensa.output());

    let traces = received.traces.lock().unwrap().clone();
    let resource_spans: Vec<_> = traces.iter().flat_map(|r| &r.resource_spans).collect();
    let request = resource_spans
        .iter()
        .flat_map(|rs| rs.scope_spans.iter().flat_map(|ss| &ss.spans))
        .find(|span| string_attribute(&span.attributes, "request.id") == Some("trace-me-1"))
        .unwrap_or_else(|| panic!("no span of the request among {traces:#?}"));
    assert_eq!(request.name, "request");
    assert_eq!(hex(&request.trace_id), TRACE_ID);
    assert_eq!(hex(&request.parent_span_id), "00f067aa0ba902b7");
    assert_eq!(
        string_attribute(&request.attributes, "tenant.slug"),
        Some(SAN_CASCIANO)
    );
    assert_eq!(
        string_attribute(&request.attributes, "http.route"),
        Some("/")
    );
    let graphql = resource_spans
        .iter()
        .flat_map(|rs| rs.scope_spans.iter().flat_map(|ss| &ss.spans))
        .find(|span| string_attribute(&span.attributes, "request.id") == Some("trace-me-2"))
        .expect("the GraphQL request's span");
    assert_eq!(
        string_attribute(&graphql.attributes, "tenant.slug"),
        Some(GREVE)
    );
    assert_eq!(
        string_attribute(&graphql.attributes, "http.route"),
        Some("/graphql")
    );
    let server = opentelemetry_proto::tonic::trace::v1::span::SpanKind::Server;
    assert_eq!(request.kind, i32::from(server));
    let resource = resource_spans[0].resource.as_ref().unwrap();
    assert_eq!(
        string_attribute(&resource.attributes, "service.name"),
        Some("mensa-under-test")
    );

    // The last reading of the metrics is sent on shutdown too.
    let metrics = received.metrics.lock().unwrap().clone();
    let names: Vec<&str> = metrics
        .iter()
        .flat_map(|r| &r.resource_metrics)
        .flat_map(|rm| &rm.scope_metrics)
        .flat_map(|sm| &sm.metrics)
        .map(|m| m.name.as_str())
        .collect();
    for name in [
        "http.server.request.duration",
        "mensa.account.actors.live",
        "mensa.balance_cache.operations",
        "mensa.ledger.batches",
        "mensa.ledger.postings",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
}
