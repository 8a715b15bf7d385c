//! 200 receipts, each delivered twice at the same time (as a Node retrying after a lost
//! answer would): each is credited exactly once.

use accounts::entity::ledger_entry;
use money::Money;
use pagopa::soap::{Reply, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::node::{Node, assert_valid, balance, family, notice};
use crate::support::{Backend, SAN_CASCIANO, TestApp};

const RECEIPTS: usize = 200;

testkit::on_both_backends! {
    async fn two_hundred_receipts_sent_twice_concurrently_are_credited_once_each(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let families = [
            family(&app, SAN_CASCIANO, "genitore").await,
            family(&app, SAN_CASCIANO, "galli").await,
        ];
        let before = [
            balance(&app, &families[0]).await,
            balance(&app, &families[1]).await,
        ];
        let node = Node::of(&app, &families[0]);
        let mut requests = Vec::with_capacity(RECEIPTS);
        let mut expected = [Money::ZERO, Money::ZERO];
        for i in 0..RECEIPTS {
            let cents = 500 + i64::try_from(i).unwrap();
            let position = notice(&app, &families[i % 2], cents).await;
            expected[i % 2] = expected[i % 2]
                .checked_add(Money::from_cents(cents).unwrap())
                .unwrap();
            let receipt_id = format!("rt{i:030}");
            let request = if i % 3 == 0 {
                node.send_rt_v1(
                    &position.notice_number,
                    &receipt_id,
                    u64::try_from(cents).unwrap(),
                )
            } else {
                node.send_rt_v2(
                    &position.notice_number,
                    &receipt_id,
                    u64::try_from(cents).unwrap(),
                )
            };
            requests.push(request);
        }

        let mut tasks = Vec::with_capacity(RECEIPTS * 2);
        for request in &requests {
            for _ in 0..2 {
                let (client, request) = (node.client.clone(), request.clone());
                tasks.push(tokio::spawn(async move { client.call(&request).await }));
            }
        }
        let mut envelopes = Vec::new();
        for task in tasks {
            let (response, envelope) = task.await.unwrap().unwrap();
            assert!(
                matches!(
                    response,
                    Response::SendRt(Reply::Ok(())) | Response::SendRtV2(Reply::Ok(()))
                ),
                "{backend:?}: {envelope}"
            );
            envelopes.push(envelope);
        }
        for envelope in envelopes.iter().step_by(97) {
            assert_valid(envelope);
        }

        for (i, family) in families.iter().enumerate() {
            assert_eq!(
                balance(&app, family).await,
                before[i].checked_add(expected[i]).unwrap(),
                "{backend:?}: family {i}"
            );
        }
        let txn = tenancy::scope::begin(&app.state.app.db, families[0].tenant.id)
            .await
            .unwrap();
        let top_ups = ledger_entry::Entity::find()
            .filter(ledger_entry::Column::TenantId.eq(families[0].tenant.id.get()))
            .filter(ledger_entry::Column::IdempotencyKey.like("receipt:rt%"))
            .all(&txn)
            .await
            .unwrap();
        txn.commit().await.unwrap();
        assert_eq!(
            top_ups.len(),
            RECEIPTS,
            "{backend:?}: one ledger row per receipt"
        );
        let credited = app.state.pagopa.metrics.receipts_credited();
        let duplicated = app.state.pagopa.metrics.receipts_duplicated();
        assert_eq!(
            (credited, duplicated),
            (200, 200),
            "{backend:?}: each receipt once new, once a repeat"
        );
    }
}
