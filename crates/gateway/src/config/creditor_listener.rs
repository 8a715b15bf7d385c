//! The pagoPA creditor listener's settings: its own address, the server certificate and
//! key, the CA bundle the Node's client certificate must chain to, and an optional
//! allowlist of addresses checked before the TLS handshake.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use tenancy::TrustedProxies;

use super::ConfigError;
use super::values::address;

#[derive(Clone, Debug, Args)]
#[command(next_help_heading = "pagoPA creditor listener")]
pub struct CreditorListenerSettings {
    /// Address of the creditor SOAP interface (`/pagopa/paForNode`), the only place the
    /// Node's calls are served: never on a comune's host or the admin port.
    #[arg(long, env = "MENSA_PAGOPA_ADDR", global = true, default_value = "127.0.0.1:8081", value_parser = address)]
    pub pagopa_addr: SocketAddr,

    /// PEM file of the listener's certificate chain (leaf first).
    ///
    /// Default: none: plain HTTP, allowed in demo mode only
    #[arg(long, env = "MENSA_PAGOPA_TLS_CERT", global = true)]
    pub pagopa_tls_cert: Option<PathBuf>,

    /// PEM file of the private key of `MENSA_PAGOPA_TLS_CERT` (PKCS#8, PKCS#1 or SEC1).
    #[arg(long, env = "MENSA_PAGOPA_TLS_KEY", global = true)]
    pub pagopa_tls_key: Option<PathBuf>,

    /// PEM bundle of the CAs a caller's client certificate must chain to (pagoPA's CA);
    /// a caller without such a certificate never reaches a handler.
    #[arg(long, env = "MENSA_PAGOPA_CLIENT_CA", global = true)]
    pub pagopa_client_ca: Option<PathBuf>,

    /// Addresses or networks (`192.0.2.0/24,2001:db8::/32`) allowed to connect, checked
    /// before the TLS handshake.
    ///
    /// Default: any address (the client certificate still decides)
    #[arg(long, env = "MENSA_PAGOPA_ALLOWED_IPS", global = true, value_parser = allowed_ips)]
    pub pagopa_allowed_ips: Option<AllowedIps>,
}

/// Where the creditor listener listens and whom it lets in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreditorListenerConfig {
    pub addr: SocketAddr,
    /// The three files, or which of them are missing.
    pub tls: Result<TlsFiles, Vec<&'static str>>,
    pub allowed_ips: Option<AllowedIps>,
}

/// The PEM files of the listener's mutual TLS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
    pub client_ca: PathBuf,
}

impl CreditorListenerSettings {
    pub fn config(self) -> CreditorListenerConfig {
        let tls = match (
            self.pagopa_tls_cert,
            self.pagopa_tls_key,
            self.pagopa_client_ca,
        ) {
            (Some(cert), Some(key), Some(client_ca)) => Ok(TlsFiles {
                cert,
                key,
                client_ca,
            }),
            (cert, key, ca) => Err([
                (cert.is_none(), "MENSA_PAGOPA_TLS_CERT"),
                (key.is_none(), "MENSA_PAGOPA_TLS_KEY"),
                (ca.is_none(), "MENSA_PAGOPA_CLIENT_CA"),
            ]
            .into_iter()
            .filter_map(|(missing, name)| missing.then_some(name))
            .collect()),
        };
        CreditorListenerConfig {
            addr: self.pagopa_addr,
            tls,
            allowed_ips: self.pagopa_allowed_ips,
        }
    }
}

impl CreditorListenerConfig {
    /// The files the listener serves mutual TLS with; `None`: plain HTTP, which only demo
    /// mode allows, and only when none of the three is set (a half-configured listener is
    /// a mistake, not a wish for plain HTTP).
    pub fn tls(&self, demo: bool) -> Result<Option<&TlsFiles>, ConfigError> {
        match &self.tls {
            Ok(files) => Ok(Some(files)),
            Err(missing) if demo && missing.len() == 3 => Ok(None),
            Err(missing) => Err(ConfigError {
                variable: missing.join(", "),
                problem: "not set. The pagoPA creditor listener serves mutual TLS and needs three \
                          PEM files: its certificate chain (MENSA_PAGOPA_TLS_CERT), its key \
                          (MENSA_PAGOPA_TLS_KEY) and the CA bundle of the Node's client \
                          certificates (MENSA_PAGOPA_CLIENT_CA, pagoPA's CA). Only demo mode \
                          (MENSA_DEMO=true) serves it in plain HTTP, with none of the three set"
                    .into(),
            }),
        }
    }

    /// Whether the three files are all set.
    pub fn has_tls(&self) -> bool {
        self.tls.is_ok()
    }
}

/// The addresses and networks allowed to connect to the creditor listener.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowedIps(TrustedProxies);

impl AllowedIps {
    /// Whether `peer` may connect (IPv4 peers of a dual-stack socket included).
    pub fn permits(&self, peer: std::net::IpAddr) -> bool {
        self.0.trusts(peer)
    }
}

impl std::fmt::Display for AllowedIps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

fn allowed_ips(list: &str) -> Result<AllowedIps, String> {
    let networks = TrustedProxies::parse(list).map_err(|e| {
        format!(
            "{e}: expected a comma-separated list of addresses or networks such as 10.0.0.0/8,::1"
        )
    })?;
    if networks.is_empty() {
        // An empty list would let nobody in: surely meant as "unset".
        return Err(
            "no address or network given: leave the variable unset to allow any address".into(),
        );
    }
    Ok(AllowedIps(networks))
}

impl std::str::FromStr for AllowedIps {
    type Err = String;

    fn from_str(list: &str) -> Result<Self, String> {
        allowed_ips(list)
    }
}
