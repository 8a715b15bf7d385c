//! What every request handler can reach.

use std::sync::Arc;

use accounts::AccountEngine;
use sea_orm::DatabaseConnection;
use tenancy::{HostResolver, TenantDirectory, TrustedProxies};

#[derive(Clone, Debug)]
pub struct AppState {
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
    pub pagopa: Arc<crate::pagopa::PagoPa>,
}
