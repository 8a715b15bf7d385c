//! Who is calling: guardians and operators log in with username and password and get a
//! session (a bearer token, or the same token in the portal's cookie); integrators call
//! with an API key. Every credential belongs to one comune and is worthless on another
//! comune's host.

mod api_keys;
mod extract;
mod identity;
mod redis_link;
mod revocations;
mod secret;
mod service;
mod sessions;
mod throttle;

pub use api_keys::{ApiKey, ApiKeyId, NewApiKey, Scope};
pub use extract::{
    Authenticated, ClientAddress, MaybeAuthenticated, bearer, bearer_or_cookie, client_ip,
    forwarded_client,
};
pub use identity::{Identity, Principal};
pub use redis_link::RedisLink;
pub use revocations::{Forget, Revocations};
pub use secret::random_name;
pub use service::{AuthConfig, AuthError, Authenticator, Session, check_strength};
pub use throttle::{LoginThrottle, ThrottleConfig};

/// The portal's session cookie: the same token a client sends as `Authorization: Bearer`.
pub const SESSION_COOKIE: &str = "mensa_session";
