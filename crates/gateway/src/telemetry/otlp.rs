//! The OTLP exporters of traces and metrics.
//!
//! The SDK's batch span processor and periodic metric reader each run on a thread of their
//! own and export with a blocking HTTP client, so the request path only queues a finished
//! span (dropped, never waited for, when the queue is full) and tokio's workers never
//! block on the collector.

use opentelemetry::KeyValue;
use opentelemetry::metrics::{Meter, MeterProvider};
use opentelemetry::trace::TracerProvider;
use opentelemetry_otlp::{MetricExporter, Protocol, SpanExporter, WithExportConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::metrics::{PeriodicReader, SdkMeterProvider};
use opentelemetry_sdk::trace::{SdkTracer, SdkTracerProvider};

use crate::config::{OtlpConfig, OtlpProtocol};

#[derive(Debug)]
pub(super) struct Exporters {
    traces: SdkTracerProvider,
    metrics: SdkMeterProvider,
}

impl Exporters {
    /// The endpoint, headers and timeout come from the standard `OTEL_EXPORTER_OTLP_*`
    /// variables, which the exporter reads itself (so per-signal endpoints work too).
    pub fn start(
        config: &OtlpConfig,
        service_name: &str,
    ) -> Result<Self, opentelemetry_otlp::ExporterBuildError> {
        let protocol = match config.protocol {
            OtlpProtocol::Protobuf => Protocol::HttpBinary,
            OtlpProtocol::Json => Protocol::HttpJson,
        };
        let resource = Resource::builder()
            .with_service_name(service_name.to_owned())
            .with_attribute(KeyValue::new("service.version", env!("CARGO_PKG_VERSION")))
            .build();
        let spans = SpanExporter::builder()
            .with_http()
            .with_protocol(protocol)
            .build()?;
        let traces = SdkTracerProvider::builder()
            .with_batch_exporter(spans)
            .with_resource(resource.clone())
            .build();
        let readings = MetricExporter::builder()
            .with_http()
            .with_protocol(protocol)
            .build()?;
        // The reader's interval is OTEL_METRIC_EXPORT_INTERVAL (default 60 s).
        let metrics = SdkMeterProvider::builder()
            .with_reader(PeriodicReader::builder(readings).build())
            .with_resource(resource)
            .build();
        Ok(Exporters { traces, metrics })
    }

    pub fn tracer(&self) -> SdkTracer {
        self.traces.tracer("mensa")
    }

    pub fn meter(&self) -> Meter {
        self.metrics.meter("mensa")
    }

    pub fn shutdown(self) {
        // A collector that is down costs the exporters' timeout here, never the exit code:
        // the data is lost either way, and the gateway's own work is already done.
        if let Err(error) = self.traces.shutdown() {
            tracing::warn!(%error, "the last spans could not be exported");
        }
        if let Err(error) = self.metrics.shutdown() {
            tracing::warn!(%error, "the last metrics could not be exported");
        }
    }
}
