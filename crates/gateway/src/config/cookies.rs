//! Security settings of the browser's side: cookies and HSTS.

use clap::Args;

use super::values::{switch, whole};

#[derive(Clone, Debug, Args)]
#[command(next_help_heading = "Security")]
pub struct CookieSettings {
    /// Mark the portal's cookies `Secure` (browsers then send them over HTTPS only).
    ///
    /// Default: `true`, `false` when the base domain is `localhost`
    #[arg(long, env = "MENSA_SECURE_COOKIES", global = true, value_parser = switch)]
    pub secure_cookies: Option<bool>,

    /// Send `Strict-Transport-Security: max-age=<seconds>`; only behind HTTPS.
    ///
    /// Default: off
    #[arg(long, env = "MENSA_HSTS_SECONDS", global = true, value_parser = whole::<u64, 0, 63_072_000>)]
    pub hsts_seconds: Option<u64>,
}
