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
    assert_eq!(config.creditor_listener.addr.to_string(), "127.0.0.1:8081");
    assert_eq!(
        config.creditor_listener.tls(config.demo).unwrap(),
        None,
        "plain HTTP in the demo"
    );
    assert_eq!(config.creditor_listener.allowed_ips, None);
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
                "ftp://api.platform.pagopa.it/checkout",
            ],
            "MENSA_PAGOPA_CHECKOUT_URL",
        ),
        (&["--pagopa-addr", "8443"], "MENSA_PAGOPA_ADDR"),
        (
            &["--pagopa-allowed-ips", "10.0.0.0/33"],
            "MENSA_PAGOPA_ALLOWED_IPS",
        ),
        (
            &["--pagopa-allowed-ips", "pagopa.it"],
            "MENSA_PAGOPA_ALLOWED_IPS",
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

#[test]
fn off_localhost_the_demo_and_its_sandbox_must_be_asked_for() {
    let domain = ["--base-domain", "mensa.example.it"];
    let production = parse(&domain).unwrap();
    assert!(
        !production.demo,
        "no DATABASE_URL, but not localhost either"
    );
    assert!(!production.pagopa.sandbox);
    assert_eq!(production.log_format, LogFormat::Json);
    let asked = parse(&[&domain[..], &["--demo", "true"]].concat()).unwrap();
    assert!(asked.demo && asked.pagopa.sandbox);
    let local = parse(&["--base-domain", "localhost"]).unwrap();
    assert!(local.demo && local.pagopa.sandbox);
}

#[test]
fn outside_the_demo_the_creditor_listener_needs_its_three_files() {
    let domain = ["--base-domain", "mensa.example.it"];
    let config = parse(&domain).unwrap();
    let error = config.creditor_listener.tls(config.demo).unwrap_err();
    for variable in [
        "MENSA_PAGOPA_TLS_CERT",
        "MENSA_PAGOPA_TLS_KEY",
        "MENSA_PAGOPA_CLIENT_CA",
    ] {
        assert!(error.variable.contains(variable), "{error}");
    }
    let files = [
        "--pagopa-tls-cert",
        "/etc/mensa/tls.crt",
        "--pagopa-client-ca",
        "/etc/mensa/pagopa-ca.pem",
    ];
    let config = parse(&[&domain[..], &files[..]].concat()).unwrap();
    let error = config.creditor_listener.tls(config.demo).unwrap_err();
    assert_eq!(error.variable, "MENSA_PAGOPA_TLS_KEY", "{error}");
    assert!(
        error
            .to_string()
            .starts_with("MENSA_PAGOPA_TLS_KEY: not set."),
        "{error}"
    );
    // Half the files are a mistake in the demo too, never a wish for plain HTTP.
    let config = parse(&[&["--demo", "true"][..], &files[..]].concat()).unwrap();
    assert!(config.creditor_listener.tls(true).is_err());

    let all = [&files[..], &["--pagopa-tls-key", "/etc/mensa/tls.key"]].concat();
    let config = parse(&[&domain[..], &all[..]].concat()).unwrap();
    let tls = config.creditor_listener.tls(config.demo).unwrap().unwrap();
    assert_eq!(tls.key, PathBuf::from("/etc/mensa/tls.key"));
}

#[test]
fn with_mutual_tls_the_sandbox_is_off_and_cannot_be_asked_for() {
    let files = [
        "--pagopa-tls-cert",
        "a.pem",
        "--pagopa-tls-key",
        "a.key",
        "--pagopa-client-ca",
        "ca.pem",
    ];
    let config = parse(&files).unwrap();
    assert!(config.demo && !config.pagopa.sandbox);
    let error = parse(&[&files[..], &["--pagopa-sandbox", "true"]].concat()).unwrap_err();
    assert_eq!(error.variable, "MENSA_PAGOPA_SANDBOX");
}

#[test]
fn the_allowlist_reads_addresses_and_networks_of_both_families() {
    let config = parse(&[
        "--pagopa-allowed-ips",
        "10.0.0.0/8, 192.0.2.7,2001:db8::/32",
    ])
    .unwrap();
    let allowed = config.creditor_listener.allowed_ips.unwrap();
    for permitted in ["10.1.2.3", "192.0.2.7", "2001:db8::1", "::ffff:10.0.0.1"] {
        assert!(allowed.permits(permitted.parse().unwrap()), "{permitted}");
    }
    for refused in ["127.0.0.1", "192.0.2.8", "2001:db9::1", "::1"] {
        assert!(!allowed.permits(refused.parse().unwrap()), "{refused}");
    }
}

#[test]
fn pagopa_is_reached_over_https_or_an_egress_proxy() {
    let config = parse(&[
        "--pagopa-checkout-url",
        "https://api.platform.pagopa.it/checkout/ec/v1",
        "--pagopa-aca-url",
        "http://egress:8080/aca/v1",
    ])
    .unwrap();
    assert_eq!(
        config.pagopa.checkout.unwrap().base_url,
        "https://api.platform.pagopa.it/checkout/ec/v1"
    );
    assert_eq!(
        config.pagopa.archive.unwrap().base_url,
        "http://egress:8080/aca/v1"
    );
}
