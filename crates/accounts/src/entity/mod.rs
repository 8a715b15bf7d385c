//! sea-orm models of the ledger tables.

pub mod family_account;
pub mod ledger_entry;
