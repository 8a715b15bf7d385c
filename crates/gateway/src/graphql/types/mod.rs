//! The GraphQL object types, one module per glossary word.

pub mod account;
pub mod anomaly;
pub mod api_key;
pub mod content;
pub mod family;
pub mod kitchen;
pub mod page;
pub mod payment;
pub mod tenant;
