//! Storage settings: the database, the data folder and the Redis cache.

use std::path::PathBuf;

use clap::Args;

use super::{DatabaseConfig, redact};

#[derive(Clone, Debug, Args)]
#[command(next_help_heading = "Storage")]
pub struct StorageSettings {
    /// Folder for the SQLite file and uploaded documents.
    #[arg(long, env = "MENSA_DATA_DIR", global = true, default_value = "./data")]
    pub data_dir: PathBuf,

    /// `postgres://user@host/db` (a login that owns the schema: it runs the migrations,
    /// then works as the restricted role `mensa_app`) or `sqlite://path`.
    ///
    /// Default: SQLite file in the data folder
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<DatabaseConfig>,

    /// `redis://host:6379` for the shared balance cache, the failed-login counts every
    /// replica shares, and logouts that reach every replica at once.
    ///
    /// Default: in-process cache
    #[arg(long, env = "REDIS_URL", global = true, hide_env_values = true, value_parser = redis_url)]
    pub redis_url: Option<String>,

    /// Prefix of this deployment's keys in Redis.
    #[arg(long, env = "MENSA_CACHE_PREFIX", global = true, default_value = "mensa", value_parser = cache_prefix)]
    pub cache_prefix: String,
}

impl std::str::FromStr for DatabaseConfig {
    type Err = String;

    fn from_str(url: &str) -> Result<Self, String> {
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = path.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err(
                    "the SQLite URL names no file: expected sqlite://path/to/mensa.sqlite".into(),
                );
            }
            return Ok(DatabaseConfig::Sqlite {
                path: PathBuf::from(path),
            });
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseConfig::Postgres {
                url: url.to_owned(),
            });
        }
        Err(format!(
            "'{}' is not supported: expected postgres://user@host/db or sqlite://file",
            redact(url)
        ))
    }
}

fn redis_url(url: &str) -> Result<String, String> {
    if url.starts_with("redis://") || url.starts_with("rediss://") {
        Ok(url.to_owned())
    } else {
        Err(format!(
            "'{}' is not a Redis URL: expected redis://host:6379",
            redact(url)
        ))
    }
}

fn cache_prefix(prefix: &str) -> Result<String, String> {
    if prefix
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(prefix.to_owned())
    } else {
        Err(format!("'{prefix}' may only hold letters, digits, - and _"))
    }
}
