//! pagoPA settings: the platform's broker and station ids, the sandbox checkout, and the
//! pagoPA services called when configured (Checkout, the central archive).

use crate::config::ConfigError;

/// The raw values, from flags or the environment.
#[derive(Clone, Debug, Default)]
pub struct RawPagoPa {
    pub broker_id: Option<String>,
    pub station_id: Option<String>,
    pub sandbox: Option<String>,
    pub checkout_url: Option<String>,
    pub checkout_api_key: Option<String>,
    pub archive_url: Option<String>,
    pub archive_api_key: Option<String>,
}

impl RawPagoPa {
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Self {
        RawPagoPa {
            broker_id: var("MENSA_PAGOPA_BROKER_ID"),
            station_id: var("MENSA_PAGOPA_STATION_ID"),
            sandbox: var("MENSA_PAGOPA_SANDBOX"),
            checkout_url: var("MENSA_PAGOPA_CHECKOUT_URL"),
            checkout_api_key: var("MENSA_PAGOPA_CHECKOUT_API_KEY"),
            archive_url: var("MENSA_PAGOPA_ACA_URL"),
            archive_api_key: var("MENSA_PAGOPA_ACA_API_KEY"),
        }
    }

    /// Flags (`self`) win over the environment.
    pub fn over(self, env: RawPagoPa) -> RawPagoPa {
        RawPagoPa {
            broker_id: self.broker_id.or(env.broker_id),
            station_id: self.station_id.or(env.station_id),
            sandbox: self.sandbox.or(env.sandbox),
            checkout_url: self.checkout_url.or(env.checkout_url),
            checkout_api_key: self.checkout_api_key.or(env.checkout_api_key),
            archive_url: self.archive_url.or(env.archive_url),
            archive_api_key: self.archive_api_key.or(env.archive_api_key),
        }
    }
}

/// A pagoPA API: its base URL and the subscription key of its API gateway.
#[derive(Clone, PartialEq, Eq)]
pub struct RemoteApi {
    pub base_url: String,
    pub api_key: Option<String>,
}

impl std::fmt::Debug for RemoteApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteApi")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .finish()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PagoPaConfig {
    pub station: payments::Station,
    /// The sandbox checkout that plays the Node and a PSP. Demo mode only.
    pub sandbox: bool,
    pub checkout: Option<RemoteApi>,
    pub archive: Option<RemoteApi>,
}

/// The demo identifiers of `shared/contract/demo.md`.
pub const DEMO_BROKER_ID: &str = "77777777777";
pub const DEMO_STATION_ID: &str = "77777777777_01";

impl PagoPaConfig {
    pub fn parse(raw: RawPagoPa, demo: bool) -> Result<Self, ConfigError> {
        let broker_id = identifier(raw.broker_id, "MENSA_PAGOPA_BROKER_ID", DEMO_BROKER_ID)?;
        let station_id = identifier(raw.station_id, "MENSA_PAGOPA_STATION_ID", DEMO_STATION_ID)?;
        let sandbox = match raw.sandbox.as_deref() {
            None => demo,
            Some(value) => crate::config::parse_bool(value).ok_or_else(|| ConfigError {
                variable: "MENSA_PAGOPA_SANDBOX",
                problem: format!("'{value}' is not a switch: expected true or false"),
            })?,
        };
        // The sandbox credits families without any money moving: it must never exist where
        // real families pay.
        if sandbox && !demo {
            return Err(ConfigError {
                variable: "MENSA_PAGOPA_SANDBOX",
                problem: "the sandbox checkout only runs in demo mode (MENSA_DEMO=true); never in production".into(),
            });
        }
        Ok(PagoPaConfig {
            station: payments::Station {
                broker_id,
                station_id,
            },
            sandbox,
            checkout: remote(
                raw.checkout_url,
                raw.checkout_api_key,
                "MENSA_PAGOPA_CHECKOUT_URL",
            )?,
            archive: remote(raw.archive_url, raw.archive_api_key, "MENSA_PAGOPA_ACA_URL")?,
        })
    }
}

/// `stText35`: what the Node sends as idBrokerPA and idStation.
fn identifier(
    value: Option<String>,
    variable: &'static str,
    default: &str,
) -> Result<String, ConfigError> {
    let value = value.unwrap_or_else(|| default.to_owned());
    let valid = !value.is_empty()
        && value.len() <= 35
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if valid {
        Ok(value)
    } else {
        Err(ConfigError {
            variable,
            problem: format!(
                "'{value}' is not a pagoPA identifier: 1 to 35 letters, digits, _ or -"
            ),
        })
    }
}

/// This build speaks plain HTTP only: pagoPA's HTTPS endpoints are reached through the
/// deployment's egress proxy, which holds the TLS client and its certificates.
fn remote(
    url: Option<String>,
    api_key: Option<String>,
    variable: &'static str,
) -> Result<Option<RemoteApi>, ConfigError> {
    let Some(url) = url else { return Ok(None) };
    let rest = url.strip_prefix("http://").ok_or_else(|| ConfigError {
        variable,
        problem: format!(
            "'{url}' is not an http:// URL: point it at the egress proxy that forwards to pagoPA over HTTPS"
        ),
    })?;
    if rest.is_empty() || rest.starts_with('/') || url.contains(['?', '#', ' ']) {
        return Err(ConfigError {
            variable,
            problem: format!("'{url}' is not a base URL such as http://egress:8080/checkout/ec/v1"),
        });
    }
    Ok(Some(RemoteApi {
        base_url: url.trim_end_matches('/').to_owned(),
        api_key,
    }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn demo_defaults_are_the_contract_ids_with_the_sandbox() {
        let config = PagoPaConfig::parse(RawPagoPa::default(), true).unwrap();
        assert_eq!(config.station.broker_id, "77777777777");
        assert_eq!(config.station.station_id, "77777777777_01");
        assert!(config.sandbox);
        assert!(config.checkout.is_none() && config.archive.is_none());
        assert!(
            !PagoPaConfig::parse(RawPagoPa::default(), false)
                .unwrap()
                .sandbox
        );
    }

    #[test]
    fn the_sandbox_is_refused_outside_the_demo() {
        let raw = RawPagoPa {
            sandbox: Some("true".into()),
            ..Default::default()
        };
        let error = PagoPaConfig::parse(raw, false).unwrap_err();
        assert_eq!(error.variable, "MENSA_PAGOPA_SANDBOX");
    }

    #[test]
    fn bad_values_name_their_variable() {
        let cases = [
            (
                RawPagoPa {
                    broker_id: Some("77777777777 ".into()),
                    ..Default::default()
                },
                "MENSA_PAGOPA_BROKER_ID",
            ),
            (
                RawPagoPa {
                    station_id: Some("x".repeat(36)),
                    ..Default::default()
                },
                "MENSA_PAGOPA_STATION_ID",
            ),
            (
                RawPagoPa {
                    checkout_url: Some("https://api.platform.pagopa.it/checkout/ec/v1".into()),
                    ..Default::default()
                },
                "MENSA_PAGOPA_CHECKOUT_URL",
            ),
            (
                RawPagoPa {
                    archive_url: Some("http:///aca".into()),
                    ..Default::default()
                },
                "MENSA_PAGOPA_ACA_URL",
            ),
            (
                RawPagoPa {
                    sandbox: Some("perhaps".into()),
                    ..Default::default()
                },
                "MENSA_PAGOPA_SANDBOX",
            ),
        ];
        for (raw, variable) in cases {
            assert_eq!(
                PagoPaConfig::parse(raw, true).unwrap_err().variable,
                variable
            );
        }
    }

    #[test]
    fn api_keys_never_reach_debug_output() {
        let raw = RawPagoPa {
            checkout_url: Some("http://egress:8080/checkout/ec/v1/".into()),
            checkout_api_key: Some("secret-key".into()),
            ..Default::default()
        };
        let config = PagoPaConfig::parse(raw, true).unwrap();
        let checkout = config.checkout.unwrap();
        assert_eq!(checkout.base_url, "http://egress:8080/checkout/ec/v1");
        assert!(!format!("{checkout:?}").contains("secret"));
    }
}
