//! Telemetry settings: the log format and where traces and metrics go.

use clap::Args;

use super::{LogFormat, OtlpConfig, OtlpProtocol, redact};

#[derive(Clone, Debug, Args)]
#[command(next_help_heading = "Telemetry")]
pub struct TelemetrySettings {
    /// Log lines for a person (`text`) or for a collector (`json`).
    ///
    /// Default: `text` in demo mode, `json` otherwise
    #[arg(long, env = "MENSA_LOG_FORMAT", global = true)]
    pub log_format: Option<LogFormat>,

    /// A collector's OTLP/HTTP base URL, `http://collector:4318`: traces (every request
    /// span with `tenant.slug`, `http.route`, `request.id`) go to `/v1/traces`, metrics to
    /// `/v1/metrics`.
    ///
    /// Plain HTTP only (no TLS, no gRPC): a collector next to the gateway.
    ///
    /// Default: none: nothing exported, no cost
    #[arg(long, env = "OTEL_EXPORTER_OTLP_ENDPOINT", global = true, value_parser = otlp_endpoint)]
    pub otlp_endpoint: Option<String>,

    /// `http/protobuf` or `http/json`.
    #[arg(
        long,
        env = "OTEL_EXPORTER_OTLP_PROTOCOL",
        global = true,
        default_value = "http/protobuf"
    )]
    pub otlp_protocol: OtlpProtocol,

    /// `service.name` of the exported telemetry.
    #[arg(
        long,
        env = "OTEL_SERVICE_NAME",
        global = true,
        default_value = "mensa"
    )]
    pub service_name: String,
}

impl TelemetrySettings {
    pub fn otlp(&self) -> Option<OtlpConfig> {
        self.otlp_endpoint.clone().map(|endpoint| OtlpConfig {
            endpoint,
            protocol: self.otlp_protocol,
        })
    }
}

impl std::str::FromStr for LogFormat {
    type Err = String;

    fn from_str(format: &str) -> Result<Self, String> {
        match format.trim() {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            other => Err(format!(
                "'{other}' is not a log format: expected text or json"
            )),
        }
    }
}

/// OTLP over HTTP only: gRPC would bring tonic and its TLS stack for no gain, since every
/// collector also listens on HTTP (port 4318).
impl std::str::FromStr for OtlpProtocol {
    type Err = String;

    fn from_str(protocol: &str) -> Result<Self, String> {
        match protocol.trim() {
            "http/protobuf" => Ok(OtlpProtocol::Protobuf),
            "http/json" => Ok(OtlpProtocol::Json),
            other => Err(format!(
                "'{other}' is not supported: expected http/protobuf or http/json (no grpc in this build)"
            )),
        }
    }
}

// The exporter is built without TLS (a collector runs next to the gateway: a sidecar, a
// node agent or a compose service), so an https endpoint would fail on every export.
fn otlp_endpoint(endpoint: &str) -> Result<String, String> {
    if endpoint.starts_with("http://") {
        Ok(endpoint.to_owned())
    } else {
        Err(format!(
            "'{}' is not supported: expected http://collector:4318 (OTLP over plain HTTP to a nearby collector)",
            redact(endpoint)
        ))
    }
}
