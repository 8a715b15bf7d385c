//! The `mensa` command line: `serve` (the default), `migrate`, `seed-demo`, `schema`,
//! `settings`; every setting is a flag of each, over its environment variable.

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};

use crate::config::{ConfigError, Settings};

#[derive(Debug, Parser)]
#[command(
    name = "mensa",
    version,
    about = "Mensa: prepaid school meals for Italian comuni",
    after_help = "Each setting is also read from the environment variable named beside it; \
                  a flag wins over its variable. `--help` tells more about each."
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
    /// Print the table of settings (Markdown) and exit; the README's table is its copy.
    Settings {
        /// Rewrite the table between the settings markers of this file instead.
        #[arg(long, value_name = "README")]
        update: Option<PathBuf>,
    },
}

impl Cli {
    /// The command line over the environment. Like clap's `parse`, it prints and exits on
    /// `--help` or a misspelt flag; a bad value is a `ConfigError` naming its variable.
    pub fn read() -> Result<Cli, ConfigError> {
        crate::config::read(Cli::command())
    }
}
