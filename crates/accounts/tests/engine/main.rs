//! The account engine against real databases: the embedded SQLite default always, and
//! PostgreSQL + Redis when `scripts/test` provides them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod bulk;
mod cache;
mod commands;
mod crash;
mod properties;
mod redis_server;
mod replicas;
mod stale;
mod support;
