//! GraphiQL: served from this host only, each file with the integrity digest the page
//! names, and not at all unless enabled (on in demo mode by default).

use reqwest::StatusCode;
use sha2::{Digest, Sha384};

use crate::support::{Backend, SAN_CASCIANO, TestApp};

/// Standard base64, written again here so the test does not trust the gateway's.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(
                    ALPHABET[usize::try_from((n >> shift) & 63).unwrap()],
                ));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[tokio::test]
async fn graphiql_comes_from_this_host_with_integrity_digests() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let host = app.host(SAN_CASCIANO);
    let response = app.request(&host, "/graphql").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.contains("script-src 'self';"), "{policy}");
    assert!(
        !policy.contains("unpkg") && !policy.contains("https:"),
        "{policy}"
    );
    let page = response.text().await.unwrap();
    assert!(!page.contains("https://"), "{page}");
    assert!(!page.contains("<script>"), "no inline script: {page}");

    // Every script and stylesheet, fetched as the browser would, has the named digest.
    let mut checked = 0;
    for part in page.split(" integrity=\"").skip(1) {
        let sri = part.split('"').next().unwrap();
        let before = page.split(&format!(" integrity=\"{sri}\"")).next().unwrap();
        let url = before.rsplit('"').nth(1).unwrap();
        assert!(url.starts_with("/graphql/explorer/"), "{url}");
        let response = app.request(&host, url).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        let bytes = response.bytes().await.unwrap();
        assert_eq!(
            format!("sha384-{}", base64(&Sha384::digest(&bytes))),
            sri,
            "{url}"
        );
        checked += 1;
    }
    assert_eq!(checked, 5, "{page}");
}

#[tokio::test]
async fn graphiql_is_off_unless_enabled() {
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| {
        settings.api.graphiql = Some(false);
    })
    .await;
    let host = app.host(SAN_CASCIANO);
    let response = app.request(&host, "/graphql").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = app
        .request(&host, "/graphql/explorer/graphiql.min.js")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // The API itself is there.
    let (status, body) = app
        .graphql(
            SAN_CASCIANO,
            None,
            "{ tenant { slug } }",
            serde_json::json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
