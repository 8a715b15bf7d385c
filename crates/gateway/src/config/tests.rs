#![allow(clippy::unwrap_used)]
use super::*;

/// A configuration from these flags alone, as `mensa` would build it.
fn parse(flags: &[&str]) -> Result<Config, ConfigError> {
    Config::from_settings(Settings::from_flags(flags.iter().copied())?)
}

#[test]
fn defaults_are_the_embedded_demo() {
    let config = Config::from_settings(Settings::default()).unwrap();
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
    assert_eq!(config.log_format, LogFormat::Text);
    assert!(config.graphql.suggestions);
    assert!(config.pagopa.sandbox);
    assert_eq!(config.pagopa.station.broker_id, "77777777777");
    assert_eq!(config.pagopa.station.station_id, "77777777777_01");
    assert!(config.pagopa.checkout.is_none() && config.pagopa.archive.is_none());
    assert_eq!(
        config.http,
        HttpLimits {
            request_timeout: std::time::Duration::from_secs(30),
            body_limit_bytes: 10 * 1024 * 1024,
            cors_origins: Vec::new(),
        }
    );
    assert_eq!(
        config.graphql,
        crate::graphql::GraphqlLimits {
            suggestions: true,
            graphiql: true,
            ..Default::default()
        }
    );
}

#[test]
fn graphiql_is_on_in_demo_mode_only_unless_asked() {
    let domain = ["--base-domain", "mensa.example.it"];
    let production = ["--database-url", "postgres://mensa@db/mensa"];
    let graphiql = |args: &[&str]| parse(args).unwrap().graphql.graphiql;
    assert!(!graphiql(&[&domain[..], &production[..]].concat()));
    assert!(graphiql(
        &[&domain[..], &production[..], &["--graphiql", "true"]].concat()
    ));
    assert!(graphiql(&["--demo", "true"]));
    assert!(!graphiql(&["--demo", "true", "--graphiql", "false"]));
}

#[test]
fn cookies_are_secure_off_localhost_and_hsts_is_opt_in() {
    let domain = ["--base-domain", "mensa.example.it"];
    let security = parse(&[&domain[..], &["--hsts-seconds", "31536000"]].concat())
        .unwrap()
        .security;
    assert!(security.secure_cookies);
    assert_eq!(security.hsts_seconds, Some(31_536_000));
    let flags = [
        &domain[..],
        &["--secure-cookies", "false", "--hsts-seconds", "0"],
    ]
    .concat();
    let security = parse(&flags).unwrap().security;
    assert!(!security.secure_cookies);
    assert_eq!(security.hsts_seconds, None);
}

#[test]
fn a_configured_database_turns_the_demo_off_unless_asked() {
    let database = ["--database-url", "postgres://postgres@127.0.0.1/mensa"];
    let production = parse(&database).unwrap();
    assert!(!production.demo);
    assert_eq!(production.log_format, LogFormat::Json);
    assert!(!production.pagopa.sandbox && !production.graphql.suggestions);
    assert!(
        parse(&[&database[..], &["--demo", "true"]].concat())
            .unwrap()
            .demo
    );
}

#[test]
fn the_sandbox_is_refused_outside_the_demo() {
    let error = parse(&["--demo", "false", "--pagopa-sandbox", "true"]).unwrap_err();
    assert_eq!(error.variable, "MENSA_PAGOPA_SANDBOX");
}

#[test]
fn bad_values_name_their_variable() {
    let cases: &[(&[&str], &str)] = &[
        (&["--addr", "nowhere"], "MENSA_ADDR"),
        (&["--database-url", "mysql://x"], "DATABASE_URL"),
        (&["--database-url", "sqlite://"], "DATABASE_URL"),
        (&["--redis-url", "http://x"], "REDIS_URL"),
        (&["--cache-prefix", "a b"], "MENSA_CACHE_PREFIX"),
        (&["--base-domain", "127.0.0.1"], "MENSA_BASE_DOMAIN"),
        (&["--demo", "maybe"], "MENSA_DEMO"),
        (
            &["--trusted-proxies", "10.0.0.0/40"],
            "MENSA_TRUSTED_PROXIES",
        ),
        (
            &["--request-timeout-seconds", "0"],
            "MENSA_REQUEST_TIMEOUT_SECONDS",
        ),
        (&["--body-limit-bytes", "lots"], "MENSA_BODY_LIMIT_BYTES"),
        (&["--cors-origins", "example.it/path"], "MENSA_CORS_ORIGINS"),
        (&["--log-format", "xml"], "MENSA_LOG_FORMAT"),
        (&["--actor-idle-seconds", "0"], "MENSA_ACTOR_IDLE_SECONDS"),
        (&["--ledger-batch", "100000"], "MENSA_LEDGER_BATCH"),
        (&["--ledger-committers", "many"], "MENSA_LEDGER_COMMITTERS"),
        (&["--secure-cookies", "sometimes"], "MENSA_SECURE_COOKIES"),
        (&["--hsts-seconds", "forever"], "MENSA_HSTS_SECONDS"),
        (&["--admin-addr", "9090"], "MENSA_ADMIN_ADDR"),
        (&["--session-hours", "0"], "MENSA_SESSION_HOURS"),
        (&["--login-lock-after", "2"], "MENSA_LOGIN_LOCK_AFTER"),
        (&["--graphql-max-depth", "100"], "MENSA_GRAPHQL_MAX_DEPTH"),
        (&["--document-max-bytes", "1"], "MENSA_DOCUMENT_MAX_BYTES"),
        (
            &["--pagopa-broker-id", "77777777777 "],
            "MENSA_PAGOPA_BROKER_ID",
        ),
        (
            &[
                "--pagopa-station-id",
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            ],
            "MENSA_PAGOPA_STATION_ID",
        ),
        (&["--pagopa-sandbox", "perhaps"], "MENSA_PAGOPA_SANDBOX"),
        (
            &[
                "--pagopa-checkout-url",
                "https://api.platform.pagopa.it/checkout/ec/v1",
            ],
            "MENSA_PAGOPA_CHECKOUT_URL",
        ),
        (&["--pagopa-aca-url", "http:///aca"], "MENSA_PAGOPA_ACA_URL"),
        (
            &["--otlp-endpoint", "https://collector:4318"],
            "OTEL_EXPORTER_OTLP_ENDPOINT",
        ),
        (&["--otlp-protocol", "grpc"], "OTEL_EXPORTER_OTLP_PROTOCOL"),
    ];
    for (flags, variable) in cases {
        let error = parse(flags).unwrap_err();
        assert_eq!(error.variable, *variable, "{flags:?}: {error}");
        assert!(error.to_string().starts_with(variable), "{error}");
        assert!(
            !error.problem.contains("invalid value"),
            "the parser's words: {error}"
        );
    }
}

#[test]
fn the_engine_is_tuned_from_the_environment() {
    let flags = [
        "--actor-idle-seconds",
        "5",
        "--ledger-batch",
        "500",
        "--ledger-committers",
        "1",
    ];
    let engine = parse(&flags).unwrap().engine;
    assert_eq!(engine.idle_timeout, std::time::Duration::from_secs(5));
    assert_eq!((engine.max_batch, engine.committers), (500, 1));
}

#[test]
fn telemetry_is_exported_only_when_an_endpoint_is_set() {
    let config = parse(&[]).unwrap();
    assert_eq!((config.otlp, config.service_name.as_str()), (None, "mensa"));
    let config = parse(&[
        "--otlp-endpoint",
        "http://collector:4318",
        "--otlp-protocol",
        "http/json",
        "--service-name",
        "mensa-staging",
    ])
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
fn passwords_and_keys_never_reach_messages() {
    assert_eq!(
        redact("postgres://mensa:secret@db/mensa"),
        "postgres://mensa:***@db/mensa"
    );
    let error = parse(&["--database-url", "mysql://u:secret@h/db"]).unwrap_err();
    assert!(!error.to_string().contains("secret"), "{error}");
    let mut settings = Settings::default();
    settings.pagopa.pagopa_checkout_url = Some("http://egress:8080/checkout/ec/v1".into());
    settings.pagopa.pagopa_checkout_api_key = Some(Secret("secret-key".into()));
    assert!(!format!("{settings:?}").contains("secret-key"));
    let config = Config::from_settings(settings).unwrap();
    let checkout = config.pagopa.checkout.unwrap();
    assert_eq!(checkout.api_key.as_deref(), Some("secret-key"));
    assert!(!format!("{checkout:?}").contains("secret"));
}

#[test]
fn base_urls_lose_their_trailing_slash() {
    let config = parse(&["--pagopa-aca-url", "http://egress:8080/aca/v1/"]).unwrap();
    assert_eq!(
        config.pagopa.archive.unwrap().base_url,
        "http://egress:8080/aca/v1"
    );
}
