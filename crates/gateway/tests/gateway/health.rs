//! Probes answer on any host and say whether the database and cache are reachable.

use reqwest::StatusCode;

use crate::support::{Backend, TestApp};

testkit::on_both_backends! {
    async fn probes_answer_on_any_host(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        for host in [
            "127.0.0.1",
            "nowhere.localhost",
            "sancascianovaldipesa.localhost",
        ] {
            let health = app.get_with_host(host, "/healthz").await;
            assert_eq!(health.status(), StatusCode::OK, "{backend:?} {host}");
            let ready = app.get_with_host(host, "/readyz").await;
            assert_eq!(ready.status(), StatusCode::OK, "{backend:?} {host}");
            let body: serde_json::Value = ready.json().await.unwrap();
            assert_eq!(body["status"], "ready");
            assert_eq!(body["database"], "ok");
            assert_eq!(body["cache"], "ok");
            let kind = if backend == Backend::Postgres && backend.redis_url().is_some() {
                "redis"
            } else {
                "in-process"
            };
            assert_eq!(body["cache_kind"], kind);
        }
    }
}

/// Issue 2 first had the gateway unready without Redis. But the cache only speeds reads up
/// (the database answers them, correctly, without it): unready would take every replica
/// out of the load balancer at once and turn a slow Redis into an outage. So the gateway
/// stays ready and says it is degraded.
#[tokio::test]
async fn an_unreachable_redis_leaves_the_gateway_ready_but_degraded() {
    // Port 1 is never a Redis server: the connection is refused at once.
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| {
        settings.storage.redis_url = Some("redis://127.0.0.1:1".into())
    })
    .await;
    assert_eq!(
        app.get_with_host("x", "/healthz").await.status(),
        StatusCode::OK
    );
    let ready = app.get_with_host("x", "/readyz").await;
    assert_eq!(ready.status(), StatusCode::OK);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body["status"], "degraded");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["cache"], "unreachable");
    // Pages keep working without the cache.
    assert_eq!(
        app.get("sancascianovaldipesa", "/").await.status(),
        StatusCode::OK
    );
}
