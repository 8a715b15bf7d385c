//! The demo's sandbox checkout pays through the real SOAP endpoint; production has none.

use gateway::config::{Config, Settings};
use payments::PositionStatus;
use reqwest::StatusCode;

use super::node::{self, balance, family, notice};
use crate::support::{Backend, Pki, SAN_CASCIANO, TestApp};

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

testkit::on_both_backends! {
    async fn the_sandbox_pays_a_notice_over_the_nodes_messages_and_returns_to_the_portal(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let family = family(&app, SAN_CASCIANO, "genitore").await;
        let before = balance(&app, &family).await;
        let position = notice(&app, &family, 2000).await;
        let number = position.notice_number.to_string();
        let host = format!("{SAN_CASCIANO}.localhost:{}", app.addr.port());

        let page = app
            .get(
                SAN_CASCIANO,
                &format!("/sandbox/checkout?notice={number}&return=%2Fconto%3Fesito%3Dok"),
            )
            .await;
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(html.contains(&position.notice_number.grouped()), "{html}");
        assert!(html.contains("20,00 €"));
        assert!(html.contains("nessun denaro viene addebitato"));

        let paid = client()
            .post(format!("http://{}/sandbox/checkout", app.addr))
            .header(reqwest::header::HOST, &host)
            .form(&[("notice", number.as_str()), ("return", "/conto?esito=ok")])
            .send()
            .await
            .unwrap();
        assert_eq!(paid.status(), StatusCode::SEE_OTHER, "{backend:?}");
        assert_eq!(paid.headers()["location"], "/conto?esito=ok");
        assert_eq!(
            balance(&app, &family).await,
            before.checked_add("20.00".parse().unwrap()).unwrap()
        );
        assert_eq!(
            node::position(&app, &family, &position.notice_number)
                .await
                .status,
            PositionStatus::Paid
        );

        // Paying again is refused by the creditor (already paid), on the page, in Italian.
        let again = client()
            .post(format!("http://{}/sandbox/checkout", app.addr))
            .header(reqwest::header::HOST, &host)
            .form(&[
                ("notice", number.as_str()),
                ("return", "https://evil.example/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::OK);
        let html = again.text().await.unwrap();
        assert!(html.contains("già pagato"), "{html}");
        assert!(
            !html.contains("evil.example"),
            "no way back to another site"
        );
        assert_eq!(
            balance(&app, &family).await,
            before.checked_add("20.00".parse().unwrap()).unwrap()
        );

        // A way back to another site is never followed.
        let other = notice(&app, &family, 1000).await;
        let paid = client()
            .post(format!("http://{}/sandbox/checkout", app.addr))
            .header(reqwest::header::HOST, &host)
            .form(&[
                ("notice", other.notice_number.to_string().as_str()),
                ("return", "//evil.example/steal"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(paid.status(), StatusCode::SEE_OTHER);
        assert_eq!(paid.headers()["location"], "/");
        assert_eq!(
            node::position(&app, &family, &other.notice_number)
                .await
                .status,
            PositionStatus::Paid
        );
    }
}

#[tokio::test]
async fn the_sandbox_is_refused_outside_the_demo() {
    // Asked for in production: the configuration itself refuses to start.
    let mut settings = Settings::default();
    settings.storage.database_url = Some("postgres://mensa@db/mensa".parse().unwrap());
    settings.pagopa.pagopa_sandbox = Some(true);
    let error = Config::from_settings(settings).unwrap_err();
    assert_eq!(error.variable, "MENSA_PAGOPA_SANDBOX");

    // Not asked for: a gateway out of demo mode has no sandbox route, while the creditor
    // listener answers the Node (mutual TLS).
    let pki = Pki::new();
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| {
        settings.hosts.demo = Some(false);
        pki.configure(settings);
    })
    .await;
    assert!(!app.state.pagopa.config.sandbox);
    let response = app
        .get_with_host("127.0.0.1", "/sandbox/checkout?notice=301000000000000100")
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let soap = pki
        .node_client()
        .post(&app.pagopa_url)
        .header("SOAPAction", "paVerifyPaymentNotice")
        .body("<broken")
        .send()
        .await
        .unwrap();
    assert_eq!(soap.status(), StatusCode::OK);
    assert!(soap.text().await.unwrap().contains("PAA_SINTASSI_XSD"));
}

testkit::on_both_backends! {
    async fn off_localhost_the_demo_and_its_sandbox_must_be_asked_for(backend: Backend) {
        // A comune's host under another domain, demo mode not asked for: no sandbox.
        let pki = Pki::new();
        let app = TestApp::spawn_with(backend, |settings| {
            settings.hosts.demo = None;
            settings.hosts.base_domain = tenancy::HostResolver::new("mensa.example.it").unwrap();
            pki.configure(settings);
        })
        .await;
        assert!(!app.state.demo && !app.state.pagopa.config.sandbox);
        let family = family(&app, SAN_CASCIANO, "genitore").await;
        let position = notice(&app, &family, 1000).await;
        let host = format!("{SAN_CASCIANO}.mensa.example.it");
        let path = format!("/sandbox/checkout?notice={}", position.notice_number);
        assert_eq!(app.get_with_host(&host, &path).await.status(), StatusCode::NOT_FOUND);
        let paid = app
            .post(&host, "/sandbox/checkout")
            .form(&[("notice", position.notice_number.to_string())])
            .send()
            .await
            .unwrap();
        assert_eq!(paid.status(), StatusCode::NOT_FOUND, "{backend:?}");
        assert_eq!(
            node::position(&app, &family, &position.notice_number).await.status,
            PositionStatus::Open
        );

        // Asked for (MENSA_DEMO=true, no certificate files): the sandbox is there.
        let app = TestApp::spawn_with(backend, |settings| {
            settings.hosts.demo = Some(true);
            settings.hosts.base_domain = tenancy::HostResolver::new("mensa.example.it").unwrap();
        })
        .await;
        assert!(app.state.pagopa.config.sandbox);
        assert_eq!(app.get_with_host(&host, &path).await.status(), StatusCode::OK);
    }
}
