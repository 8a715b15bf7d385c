//! Who is looking at a portal page: the comune of the host, and the guardian whose
//! session cookie is valid on that comune. A session of another comune is not a session
//! here: `Authenticator::authenticate` looks the token up under this comune only.

use std::sync::Arc;

use accounts::AccountId;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use registry::GuardianId;
use tenancy::Tenant;

use super::cookies;
use super::csrf;
use super::error::PortalError;
use crate::AppState;
use crate::caller::SESSION_COOKIE;
use crate::tenant::CurrentTenant;
use auth::{Identity, Principal};

/// Any visitor of a comune's portal, logged in or not.
pub struct Visitor {
    pub tenant: Arc<Tenant>,
    pub session: Option<LoggedIn>,
}

/// A valid session on this comune, and the raw token it was read from (the CSRF token
/// is derived from it).
pub struct LoggedIn {
    pub identity: Identity,
    pub token: String,
}

impl LoggedIn {
    pub fn csrf(&self) -> String {
        csrf::for_session(&self.token)
    }
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = PortalError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let CurrentTenant(tenant) = CurrentTenant::from_request_parts(parts, state).await?;
        // The portal reads only its own cookie: a bearer token or API key belongs to the
        // API, and a form posted with one would have no CSRF token to check.
        let session = match cookies::read(&parts.headers, SESSION_COOKIE) {
            None => None,
            Some(token) => state
                .auth
                .authenticate(tenant.id, token)
                .await
                .map_err(PortalError::internal)?
                .map(|identity| LoggedIn {
                    identity,
                    token: token.to_owned(),
                }),
        };
        Ok(Visitor { tenant, session })
    }
}

/// A guardian logged in on this comune: every page of his family needs one.
pub struct Family {
    pub tenant: Arc<Tenant>,
    pub guardian: GuardianId,
    pub account: AccountId,
    pub session: LoggedIn,
}

impl Family {
    /// The family of a visitor whose session is a guardian's.
    pub fn from_visitor(visitor: Visitor) -> Option<Self> {
        let session = visitor.session?;
        match session.identity.principal {
            Principal::Guardian { guardian, account } => Some(Family {
                tenant: visitor.tenant,
                guardian,
                account,
                session,
            }),
            _ => None,
        }
    }

    pub fn csrf(&self) -> String {
        self.session.csrf()
    }

    /// Refuses a form whose token is not this session's.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), PortalError> {
        if csrf::matches(submitted, &self.csrf()) {
            Ok(())
        } else {
            Err(PortalError::Csrf)
        }
    }
}

impl FromRequestParts<AppState> for Family {
    type Rejection = PortalError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let return_to = parts.uri.path().to_owned();
        let visitor = Visitor::from_request_parts(parts, state).await?;
        if visitor.session.is_none() {
            return Err(PortalError::LoginRequired { return_to });
        }
        Family::from_visitor(visitor).ok_or(PortalError::GuardiansOnly)
    }
}
