//! Reading the caller's credential from a request: `Authorization: Bearer`, an API key
//! header, or the portal's session cookie, always checked against the comune of the host.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;

use tenancy::TrustedProxies;

use crate::tenant::CurrentTenant;
use crate::{AppState, GatewayError};
use auth::Identity;

/// The portal's session cookie: the same token a client sends as `Authorization: Bearer`.
pub const SESSION_COOKIE: &str = "mensa_session";

/// The credential a program sends in a header: `Authorization: Bearer` or `X-Api-Key`.
///
/// The API reads only these, never the portal's cookie: a browser attaches a cookie to
/// requests other sites make it send, a header it never does, so the API needs no CSRF
/// defence of its own.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(value) = header(AUTHORIZATION.as_str()) {
        let (scheme, token) = value.split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then_some(token.trim());
    }
    header("x-api-key").map(str::trim)
}

/// The credential of the request, if it carries one: a header, else the portal's cookie.
pub fn bearer_or_cookie(headers: &HeaderMap) -> Option<&str> {
    if headers.contains_key(AUTHORIZATION) || headers.contains_key("x-api-key") {
        return bearer(headers);
    }
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value)
}

/// The address a request comes from: the peer, or the client a trusted proxy names.
pub fn client_ip(parts: &Parts, state: &AppState) -> IpAddr {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
    forwarded_client(&parts.headers, peer, &state.trusted_proxies)
}

pub fn forwarded_client(headers: &HeaderMap, peer: IpAddr, trusted: &TrustedProxies) -> IpAddr {
    if !trusted.trusts(peer) {
        return peer;
    }
    // The last address a trusted proxy appended is the one it saw.
    headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(peer)
}

/// The client's address (see `client_ip`), as an extractor.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddress(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(client_ip(parts, state)))
    }
}

/// The caller, if the request carries a valid credential for this comune.
#[derive(Clone, Debug)]
pub struct MaybeAuthenticated(pub Option<Identity>);

impl FromRequestParts<AppState> for MaybeAuthenticated {
    type Rejection = GatewayError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let CurrentTenant(tenant) = CurrentTenant::from_request_parts(parts, state).await?;
        let Some(token) = bearer_or_cookie(&parts.headers) else {
            return Ok(MaybeAuthenticated(None));
        };
        let identity = state
            .auth
            .authenticate(tenant.id, token)
            .await
            .map_err(GatewayError::internal)?;
        Ok(MaybeAuthenticated(identity))
    }
}

/// The caller, who must be authenticated on this comune.
#[derive(Clone, Debug)]
pub struct Authenticated(pub Identity);

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = GatewayError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        MaybeAuthenticated::from_request_parts(parts, state)
            .await?
            .0
            .map(Authenticated)
            .ok_or(GatewayError::Unauthenticated)
    }
}

/// The caller, who must be allowed to read the comune's data (`Identity::may_read`): any
/// logged-in person, or an API key with the `read` scope.
#[derive(Clone, Debug)]
pub struct Reader(pub Identity);

impl FromRequestParts<AppState> for Reader {
    type Rejection = GatewayError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Authenticated(identity) = Authenticated::from_request_parts(parts, state).await?;
        if identity.may_read() {
            Ok(Reader(identity))
        } else {
            Err(GatewayError::Forbidden)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn reads_bearer_api_key_and_cookie() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer_or_cookie(&headers), None);
        headers.insert(
            COOKIE,
            HeaderValue::from_static("a=1; mensa_session=tok; b=2"),
        );
        assert_eq!(bearer_or_cookie(&headers), Some("tok"));
        assert_eq!(bearer(&headers), None, "the API ignores the cookie");
        headers.insert("x-api-key", HeaderValue::from_static("key"));
        assert_eq!(bearer_or_cookie(&headers), Some("key"));
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer  abc "));
        assert_eq!(bearer_or_cookie(&headers), Some("abc"));
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer_or_cookie(&headers), None);
    }
}
