//! A crash between storing a receipt and crediting it loses nothing and doubles nothing.

use accounts::AccountId;
use payments::entity::payment_receipt;
use sea_orm::{ActiveModelTrait, Set};

use super::node::{self, Family, Node, balance, family, notice};
use crate::support::{Backend, SAN_CASCIANO, TestApp};

testkit::on_both_backends! {
    async fn a_receipt_stored_but_never_credited_is_credited_once_later(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let family = family(&app, SAN_CASCIANO, "genitore").await;
        let node = Node::of(&app, &family);
        let before = balance(&app, &family).await;
        let position = notice(&app, &family, 1234).await;

        // What a crash right after the receipt's transaction leaves behind: the row, no credit.
        store_uncredited(&app, &family, &position, "crashed-0001").await;
        assert_eq!(balance(&app, &family).await, before);

        // The Node retries the receipt (no OK reached it): the stored values are credited.
        let answer = node
            .call(&node.send_rt_v2(&position.notice_number, "crashed-0001", 1234))
            .await;
        assert_eq!(node::fault_of(&answer), None);
        let after = before.checked_add("12.34".parse().unwrap()).unwrap();
        assert_eq!(balance(&app, &family).await, after, "{backend:?}");

        // The background round finds nothing left, and credits nothing twice.
        let credited =
            payments::credit_pending(&app.state.app.db, &app.state.app.accounts, &family.tenant)
                .await
                .unwrap();
        assert_eq!(credited, 0);
        assert_eq!(balance(&app, &family).await, after);

        // Without a retry from the Node, the round alone completes an interrupted credit.
        let other = notice(&app, &family, 500).await;
        store_uncredited(&app, &family, &other, "crashed-0002").await;
        gateway::creditor::tasks::round(&app.state).await;
        gateway::creditor::tasks::round(&app.state).await;
        assert_eq!(
            balance(&app, &family).await,
            after.checked_add("5.00".parse().unwrap()).unwrap(),
            "{backend:?}"
        );
    }
}

/// The receipt row of `position`, paid in full, as the receipt's own transaction stores it.
async fn store_uncredited(
    app: &TestApp,
    family: &Family,
    position: &payments::PaymentPosition,
    receipt_id: &str,
) {
    let txn = tenancy::scope::begin(&app.state.app.db, family.tenant.id)
        .await
        .unwrap();
    payment_receipt::ActiveModel {
        tenant_id: Set(family.tenant.id.get()),
        receipt_id: Set(receipt_id.into()),
        notice_number: Set(position.notice_number.to_string()),
        position_id: Set(Some(position.id.get())),
        account_id: Set(Some(AccountId::get(family.account))),
        primitive: Set("paSendRTV2".into()),
        outcome: Set("OK".into()),
        paid_cents: Set(position.amount.cents()),
        credit_cents: Set(position.amount.cents()),
        credit_date: Set(payments::today()),
        stand_in: Set(false),
        flags: Set(String::new()),
        psp_id: Set(None),
        payment_date_time: Set(None),
        document: Set("<receipt/>".into()),
        received_at: Set(chrono::Utc::now().fixed_offset()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .unwrap();
    txn.commit().await.unwrap();
}
