//! Logs, traces and exported metrics.
//!
//! Logs always go to standard output: readable lines for a person (demo, development), one
//! JSON object per line for a collector (production). When `OTEL_EXPORTER_OTLP_ENDPOINT`
//! is set, every `tracing` span (the request span with its route and comune, and what runs
//! inside it) is also exported as an OpenTelemetry trace, and the gateway's counters as
//! OTLP metrics. When it is not set no exporter exists and the OpenTelemetry layer is
//! absent from the subscriber: nothing is recorded for it.

mod otlp;

use opentelemetry::metrics::Meter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::config::{Config, LogFormat};

/// What must outlive serving: the exporters, flushed by `shutdown`.
#[derive(Debug)]
pub struct Telemetry {
    otlp: Option<otlp::Exporters>,
}

#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    #[error("cannot set up the OTLP exporter: {0}")]
    Exporter(#[from] opentelemetry_otlp::ExporterBuildError),
    #[error("a logger is already installed: {0}")]
    AlreadyInstalled(#[from] tracing_subscriber::util::TryInitError),
}

impl Telemetry {
    /// Installs the process-wide subscriber; call once, before anything logs.
    pub fn init(config: &Config) -> Result<Self, TelemetryError> {
        let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
        let logs = match config.log_format {
            LogFormat::Text => tracing_subscriber::fmt::layer().boxed(),
            LogFormat::Json => tracing_subscriber::fmt::layer()
                .json()
                .flatten_event(true)
                .with_current_span(true)
                .boxed(),
        };
        let otlp = config
            .otlp
            .as_ref()
            .map(|otlp| otlp::Exporters::start(otlp, &config.service_name))
            .transpose()?;
        let traces = otlp.as_ref().map(|exporters| {
            tracing_opentelemetry::layer()
                .with_tracer(exporters.tracer())
                // Errors, the request id and the comune are fields: the span's attributes
                // carry them; the source location and thread only add bytes.
                .with_location(false)
                .with_threads(false)
        });
        tracing_subscriber::registry()
            .with(traces)
            .with(logs)
            .with(filter)
            .try_init()?;
        if let Some(otlp) = &config.otlp {
            tracing::info!(
                otlp.endpoint = %otlp.endpoint,
                otlp.protocol = ?otlp.protocol,
                service.name = %config.service_name,
                "exporting traces and metrics over OTLP"
            );
        }
        Ok(Telemetry { otlp })
    }

    /// Where the gateway's metrics are exported, when an exporter is configured.
    pub fn meter(&self) -> Option<Meter> {
        self.otlp.as_ref().map(otlp::Exporters::meter)
    }

    /// Sends what is still buffered (the last spans, a last reading of the metrics) and
    /// stops the exporters. Blocks up to the exporters' timeouts: call it off the runtime.
    pub fn shutdown(self) {
        if let Some(otlp) = self.otlp {
            otlp.shutdown();
        }
    }
}
