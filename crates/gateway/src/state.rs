//! What every request handler can reach.

use std::ops::Deref;
use std::sync::Arc;

use accounts::AccountEngine;
use sea_orm::DatabaseConnection;
use tenancy::{HostResolver, TenantDirectory, TrustedProxies};

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
    pub db: DatabaseConnection,
    pub tenants: Arc<TenantDirectory>,
    pub hosts: HostResolver,
    pub trusted_proxies: TrustedProxies,
    pub accounts: AccountEngine,
    pub http_metrics: Arc<crate::metrics::HttpMetrics>,
    pub auth: Arc<crate::auth::Authenticator>,
    pub documents: Arc<dyn crate::documents::DocumentStore>,
    pub graphql_limits: crate::graphql::GraphqlLimits,
    pub graphql_rates: Arc<crate::graphql::RateLimiter>,
    pub demo: bool,
    /// Whether the portal's cookies carry `Secure` (see `security::SecurityConfig`).
    pub secure_cookies: bool,
    pub pagopa: Arc<crate::pagopa::PagoPa>,
}
