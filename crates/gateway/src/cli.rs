//! The `mensa` command line: `serve` (the default), `migrate`, `seed-demo`, `schema`.

use clap::{Args, Parser, Subcommand};

use crate::config::RawConfig;

#[derive(Debug, Parser)]
#[command(
    name = "mensa",
    version,
    about = "Mensa: prepaid school meals for Italian comuni"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub settings: Settings,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve every comune over HTTP (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create the demo comuni on an empty database and exit (demo mode only).
    SeedDemo,
    /// Print the GraphQL schema (SDL) and exit; `crates/gateway/schema.graphql` is its copy.
    Schema,
}

/// Flags override the environment variable of the same meaning.
#[derive(Debug, Args)]
pub struct Settings {
    /// Address to listen on [env: MENSA_ADDR; default 127.0.0.1:8080]
    #[arg(long, global = true)]
    pub addr: Option<String>,
    /// Address of /metrics, apart from the public port [env: MENSA_ADMIN_ADDR; default: on --addr]
    #[arg(long, global = true)]
    pub admin_addr: Option<String>,
    /// Folder for the SQLite file and uploads [env: MENSA_DATA_DIR; default ./data]
    #[arg(long, global = true)]
    pub data_dir: Option<String>,
    /// PostgreSQL or SQLite URL [env: DATABASE_URL; default: SQLite in the data folder]
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// Redis URL for the balance cache [env: REDIS_URL; default: in-process cache]
    #[arg(long, global = true)]
    pub redis_url: Option<String>,
    /// Prefix of this deployment's Redis keys [env: MENSA_CACHE_PREFIX; default mensa]
    #[arg(long, global = true)]
    pub cache_prefix: Option<String>,
    /// Domain under which each comune has its subdomain [env: MENSA_BASE_DOMAIN; default localhost]
    #[arg(long, global = true)]
    pub base_domain: Option<String>,
    /// Proxies whose X-Forwarded-Host is believed [env: MENSA_TRUSTED_PROXIES; default none]
    #[arg(long, global = true)]
    pub trusted_proxies: Option<String>,
    /// Demo mode: true or false [env: MENSA_DEMO; default true without DATABASE_URL]
    #[arg(long, global = true)]
    pub demo: Option<String>,
    /// Seconds a request may take [env: MENSA_REQUEST_TIMEOUT_SECONDS; default 30]
    #[arg(long, global = true)]
    pub request_timeout_seconds: Option<String>,
    /// Largest request body [env: MENSA_BODY_LIMIT_BYTES; default 10 MiB]
    #[arg(long, global = true)]
    pub body_limit_bytes: Option<String>,
    /// Browser origins allowed to call the API [env: MENSA_CORS_ORIGINS; default none]
    #[arg(long, global = true)]
    pub cors_origins: Option<String>,
    /// text or json [env: MENSA_LOG_FORMAT; default text in demo mode, json otherwise]
    #[arg(long, global = true)]
    pub log_format: Option<String>,
    /// Seconds before an idle family actor stops [env: MENSA_ACTOR_IDLE_SECONDS; default 60]
    #[arg(long, global = true)]
    pub actor_idle_seconds: Option<String>,
    /// Most postings per ledger transaction [env: MENSA_LEDGER_BATCH; default 10000]
    #[arg(long, global = true)]
    pub ledger_batch: Option<String>,
    /// Ledger committers writing in parallel [env: MENSA_LEDGER_COMMITTERS; default 2]
    #[arg(long, global = true)]
    pub ledger_committers: Option<String>,
    #[command(flatten)]
    pub pagopa: PagoPaSettings,
}

/// pagoPA flags; each overrides the environment variable named in its help.
#[derive(Debug, Args)]
pub struct PagoPaSettings {
    /// The platform's broker id at the Node [env: MENSA_PAGOPA_BROKER_ID; default 77777777777]
    #[arg(long, global = true)]
    pub pagopa_broker_id: Option<String>,
    /// The platform's station id [env: MENSA_PAGOPA_STATION_ID; default 77777777777_01]
    #[arg(long, global = true)]
    pub pagopa_station_id: Option<String>,
    /// Sandbox checkout, demo mode only [env: MENSA_PAGOPA_SANDBOX; default: on in demo mode]
    #[arg(long, global = true)]
    pub pagopa_sandbox: Option<String>,
    /// Base URL of pagoPA Checkout, through the egress proxy [env: MENSA_PAGOPA_CHECKOUT_URL; default none]
    #[arg(long, global = true)]
    pub pagopa_checkout_url: Option<String>,
    /// Base URL of the central archive (ACA) [env: MENSA_PAGOPA_ACA_URL; default none]
    #[arg(long, global = true)]
    pub pagopa_aca_url: Option<String>,
}

impl PagoPaSettings {
    /// API keys come from the environment only: a flag would show them in `ps`.
    fn raw(self) -> crate::creditor::RawPagoPa {
        crate::creditor::RawPagoPa {
            broker_id: self.pagopa_broker_id,
            station_id: self.pagopa_station_id,
            sandbox: self.pagopa_sandbox,
            checkout_url: self.pagopa_checkout_url,
            checkout_api_key: None,
            archive_url: self.pagopa_aca_url,
            archive_api_key: None,
        }
    }
}

impl Settings {
    pub fn over(self, env: RawConfig) -> RawConfig {
        RawConfig {
            addr: self.addr.or(env.addr),
            admin_addr: self.admin_addr.or(env.admin_addr),
            data_dir: self.data_dir.or(env.data_dir),
            database_url: self.database_url.or(env.database_url),
            redis_url: self.redis_url.or(env.redis_url),
            cache_prefix: self.cache_prefix.or(env.cache_prefix),
            base_domain: self.base_domain.or(env.base_domain),
            trusted_proxies: self.trusted_proxies.or(env.trusted_proxies),
            demo: self.demo.or(env.demo),
            request_timeout_seconds: self.request_timeout_seconds.or(env.request_timeout_seconds),
            body_limit_bytes: self.body_limit_bytes.or(env.body_limit_bytes),
            cors_origins: self.cors_origins.or(env.cors_origins),
            log_format: self.log_format.or(env.log_format),
            actor_idle_seconds: self.actor_idle_seconds.or(env.actor_idle_seconds),
            ledger_batch: self.ledger_batch.or(env.ledger_batch),
            ledger_committers: self.ledger_committers.or(env.ledger_committers),
            pagopa: self.pagopa.raw().over(env.pagopa),
            // The rest are settings for operators of a deployment: environment only.
            ..env
        }
    }
}
