//! Every case the SANP fault tables name, each answer valid against the XSD.

use chrono::Days;
use pagopa::soap::*;
use pagopa::{NoticeNumber, SegregationCode};
use payments::PositionStatus;

use super::node::{self, BROKER, Node, assert_valid, family, fault_of, notice, notice_issued, t};
use crate::support::{Backend, GREVE, SAN_CASCIANO, TestApp};

testkit::on_both_backends! {
    async fn unknown_wrong_expired_cancelled_and_paid_notices_get_their_faults(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let family = family(&app, SAN_CASCIANO, "genitore").await;
        let node = Node::of(&app, &family);
        let code = |r: &Response| fault_of(r);

        // A notice number this comune could issue but never did.
        let unknown = NoticeNumber::generate(SegregationCode::new(1).unwrap(), 9_999_999).unwrap();
        let answer = node.call(&node.verify(&unknown)).await;
        assert_eq!(
            code(&answer),
            Some(FaultCode::PagamentoSconosciuto),
            "{backend:?}"
        );
        let answer = node.call(&node.get_v2(&unknown)).await;
        assert_eq!(code(&answer), Some(FaultCode::PagamentoSconosciuto));

        // The Node's all-zero probe.
        let probe = node
            .raw(
                &pagopa::soap::write_request(&node.verify(&unknown))
                    .replace(&unknown.to_string(), "000000000000000000"),
                Some("paVerifyPaymentNotice"),
            )
            .await;
        assert_eq!(probe.0, 200);
        assert_valid(&probe.1);
        assert!(
            probe
                .1
                .contains("<faultCode>PAA_PAGAMENTO_SCONOSCIUTO</faultCode>")
        );

        let position = notice(&app, &family, 1000).await;
        let number = position.notice_number;

        // Wrong caller: a comune Mensa does not broker, another broker, another station.
        let mut stranger = node.clone();
        stranger.caller.id_pa = t("12345678901");
        let answer = stranger.call(&stranger.verify(&number)).await;
        assert_eq!(code(&answer), Some(FaultCode::IdDominioErrato));
        let mut broker = node.clone();
        broker.caller.id_broker_pa = t("11111111111");
        let answer = broker.call(&broker.verify(&number)).await;
        assert_eq!(code(&answer), Some(FaultCode::IdIntermediarioErrato));
        let mut station = node.clone();
        station.caller.id_station = t(&format!("{BROKER}_02"));
        let answer = station.call(&station.get_v2(&number)).await;
        assert_eq!(code(&answer), Some(FaultCode::StazioneIntErrata));
        // The qrCode names another comune than idPA.
        let greve = Node::new(&app, "80002345678");
        let mut crossed = node.verify(&number);
        if let Request::VerifyPaymentNotice(r) = &mut crossed {
            r.caller = greve.caller.clone();
        }
        let answer = node.call(&crossed).await;
        assert_eq!(code(&answer), Some(FaultCode::IdDominioErrato));
        // The other comune does not know San Casciano's notice.
        let answer = greve.call(&greve.verify(&number)).await;
        assert_eq!(code(&answer), Some(FaultCode::PagamentoSconosciuto));

        // Expired: issued 40 days ago, due 10 days ago; before and after the expiry round.
        let old_day = payments::today().checked_sub_days(Days::new(40)).unwrap();
        let old = notice_issued(&app, &family, 1000, old_day).await;
        let answer = node.call(&node.verify(&old.notice_number)).await;
        assert_eq!(code(&answer), Some(FaultCode::PagamentoScaduto));
        let expired = payments::expire_due(&app.state.app.db, &family.tenant, payments::today())
            .await
            .unwrap();
        assert_eq!(expired, 1);
        assert_eq!(
            node::position(&app, &family, &old.notice_number)
                .await
                .status,
            PositionStatus::Expired
        );
        let answer = node.call(&node.get_v2(&old.notice_number)).await;
        assert_eq!(code(&answer), Some(FaultCode::PagamentoScaduto));

        // Cancelled.
        let cancelled = notice(&app, &family, 1000).await;
        assert!(
            payments::cancel_notice(&app.state.app.db, &family.tenant, &cancelled.notice_number)
                .await
                .unwrap()
        );
        let answer = node.call(&node.verify(&cancelled.notice_number)).await;
        assert_eq!(code(&answer), Some(FaultCode::PagamentoAnnullato));

        // Paid: verify and get answer DUPLICATO.
        let answer = node.call(&node.send_rt_v2(&number, "paid-1", 1000)).await;
        assert_eq!(code(&answer), None);
        assert_eq!(
            node::position(&app, &family, &number).await.status,
            PositionStatus::Paid
        );
        let answer = node.call(&node.get_v1(&number)).await;
        assert_eq!(code(&answer), Some(FaultCode::PagamentoDuplicato));

        // A second payment of the paid notice is answered OK, credits nothing and waits for
        // an operator as a payment anomaly.
        let before = node::balance(&app, &family).await;
        let answer = node.call(&node.send_rt_v2(&number, "paid-2", 1000)).await;
        assert_eq!(code(&answer), None);
        // So does a payment of the expired notice.
        let answer = node
            .call(&node.send_rt_v2(&old.notice_number, "late-1", 1000))
            .await;
        assert_eq!(code(&answer), None);
        assert_eq!(node::balance(&app, &family).await, before, "{backend:?}");
        let txn = tenancy::scope::begin(&app.state.app.db, family.tenant.id)
            .await
            .unwrap();
        let day = payments::reconciliation::day(&txn, family.tenant.id, payments::today())
            .await
            .unwrap();
        txn.commit().await.unwrap();
        let flags = |id: &str| {
            day.receipts
                .iter()
                .find(|r| r.receipt_id == id)
                .unwrap()
                .flags
                .clone()
        };
        assert!(flags("paid-1").is_empty());
        assert_eq!(flags("paid-2"), ["already_paid"]);
        assert_eq!(flags("late-1"), ["expired"]);

        // paDemandPaymentNotice is not offered.
        let answer = node
            .call(&Request::DemandPaymentNotice(node.caller.clone()))
            .await;
        assert_eq!(code(&answer), Some(FaultCode::Semantica));

        // The other demo comune has its own creditor identity and numbers.
        let greve_family = node::family(&app, GREVE, "genitore").await;
        let greve_notice = notice(&app, &greve_family, 1000).await;
        assert!(greve_notice.notice_number.to_string().starts_with("302"));
        let answer = greve.call(&greve.verify(&greve_notice.notice_number)).await;
        assert_eq!(code(&answer), None);
    }
}

#[tokio::test]
async fn malformed_requests_are_syntax_faults_and_still_valid_answers() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let family = family(&app, SAN_CASCIANO, "genitore").await;
    let node = Node::of(&app, &family);
    let position = notice(&app, &family, 1000).await;
    let verify = pagopa::soap::write_request(&node.verify(&position.notice_number));

    // Not well-formed: the SOAPAction says which answer to give.
    let (status, answer) = node
        .raw(
            &verify[..verify.len() - 20],
            Some("\"paVerifyPaymentNotice\""),
        )
        .await;
    assert_eq!(status, 200);
    assert_valid(&answer);
    assert!(answer.contains("paVerifyPaymentNoticeRes"));
    assert!(
        answer.contains("<faultCode>PAA_SINTASSI_XSD</faultCode>"),
        "{answer}"
    );

    // A missing element is a schema error too.
    let (_, answer) = node
        .raw(
            &verify.replace("<idStation>77777777777_01</idStation>", ""),
            Some("paVerifyPaymentNotice"),
        )
        .await;
    assert_valid(&answer);
    assert!(answer.contains("<faultCode>PAA_SINTASSI_XSD</faultCode>"));

    // A value that breaks a facet (an 11-digit fiscal code with a letter).
    let (_, answer) = node
        .raw(
            &verify.replace(
                "<fiscalCode>80001234568</fiscalCode>",
                "<fiscalCode>8000123456X</fiscalCode>",
            ),
            Some("paVerifyPaymentNotice"),
        )
        .await;
    assert_valid(&answer);
    assert!(
        answer.contains("<faultCode>PAA_SINTASSI_EXTRAXSD</faultCode>"),
        "{answer}"
    );

    // A SOAPAction that names another operation than the body.
    let (_, answer) = node.raw(&verify, Some("paSendRTV2")).await;
    assert_valid(&answer);
    assert!(answer.contains("paVerifyPaymentNoticeRes"));
    assert!(answer.contains("<faultCode>PAA_SINTASSI_EXTRAXSD</faultCode>"));

    // Not UTF-8 at all.
    let response = node
        .http
        .post(&node.url)
        .header("SOAPAction", "paGetPaymentV2")
        .body(vec![0xff_u8, 0xfe, 0x00, 0x3c])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let answer = response.text().await.unwrap();
    assert_valid(&answer);
    assert!(answer.contains("paGetPaymentV2Response"));

    // No operation anywhere: only a SOAP Fault can answer.
    let (status, answer) = node.raw("<hello/>", None).await;
    assert_eq!(status, 500);
    assert!(
        answer.contains("<soapenv:Fault><faultcode>soapenv:Client</faultcode>"),
        "{answer}"
    );
}
