//! Issuing notices: the amount rules, and numbers unique per comune even when many are
//! issued at once.

use std::collections::BTreeSet;

use payments::NoticeError;
use rust_decimal::Decimal;

use super::node::family;
use crate::support::{Backend, GREVE, SAN_CASCIANO, TestApp};

#[tokio::test]
async fn amounts_must_be_positive_whole_cents_within_the_comunes_limits() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let family = family(&app, SAN_CASCIANO, "genitore").await;
    let create = |amount: &str| {
        let amount: Decimal = amount.parse().unwrap();
        let (db, tenant, guardian) = (
            app.state.app.db.clone(),
            family.tenant.clone(),
            family.guardian,
        );
        async move { payments::create_notice(&db, &tenant, guardian, amount, payments::today()).await }
    };
    assert!(matches!(create("0").await, Err(NoticeError::NotPositive)));
    assert!(matches!(
        create("-5.00").await,
        Err(NoticeError::NotPositive)
    ));
    assert!(matches!(
        create("10.001").await,
        Err(NoticeError::TooPrecise)
    ));
    // The demo comuni take top-ups from 5.00 to 500.00.
    assert!(matches!(
        create("4.99").await,
        Err(NoticeError::BelowMinimum { .. })
    ));
    assert!(matches!(
        create("500.01").await,
        Err(NoticeError::AboveMaximum { .. })
    ));
    let position = create("500.00").await.unwrap();
    assert_eq!(position.amount.cents(), 50_000);
    assert_eq!(position.taxonomy, "0107101TS");
    assert_eq!(position.iban, "IT60X0542811101000000123456");
    assert_eq!(position.due_date, payments::due_date_for(payments::today()));

    // A guardian of another comune has no account here.
    let greve = super::node::family(&app, GREVE, "genitore").await;
    let error = payments::create_notice(
        &app.state.app.db,
        &family.tenant,
        greve.guardian,
        Decimal::new(1_000, 2),
        payments::today(),
    )
    .await
    .unwrap_err();
    assert!(matches!(error, NoticeError::NoAccount), "{error:?}");
}

testkit::on_both_backends! {
    async fn numbers_issued_at_once_are_unique_and_random_per_comune(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let families = [
            family(&app, SAN_CASCIANO, "genitore").await,
            family(&app, SAN_CASCIANO, "galli").await,
            family(&app, GREVE, "genitore").await,
        ];
        let mut tasks = Vec::new();
        for i in 0..60 {
            let family = &families[i % 3];
            let (db, tenant, guardian) = (
                app.state.app.db.clone(),
                family.tenant.clone(),
                family.guardian,
            );
            tasks.push(tokio::spawn(async move {
                payments::create_notice(
                    &db,
                    &tenant,
                    guardian,
                    Decimal::new(1_000, 2),
                    payments::today(),
                )
                .await
                .unwrap()
                .notice_number
            }));
        }
        let mut san_casciano = BTreeSet::new();
        let mut greve = BTreeSet::new();
        for (i, task) in tasks.into_iter().enumerate() {
            let number = task.await.unwrap();
            // Every number parses back: aux digit 3, the comune's segregation code, check digits.
            let again: pagopa::NoticeNumber = number.to_string().parse().unwrap();
            assert_eq!(again, number);
            if i % 3 == 2 {
                assert_eq!(number.segregation_code().value(), 2);
                greve.insert(number.base());
            } else {
                assert_eq!(number.segregation_code().value(), 1);
                san_casciano.insert(number.base());
            }
        }
        // Random, not a sequence: all distinct, none of them the counter's 1, 2, 3…
        assert_eq!(san_casciano.len(), 40, "{backend:?}");
        assert_eq!(greve.len(), 20, "{backend:?}");
        assert!(
            san_casciano.iter().chain(&greve).all(|base| *base > 40),
            "{backend:?}: {san_casciano:?} {greve:?}"
        );
    }
}
