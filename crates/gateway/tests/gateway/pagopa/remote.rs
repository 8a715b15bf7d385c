//! pagoPA Checkout and the central archive, as local doubles speaking their OpenAPI JSON.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use gateway::config::Secret;
use payments::entity::payment_position;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use super::node::family;
use crate::support::{Backend, SAN_CASCIANO, TestApp};

const CHECKOUT_PAGE: &str = "https://checkout.pagopa.it/c/7f3a";

#[derive(Clone, Default)]
struct Double {
    carts: Arc<Mutex<Vec<Value>>>,
    positions: Arc<Mutex<Vec<Value>>>,
    unavailable: Arc<AtomicU32>,
    refusals: Arc<AtomicU32>,
}

fn problem(status: StatusCode, detail: &str) -> Response {
    (
        status,
        Json(json!({"type": "about:blank", "title": "error", "status": status.as_u16(), "detail": detail})),
    )
        .into_response()
}

fn keyed(headers: &HeaderMap) -> bool {
    headers
        .get("Ocp-Apim-Subscription-Key")
        .is_some_and(|key| key == "test-key")
}

/// `POST /carts`: checks the `CartRequest` shape of checkout_v1.json, answers 302.
async fn carts(
    State(double): State<Double>,
    headers: HeaderMap,
    Json(cart): Json<Value>,
) -> Response {
    if !keyed(&headers) {
        return problem(StatusCode::UNAUTHORIZED, "missing subscription key");
    }
    let notice = &cart["paymentNotices"][0];
    let valid = notice["noticeNumber"]
        .as_str()
        .is_some_and(|n| n.len() == 18)
        && notice["fiscalCode"].as_str().is_some_and(|f| f.len() == 11)
        && notice["amount"].as_u64().is_some_and(|a| a >= 1)
        && notice["companyName"]
            .as_str()
            .is_some_and(|c| c.len() <= 140)
        && notice["description"]
            .as_str()
            .is_some_and(|d| d.len() <= 140)
        && ["returnOkUrl", "returnCancelUrl", "returnErrorUrl"]
            .iter()
            .all(|k| cart["returnUrls"][k].is_string());
    if !valid {
        return problem(StatusCode::BAD_REQUEST, "Formally invalid input");
    }
    double.carts.lock().unwrap().push(cart);
    (StatusCode::FOUND, [(header::LOCATION, CHECKOUT_PAGE)]).into_response()
}

/// `POST /paCreatePosition`: fails on demand, otherwise records the `NewDebtPositionRequest`.
async fn create_position(
    State(double): State<Double>,
    headers: HeaderMap,
    Json(position): Json<Value>,
) -> Response {
    if !keyed(&headers) {
        return problem(StatusCode::UNAUTHORIZED, "missing subscription key");
    }
    let take = |counter: &AtomicU32| {
        counter
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    };
    if take(&double.unavailable) {
        return problem(StatusCode::SERVICE_UNAVAILABLE, "try later");
    }
    if take(&double.refusals) {
        return problem(StatusCode::BAD_REQUEST, "Formally invalid input");
    }
    let required = [
        "paFiscalCode",
        "entityType",
        "entityFiscalCode",
        "entityFullName",
        "iuv",
        "amount",
        "description",
        "expirationDate",
    ];
    if required.iter().any(|k| position.get(k).is_none()) {
        return problem(StatusCode::BAD_REQUEST, "Formally invalid input");
    }
    double.positions.lock().unwrap().push(position.clone());
    (
        StatusCode::OK,
        Json(json!({"status": "VALID", "iuv": position["iuv"]})),
    )
        .into_response()
}

async fn start_double() -> (Double, std::net::SocketAddr) {
    let double = Double::default();
    let app = axum::Router::new()
        .route("/checkout/ec/v1/carts", post(carts))
        .route("/aca/v1/paCreatePosition", post(create_position))
        .with_state(double.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (double, addr)
}

async fn synced(app: &TestApp, tenant: tenancy::TenantId, notice: &str) -> bool {
    let txn = tenancy::scope::begin(&app.state.app.db, tenant)
        .await
        .unwrap();
    let row = payment_position::Entity::find()
        .filter(payment_position::Column::TenantId.eq(tenant.get()))
        .filter(payment_position::Column::NoticeNumber.eq(notice))
        .one(&txn)
        .await
        .unwrap()
        .unwrap();
    txn.commit().await.unwrap();
    row.aca_synced_at.is_some()
}

async fn eventually(mut check: impl AsyncFnMut() -> bool) -> bool {
    for _ in 0..100 {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

testkit::on_both_backends! {
    async fn checkout_starts_online_payment_and_the_archive_gets_every_notice(backend: Backend) {
        let (double, addr) = start_double().await;
        let app = TestApp::spawn_with(backend, |settings| {
            settings.pagopa.pagopa_sandbox = Some(false);
            settings.pagopa.pagopa_checkout_url = Some(format!("http://{addr}/checkout/ec/v1"));
            settings.pagopa.pagopa_checkout_api_key = Some(Secret("test-key".into()));
            settings.pagopa.pagopa_aca_url = Some(format!("http://{addr}/aca/v1"));
            settings.pagopa.pagopa_aca_api_key = Some(Secret("test-key".into()));
        })
        .await;
        let family = family(&app, SAN_CASCIANO, "genitore").await;
        // The start-up round first, so that only the loads under test reach the double.
        let metrics = &app.state.pagopa.metrics;
        assert!(eventually(async || metrics.rounds() >= 1).await);

        // pagoPA is busy twice: the load retries and gets through.
        double.unavailable.store(2, Ordering::SeqCst);
        let view = app::notices::create_payment_notice(
            &app.state.app,
            &family.tenant,
            family.guardian,
            "25.00".parse().unwrap(),
            "/conto",
        )
        .await
        .unwrap();
        assert_eq!(
            view.checkout_url.as_deref(),
            Some(CHECKOUT_PAGE),
            "{backend:?}"
        );
        let cart = double.carts.lock().unwrap()[0].clone();
        assert_eq!(
            cart["paymentNotices"][0]["noticeNumber"],
            view.notice_number
        );
        assert_eq!(cart["paymentNotices"][0]["fiscalCode"], "80001234568");
        assert_eq!(cart["paymentNotices"][0]["amount"], 2500);
        assert_eq!(
            cart["returnUrls"]["returnOkUrl"],
            "https://sancascianovaldipesa.localhost/conto?esito=ok"
        );

        let tenant = family.tenant.id;
        let number = view.notice_number.clone();
        assert!(eventually(async || synced(&app, tenant, &number).await).await);
        let archived = double.positions.lock().unwrap()[0].clone();
        assert_eq!(archived["nav"], view.notice_number);
        assert_eq!(archived["iuv"], view.iuv);
        assert_eq!(archived["amount"], 2500);
        assert_eq!(archived["entityType"], "F");
        assert_eq!(archived["entityFiscalCode"], "CNTGLI84E61D612I");
        assert_eq!(archived["iban"], "IT60X0542811101000000123456");
        assert_eq!(
            archived["expirationDate"],
            format!("{}T23:59:59", view.due_date)
        );

        // A refusal is not retried on the spot; the next background round loads it.
        double.refusals.store(1, Ordering::SeqCst);
        let second = app::notices::create_payment_notice(
            &app.state.app,
            &family.tenant,
            family.guardian,
            "10.00".parse().unwrap(),
            "/conto",
        )
        .await
        .unwrap();
        assert!(eventually(async || double.refusals.load(Ordering::SeqCst) == 0).await);
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(!synced(&app, tenant, &second.notice_number).await);
        gateway::creditor::tasks::round(&app.state).await;
        assert!(
            synced(&app, tenant, &second.notice_number).await,
            "{backend:?}"
        );
        let navs: std::collections::BTreeSet<String> = double
            .positions
            .lock()
            .unwrap()
            .iter()
            .map(|p| p["nav"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            navs,
            [view.notice_number.clone(), second.notice_number.clone()].into()
        );
        assert_eq!(
            double.positions.lock().unwrap().len(),
            2,
            "each loaded once"
        );
    }
}

#[tokio::test]
async fn a_checkout_failure_leaves_the_notice_payable_at_any_psp() {
    let (double, addr) = start_double().await;
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| {
        settings.pagopa.pagopa_sandbox = Some(false);
        // No subscription key: Checkout answers 401.
        settings.pagopa.pagopa_checkout_url = Some(format!("http://{addr}/checkout/ec/v1"));
    })
    .await;
    let family = family(&app, SAN_CASCIANO, "genitore").await;
    let view = app::notices::create_payment_notice(
        &app.state.app,
        &family.tenant,
        family.guardian,
        "25.00".parse().unwrap(),
        "/conto",
    )
    .await
    .unwrap();
    assert_eq!(view.checkout_url, None);
    assert!(double.carts.lock().unwrap().is_empty());
    assert_eq!(view.status, payments::PositionStatus::Open);
}
