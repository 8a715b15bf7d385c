//! Configuration from the environment, overridable by command-line flags.
//!
//! Every value is parsed here, at the edge: a bad one stops start-up with a message that
//! names the variable and says what is expected.

use std::net::SocketAddr;
use std::path::PathBuf;

use tenancy::{HostResolver, TrustedProxies};

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
    pub variable: &'static str,
    pub problem: String,
}

/// The raw values, from flags or the environment, before parsing.
#[derive(Clone, Debug, Default)]
pub struct RawConfig {
    pub addr: Option<String>,
    pub admin_addr: Option<String>,
    pub data_dir: Option<String>,
    pub database_url: Option<String>,
    pub redis_url: Option<String>,
    pub cache_prefix: Option<String>,
    pub base_domain: Option<String>,
    pub trusted_proxies: Option<String>,
    pub demo: Option<String>,
    pub request_timeout_seconds: Option<String>,
    pub body_limit_bytes: Option<String>,
    pub cors_origins: Option<String>,
    pub log_format: Option<String>,
    pub actor_idle_seconds: Option<String>,
    pub ledger_batch: Option<String>,
    pub ledger_committers: Option<String>,
    pub secure_cookies: Option<String>,
    pub hsts_seconds: Option<String>,
    pub session_hours: Option<String>,
    pub graphql_max_depth: Option<String>,
    pub graphql_max_complexity: Option<String>,
    pub graphql_rate_per_credential: Option<String>,
    pub graphql_rate_per_address: Option<String>,
    pub document_max_bytes: Option<String>,
    pub login_lock_after: Option<String>,
    pub login_step_delay_ms: Option<String>,
    pub pagopa: crate::creditor::RawPagoPa,
    pub otlp_endpoint: Option<String>,
    pub otlp_protocol: Option<String>,
    pub service_name: Option<String>,
}

impl RawConfig {
    /// Reads the process environment; empty variables count as unset.
    pub fn from_env() -> Self {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|value| !value.trim().is_empty())
        };
        RawConfig {
            addr: var("MENSA_ADDR"),
            admin_addr: var("MENSA_ADMIN_ADDR"),
            data_dir: var("MENSA_DATA_DIR"),
            database_url: var("DATABASE_URL"),
            redis_url: var("REDIS_URL"),
            cache_prefix: var("MENSA_CACHE_PREFIX"),
            base_domain: var("MENSA_BASE_DOMAIN"),
            trusted_proxies: var("MENSA_TRUSTED_PROXIES"),
            demo: var("MENSA_DEMO"),
            request_timeout_seconds: var("MENSA_REQUEST_TIMEOUT_SECONDS"),
            body_limit_bytes: var("MENSA_BODY_LIMIT_BYTES"),
            cors_origins: var("MENSA_CORS_ORIGINS"),
            log_format: var("MENSA_LOG_FORMAT"),
            actor_idle_seconds: var("MENSA_ACTOR_IDLE_SECONDS"),
            ledger_batch: var("MENSA_LEDGER_BATCH"),
            ledger_committers: var("MENSA_LEDGER_COMMITTERS"),
            secure_cookies: var("MENSA_SECURE_COOKIES"),
            hsts_seconds: var("MENSA_HSTS_SECONDS"),
            session_hours: var("MENSA_SESSION_HOURS"),
            graphql_max_depth: var("MENSA_GRAPHQL_MAX_DEPTH"),
            graphql_max_complexity: var("MENSA_GRAPHQL_MAX_COMPLEXITY"),
            graphql_rate_per_credential: var("MENSA_GRAPHQL_RATE_PER_CREDENTIAL"),
            graphql_rate_per_address: var("MENSA_GRAPHQL_RATE_PER_ADDRESS"),
            document_max_bytes: var("MENSA_DOCUMENT_MAX_BYTES"),
            login_lock_after: var("MENSA_LOGIN_LOCK_AFTER"),
            login_step_delay_ms: var("MENSA_LOGIN_STEP_DELAY_MS"),
            pagopa: crate::creditor::RawPagoPa::from_env(var),
            otlp_endpoint: var("OTEL_EXPORTER_OTLP_ENDPOINT"),
            otlp_protocol: var("OTEL_EXPORTER_OTLP_PROTOCOL"),
            service_name: var("OTEL_SERVICE_NAME"),
        }
    }
}

impl Config {
    pub fn parse(raw: RawConfig) -> Result<Self, ConfigError> {
        let addr = raw.addr.as_deref().unwrap_or("127.0.0.1:8080");
        let addr = addr.parse().map_err(|_| ConfigError {
            variable: "MENSA_ADDR",
            problem: format!(
                "'{addr}' is not an address: expected host:port such as 127.0.0.1:8080"
            ),
        })?;
        let admin_addr = raw
            .admin_addr
            .as_deref()
            .map(|admin| {
                admin.parse().map_err(|_| ConfigError {
                    variable: "MENSA_ADMIN_ADDR",
                    problem: format!(
                        "'{admin}' is not an address: expected host:port such as 0.0.0.0:9090"
                    ),
                })
            })
            .transpose()?;
        let data_dir = PathBuf::from(raw.data_dir.as_deref().unwrap_or("./data"));
        let database = match raw.database_url.as_deref() {
            None => DatabaseConfig::Sqlite {
                path: data_dir.join("mensa.sqlite"),
            },
            Some(url) => parse_database_url(url)?,
        };
        let redis_url = raw.redis_url.map(|url| parse_redis_url(&url)).transpose()?;
        let cache_prefix = raw.cache_prefix.unwrap_or_else(|| "mensa".to_owned());
        if !cache_prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(ConfigError {
                variable: "MENSA_CACHE_PREFIX",
                problem: format!("'{cache_prefix}' may only hold letters, digits, - and _"),
            });
        }
        let base_domain = raw.base_domain.as_deref().unwrap_or("localhost");
        let hosts = HostResolver::new(base_domain).map_err(|e| ConfigError {
            variable: "MENSA_BASE_DOMAIN",
            problem: format!("{e}"),
        })?;
        let trusted_proxies = TrustedProxies::parse(raw.trusted_proxies.as_deref().unwrap_or(""))
            .map_err(|e| ConfigError {
                variable: "MENSA_TRUSTED_PROXIES",
                problem: format!("{e}: expected a comma-separated list of addresses or networks such as 10.0.0.0/8,::1"),
            })?;
        let demo = match raw.demo.as_deref() {
            // Demo data belongs to the embedded default; a configured database is
            // assumed to be production unless told otherwise.
            None => raw.database_url.is_none(),
            Some(value) => parse_bool(value).ok_or_else(|| ConfigError {
                variable: "MENSA_DEMO",
                problem: format!("'{value}' is not a switch: expected true or false"),
            })?,
        };
        let http = HttpLimits {
            request_timeout: std::time::Duration::from_secs(number(
                raw.request_timeout_seconds.as_deref(),
                "MENSA_REQUEST_TIMEOUT_SECONDS",
                30,
                1..=600,
            )?),
            body_limit_bytes: usize::try_from(number(
                raw.body_limit_bytes.as_deref(),
                "MENSA_BODY_LIMIT_BYTES",
                10 * 1024 * 1024,
                1_024..=1_073_741_824,
            )?)
            .unwrap_or(usize::MAX),
            cors_origins: parse_origins(raw.cors_origins.as_deref().unwrap_or(""))?,
        };
        let defaults = accounts::EngineConfig::default();
        let engine = accounts::EngineConfig {
            idle_timeout: std::time::Duration::from_secs(number(
                raw.actor_idle_seconds.as_deref(),
                "MENSA_ACTOR_IDLE_SECONDS",
                defaults.idle_timeout.as_secs(),
                1..=86_400,
            )?),
            max_batch: usize::try_from(number(
                raw.ledger_batch.as_deref(),
                "MENSA_LEDGER_BATCH",
                10_000,
                1..=16_000,
            )?)
            .unwrap_or(defaults.max_batch),
            committers: usize::try_from(number(
                raw.ledger_committers.as_deref(),
                "MENSA_LEDGER_COMMITTERS",
                2,
                1..=8,
            )?)
            .unwrap_or(defaults.committers),
            ..defaults
        };
        let security = crate::security::SecurityConfig {
            // Browsers send Secure cookies only over HTTPS; plain-http development runs on
            // localhost, production never does.
            secure_cookies: match raw.secure_cookies.as_deref() {
                None => hosts.base_domain() != "localhost",
                Some(value) => parse_bool(value).ok_or_else(|| ConfigError {
                    variable: "MENSA_SECURE_COOKIES",
                    problem: format!("'{value}' is not a switch: expected true or false"),
                })?,
            },
            hsts_seconds: raw
                .hsts_seconds
                .as_deref()
                .map(|value| number(Some(value), "MENSA_HSTS_SECONDS", 0, 0..=63_072_000))
                .transpose()?
                .filter(|seconds| *seconds > 0),
        };
        let log_format = match raw.log_format.as_deref() {
            // A person runs the demo; production logs go to a collector.
            None => {
                if demo {
                    LogFormat::Text
                } else {
                    LogFormat::Json
                }
            }
            Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError {
                    variable: "MENSA_LOG_FORMAT",
                    problem: format!("'{other}' is not a log format: expected text or json"),
                });
            }
        };
        let auth = auth::AuthConfig {
            session_lifetime: std::time::Duration::from_secs(
                number(
                    raw.session_hours.as_deref(),
                    "MENSA_SESSION_HOURS",
                    12,
                    1..=24 * 30,
                )?
                .saturating_mul(3600),
            ),
            throttle: auth::ThrottleConfig {
                lock_after: u32::try_from(number(
                    raw.login_lock_after.as_deref(),
                    "MENSA_LOGIN_LOCK_AFTER",
                    10,
                    3..=1_000,
                )?)
                .unwrap_or(10),
                step_delay: std::time::Duration::from_millis(number(
                    raw.login_step_delay_ms.as_deref(),
                    "MENSA_LOGIN_STEP_DELAY_MS",
                    500,
                    0..=10_000,
                )?),
                ..Default::default()
            },
            ..Default::default()
        };
        let size = |value: u64| usize::try_from(value).unwrap_or(usize::MAX);
        let per_minute = |value: u64| u32::try_from(value).unwrap_or(u32::MAX);
        let graphql = crate::graphql::GraphqlLimits {
            max_depth: size(number(
                raw.graphql_max_depth.as_deref(),
                "MENSA_GRAPHQL_MAX_DEPTH",
                12,
                3..=50,
            )?),
            max_complexity: size(number(
                raw.graphql_max_complexity.as_deref(),
                "MENSA_GRAPHQL_MAX_COMPLEXITY",
                2_000,
                10..=1_000_000,
            )?),
            max_upload_bytes: size(number(
                raw.document_max_bytes.as_deref(),
                "MENSA_DOCUMENT_MAX_BYTES",
                10 * 1024 * 1024,
                1_024..=1_073_741_824,
            )?),
            per_credential_per_minute: per_minute(number(
                raw.graphql_rate_per_credential.as_deref(),
                "MENSA_GRAPHQL_RATE_PER_CREDENTIAL",
                600,
                0..=1_000_000,
            )?),
            per_address_per_minute: per_minute(number(
                raw.graphql_rate_per_address.as_deref(),
                "MENSA_GRAPHQL_RATE_PER_ADDRESS",
                1_200,
                0..=1_000_000,
            )?),
            // Field suggestions help a developer at the demo, not an attacker in production.
            suggestions: demo,
        };
        let pagopa = crate::creditor::PagoPaConfig::parse(raw.pagopa, demo)?;
        let otlp = raw
            .otlp_endpoint
            .as_deref()
            .map(|endpoint| parse_otlp(endpoint, raw.otlp_protocol.as_deref()))
            .transpose()?;
        Ok(Config {
            addr,
            admin_addr,
            data_dir,
            database,
            redis_url,
            cache_prefix,
            hosts,
            trusted_proxies,
            demo,
            http,
            log_format,
            engine,
            security,
            auth,
            graphql,
            pagopa,
            otlp,
            service_name: raw.service_name.unwrap_or_else(|| "mensa".to_owned()),
        })
    }
}

fn parse_otlp(endpoint: &str, protocol: Option<&str>) -> Result<OtlpConfig, ConfigError> {
    // The exporter is built without TLS (a collector runs next to the gateway: a sidecar,
    // a node agent or a compose service), so an https endpoint would fail on every export.
    if !endpoint.starts_with("http://") {
        return Err(ConfigError {
            variable: "OTEL_EXPORTER_OTLP_ENDPOINT",
            problem: format!(
                "'{}' is not supported: expected http://collector:4318 (OTLP over plain HTTP to a nearby collector)",
                redact(endpoint)
            ),
        });
    }
    let protocol = match protocol.map(str::trim) {
        None | Some("http/protobuf") => OtlpProtocol::Protobuf,
        Some("http/json") => OtlpProtocol::Json,
        Some(other) => {
            return Err(ConfigError {
                variable: "OTEL_EXPORTER_OTLP_PROTOCOL",
                problem: format!(
                    "'{other}' is not supported: expected http/protobuf or http/json (no grpc in this build)"
                ),
            });
        }
    };
    Ok(OtlpConfig {
        endpoint: endpoint.to_owned(),
        protocol,
    })
}

fn parse_database_url(url: &str) -> Result<DatabaseConfig, ConfigError> {
    let bad = |problem: String| ConfigError {
        variable: "DATABASE_URL",
        problem,
    };
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        let path = path.split('?').next().unwrap_or_default();
        if path.is_empty() {
            return Err(bad(
                "the SQLite URL names no file: expected sqlite://path/to/mensa.sqlite".into(),
            ));
        }
        return Ok(DatabaseConfig::Sqlite {
            path: PathBuf::from(path),
        });
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(DatabaseConfig::Postgres {
            url: url.to_owned(),
        });
    }
    Err(bad(format!(
        "'{}' is not supported: expected postgres://user@host/db or sqlite://file",
        redact(url)
    )))
}

fn parse_redis_url(url: &str) -> Result<String, ConfigError> {
    if url.starts_with("redis://") || url.starts_with("rediss://") {
        Ok(url.to_owned())
    } else {
        Err(ConfigError {
            variable: "REDIS_URL",
            problem: format!(
                "'{}' is not a Redis URL: expected redis://host:6379",
                redact(url)
            ),
        })
    }
}

fn number(
    value: Option<&str>,
    variable: &'static str,
    default: u64,
    range: std::ops::RangeInclusive<u64>,
) -> Result<u64, ConfigError> {
    let Some(value) = value else {
        return Ok(default);
    };
    value
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| ConfigError {
            variable,
            problem: format!(
                "'{value}' is not a whole number from {} to {}",
                range.start(),
                range.end()
            ),
        })
}

/// `https://app.example.it,https://other.example.it`: scheme and host, no path.
fn parse_origins(list: &str) -> Result<Vec<String>, ConfigError> {
    list.split(',')
        .map(str::trim)
        .filter(|origin| !origin.is_empty())
        .map(|origin| {
            let valid = (origin.starts_with("https://") || origin.starts_with("http://"))
                && !origin
                    .trim_start_matches("https://")
                    .trim_start_matches("http://")
                    .contains('/')
                && origin.is_ascii();
            if valid {
                Ok(origin.to_owned())
            } else {
                Err(ConfigError {
                    variable: "MENSA_CORS_ORIGINS",
                    problem: format!(
                        "'{origin}' is not an origin: expected https://host[:port], comma-separated"
                    ),
                })
            }
        })
        .collect()
}

pub(crate) fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
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
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn parse(raw: RawConfig) -> Result<Config, ConfigError> {
        Config::parse(raw)
    }

    #[test]
    fn defaults_are_the_embedded_demo() {
        let config = parse(RawConfig::default()).unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(
            config.database,
            DatabaseConfig::Sqlite {
                path: PathBuf::from("./data/mensa.sqlite")
            }
        );
        assert!(config.redis_url.is_none());
        assert!(config.demo);
        assert_eq!(config.hosts.base_domain(), "localhost");
        assert!(!config.security.secure_cookies, "plain http on localhost");
        assert_eq!(config.security.hsts_seconds, None);
    }

    #[test]
    fn cookies_are_secure_off_localhost_and_hsts_is_opt_in() {
        let raw = RawConfig {
            base_domain: Some("mensa.example.it".into()),
            hsts_seconds: Some("31536000".into()),
            ..Default::default()
        };
        let security = parse(raw.clone()).unwrap().security;
        assert!(security.secure_cookies);
        assert_eq!(security.hsts_seconds, Some(31_536_000));
        let raw = RawConfig {
            secure_cookies: Some("false".into()),
            hsts_seconds: Some("0".into()),
            ..raw
        };
        let security = parse(raw).unwrap().security;
        assert!(!security.secure_cookies);
        assert_eq!(security.hsts_seconds, None);
    }

    #[test]
    fn a_configured_database_turns_the_demo_off_unless_asked() {
        let raw = RawConfig {
            database_url: Some("postgres://postgres@127.0.0.1/mensa".into()),
            ..Default::default()
        };
        assert!(!parse(raw.clone()).unwrap().demo);
        let raw = RawConfig {
            demo: Some("true".into()),
            ..raw
        };
        assert!(parse(raw).unwrap().demo);
    }

    #[test]
    fn bad_values_name_their_variable() {
        let cases = [
            (
                RawConfig {
                    addr: Some("nowhere".into()),
                    ..Default::default()
                },
                "MENSA_ADDR",
            ),
            (
                RawConfig {
                    database_url: Some("mysql://x".into()),
                    ..Default::default()
                },
                "DATABASE_URL",
            ),
            (
                RawConfig {
                    redis_url: Some("http://x".into()),
                    ..Default::default()
                },
                "REDIS_URL",
            ),
            (
                RawConfig {
                    base_domain: Some("127.0.0.1".into()),
                    ..Default::default()
                },
                "MENSA_BASE_DOMAIN",
            ),
            (
                RawConfig {
                    demo: Some("maybe".into()),
                    ..Default::default()
                },
                "MENSA_DEMO",
            ),
            (
                RawConfig {
                    trusted_proxies: Some("10.0.0.0/40".into()),
                    ..Default::default()
                },
                "MENSA_TRUSTED_PROXIES",
            ),
            (
                RawConfig {
                    request_timeout_seconds: Some("0".into()),
                    ..Default::default()
                },
                "MENSA_REQUEST_TIMEOUT_SECONDS",
            ),
            (
                RawConfig {
                    body_limit_bytes: Some("lots".into()),
                    ..Default::default()
                },
                "MENSA_BODY_LIMIT_BYTES",
            ),
            (
                RawConfig {
                    cors_origins: Some("example.it/path".into()),
                    ..Default::default()
                },
                "MENSA_CORS_ORIGINS",
            ),
            (
                RawConfig {
                    log_format: Some("xml".into()),
                    ..Default::default()
                },
                "MENSA_LOG_FORMAT",
            ),
            (
                RawConfig {
                    actor_idle_seconds: Some("0".into()),
                    ..Default::default()
                },
                "MENSA_ACTOR_IDLE_SECONDS",
            ),
            (
                RawConfig {
                    ledger_batch: Some("100000".into()),
                    ..Default::default()
                },
                "MENSA_LEDGER_BATCH",
            ),
            (
                RawConfig {
                    ledger_committers: Some("many".into()),
                    ..Default::default()
                },
                "MENSA_LEDGER_COMMITTERS",
            ),
            (
                RawConfig {
                    secure_cookies: Some("sometimes".into()),
                    ..Default::default()
                },
                "MENSA_SECURE_COOKIES",
            ),
            (
                RawConfig {
                    hsts_seconds: Some("forever".into()),
                    ..Default::default()
                },
                "MENSA_HSTS_SECONDS",
            ),
            (
                RawConfig {
                    admin_addr: Some("9090".into()),
                    ..Default::default()
                },
                "MENSA_ADMIN_ADDR",
            ),
            (
                RawConfig {
                    otlp_endpoint: Some("https://collector:4318".into()),
                    ..Default::default()
                },
                "OTEL_EXPORTER_OTLP_ENDPOINT",
            ),
            (
                RawConfig {
                    otlp_endpoint: Some("http://collector:4318".into()),
                    otlp_protocol: Some("grpc".into()),
                    ..Default::default()
                },
                "OTEL_EXPORTER_OTLP_PROTOCOL",
            ),
        ];
        for (raw, variable) in cases {
            let error = parse(raw).unwrap_err();
            assert_eq!(error.variable, variable);
            assert!(error.to_string().starts_with(variable), "{error}");
        }
    }

    #[test]
    fn the_engine_is_tuned_from_the_environment() {
        let raw = RawConfig {
            actor_idle_seconds: Some("5".into()),
            ledger_batch: Some("500".into()),
            ledger_committers: Some("1".into()),
            ..Default::default()
        };
        let engine = parse(raw).unwrap().engine;
        assert_eq!(engine.idle_timeout, std::time::Duration::from_secs(5));
        assert_eq!((engine.max_batch, engine.committers), (500, 1));
    }

    #[test]
    fn telemetry_is_exported_only_when_an_endpoint_is_set() {
        let config = parse(RawConfig::default()).unwrap();
        assert_eq!((config.otlp, config.service_name.as_str()), (None, "mensa"));
        let config = parse(RawConfig {
            otlp_endpoint: Some("http://collector:4318".into()),
            otlp_protocol: Some("http/json".into()),
            service_name: Some("mensa-staging".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            config.otlp,
            Some(OtlpConfig {
                endpoint: "http://collector:4318".into(),
                protocol: OtlpProtocol::Json
            })
        );
        assert_eq!(config.service_name, "mensa-staging");
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://mensa:secret@db/mensa"),
            "postgres://mensa:***@db/mensa"
        );
        let error = parse(RawConfig {
            database_url: Some("mysql://u:secret@h/db".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert!(!error.to_string().contains("secret"));
    }
}
