//! Each comune is served on its own subdomain; anything else finds nothing.

use reqwest::StatusCode;

use crate::support::{Backend, GREVE, SAN_CASCIANO, TestApp};

const SAN_CASCIANO_NAME: &str = "Comune di San Casciano in Val di Pesa";
const GREVE_NAME: &str = "Comune di Greve in Chianti";

testkit::on_both_backends! {
    async fn each_comune_is_served_on_its_own_subdomain(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        for (slug, own, other) in [
            (SAN_CASCIANO, SAN_CASCIANO_NAME, GREVE_NAME),
            (GREVE, GREVE_NAME, SAN_CASCIANO_NAME),
        ] {
            let response = app.get(slug, "/").await;
            assert_eq!(response.status(), StatusCode::OK, "{backend:?} {slug}");
            let body = response.text().await.unwrap();
            assert!(body.contains(own), "{backend:?}: {slug} shows its name");
            assert!(
                !body.contains(other),
                "{backend:?}: {slug} shows nothing of the other comune"
            );
        }
    }
}

#[tokio::test]
async fn host_matching_ignores_case_port_and_trailing_dot() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let port = app.addr.port();
    for host in [
        format!("sancascianovaldipesa.localhost:{port}"),
        "sancascianovaldipesa.localhost".to_owned(),
        format!("SanCascianoValDiPesa.LOCALHOST:{port}"),
        "sancascianovaldipesa.localhost.:443".to_owned(),
    ] {
        let response = app.get_with_host(&host, "/").await;
        assert_eq!(response.status(), StatusCode::OK, "{host}");
        assert!(
            response.text().await.unwrap().contains(SAN_CASCIANO_NAME),
            "{host}"
        );
    }
}

#[tokio::test]
async fn unknown_ip_and_foreign_hosts_get_an_italian_404_and_no_data() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let port = app.addr.port();
    for host in [
        format!("nowhere.localhost:{port}"),
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("a.sancascianovaldipesa.localhost:{port}"),
        "sancascianovaldipesa.example.com".to_owned(),
        "sancascianovaldipesa_.localhost".to_owned(),
    ] {
        let response = app.get_with_host(&host, "/").await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{host}");
        let body = response.text().await.unwrap();
        assert!(
            body.contains("Pagina non trovata"),
            "{host}: Italian 404 page"
        );
        assert!(!body.contains("Comune di"), "{host}: no comune's data");
    }
}

#[tokio::test]
async fn unknown_paths_on_a_comune_are_404() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let response = app.get(SAN_CASCIANO, "/no-such-page").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn forwarded_host_from_an_untrusted_client_is_ignored() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let port = app.addr.port();
    let response = app
        .request(&format!("{GREVE}.localhost:{port}"), "/")
        .header("x-forwarded-host", format!("{SAN_CASCIANO}.localhost"))
        .send()
        .await
        .unwrap();
    let body = response.text().await.unwrap();
    assert!(body.contains(GREVE_NAME));
    assert!(!body.contains(SAN_CASCIANO_NAME));

    let response = app
        .request(&format!("nowhere.localhost:{port}"), "/")
        .header("x-forwarded-host", format!("{SAN_CASCIANO}.localhost"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn forwarded_host_from_a_trusted_proxy_is_used() {
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| {
        settings.hosts.trusted_proxies = Some("127.0.0.1/32".parse().unwrap())
    })
    .await;
    let response = app
        .request("internal-upstream:8080", "/")
        .header("x-forwarded-host", format!("{SAN_CASCIANO}.localhost"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains(SAN_CASCIANO_NAME));
}
