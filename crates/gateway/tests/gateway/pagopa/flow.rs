//! The whole top-up as the Node performs it, on every backend.

use money::Money;
use pagopa::soap::*;
use payments::PositionStatus;

use super::node::{Node, balance, family, fault_of, notice, position};
use crate::support::{Backend, SAN_CASCIANO, TestApp};

testkit::on_both_backends! {
    async fn a_top_up_from_notice_to_credit_as_the_node_drives_it(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let family = family(&app, SAN_CASCIANO, "genitore").await;
        let before = balance(&app, &family).await;
        let node = Node::of(&app, &family);

        // The parent asks for a 25.00 top-up.
        let view = app::notices::create_payment_notice(
            &app.state.app,
            &family.tenant,
            family.guardian,
            "25.00".parse().unwrap(),
            "/conto",
        )
        .await
        .unwrap();
        assert_eq!(view.status, PositionStatus::Open);
        assert_eq!(view.amount, "25.00".parse::<Money>().unwrap());
        assert_eq!(view.pdf_path, format!("/avvisi/{}.pdf", view.notice_number));
        assert!(
            view.notice_number.starts_with("301"),
            "aux 3, segregation 01"
        );
        assert_eq!(&view.notice_number[1..], view.iuv);
        let sandbox = view.checkout_url.as_deref().unwrap();
        assert!(sandbox.starts_with(&format!("/sandbox/checkout?notice={}", view.notice_number)));
        let number: pagopa::NoticeNumber = view.notice_number.parse().unwrap();

        // paVerifyPaymentNotice: the amount, exactly, with its due date.
        let Response::VerifyPaymentNotice(Reply::Ok(ok)) = node.call(&node.verify(&number)).await
        else {
            panic!("verify failed")
        };
        assert_eq!(ok.payment_option.amount.cents(), 2500);
        assert_eq!(ok.payment_option.options, AmountOption::Eq);
        assert_eq!(ok.payment_option.due_date, Some(view.due_date));
        assert_eq!(
            ok.company_name.unwrap().as_str(),
            "Comune di San Casciano in Val di Pesa"
        );

        // paGetPaymentV2: one transfer to the comune's IBAN, school-meal taxonomy, the payer.
        let Response::GetPaymentV2(Reply::Ok(data)) = node.call(&node.get_v2(&number)).await else {
            panic!("get V2 failed")
        };
        assert_eq!(data.creditor_reference_id.as_str(), view.iuv);
        assert_eq!(data.payment_amount.cents(), 2500);
        assert_eq!(data.debtor.entity_id.as_str(), "CNTGLI84E61D612I");
        let [transfer] = data.transfers.as_slice() else {
            panic!("one transfer expected")
        };
        assert_eq!(transfer.fiscal_code_pa.as_str(), "80001234568");
        assert_eq!(transfer.iban.as_str(), "IT60X0542811101000000123456");
        assert_eq!(transfer.transfer_category.as_str(), "9/0107101TS/");
        assert_eq!(data.metadata[0].key.as_str(), "positionId");
        assert_eq!(data.metadata[0].value.as_str(), view.id.to_string());
        // The V1 get answers the same position.
        let Response::GetPayment(Reply::Ok(v1)) = node.call(&node.get_v1(&number)).await else {
            panic!("get V1 failed")
        };
        assert_eq!(v1.payment_amount, data.payment_amount);

        // paSendRTV2: stored, the position is paid and the family credited.
        let receipt_id = "c110729d258c4ab1b765fe902aae41d6";
        let answer = node.call(&node.send_rt_v2(&number, receipt_id, 2500)).await;
        assert_eq!(answer, Response::SendRtV2(Reply::Ok(())), "{backend:?}");
        let expected = before.checked_add("25.00".parse().unwrap()).unwrap();
        assert_eq!(balance(&app, &family).await, expected);
        let paid = position(&app, &family, &number).await;
        assert_eq!(paid.status, PositionStatus::Paid);
        assert_eq!(paid.receipt_id.as_deref(), Some(receipt_id));

        // The Node sends the same receipt again, as V1: OK, and nothing more is credited.
        let answer = node.call(&node.send_rt_v1(&number, receipt_id, 2500)).await;
        assert_eq!(answer, Response::SendRt(Reply::Ok(())));
        assert_eq!(balance(&app, &family).await, expected, "{backend:?}");

        // A later verify learns it is paid.
        let answer = node.call(&node.verify(&number)).await;
        assert_eq!(fault_of(&answer), Some(FaultCode::PagamentoDuplicato));

        // The family sees its notice, newest first, and the day reconciles.
        let (notices, more) =
            app::notices::payment_notices(&app.state.app, &family.tenant, family.account, None, 10)
                .await
                .unwrap();
        assert!(!more);
        assert_eq!(notices[0].notice_number, view.notice_number);
        assert_eq!(notices[0].status, PositionStatus::Paid);
        let txn = tenancy::scope::begin(&app.state.app.db, family.tenant.id)
            .await
            .unwrap();
        let day = payments::reconciliation::day(&txn, family.tenant.id, payments::today())
            .await
            .unwrap();
        txn.commit().await.unwrap();
        assert_eq!(day.notices_issued, 1);
        assert_eq!(day.receipts.len(), 1);
        assert_eq!(day.receipts[0].credited, Some("25.00".parse().unwrap()));
        assert_eq!(day.mismatches(), 0, "{}", day.to_csv());

        // /metrics counts the primitives by outcome and the receipts.
        let metrics = app
            .get_with_host("127.0.0.1", "/metrics")
            .await
            .text()
            .await
            .unwrap();
        for line in [
            "mensa_pagopa_requests_total{primitive=\"paVerifyPaymentNotice\",outcome=\"OK\"} 1",
            "mensa_pagopa_requests_total{primitive=\"paVerifyPaymentNotice\",outcome=\"PAA_PAGAMENTO_DUPLICATO\"} 1",
            "mensa_pagopa_requests_total{primitive=\"paGetPaymentV2\",outcome=\"OK\"} 1",
            "mensa_pagopa_requests_total{primitive=\"paSendRTV2\",outcome=\"OK\"} 1",
            "mensa_pagopa_requests_total{primitive=\"paSendRT\",outcome=\"OK\"} 1",
            "mensa_pagopa_receipts_total{result=\"credited\"} 1",
            "mensa_pagopa_receipts_total{result=\"duplicated\"} 1",
        ] {
            assert!(metrics.contains(line), "{line} missing from\n{metrics}");
        }
    }
}

testkit::on_both_backends! {
    async fn a_stand_in_receipt_for_a_notice_never_verified_still_credits(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let family = family(&app, SAN_CASCIANO, "galli").await;
        let before = balance(&app, &family).await;
        let node = Node::of(&app, &family);
        let position = notice(&app, &family, 4000).await;
        let own = node.caller.id_pa.as_str().to_owned();
        let mut receipt = node.receipt(
            &position.notice_number,
            "standin-0001",
            4000,
            node.transfer_v2(&own),
        );
        receipt.stand_in = Some(true);
        let answer = node.call(&node.send_rt_v2_with(receipt)).await;
        assert_eq!(answer, Response::SendRtV2(Reply::Ok(())));
        assert_eq!(
            balance(&app, &family).await,
            before.checked_add("40.00".parse().unwrap()).unwrap(),
            "{backend:?}"
        );
    }
}

testkit::on_both_backends! {
    async fn a_split_payment_and_a_cancelled_notice_are_flagged_and_credit_nothing(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let family = family(&app, SAN_CASCIANO, "genitore").await;
        let node = Node::of(&app, &family);
        let before = balance(&app, &family).await;

        // 30.00 paid, 20.00 to the comune and 10.00 to another creditor.
        let split = notice(&app, &family, 3000).await;
        let own = node.caller.id_pa.as_str().to_owned();
        let mut receipt = node.receipt(
            &split.notice_number,
            "split-1",
            3000,
            node.transfer_v2(&own),
        );
        receipt.transfers = vec![
            node.transfer_v2(&own)(pagopa::PositiveAmount::from_cents(2000).unwrap()),
            TransferV2 {
                id_transfer: IdTransfer::new(2).unwrap(),
                ..node.transfer_v2("80002345678")(pagopa::PositiveAmount::from_cents(1000).unwrap())
            },
        ];
        let answer = node.call(&node.send_rt_v2_with(receipt)).await;
        assert_eq!(answer, Response::SendRtV2(Reply::Ok(())));

        // A cancelled notice paid anyway, for a different amount.
        let cancelled = notice(&app, &family, 1500).await;
        assert!(
            payments::cancel_notice(&app.state.app.db, &family.tenant, &cancelled.notice_number)
                .await
                .unwrap()
        );
        let answer = node
            .call(&node.send_rt_v2(&cancelled.notice_number, "cancelled-1", 1700))
            .await;
        assert_eq!(answer, Response::SendRtV2(Reply::Ok(())));

        assert_eq!(
            balance(&app, &family).await,
            before,
            "{backend:?}: neither pays what its notice asked; both wait for an operator"
        );
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
        assert_eq!(flags("split-1"), ["foreign_transfers", "amount_mismatch"]);
        assert_eq!(flags("cancelled-1"), ["amount_mismatch", "cancelled"]);
        assert_eq!(day.mismatches(), 2);
        let csv = day.to_csv();
        assert!(csv.contains(",split-1,"), "{csv}");
        assert!(csv.contains("foreign_transfers;amount_mismatch"), "{csv}");
    }
}
