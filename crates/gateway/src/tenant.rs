//! Which comune a request is for: from its Host header, never from anything a client can
//! choose freely (X-Forwarded-Host counts only from configured trusted proxies).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::HOST;
use axum::http::request::Parts;
use tenancy::{Tenant, effective_host};

use crate::{AppState, GatewayError};

/// The comune of the current request. Extracting it answers 404 for any host that is not a
/// known comune, before a handler can touch data.
#[derive(Clone, Debug)]
pub struct CurrentTenant(pub Arc<Tenant>);

impl FromRequestParts<AppState> for CurrentTenant {
    type Rejection = GatewayError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|value| value.to_str().ok())
        };
        // HTTP/2 carries the host in the URI's authority instead of a Host header.
        let host = header(HOST.as_str()).or_else(|| parts.uri.authority().map(|a| a.as_str()));
        // Without a known peer address (a test calling the router directly) nobody is
        // trusted; the unspecified address is in no trusted list.
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
        let host = effective_host(
            host,
            header("x-forwarded-host"),
            peer,
            &state.trusted_proxies,
        )
        .ok_or(GatewayError::NotFound)?;
        let slug = state.hosts.slug_for_host(host).map_err(|error| {
            tracing::debug!(%error, "request for no comune");
            GatewayError::NotFound
        })?;
        let tenant = state
            .app
            .tenants
            .by_slug(&slug)
            .await
            .map_err(GatewayError::internal)?
            .ok_or(GatewayError::NotFound)?;
        tracing::Span::current().record("tenant.slug", tenant.slug.as_str());
        Ok(CurrentTenant(tenant))
    }
}
