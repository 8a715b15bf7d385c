//! Headers, assets and branding every portal page relies on.

use reqwest::StatusCode;

use super::browser::Browser;
use crate::support::{Backend, GREVE, SAN_CASCIANO, TestApp};

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::new(&app, SAN_CASCIANO);
    for path in ["/", "/accesso"] {
        let response = browser.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        for directive in [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["x-frame-options"], "DENY");
        assert_eq!(headers["referrer-policy"], "same-origin");
        assert!(
            headers.get("strict-transport-security").is_none(),
            "off by default"
        );
        let body = response.text().await.unwrap();
        assert!(!body.contains("<script"), "{path}: no scripts at all");
        assert!(!body.contains("style=\""), "{path}: no inline styles");
    }
}

#[tokio::test]
async fn hsts_and_secure_cookies_when_configured() {
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| {
        settings.cookies.hsts_seconds = Some(31_536_000);
        settings.cookies.secure_cookies = Some(true);
    })
    .await;
    let browser = Browser::new(&app, SAN_CASCIANO);
    let response = browser.get("/accesso").await;
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn assets_are_embedded_versioned_and_cached_for_a_year() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::new(&app, SAN_CASCIANO);
    let page = browser.text("/accesso").await;
    let start = page.find("/static/").unwrap();
    let end = page[start..].find('"').unwrap() + start;
    let css = &page[start..end];
    assert!(css.ends_with("/bootstrap-italia.min.css"), "{css}");
    let version = css.split('/').nth(2).unwrap();
    assert_eq!(version.len(), 12);
    for (path, content_type) in [
        ("bootstrap-italia.min.css", "text/css; charset=utf-8"),
        ("portal.css", "text/css; charset=utf-8"),
        ("fonts/titillium-web-400.woff2", "font/woff2"),
        ("sprites.svg", "image/svg+xml"),
        ("tema-0b4f8a.css", "text/css; charset=utf-8"),
    ] {
        let response = browser.get(&format!("/static/{version}/{path}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["content-type"], content_type, "{path}");
        assert_eq!(
            response.headers()["cache-control"],
            "public, max-age=31536000, immutable",
            "{path}"
        );
    }
    let old = browser.get("/static/000000000000/portal.css").await;
    assert_eq!(old.status(), StatusCode::OK);
    assert_eq!(old.headers()["cache-control"], "no-cache");
    let missing = browser
        .get(&format!("/static/{version}/../Cargo.toml"))
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn each_comune_has_its_colour_and_contacts() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    for (slug, colour, email) in [
        (
            SAN_CASCIANO,
            "tema-0b4f8a.css",
            "refezione@comune.sancascianovaldipesa.example",
        ),
        (
            GREVE,
            "tema-7a1f2b.css",
            "scuola@comune.grevinchianti.example",
        ),
    ] {
        let page = Browser::new(&app, slug).text("/").await;
        assert!(page.contains(colour), "{slug}");
        assert!(page.contains(email), "{slug}");
    }
    let theme = Browser::new(&app, SAN_CASCIANO)
        .text("/static/x/tema-0b4f8a.css")
        .await;
    assert!(theme.contains("--mensa-primary:#0b4f8a"), "{theme}");
}
