//! Security headers, from tower-http layers (the ones on every response are in `layers`):
//!
//! - on every response: `X-Content-Type-Options: nosniff`, `Referrer-Policy:
//!   same-origin` (a notice number in a URL never leaks to another site),
//!   `X-Frame-Options: DENY`, and `Strict-Transport-Security` when configured (only a
//!   deployment behind HTTPS may ask browsers to insist on it);
//! - on the portal's pages: a Content Security Policy with no inline script or style and
//!   nothing from another origin except images (a comune's coat of arms may live on its
//!   own site), and `frame-ancestors 'none'`; plus tower-http's `CsrfLayer`, which refuses
//!   cross-site POSTs by their `Sec-Fetch-Site` and `Origin` headers.
//!
//! The API's GraphiQL page sets its own policy, so the portal's is set only where absent.

use axum::http::{HeaderName, HeaderValue};
use tower_http::set_header::SetResponseHeaderLayer;

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data: https:; font-src 'self'; connect-src 'self'; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityConfig {
    /// Cookies carry `Secure`: off only for plain-http development on localhost.
    pub secure_cookies: bool,
    /// `Strict-Transport-Security: max-age=<seconds>` on every response, when set.
    pub hsts_seconds: Option<u64>,
}

impl SecurityConfig {
    /// `Strict-Transport-Security`, when configured.
    pub fn hsts(&self) -> Option<HeaderValue> {
        self.hsts_seconds
            .and_then(|seconds| HeaderValue::from_str(&format!("max-age={seconds}")).ok())
    }
}

/// The portal's page policy, for its router.
pub fn content_security_policy() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(
        HeaderName::from_static("content-security-policy"),
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    )
}
