//! Who is calling: guardians and operators log in with username and password and get a
//! session (a bearer token, or the same token in the portal's cookie); integrators call
//! with an API key. Every credential belongs to one comune and is worthless on another
//! comune's host.
//!
//! No HTTP here: the gateway reads the token from a request and asks the `Authenticator`.
//! Failed logins are counted (in Redis when replicas share one), and a revocation reaches
//! every replica's session cache.

mod api_keys;
mod audit;
mod authenticator;
mod config;
mod error;
mod identity;
mod integrators;
mod login;
mod password;
mod redis_link;
mod revocations;
mod secret;
mod sessions;
mod throttle;

pub use api_keys::{ApiKey, ApiKeyId, NewApiKey, Scope};
pub use authenticator::{Authenticator, Session};
pub use config::{AuthConfig, default_password_checks};
pub use error::AuthError;
pub use identity::{Identity, Principal};
pub use password::{check_strength, hash as hash_password};
pub use redis_link::RedisLink;
pub use revocations::{Forget, Revocations, SessionCache};
pub use secret::{RandomError, random_name};
pub use throttle::{LoginThrottle, ThrottleConfig};
