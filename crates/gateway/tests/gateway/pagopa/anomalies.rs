//! Receipts pay only what is owed, once: anything that does not match an open notice is
//! answered OK, credits nothing and waits as a payment anomaly, which an operator of the
//! comune (and only of that comune) credits once or marks for refund.
//!
//! Receipts go straight to the creditor service (`CreditorService::handle_envelope`), the
//! part that decides, whichever listener carries the Node's bytes to it.

use accounts::entity::ledger_entry;
use pagopa::soap::{Reply, Request, Response, parse_response, write_request};
use payments::{PositionStatus, ReceiptOutcome};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use super::node::{Family, Node, assert_valid, balance, family, notice, position};
use crate::support::{Backend, GREVE, SAN_CASCIANO, TestApp, error_codes};

/// Hands `request` to the creditor service as the listener would; the answer, checked
/// against the XSD, and what became of the receipt.
async fn deliver(app: &TestApp, request: &Request) -> (Response, Option<ReceiptOutcome>) {
    let handled = app
        .state
        .pagopa
        .creditor
        .handle_envelope(
            &write_request(request),
            Some(request.operation().soap_action()),
        )
        .await;
    assert_valid(&handled.envelope);
    (parse_response(&handled.envelope).unwrap(), handled.receipt)
}

const OK: Response = Response::SendRtV2(Reply::Ok(()));

/// Ledger rows of the comune keyed on this receipt.
async fn ledger_rows(app: &TestApp, family: &Family, receipt_id: &str) -> u64 {
    let txn = tenancy::scope::begin(&app.state.app.db, family.tenant.id)
        .await
        .unwrap();
    let rows = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::TenantId.eq(family.tenant.id.get()))
        .filter(ledger_entry::Column::IdempotencyKey.eq(format!("receipt:{receipt_id}")))
        .count(&txn)
        .await
        .unwrap();
    txn.commit().await.unwrap();
    rows
}

/// The comune's anomalies as its operator lists them (all statuses, newest first).
async fn listed(app: &TestApp, slug: &str, token: &str, status: Option<&str>) -> Vec<Value> {
    let (_, body) = app
        .graphql(
            slug,
            Some(token),
            "query($s: PaymentAnomalyStatus) { paymentAnomalies(status: $s, first: 50) { \
             edges { node { id receiptId noticeNumber paid expected toCredit reasons status \
             accountId creditedAccountId decidedBy decidedAt note } } } }",
            json!({ "s": status }),
        )
        .await;
    body["data"]["paymentAnomalies"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no anomalies listed: {body}"))
        .iter()
        .map(|edge| edge["node"].clone())
        .collect()
}

fn anomaly_of<'a>(anomalies: &'a [Value], receipt_id: &str) -> &'a Value {
    anomalies
        .iter()
        .find(|a| a["receiptId"] == receipt_id)
        .unwrap_or_else(|| panic!("no anomaly for {receipt_id} in {anomalies:?}"))
}

const CREDIT: &str = "mutation($id: ID!, $g: ID, $n: String!) { \
    creditPaymentAnomaly(id: $id, guardianId: $g, note: $n) { id status creditedAccountId decidedBy note } }";
const REFUND: &str = "mutation($id: ID!, $n: String!) { \
    markPaymentAnomalyForRefund(id: $id, note: $n) { id status decidedBy note } }";

testkit::on_both_backends! {
    async fn receipts_that_do_not_match_an_open_notice_credit_nothing_and_wait(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let family = family(&app, SAN_CASCIANO, "genitore").await;
        let node = Node::of(&app, &family);
        let before = balance(&app, &family).await;

        // A forged receipt of 5000.00 for a notice of 10.00.
        let small = notice(&app, &family, 1000).await;
        let answer = deliver(&app, &node.send_rt_v2(&small.notice_number, "forged-1", 500_000)).await;
        assert_eq!(answer, (OK, Some(ReceiptOutcome::Anomaly)), "{backend:?}");
        assert_eq!(balance(&app, &family).await, before, "{backend:?}: nothing credited");
        assert_eq!(
            position(&app, &family, &small.notice_number).await.status,
            PositionStatus::Open,
            "a receipt that does not pay the notice leaves it open"
        );

        // The notice paid properly, then a second receipt id for it.
        let answer = deliver(&app, &node.send_rt_v2(&small.notice_number, "good-1", 1000)).await;
        assert_eq!(answer, (OK, Some(ReceiptOutcome::Credited)));
        let paid = before.checked_add("10.00".parse().unwrap()).unwrap();
        assert_eq!(balance(&app, &family).await, paid);
        let answer = deliver(&app, &node.send_rt_v2(&small.notice_number, "second-1", 1000)).await;
        assert_eq!(answer, (OK, Some(ReceiptOutcome::Anomaly)));
        assert_eq!(balance(&app, &family).await, paid, "{backend:?}: a paid notice pays once");

        // A cancelled notice paid anyway.
        let cancelled = notice(&app, &family, 1500).await;
        assert!(
            payments::cancel_notice(&app.state.app.db, &family.tenant, &cancelled.notice_number)
                .await
                .unwrap()
        );
        let answer = deliver(&app, &node.send_rt_v2(&cancelled.notice_number, "cancelled-1", 1500)).await;
        assert_eq!(answer, (OK, Some(ReceiptOutcome::Anomaly)));

        // The exact amount, but transferred to another creditor.
        let elsewhere = notice(&app, &family, 2000).await;
        let other = node.transfer_v2("80002345678");
        let receipt = node.receipt(&elsewhere.notice_number, "elsewhere-1", 2000, other);
        let answer = deliver(&app, &node.send_rt_v2_with(receipt)).await;
        assert_eq!(answer, (OK, Some(ReceiptOutcome::Anomaly)));
        assert_eq!(balance(&app, &family).await, paid, "{backend:?}: nothing more credited");

        // Each waits in the comune's queue, with what was paid, what was asked, and why.
        let token = app.login(SAN_CASCIANO, "operatore").await;
        let open = listed(&app, SAN_CASCIANO, &token, Some("OPEN")).await;
        assert_eq!(open.len(), 4, "{open:?}");
        let forged = anomaly_of(&open, "forged-1");
        assert_eq!(forged["paid"], "5000.00");
        assert_eq!(forged["expected"], "10.00");
        assert_eq!(forged["reasons"], json!(["amount_mismatch"]));
        assert_eq!(forged["noticeNumber"], small.notice_number.to_string());
        assert_eq!(forged["accountId"], family.account.get().to_string());
        assert_eq!(anomaly_of(&open, "second-1")["reasons"], json!(["already_paid"]));
        assert_eq!(anomaly_of(&open, "cancelled-1")["reasons"], json!(["cancelled"]));
        let elsewhere = anomaly_of(&open, "elsewhere-1");
        assert_eq!(elsewhere["toCredit"], "0.00", "nothing of it reached the comune");
        assert_eq!(
            app::anomalies::open_payment_anomalies(&app.state.app, family.tenant.id)
                .await
                .unwrap(),
            4
        );
        for receipt in ["forged-1", "second-1", "cancelled-1", "elsewhere-1"] {
            assert_eq!(ledger_rows(&app, &family, receipt).await, 0, "{receipt}");
        }
    }
}

testkit::on_both_backends! {
    async fn a_repeated_receipt_answers_as_the_first_time_and_changes_nothing(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let family = family(&app, SAN_CASCIANO, "genitore").await;
        let node = Node::of(&app, &family);
        let before = balance(&app, &family).await;

        let position = notice(&app, &family, 2500).await;
        let credited = node.send_rt_v2(&position.notice_number, "once-1", 2500);
        assert_eq!(deliver(&app, &credited).await, (OK, Some(ReceiptOutcome::Credited)));
        assert_eq!(deliver(&app, &credited).await, (OK, Some(ReceiptOutcome::Duplicate)));
        let after = before.checked_add("25.00".parse().unwrap()).unwrap();
        assert_eq!(balance(&app, &family).await, after, "{backend:?}");
        assert_eq!(ledger_rows(&app, &family, "once-1").await, 1);

        // A repeated anomaly is answered the same and queued once.
        let forged = node.send_rt_v2(&position.notice_number, "twice-1", 9900);
        assert_eq!(deliver(&app, &forged).await, (OK, Some(ReceiptOutcome::Anomaly)));
        assert_eq!(deliver(&app, &forged).await, (OK, Some(ReceiptOutcome::Duplicate)));
        assert_eq!(balance(&app, &family).await, after, "{backend:?}");
        let token = app.login(SAN_CASCIANO, "operatore").await;
        let all = listed(&app, SAN_CASCIANO, &token, None).await;
        assert_eq!(all.len(), 1, "{all:?}");
    }
}

testkit::on_both_backends! {
    async fn an_operators_credit_lands_once_and_a_refund_credits_nothing(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let family = family(&app, SAN_CASCIANO, "genitore").await;
        let node = Node::of(&app, &family);
        let before = balance(&app, &family).await;
        let token = app.login(SAN_CASCIANO, "operatore").await;

        let position = notice(&app, &family, 1000).await;
        deliver(&app, &node.send_rt_v2(&position.notice_number, "odd-1", 1200)).await;
        deliver(&app, &node.send_rt_v2(&position.notice_number, "odd-2", 1300)).await;
        let open = listed(&app, SAN_CASCIANO, &token, Some("OPEN")).await;
        let credit_id = anomaly_of(&open, "odd-1")["id"].as_str().unwrap().to_owned();
        let refund_id = anomaly_of(&open, "odd-2")["id"].as_str().unwrap().to_owned();

        // A note is required.
        let (_, body) = app
            .graphql(SAN_CASCIANO, Some(&token), CREDIT, json!({ "id": credit_id, "n": "  " }))
            .await;
        assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "{body}");

        // Two operators credit at the same moment, then one again: one ledger row.
        let variables = json!({ "id": credit_id, "n": "the parent paid 12.00 by mistake; keep it" });
        let (first, second) = tokio::join!(
            app.graphql(SAN_CASCIANO, Some(&token), CREDIT, variables.clone()),
            app.graphql(SAN_CASCIANO, Some(&token), CREDIT, variables.clone()),
        );
        let (_, third) = app
            .graphql(SAN_CASCIANO, Some(&token), CREDIT, variables.clone())
            .await;
        for body in [&first.1, &second.1, &third] {
            let credited = &body["data"]["creditPaymentAnomaly"];
            assert_eq!(credited["status"], "CREDITED", "{backend:?}: {body}");
            assert_eq!(credited["creditedAccountId"], family.account.get().to_string());
            assert!(credited["decidedBy"].as_str().unwrap().starts_with("operator:"));
        }
        let credited = before.checked_add("12.00".parse().unwrap()).unwrap();
        assert_eq!(balance(&app, &family).await, credited, "{backend:?}: credited once");
        assert_eq!(ledger_rows(&app, &family, "odd-1").await, 1, "{backend:?}");

        // The other is marked for refund: nothing credited, and it cannot be credited later.
        let (_, body) = app
            .graphql(SAN_CASCIANO, Some(&token), REFUND, json!({ "id": refund_id, "n": "paid twice" }))
            .await;
        assert_eq!(body["data"]["markPaymentAnomalyForRefund"]["status"], "TO_REFUND", "{body}");
        let (_, body) = app
            .graphql(SAN_CASCIANO, Some(&token), CREDIT, json!({ "id": refund_id, "n": "changed my mind" }))
            .await;
        assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "{body}");
        let (_, body) = app
            .graphql(SAN_CASCIANO, Some(&token), REFUND, json!({ "id": credit_id, "n": "too late" }))
            .await;
        assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "{body}");
        assert_eq!(ledger_rows(&app, &family, "odd-2").await, 0);
        assert_eq!(balance(&app, &family).await, credited, "{backend:?}");
        assert!(listed(&app, SAN_CASCIANO, &token, Some("OPEN")).await.is_empty());
        assert_eq!(listed(&app, SAN_CASCIANO, &token, Some("TO_REFUND")).await.len(), 1);

        // Who decided, and when, is in the audit log: once per decision.
        let txn = tenancy::scope::begin(&app.state.app.db, family.tenant.id)
            .await
            .unwrap();
        let audit = content::entity::audit_entry::Entity::find()
            .filter(content::entity::audit_entry::Column::TenantId.eq(family.tenant.id.get()))
            .filter(content::entity::audit_entry::Column::Subject.starts_with("payment_anomaly:"))
            .all(&txn)
            .await
            .unwrap();
        txn.commit().await.unwrap();
        let actions: Vec<_> = audit.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["credit_payment_anomaly", "refund_payment_anomaly"], "{backend:?}");
        assert!(audit.iter().all(|e| e.actor.starts_with("operator:")));
        assert!(audit[0].detail.as_deref().unwrap().contains("keep it"));
    }
}

testkit::on_both_backends! {
    async fn a_payment_for_an_unknown_notice_is_credited_to_the_family_the_operator_names(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let family = family(&app, SAN_CASCIANO, "galli").await;
        let node = Node::of(&app, &family);
        let before = balance(&app, &family).await;
        let token = app.login(SAN_CASCIANO, "operatore").await;

        let unknown = pagopa::NoticeNumber::generate("01".parse().unwrap(), 9_999_999_999_998).unwrap();
        let answer = deliver(&app, &node.send_rt_v2(&unknown, "stray-1", 4200)).await;
        assert_eq!(answer, (OK, Some(ReceiptOutcome::Anomaly)));
        let open = listed(&app, SAN_CASCIANO, &token, Some("OPEN")).await;
        let stray = anomaly_of(&open, "stray-1");
        assert_eq!(stray["reasons"], json!(["unknown_notice"]));
        assert_eq!(stray["accountId"], Value::Null);
        let id = stray["id"].as_str().unwrap().to_owned();

        let (_, body) = app
            .graphql(SAN_CASCIANO, Some(&token), CREDIT, json!({ "id": id, "n": "bank says Galli" }))
            .await;
        assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "a family must be named: {body}");
        let variables = json!({ "id": id, "g": family.guardian.get().to_string(), "n": "bank says Galli" });
        let (_, body) = app.graphql(SAN_CASCIANO, Some(&token), CREDIT, variables).await;
        assert_eq!(body["data"]["creditPaymentAnomaly"]["status"], "CREDITED", "{body}");
        assert_eq!(
            balance(&app, &family).await,
            before.checked_add("42.00".parse().unwrap()).unwrap(),
            "{backend:?}"
        );
    }
}

testkit::on_both_backends! {
    async fn another_comunes_operator_neither_sees_nor_resolves_anomalies(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let family = family(&app, SAN_CASCIANO, "genitore").await;
        let node = Node::of(&app, &family);
        let before = balance(&app, &family).await;
        let position = notice(&app, &family, 1000).await;
        deliver(&app, &node.send_rt_v2(&position.notice_number, "theirs-1", 500_000)).await;
        let own = app.login(SAN_CASCIANO, "operatore").await;
        let id = anomaly_of(&listed(&app, SAN_CASCIANO, &own, None).await, "theirs-1")["id"]
            .as_str()
            .unwrap()
            .to_owned();

        let greve = app.login(GREVE, "operatore").await;
        assert!(listed(&app, GREVE, &greve, None).await.is_empty(), "{backend:?}");
        let note = json!({ "id": id, "n": "mine now" });
        let (_, body) = app.graphql(GREVE, Some(&greve), CREDIT, note.clone()).await;
        assert_eq!(error_codes(&body), ["NOT_FOUND"], "{body}");
        let (_, body) = app.graphql(GREVE, Some(&greve), REFUND, note.clone()).await;
        assert_eq!(error_codes(&body), ["NOT_FOUND"], "{body}");
        // Nor can a parent, even of the comune.
        let parent = app.login(SAN_CASCIANO, "genitore").await;
        let (_, body) = app.graphql(SAN_CASCIANO, Some(&parent), CREDIT, note).await;
        assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");

        assert_eq!(balance(&app, &family).await, before, "{backend:?}");
        let still = listed(&app, SAN_CASCIANO, &own, Some("OPEN")).await;
        assert_eq!(anomaly_of(&still, "theirs-1")["status"], "OPEN");
    }
}

testkit::on_both_backends! {
    async fn notice_numbers_are_random_distinct_and_valid(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let family = family(&app, SAN_CASCIANO, "genitore").await;
        let mut bases = Vec::new();
        for _ in 0..60 {
            let position = notice(&app, &family, 1000).await;
            let number = position.notice_number;
            // Valid: it parses back, check digits and all, under the comune's station.
            let printed = number.to_string();
            assert_eq!(printed.parse::<pagopa::NoticeNumber>().unwrap(), number);
            assert!(printed.starts_with("301"), "aux 3, segregation 01: {printed}");
            bases.push(i128::from(number.base()));
        }
        let distinct: std::collections::HashSet<_> = bases.iter().collect();
        assert_eq!(distinct.len(), bases.len(), "{backend:?}: distinct");
        // A sequence steps by one; random bases of 13 digits are nowhere near each other.
        let close = bases
            .windows(2)
            .filter(|pair| (pair[1] - pair[0]).abs() < 1_000_000)
            .count();
        assert_eq!(close, 0, "{backend:?}: consecutive bases look sequential: {bases:?}");
        assert!(
            bases.iter().any(|base| *base > 1_000_000_000_000),
            "bases spread over all 13 digits: {bases:?}"
        );
    }
}

testkit::on_both_backends! {
    async fn bodies_of_receipts_for_unknown_notices_are_kept_only_up_to_a_cap(backend: Backend) {
        use payments::entity::payment_receipt;

        let app = TestApp::spawn(backend).await;
        let family = family(&app, SAN_CASCIANO, "genitore").await;
        let node = Node::of(&app, &family);
        // 100 receipts for notices the comune never issued keep their body; the 101st not.
        for i in 0..101_u64 {
            let unknown = pagopa::NoticeNumber::generate("01".parse().unwrap(), 9_000_000_000_000 + i)
                .unwrap();
            let answer = deliver(&app, &node.send_rt_v2(&unknown, &format!("flood-{i}"), 100)).await;
            assert_eq!(answer, (OK, Some(ReceiptOutcome::Anomaly)), "{i}");
        }
        let txn = tenancy::scope::begin(&app.state.app.db, family.tenant.id)
            .await
            .unwrap();
        let stored = payment_receipt::Entity::find()
            .filter(payment_receipt::Column::TenantId.eq(family.tenant.id.get()))
            .filter(payment_receipt::Column::ReceiptId.starts_with("flood-"))
            .all(&txn)
            .await
            .unwrap();
        txn.commit().await.unwrap();
        assert_eq!(stored.len(), 101, "every receipt is kept as a row");
        let without_body: Vec<_> = stored
            .iter()
            .filter(|r| r.document.is_empty())
            .map(|r| r.receipt_id.as_str())
            .collect();
        assert_eq!(without_body, ["flood-100"], "{backend:?}");
    }
}
