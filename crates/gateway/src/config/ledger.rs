//! Ledger settings: the family actors and the committers that write their postings.

use std::time::Duration;

use clap::Args;

use super::values::whole;

#[derive(Clone, Debug, Args)]
#[command(next_help_heading = "Ledger")]
pub struct LedgerSettings {
    /// A family's actor stops after this long without commands.
    #[arg(long, env = "MENSA_ACTOR_IDLE_SECONDS", global = true, default_value_t = 60, value_parser = whole::<u64, 1, 86_400>)]
    pub actor_idle_seconds: u64,

    /// Most postings the ledger writes in one transaction.
    #[arg(long, env = "MENSA_LEDGER_BATCH", global = true, default_value_t = 10_000, value_parser = whole::<usize, 1, 16_000>)]
    pub ledger_batch: usize,

    /// Ledger transactions written in parallel (accounts are split between them).
    #[arg(long, env = "MENSA_LEDGER_COMMITTERS", global = true, default_value_t = 2, value_parser = whole::<usize, 1, 8>)]
    pub ledger_committers: usize,
}

impl LedgerSettings {
    pub fn engine(&self) -> accounts::EngineConfig {
        accounts::EngineConfig {
            idle_timeout: Duration::from_secs(self.actor_idle_seconds),
            max_batch: self.ledger_batch,
            committers: self.ledger_committers,
            ..Default::default()
        }
    }
}
