//! What every request handler can reach.

use std::ops::Deref;
use std::sync::Arc;

use app::App;
use tenancy::{HostResolver, TrustedProxies};

/// A handle on the shared state. Axum clones the state for every extractor and middleware
/// of every request, so the handle is one reference count, not a copy of each part.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        AppState(Arc::new(shared))
    }
}

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

#[derive(Debug)]
pub struct Shared {
    /// The use cases every adapter calls, with the database and the account engine.
    pub app: App,
    pub hosts: HostResolver,
    pub trusted_proxies: TrustedProxies,
    pub http_metrics: Arc<crate::metrics::HttpMetrics>,
    pub auth: Arc<auth::Authenticator>,
    pub graphql_limits: crate::graphql::GraphqlLimits,
    pub graphql_rates: Arc<crate::graphql::RateLimiter>,
    pub demo: bool,
    /// Whether the portal's cookies carry `Secure` (see `security::SecurityConfig`).
    pub secure_cookies: bool,
    pub pagopa: Arc<crate::creditor::PagoPa>,
}
