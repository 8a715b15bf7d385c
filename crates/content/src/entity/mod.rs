//! sea-orm models of the content tables.

pub mod audit_entry;
pub mod document;
pub mod news;
