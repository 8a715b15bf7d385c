//! The one Mensa binary: the HTTP gateway that serves every comune from its subdomain,
//! its configuration, start-up and command line, and the demo data.
//!
//! Domain rules live in the domain crates (`tenancy`, `registry`, `accounts`); this crate
//! only speaks HTTP and HTML, and maps their answers to what a person or a client sees.

mod assets;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod documents;
mod error;
pub mod graphql;
mod layers;
pub mod metrics;
pub mod pagopa;
pub mod payments;
mod portal;
mod routes;
pub mod security;
pub mod services;
pub mod startup;
mod state;
pub mod telemetry;
pub mod tenant;

pub use error::GatewayError;
pub use startup::Application;
pub use state::AppState;
