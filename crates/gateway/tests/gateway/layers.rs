//! What every response gets from the HTTP layers.

use reqwest::StatusCode;

use crate::support::{SAN_CASCIANO, TestApp};

#[tokio::test]
async fn every_response_carries_a_request_id_and_keeps_only_a_trusted_proxys() {
    let app = TestApp::spawn(testkit::Backend::Sqlite).await;
    let response = app.get(SAN_CASCIANO, "/").await;
    let made = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(made.len(), 36, "a UUID: {made}");
    // A client that is no trusted proxy cannot choose its id.
    let host = format!("{SAN_CASCIANO}.localhost:{}", app.addr.port());
    let replaced = app
        .request(&host, "/")
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    let id = replaced.headers()["x-request-id"].to_str().unwrap();
    assert_ne!(id, "abc-123");
    assert_eq!(id.len(), 36, "a UUID: {id}");

    // The ingress (a trusted proxy) passes its id on, and it is kept.
    let behind_proxy = TestApp::spawn_with(testkit::Backend::Sqlite, |settings| {
        settings.hosts.trusted_proxies = Some(tenancy::TrustedProxies::parse("127.0.0.1").unwrap());
    })
    .await;
    let host = format!("{SAN_CASCIANO}.localhost:{}", behind_proxy.addr.port());
    let kept = behind_proxy
        .request(&host, "/")
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(kept.headers()["x-request-id"], "abc-123");
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let app = TestApp::spawn_with(testkit::Backend::Sqlite, |settings| {
        settings.server.body_limit_bytes = 2048
    })
    .await;
    let client = reqwest::Client::new();
    let response = client
        .post(format!("http://{}/", app.addr))
        .header(reqwest::header::HOST, format!("{SAN_CASCIANO}.localhost"))
        .body(vec![b'x'; 4096])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn responses_are_compressed_for_clients_that_ask() {
    let app = TestApp::spawn(testkit::Backend::Sqlite).await;
    let response = app
        .request("127.0.0.1", "/metrics")
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn only_configured_origins_may_call_from_a_browser() {
    let app = TestApp::spawn_with(testkit::Backend::Sqlite, |settings| {
        settings.server.cors_origins = Some("https://app.example.it".parse().unwrap())
    })
    .await;
    let preflight = |origin: &'static str| {
        reqwest::Client::new()
            .request(reqwest::Method::OPTIONS, format!("http://{}/", app.addr))
            .header(reqwest::header::HOST, format!("{SAN_CASCIANO}.localhost"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .send()
    };
    let allowed = preflight("https://app.example.it").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://app.example.it"
    );
    let refused = preflight("https://evil.example.com").await.unwrap();
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}
