//! GraphiQL, for integrators exploring the API in a browser: served from files embedded
//! in the binary (`scripts/vendor-graphiql`), never from a CDN, each with a Subresource
//! Integrity digest the page names, under a policy that allows scripts from this host only.
//! Off unless `MENSA_GRAPHIQL` (on by default in demo mode): `GET /graphql` is then 404.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use sha2::{Digest, Sha384};

use crate::tenant::CurrentTenant;

struct File {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

macro_rules! vendored {
    ($name:literal, $content_type:expr) => {
        File {
            name: $name,
            content_type: $content_type,
            bytes: include_bytes!(concat!("../../assets/vendor/graphiql/", $name)),
        }
    };
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// In the order the page loads them: React, then GraphiQL, then our start script.
static FILES: [File; 5] = [
    vendored!("graphiql.min.css", CSS),
    vendored!("react.production.min.js", JS),
    vendored!("react-dom.production.min.js", JS),
    vendored!("graphiql.min.js", JS),
    File {
        name: "graphiql-start.js",
        content_type: JS,
        bytes: include_bytes!("../../assets/graphiql-start.js"),
    },
];

/// Where the files are served: under the API's path, on any comune's host.
pub const PREFIX: &str = "/graphql/explorer/";

/// Scripts from this host only (no inline script, no eval); styles may be set inline,
/// which GraphiQL's editor does; fonts are the stylesheet's `data:` URLs.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The Subresource Integrity value of some bytes: `sha384-<base64>`.
fn integrity(bytes: &[u8]) -> String {
    format!("sha384-{}", base64(&Sha384::digest(bytes)))
}

/// Standard base64 with padding (RFC 4648 §4).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let sextet = |n: u32, shift: u32| {
        usize::try_from((n >> shift) & 0x3f)
            .ok()
            .and_then(|i| ALPHABET.get(i))
            .map_or('=', |&b| char::from(b))
    };
    let mut out = String::with_capacity(bytes.len().div_ceil(3).saturating_mul(4));
    for chunk in bytes.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        out.push(sextet(n, 18));
        out.push(sextet(n, 12));
        out.push(if chunk.len() > 1 { sextet(n, 6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(n, 0) } else { '=' });
    }
    out
}

static PAGE: LazyLock<String> = LazyLock::new(|| {
    let mut head = String::new();
    let mut scripts = String::new();
    for file in &FILES {
        let (href, sri) = (format!("{PREFIX}{}", file.name), integrity(file.bytes));
        if file.content_type == CSS {
            head.push_str(&format!(
                "<link rel=\"stylesheet\" href=\"{href}\" integrity=\"{sri}\">\n"
            ));
        } else {
            scripts.push_str(&format!(
                "<script src=\"{href}\" integrity=\"{sri}\"></script>\n"
            ));
        }
    }
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Mensa GraphQL</title>\n{head}</head>\n<body>\n<div id=\"graphiql\" class=\"graphiql-container\"></div>\n{scripts}</body>\n</html>\n"
    )
});

/// `GET /graphql`: the page, on a comune's host.
pub async fn page(_tenant: CurrentTenant) -> Response {
    let mut response = Html(PAGE.as_str()).into_response();
    response
        .headers_mut()
        .insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY));
    response
}

/// `GET /graphql/explorer/<file>`.
pub async fn file(Path(name): Path<String>) -> Response {
    let Some(file) = FILES.iter().find(|file| file.name == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    (
        [
            (CONTENT_TYPE, HeaderValue::from_static(file.content_type)),
            // The page names each file by its digest: a stale copy would be refused, so
            // browsers revalidate instead of keeping one.
            (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        file.bytes,
    )
        .into_response()
}

/// GraphiQL switched off: the page and its files are not there.
#[allow(clippy::unused_async, reason = "an axum handler")]
pub async fn off() -> StatusCode {
    StatusCode::NOT_FOUND
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn base64_matches_the_rfc_examples() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (text, encoded) in cases {
            assert_eq!(base64(text.as_bytes()), encoded);
        }
    }

    /// The vendored files are those `scripts/vendor-graphiql` wrote (their digests,
    /// computed there by openssl, are committed beside them), and the page names each
    /// with that digest.
    #[test]
    fn every_vendored_file_matches_its_recorded_digest_and_the_page_names_it() {
        let recorded = include_str!("../../assets/vendor/graphiql/INTEGRITY");
        let mut checked = 0;
        for line in recorded.lines() {
            let (sri, name) = line.split_once(' ').unwrap();
            let file = FILES.iter().find(|f| f.name == name).unwrap();
            assert_eq!(
                integrity(file.bytes),
                sri,
                "{name} changed since it was vendored"
            );
            assert!(
                PAGE.contains(&format!("{PREFIX}{name}\" integrity=\"{sri}\"")),
                "{name}"
            );
            checked += 1;
        }
        assert_eq!(checked, 4);
        assert!(PAGE.contains("graphiql-start.js\" integrity=\"sha384-"));
        assert!(!PAGE.contains("https://"), "nothing from another site");
        assert!(!PAGE.contains("<script>"), "no inline script");
    }
}
