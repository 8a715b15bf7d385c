//! Configuration from the environment, overridable by command-line flags.
//!
//! Each setting is one field of a section's struct (`settings`): its flag, variable,
//! default, parser and help. Every value is parsed there, at the edge: a bad one stops
//! start-up with a message that names the variable and says what is expected. The rules
//! that join settings of different sections are `Config::from_settings`, here; the
//! README's table is rendered from the same declarations (`table`).

mod api_limits;
mod cookies;
mod creditor_listener;
mod hosts;
mod ledger;
mod logins;
mod observability;
mod pago_pa;
mod server;
mod settings;
mod storage;
pub mod table;
mod values;

use std::net::SocketAddr;
use std::path::PathBuf;

use tenancy::{HostResolver, TrustedProxies};

pub use api_limits::ApiLimitSettings;
pub use cookies::CookieSettings;
pub use creditor_listener::{
    AllowedIps, CreditorListenerConfig, CreditorListenerSettings, TlsFiles,
};
pub use hosts::HostSettings;
pub use ledger::LedgerSettings;
pub use logins::LoginSettings;
pub use observability::TelemetrySettings;
pub use pago_pa::{PagoPaSettings, Secret};
pub use server::{Origins, ServerSettings};
pub use settings::{Settings, read};
pub use storage::StorageSettings;

#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    /// Where `/metrics` is served instead of on `addr`, so that it never goes out through
    /// the public ingress; `None`: on `addr`, for development.
    pub admin_addr: Option<SocketAddr>,
    pub data_dir: PathBuf,
    pub database: DatabaseConfig,
    pub redis_url: Option<String>,
    /// Prefix of this deployment's keys in Redis, so deployments can share one server.
    pub cache_prefix: String,
    pub hosts: HostResolver,
    pub trusted_proxies: TrustedProxies,
    /// Demo mode: seeds the demo comuni on an empty database. Never in production.
    pub demo: bool,
    pub http: HttpLimits,
    pub log_format: LogFormat,
    pub engine: accounts::EngineConfig,
    pub security: crate::security::SecurityConfig,
    pub auth: auth::AuthConfig,
    pub graphql: crate::graphql::GraphqlLimits,
    pub pagopa: crate::creditor::PagoPaConfig,
    /// The address and mutual TLS of the pagoPA creditor SOAP interface.
    pub creditor_listener: CreditorListenerConfig,
    /// Where traces and metrics go over OTLP; `None`: nowhere, at no cost.
    pub otlp: Option<OtlpConfig>,
    /// `service.name` of the exported telemetry.
    pub service_name: String,
}

/// OpenTelemetry export. The endpoint, headers, timeout and per-signal endpoints are the
/// standard `OTEL_EXPORTER_OTLP_*` variables, read by the exporter itself; here we only
/// decide whether to export and check what this build can speak.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtlpConfig {
    pub endpoint: String,
    pub protocol: OtlpProtocol,
}

/// OTLP over HTTP only: gRPC would bring tonic and its TLS stack for no gain, since every
/// collector also listens on HTTP (port 4318).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OtlpProtocol {
    Protobuf,
    Json,
}

/// Limits and cross-origin rules of the HTTP layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpLimits {
    pub request_timeout: std::time::Duration,
    pub body_limit_bytes: usize,
    /// Origins allowed to call the API from a browser (integrators' web apps).
    pub cors_origins: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Readable lines, for a person at a terminal.
    Text,
    /// One JSON object per line, for a log collector.
    Json,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseConfig {
    /// The embedded default: one SQLite file in the data directory.
    Sqlite { path: PathBuf },
    /// A PostgreSQL URL of a login that owns the schema (it runs the migrations); the
    /// gateway's own work runs as the restricted role `RUNTIME_ROLE`.
    Postgres { url: String },
}

#[derive(Debug, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    pub variable: String,
    pub problem: String,
}

impl Config {
    /// The one place where settings meet: defaults that follow another setting, and the
    /// rules across sections.
    pub fn from_settings(settings: Settings) -> Result<Config, ConfigError> {
        let Settings {
            server,
            storage,
            hosts,
            cookies,
            logins,
            api,
            ledger,
            pagopa,
            creditor_listener,
            telemetry,
        } = settings;
        // Demo mode (known passwords, a sandbox that credits money for free) belongs to a
        // developer's machine: on by default only for `localhost` with the embedded
        // database. Any other domain, or a configured database, is production unless
        // MENSA_DEMO=true says otherwise.
        let demo = hosts.demo.unwrap_or(
            storage.database_url.is_none() && hosts.base_domain.base_domain() == "localhost",
        );
        let creditor_listener = creditor_listener.config();
        // The sandbox calls the creditor listener in plain HTTP, without a client
        // certificate: it runs by default only where the listener is plain.
        let sandbox = pagopa
            .pagopa_sandbox
            .unwrap_or(demo && !creditor_listener.has_tls());
        // The sandbox credits families without any money moving: it must never exist
        // where real families pay.
        if sandbox && !demo {
            return Err(ConfigError {
                variable: "MENSA_PAGOPA_SANDBOX".into(),
                problem: "the sandbox checkout only runs in demo mode (MENSA_DEMO=true); never in production".into(),
            });
        }
        if sandbox && creditor_listener.has_tls() {
            return Err(ConfigError {
                variable: "MENSA_PAGOPA_SANDBOX".into(),
                problem: "the sandbox calls the creditor listener in plain HTTP, which MENSA_PAGOPA_TLS_* turn into mutual TLS: unset them, or set MENSA_PAGOPA_SANDBOX=false".into(),
            });
        }
        let security = crate::security::SecurityConfig {
            // Browsers send Secure cookies only over HTTPS; plain-http development runs on
            // localhost, production never does.
            secure_cookies: cookies
                .secure_cookies
                .unwrap_or(hosts.base_domain.base_domain() != "localhost"),
            hsts_seconds: cookies.hsts_seconds.filter(|seconds| *seconds > 0),
        };
        // A person runs the demo; production logs go to a collector.
        let log_format = telemetry.log_format.unwrap_or(if demo {
            LogFormat::Text
        } else {
            LogFormat::Json
        });
        Ok(Config {
            addr: server.addr,
            admin_addr: server.admin_addr,
            database: storage
                .database_url
                .unwrap_or_else(|| DatabaseConfig::Sqlite {
                    path: storage.data_dir.join("mensa.sqlite"),
                }),
            data_dir: storage.data_dir,
            redis_url: storage.redis_url,
            cache_prefix: storage.cache_prefix,
            hosts: hosts.base_domain,
            trusted_proxies: hosts.trusted_proxies.unwrap_or_default(),
            demo,
            http: server.http_limits(),
            log_format,
            engine: ledger.engine(),
            security,
            auth: logins.auth(),
            // Field suggestions help a developer at the demo, not an attacker in production.
            graphql: api.limits(demo),
            pagopa: pagopa.config(sandbox),
            creditor_listener,
            otlp: telemetry.otlp(),
            service_name: telemetry.service_name,
        })
    }
}

/// Never print a password from a URL into a log or an error.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = url.get(scheme_end + 3..at).unwrap_or_default();
            let user = credentials.split(':').next().unwrap_or_default();
            format!(
                "{}{user}:***{}",
                url.get(..scheme_end + 3).unwrap_or_default(),
                url.get(at..).unwrap_or_default()
            )
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests;
