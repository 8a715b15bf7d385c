//! The portal's cookies: host-only (each comune's subdomain keeps its own), HttpOnly,
//! SameSite=Lax, and Secure unless the deployment is plain-http development on localhost.

use axum::http::HeaderMap;
use axum::http::HeaderValue;
use axum::http::header::COOKIE;

#[derive(Clone, Copy, Debug)]
pub struct CookiePolicy {
    pub secure: bool,
}

impl CookiePolicy {
    /// A cookie for `max_age_seconds`.
    pub fn set(self, name: &str, value: &str, max_age_seconds: i64) -> Option<HeaderValue> {
        let secure = if self.secure { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{name}={value}; Path=/; Max-Age={max_age_seconds}; HttpOnly; SameSite=Lax{secure}"
        ))
        .ok()
    }

    /// Tells the browser to forget a cookie.
    pub fn clear(self, name: &str) -> Option<HeaderValue> {
        self.set(name, "", 0)
    }
}

/// The value of cookie `name` in a request.
pub fn read<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn cookies_are_http_only_lax_and_secure_when_asked() {
        let secure = CookiePolicy { secure: true }.set("a", "b", 60).unwrap();
        assert_eq!(
            secure,
            "a=b; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure"
        );
        let plain = CookiePolicy { secure: false }.clear("a").unwrap();
        assert_eq!(plain, "a=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    }

    #[test]
    fn reads_one_cookie_among_many() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, HeaderValue::from_static("x=1; mensa_csrf=abc"));
        assert_eq!(read(&headers, "mensa_csrf"), Some("abc"));
        assert_eq!(read(&headers, "y"), None);
    }
}
