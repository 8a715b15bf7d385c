//! The creditor listener: the Node's SOAP calls only on `MENSA_PAGOPA_ADDR`, behind
//! mutual TLS outside demo mode, with certificates made here (`support::Pki`).

use payments::PositionStatus;
use reqwest::StatusCode;

use super::node::{Node, balance, family, notice, position};
use crate::support::{Backend, Pki, SAN_CASCIANO, TestApp};

/// A gateway out of demo mode, as in production: mutual TLS with `pki`'s files.
async fn production(backend: Backend, pki: &Pki, allowed_ips: Option<&str>) -> TestApp {
    TestApp::spawn_with(backend, |settings| {
        settings.hosts.demo = Some(false);
        pki.configure(settings);
        settings.creditor_listener.pagopa_allowed_ips =
            allowed_ips.map(|list| list.parse().unwrap());
    })
    .await
}

/// The Node with `client`, on the listener of `app`, about `SAN_CASCIANO`.
async fn node_with(app: &TestApp, client: reqwest::Client) -> (Node, super::node::Family) {
    let family = family(app, SAN_CASCIANO, "genitore").await;
    let node = Node::at(
        client,
        app.pagopa_url.clone(),
        family.tenant.creditor.fiscal_code.as_str(),
    );
    (node, family)
}

testkit::on_both_backends! {
    async fn the_node_tops_up_a_family_over_mutual_tls(backend: Backend) {
        let pki = Pki::new();
        let app = production(backend, &pki, Some("10.0.0.0/8,127.0.0.0/8,::1")).await;
        assert!(app.pagopa_url.starts_with("https://"), "{}", app.pagopa_url);
        let (node, family) = node_with(&app, pki.node_client()).await;
        let before = balance(&app, &family).await;
        let position = notice(&app, &family, 2500).await;
        let number = position.notice_number;

        let answer = node.call(&node.verify(&number)).await;
        assert!(matches!(answer, pagopa::soap::Response::VerifyPaymentNotice(pagopa::soap::Reply::Ok(_))), "{answer:?}");
        let answer = node.call(&node.get_v2(&number)).await;
        assert!(matches!(answer, pagopa::soap::Response::GetPaymentV2(pagopa::soap::Reply::Ok(_))), "{answer:?}");
        let answer = node.call(&node.send_rt_v2(&number, "a3f1c7d9e5b24f6a8c0d1e2f3a4b5c6d", 2500)).await;
        assert_eq!(answer, pagopa::soap::Response::SendRtV2(pagopa::soap::Reply::Ok(())), "{backend:?}");
        assert_eq!(
            balance(&app, &family).await,
            before.checked_add("25.00".parse().unwrap()).unwrap()
        );
        assert_eq!(position_status(&app, &family, &number).await, PositionStatus::Paid);
        assert_eq!(app.state.pagopa.metrics.requests(), 3);
    }
}

async fn position_status(
    app: &TestApp,
    family: &super::node::Family,
    number: &pagopa::NoticeNumber,
) -> PositionStatus {
    position(app, family, number).await.status
}

testkit::on_both_backends! {
    async fn a_caller_without_pagopas_certificate_never_reaches_a_handler(backend: Backend) {
        let pki = Pki::new();
        let app = production(backend, &pki, None).await;
        let (node, family) = node_with(&app, pki.node_client()).await;
        let before = balance(&app, &family).await;
        let position = notice(&app, &family, 1000).await;
        let receipt = node.send_rt_v2(&position.notice_number, "f0e1d2c3b4a5968778695a4b3c2d1e0f", 1000);
        let envelope = pagopa::soap::write_request(&receipt);

        for (who, client) in [
            ("no certificate", pki.client(None)),
            ("a certificate of another CA", pki.client(Some(&pki.impostor))),
        ] {
            let sent = client
                .post(&app.pagopa_url)
                .header("SOAPAction", "paSendRTV2")
                .header("content-type", "text/xml; charset=utf-8")
                .body(envelope.clone())
                .send()
                .await;
            assert!(sent.is_err(), "{who}: {:?}", sent.map(|answer| answer.status()));
        }
        assert_eq!(app.state.pagopa.metrics.requests(), 0, "no handler reached");
        assert_eq!(balance(&app, &family).await, before, "{backend:?}");
        assert_eq!(
            position_status(&app, &family, &position.notice_number).await,
            PositionStatus::Open
        );

        // The same receipt with pagoPA's certificate is handled.
        let answer = node.call(&receipt).await;
        assert_eq!(answer, pagopa::soap::Response::SendRtV2(pagopa::soap::Reply::Ok(())));
        assert_eq!(app.state.pagopa.metrics.requests(), 1);
    }
}

testkit::on_both_backends! {
    async fn an_address_outside_the_allowlist_is_refused_before_the_handshake(backend: Backend) {
        let pki = Pki::new();
        let app = production(backend, &pki, Some("10.0.0.0/8")).await;
        let (node, family) = node_with(&app, pki.node_client()).await;
        let position = notice(&app, &family, 1000).await;
        let sent = node
            .http
            .post(&node.url)
            .header("SOAPAction", "paVerifyPaymentNotice")
            .body(pagopa::soap::write_request(&node.verify(&position.notice_number)))
            .send()
            .await;
        assert!(sent.is_err(), "127.0.0.1 is not in 10.0.0.0/8: {:?}", sent.map(|a| a.status()));
        assert_eq!(app.state.pagopa.metrics.requests(), 0, "no handler reached");
    }
}

testkit::on_both_backends! {
    async fn no_public_host_serves_the_creditor_interface(backend: Backend) {
        let app = TestApp::spawn_with(backend, |settings| {
            settings.server.admin_addr = Some("127.0.0.1:0".parse().unwrap());
        })
        .await;
        let (node, family) = node_with(&app, reqwest::Client::new()).await;
        let position = notice(&app, &family, 1000).await;
        let body = pagopa::soap::write_request(&node.verify(&position.notice_number));
        let port = app.addr.port();
        let public_hosts = [
            format!("{SAN_CASCIANO}.localhost:{port}"),
            format!("localhost:{port}"),
            "localhost".to_owned(),
            format!("127.0.0.1:{port}"),
        ];
        for host in &public_hosts {
            let answer = app
                .post(host, "/pagopa/paForNode")
                .header("SOAPAction", "paVerifyPaymentNotice")
                .body(body.clone())
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), StatusCode::NOT_FOUND, "Host {host}");
        }
        let admin = reqwest::Client::new()
            .post(format!("http://{}/pagopa/paForNode", app.admin_addr.unwrap()))
            .header("SOAPAction", "paVerifyPaymentNotice")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(admin.status(), StatusCode::NOT_FOUND, "the admin port");
        assert_eq!(app.state.pagopa.metrics.requests(), 0);

        // The demo's listener (plain HTTP) answers, whatever the Host; nothing else there.
        assert!(app.pagopa_url.starts_with("http://"));
        let answer = node.call(&node.verify(&position.notice_number)).await;
        assert!(matches!(answer, pagopa::soap::Response::VerifyPaymentNotice(pagopa::soap::Reply::Ok(_))), "{answer:?}");
        let other = reqwest::Client::new()
            .get(format!("http://{}/healthz", app.pagopa_addr))
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), StatusCode::NOT_FOUND, "only /pagopa/paForNode there");
    }
}

#[tokio::test]
async fn a_body_over_a_mebibyte_gets_413_on_the_listener() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    // Under the public port's limit (10 MiB) and axum's default for a body (2 MiB): only
    // the listener's own limit refuses it.
    let body = format!("<a>{}</a>", "x".repeat(1536 * 1024));
    let answer = reqwest::Client::new()
        .post(&app.pagopa_url)
        .header("SOAPAction", "paSendRTV2")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.state.pagopa.metrics.requests(), 0);
}

#[tokio::test]
async fn outside_demo_mode_the_gateway_refuses_to_start_without_good_certificate_files() {
    use gateway::config::{Config, Settings};
    let pki = Pki::new();
    let start = |adjust: &dyn Fn(&mut Settings)| {
        let mut settings = Settings::default();
        settings.server.addr = "127.0.0.1:0".parse().unwrap();
        settings.creditor_listener.pagopa_addr = "127.0.0.1:0".parse().unwrap();
        settings.storage.data_dir = pki.dir().to_owned();
        settings.hosts.demo = Some(false);
        adjust(&mut settings);
        let config = Config::from_settings(settings).unwrap();
        async move {
            gateway::Application::build(&config)
                .await
                .map(|_| ())
                .unwrap_err()
                .to_string()
        }
    };
    let error = start(&|_| {}).await;
    for variable in [
        "MENSA_PAGOPA_TLS_CERT",
        "MENSA_PAGOPA_TLS_KEY",
        "MENSA_PAGOPA_CLIENT_CA",
    ] {
        assert!(error.contains(variable), "{error}");
    }
    let error = start(&|settings| {
        pki.configure(settings);
        settings.creditor_listener.pagopa_tls_key = None;
    })
    .await;
    assert!(
        error.starts_with("MENSA_PAGOPA_TLS_KEY: not set."),
        "only the missing one is named first: {error}"
    );

    // Files that are there but wrong say which and why.
    let error = start(&|settings| {
        pki.configure(settings);
        settings.creditor_listener.pagopa_tls_key = Some(pki.path("client-ca.pem"));
    })
    .await;
    assert!(
        error.contains("MENSA_PAGOPA_TLS_KEY") && error.contains("no PEM private key"),
        "{error}"
    );
    let error = start(&|settings| {
        pki.configure(settings);
        settings.creditor_listener.pagopa_client_ca = Some(pki.path("server.key"));
    })
    .await;
    assert!(
        error.contains("MENSA_PAGOPA_CLIENT_CA") && error.contains("no PEM certificate"),
        "{error}"
    );
    let error = start(&|settings| {
        pki.configure(settings);
        settings.creditor_listener.pagopa_tls_cert = Some(pki.path("nowhere.pem"));
    })
    .await;
    assert!(
        error.contains("MENSA_PAGOPA_TLS_CERT") && error.contains("cannot be read"),
        "{error}"
    );
}
