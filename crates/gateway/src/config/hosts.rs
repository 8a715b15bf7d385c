//! Tenancy settings: which host is which comune, which proxies to believe, and the demo.

use clap::Args;
use tenancy::{HostResolver, TrustedProxies};

use super::values::switch;

#[derive(Clone, Debug, Args)]
#[command(next_help_heading = "Comuni and hosts")]
pub struct HostSettings {
    /// Each comune is served at `<slug>.<base domain>`.
    #[arg(long, env = "MENSA_BASE_DOMAIN", global = true, default_value = "localhost", value_parser = base_domain)]
    pub base_domain: HostResolver,

    /// Addresses or networks (`10.0.0.0/8,::1`) whose `X-Forwarded-Host` is believed.
    #[arg(long, env = "MENSA_TRUSTED_PROXIES", global = true, value_parser = trusted_proxies)]
    pub trusted_proxies: Option<TrustedProxies>,

    /// Demo mode: seeds the demo comuni on an empty database (known passwords) and runs
    /// the sandbox checkout; never on in production.
    ///
    /// Default: on for the base domain `localhost` without `DATABASE_URL`, off otherwise
    #[arg(long, env = "MENSA_DEMO", global = true, value_parser = switch)]
    pub demo: Option<bool>,
}

fn base_domain(domain: &str) -> Result<HostResolver, String> {
    HostResolver::new(domain).map_err(|e| e.to_string())
}

fn trusted_proxies(list: &str) -> Result<TrustedProxies, String> {
    TrustedProxies::parse(list).map_err(|e| {
        format!(
            "{e}: expected a comma-separated list of addresses or networks such as 10.0.0.0/8,::1"
        )
    })
}
