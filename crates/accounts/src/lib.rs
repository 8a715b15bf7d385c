//! Family accounts and their ledger: every balance change of a family is an append-only
//! row, and the balance always equals the sum of its rows.
//!
//! A command (a meal eaten, a top-up received, vouchers recovered, a refund, an
//! adjustment or a reversal) carries an idempotency key unique per comune: sending it
//! again changes nothing and answers as the first time did, and the same key with another
//! command is refused as a conflict.

mod account;
pub mod cache;
mod command;
mod engine;
pub mod entity;
mod error;
mod evaluate;
mod ledger;
mod movement;
mod queries;

pub use account::{AccountId, account_of_guardian, open_account};
pub use command::{Command, IdempotencyKey};
pub use engine::{
    AccountEngine, BATCH_SIZE_BOUNDS, EngineConfig, EngineStats, MealDaySummary, RefusedMeal,
};
pub use error::{LedgerError, Outage};
pub use ledger::{Ledger, Posted};
pub use movement::{EntryId, Movement, MovementKind};
pub use queries::{
    EntryFilter, MealDay, balance, count_entries, entries, ledger_sum, meals_of_student,
    meals_of_students, meals_total, student_meal_price,
};
