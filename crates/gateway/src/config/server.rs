//! Server settings: where the gateway listens and the limits of its HTTP layer.

use std::net::SocketAddr;
use std::time::Duration;

use clap::Args;

use super::HttpLimits;
use super::values::{address, whole};

#[derive(Clone, Debug, Args)]
#[command(next_help_heading = "Server")]
pub struct ServerSettings {
    /// Address to listen on.
    #[arg(long, env = "MENSA_ADDR", global = true, default_value = "127.0.0.1:8080", value_parser = address)]
    pub addr: SocketAddr,

    /// A separate address for `/metrics` (and the probes), e.g. `0.0.0.0:9090`.
    ///
    /// Then the public port does not serve `/metrics` (the Helm chart sets it).
    ///
    /// Default: none: `/metrics` on `MENSA_ADDR`
    #[arg(long, env = "MENSA_ADMIN_ADDR", global = true, value_parser = address)]
    pub admin_addr: Option<SocketAddr>,

    /// A request taking longer gets 408.
    #[arg(long, env = "MENSA_REQUEST_TIMEOUT_SECONDS", global = true, default_value_t = 30, value_parser = whole::<u64, 1, 600>)]
    pub request_timeout_seconds: u64,

    /// A larger request body gets 413.
    #[arg(long, env = "MENSA_BODY_LIMIT_BYTES", global = true, default_value_t = 10 * 1024 * 1024, value_parser = whole::<usize, 1_024, 1_073_741_824>)]
    pub body_limit_bytes: usize,

    /// Browser origins allowed to call the API, comma-separated (`https://app.example.it`).
    #[arg(long, env = "MENSA_CORS_ORIGINS", global = true)]
    pub cors_origins: Option<Origins>,
}

impl ServerSettings {
    pub fn http_limits(&self) -> HttpLimits {
        HttpLimits {
            request_timeout: Duration::from_secs(self.request_timeout_seconds),
            body_limit_bytes: self.body_limit_bytes,
            cors_origins: self.cors_origins.clone().unwrap_or_default().0,
        }
    }
}

/// `https://app.example.it,https://other.example.it`: scheme and host, no path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origins(pub Vec<String>);

impl std::str::FromStr for Origins {
    type Err = String;

    fn from_str(list: &str) -> Result<Self, String> {
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
                    Err(format!(
                        "'{origin}' is not an origin: expected https://host[:port], comma-separated"
                    ))
                }
            })
            .collect::<Result<_, _>>()
            .map(Origins)
    }
}
