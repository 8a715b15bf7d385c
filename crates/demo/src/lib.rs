//! The demo comuni that `cargo run` creates on an empty database, as
//! `shared/contract/demo.md` describes them: two comuni, their logins, pagoPA identifiers,
//! families and a month of meals.
//!
//! Deterministic (fixed names, dates and amounts), created once, and only in demo mode.
//! A crate of its own so that the gateway carries no data, and a test can build a demo
//! database without starting a gateway.
//! Meals, top-ups and voucher recoveries go through the ledger like real operations, so
//! the demo obeys every invariant of the real thing.

mod data;
mod seed;

pub use seed::{DemoError, SeedOutcome, seed};

/// (slug, name) of each demo comune, for the start-up banner.
pub const COMUNI: [(&str, &str); 2] = [
    (
        "sancascianovaldipesa",
        "Comune di San Casciano in Val di Pesa",
    ),
    ("grevinchianti", "Comune di Greve in Chianti"),
];

/// Every demo login has this password (demo only: production never creates these).
pub const PASSWORD: &str = "Mensa-2026";
