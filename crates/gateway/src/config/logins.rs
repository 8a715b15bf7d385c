//! Login and session settings.

use std::time::Duration;

use clap::Args;

use super::values::whole;
use auth::{AuthConfig, ThrottleConfig};

#[derive(Clone, Debug, Args)]
#[command(next_help_heading = "Logins")]
pub struct LoginSettings {
    /// How long a login (bearer token or portal cookie) lasts.
    #[arg(long, env = "MENSA_SESSION_HOURS", global = true, default_value_t = 12, value_parser = whole::<u64, 1, 720>)]
    pub session_hours: u64,

    /// Failed logins of one account (per comune) after which it is refused for 15 minutes;
    /// from the third failure each attempt waits longer.
    ///
    /// With `REDIS_URL` the count is shared by all replicas (each counts alone while Redis
    /// is down).
    #[arg(long, env = "MENSA_LOGIN_LOCK_AFTER", global = true, default_value_t = 10, value_parser = whole::<u32, 3, 1_000>)]
    pub login_lock_after: u32,

    /// The extra wait added per failed login after the third.
    #[arg(long, env = "MENSA_LOGIN_STEP_DELAY_MS", global = true, default_value_t = 500, value_parser = whole::<u64, 0, 10_000>)]
    pub login_step_delay_ms: u64,

    /// Password checks (argon2, about 19 MiB each) run at once by this process, for logins
    /// and password changes; more wait their turn. 0: twice the CPU cores.
    #[arg(long, env = "MENSA_LOGIN_PASSWORD_CHECKS", global = true, default_value_t = 0, value_parser = whole::<usize, 0, 1_024>)]
    pub login_password_checks: usize,
}

impl LoginSettings {
    pub fn auth(&self) -> AuthConfig {
        AuthConfig {
            session_lifetime: Duration::from_secs(self.session_hours.saturating_mul(3600)),
            throttle: ThrottleConfig {
                lock_after: self.login_lock_after,
                step_delay: Duration::from_millis(self.login_step_delay_ms),
                ..Default::default()
            },
            password_checks: match self.login_password_checks {
                0 => auth::default_password_checks(),
                n => n,
            },
            ..Default::default()
        }
    }
}
