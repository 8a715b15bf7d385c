//! The one Mensa binary: the HTTP gateway that serves every comune from its subdomain,
//! its configuration, start-up and command line.
//!
//! Use cases live in the `app` crate and domain rules in the domain crates (`tenancy`,
//! `registry`, `accounts`, `payments`); who is calling is the `auth` crate's answer. This
//! crate only speaks HTTP, GraphQL and HTML: its resolvers and page handlers are thin
//! adapters that map those answers to what a person or a client sees.

mod assets;
pub mod caller;
pub mod cli;
pub mod config;
pub mod creditor;
pub mod db;
pub mod documents;
mod error;
pub mod graphql;
mod layers;
pub mod metrics;
pub mod notices;
mod portal;
mod routes;
pub mod security;
pub mod startup;
mod state;
pub mod telemetry;
pub mod tenant;
pub mod tls;

pub use error::GatewayError;
pub use startup::Application;
pub use state::AppState;
