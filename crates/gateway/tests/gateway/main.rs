//! Integration tests of the gateway: the real application on a free port, against the
//! embedded SQLite default and, when `MENSA_TEST_POSTGRES_URL` (and `MENSA_TEST_REDIS_URL`)
//! are set, against real PostgreSQL and Redis. Each test has its own database file or
//! PostgreSQL schema.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod demo_seed;
mod graphql;
mod health;
mod layers;
mod metrics;
mod migrations;
mod pagopa;
mod portal;
mod replicas;
mod row_level_security;
mod shutdown;
mod support;
mod telemetry;
mod tenancy;
