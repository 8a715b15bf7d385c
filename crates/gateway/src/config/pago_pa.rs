//! pagoPA settings: the platform's broker and station ids, the sandbox checkout, and the
//! pagoPA services called when configured (Checkout, the central archive).

use clap::Args;

use super::values::switch;
use crate::creditor::{DEMO_BROKER_ID, DEMO_STATION_ID, PagoPaConfig, RemoteApi};

#[derive(Clone, Debug, Args)]
#[command(next_help_heading = "pagoPA")]
pub struct PagoPaSettings {
    /// The platform's broker id at the pagoPA Node (idBrokerPA); the Node's calls must
    /// carry it.
    #[arg(long, env = "MENSA_PAGOPA_BROKER_ID", global = true, default_value = DEMO_BROKER_ID, value_parser = identifier)]
    pub pagopa_broker_id: String,

    /// The platform's station id (idStation).
    #[arg(long, env = "MENSA_PAGOPA_STATION_ID", global = true, default_value = DEMO_STATION_ID, value_parser = identifier)]
    pub pagopa_station_id: String,

    /// The sandbox checkout that plays the Node and a PSP; refused at start-up outside
    /// demo mode.
    ///
    /// Default: on in demo mode when the creditor listener is plain HTTP, off otherwise
    #[arg(long, env = "MENSA_PAGOPA_SANDBOX", global = true, value_parser = switch)]
    pub pagopa_sandbox: Option<bool>,

    /// Base URL of pagoPA Checkout (`https://…/checkout/ec/v1`, or `http://` through an
    /// egress proxy); without it, and outside the demo, notices are paid at a PSP only.
    #[arg(long, env = "MENSA_PAGOPA_CHECKOUT_URL", global = true, value_parser = base_url)]
    pub pagopa_checkout_url: Option<String>,

    /// Checkout subscription key (`Ocp-Apim-Subscription-Key`); environment only.
    #[arg(
        long,
        env = "MENSA_PAGOPA_CHECKOUT_API_KEY",
        global = true,
        hide = true
    )]
    pub pagopa_checkout_api_key: Option<Secret>,

    /// Base URL of the central archive (`https://…/aca/v1`, `paCreatePosition`); when set,
    /// every notice is loaded there for stand-in.
    #[arg(long, env = "MENSA_PAGOPA_ACA_URL", global = true, value_parser = base_url)]
    pub pagopa_aca_url: Option<String>,

    /// Central archive subscription key; environment only.
    #[arg(long, env = "MENSA_PAGOPA_ACA_API_KEY", global = true, hide = true)]
    pub pagopa_aca_api_key: Option<Secret>,
}

impl PagoPaSettings {
    /// `sandbox`: whether the sandbox checkout runs, decided with the demo mode.
    pub fn config(self, sandbox: bool) -> PagoPaConfig {
        let remote = |url: Option<String>, key: Option<Secret>| {
            url.map(|base_url| RemoteApi {
                base_url,
                api_key: key.map(|key| key.0),
            })
        };
        PagoPaConfig {
            station: payments::Station {
                broker_id: self.pagopa_broker_id,
                station_id: self.pagopa_station_id,
            },
            sandbox,
            checkout: remote(self.pagopa_checkout_url, self.pagopa_checkout_api_key),
            archive: remote(self.pagopa_aca_url, self.pagopa_aca_api_key),
        }
    }
}

/// A subscription key: kept out of `Debug`, hence out of logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(key: &str) -> Result<Self, Self::Err> {
        Ok(Secret(key.to_owned()))
    }
}

/// `stText35`: what the Node sends as idBrokerPA and idStation.
fn identifier(value: &str) -> Result<String, String> {
    let valid = !value.is_empty()
        && value.len() <= 35
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if valid {
        Ok(value.to_owned())
    } else {
        Err(format!(
            "'{value}' is not a pagoPA identifier: 1 to 35 letters, digits, _ or -"
        ))
    }
}

/// pagoPA's HTTPS directly (rustls, the system's root certificates), or plain HTTP to an
/// egress proxy that forwards to it.
fn base_url(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            format!(
                "'{url}' is not an https:// URL (or an http:// one to an egress proxy) such as https://api.platform.pagopa.it/checkout/ec/v1"
            )
        })?;
    if rest.is_empty() || rest.starts_with('/') || url.contains(['?', '#', ' ']) {
        return Err(format!(
            "'{url}' is not a base URL such as https://api.platform.pagopa.it/checkout/ec/v1"
        ));
    }
    Ok(url.trim_end_matches('/').to_owned())
}
