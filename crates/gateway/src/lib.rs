//! The one Mensa binary: the HTTP gateway that serves every comune from its subdomain,
//! its configuration, start-up and command line, and the demo data.
//!
//! Domain rules live in the domain crates (`tenancy`, `registry`, `accounts`); this crate
//! only speaks HTTP and HTML, and maps their answers to what a person or a client sees.

pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
mod error;
mod layers;
pub mod metrics;
mod routes;
pub mod startup;
mod state;
pub mod telemetry;
mod tenant;

pub use error::GatewayError;
pub use startup::Application;
pub use state::AppState;
