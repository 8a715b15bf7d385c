//! Logging in and out, passwords, API keys: every credential is bound to its comune.

use reqwest::StatusCode;
use serde_json::json;

use super::callers;
use crate::support::{Backend, GREVE, PASSWORD, SAN_CASCIANO, TestApp, error_codes};

const LOGIN: &str = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token expiresAt role } }";
const ME: &str = "{ me { firstName lastName } }";

testkit::on_both_backends! {
    async fn a_wrong_password_and_an_unknown_username_answer_alike(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let (_, wrong) = app
            .graphql(
                SAN_CASCIANO,
                None,
                LOGIN,
                json!({ "u": "genitore", "p": "nope-nope-1" }),
            )
            .await;
        let (_, unknown) = app
            .graphql(
                SAN_CASCIANO,
                None,
                LOGIN,
                json!({ "u": "nessuno", "p": "nope-nope-1" }),
            )
            .await;
        assert_eq!(error_codes(&wrong), ["UNAUTHENTICATED"], "{backend:?}");
        assert_eq!(wrong["errors"], unknown["errors"], "{backend:?}");
        assert!(wrong["data"].is_null());

        let (_, ok) = app
            .graphql(
                SAN_CASCIANO,
                None,
                LOGIN,
                json!({ "u": "genitore", "p": PASSWORD }),
            )
            .await;
        assert_eq!(ok["data"]["login"]["role"], "GUARDIAN", "{backend:?}");
        let (_, ok) = app
            .graphql(
                SAN_CASCIANO,
                None,
                LOGIN,
                json!({ "u": "operatore", "p": PASSWORD }),
            )
            .await;
        assert_eq!(ok["data"]["login"]["role"], "OPERATOR", "{backend:?}");
    }
}

testkit::on_both_backends! {
    async fn a_token_works_only_on_its_own_comune(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.login(SAN_CASCIANO, "genitore").await;
        let (status, body) = app.graphql(SAN_CASCIANO, Some(&token), ME, json!({})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["data"]["me"]["lastName"], "Conti", "{backend:?}");

        // Greve has a `genitore` too, with the same password: another person.
        let (status, body) = app.graphql(GREVE, Some(&token), ME, json!({})).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{backend:?}");
        assert_eq!(error_codes(&body), ["UNAUTHENTICATED"]);
        let greve = app.login(GREVE, "genitore").await;
        let (_, body) = app.graphql(GREVE, Some(&greve), ME, json!({})).await;
        assert_eq!(body["data"]["me"]["lastName"], "Ferri", "{backend:?}");

        // A made-up token is no better.
        let (status, _) = app
            .graphql(SAN_CASCIANO, Some("mensa_s_0000"), ME, json!({}))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (_, body) = app.graphql(SAN_CASCIANO, None, ME, json!({})).await;
        assert_eq!(error_codes(&body), ["UNAUTHENTICATED"]);
    }
}

testkit::on_both_backends! {
    async fn logout_ends_the_session_and_a_password_change_ends_the_others(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let first = app.login(SAN_CASCIANO, "genitore").await;
        let second = app.login(SAN_CASCIANO, "genitore").await;
        let change = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";

        let (_, body) = app
            .graphql(
                SAN_CASCIANO,
                Some(&first),
                change,
                json!({ "c": "wrong", "n": "Nuova-Password-1" }),
            )
            .await;
        assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "{backend:?}");
        let (_, body) = app
            .graphql(
                SAN_CASCIANO,
                Some(&first),
                change,
                json!({ "c": PASSWORD, "n": "short" }),
            )
            .await;
        assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "{backend:?}");

        let (_, body) = app
            .graphql(
                SAN_CASCIANO,
                Some(&first),
                change,
                json!({ "c": PASSWORD, "n": "Nuova-Password-1" }),
            )
            .await;
        assert_eq!(body["data"]["changePassword"], true, "{backend:?} {body}");
        // The session that changed it goes on; the other one is over.
        let (status, _) = app.graphql(SAN_CASCIANO, Some(&first), ME, json!({})).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = app
            .graphql(SAN_CASCIANO, Some(&second), ME, json!({}))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{backend:?}");
        let (_, body) = app
            .graphql(
                SAN_CASCIANO,
                None,
                LOGIN,
                json!({ "u": "genitore", "p": PASSWORD }),
            )
            .await;
        assert_eq!(
            error_codes(&body),
            ["UNAUTHENTICATED"],
            "old password still works"
        );
        let (_, body) = app
            .graphql(
                SAN_CASCIANO,
                None,
                LOGIN,
                json!({ "u": "genitore", "p": "Nuova-Password-1" }),
            )
            .await;
        assert!(body["data"]["login"]["token"].is_string(), "{body}");

        let (_, body) = app
            .graphql(SAN_CASCIANO, Some(&first), "mutation { logout }", json!({}))
            .await;
        assert_eq!(body["data"]["logout"], true);
        let (status, _) = app.graphql(SAN_CASCIANO, Some(&first), ME, json!({})).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{backend:?}");
    }
}

/// Replicas share a Redis: PostgreSQL + Redis only (the embedded default is one process).
#[tokio::test]
async fn a_logout_on_one_replica_ends_the_session_on_the_others_at_once() {
    let Some(backend) = testkit::postgres().filter(|b| b.redis_url().is_some()) else {
        return;
    };
    let prefix = testkit::unique_name("replicas");
    let first = TestApp::spawn_with(backend, |settings| {
        settings.storage.cache_prefix = prefix.clone()
    })
    .await;
    let second = TestApp::spawn_with(backend, |settings| {
        settings.storage.database_url = Some(first.database_url.parse().unwrap());
        settings.storage.cache_prefix = prefix.clone();
    })
    .await;
    let token = first.login(SAN_CASCIANO, "genitore").await;
    // The second replica checks the session once and keeps it for `session_cache`.
    for _ in 0..2 {
        let (_, body) = second
            .graphql(SAN_CASCIANO, Some(&token), ME, json!({}))
            .await;
        assert_eq!(body["data"]["me"]["firstName"], "Giulia", "{body}");
    }
    let (_, body) = first
        .graphql(SAN_CASCIANO, Some(&token), "mutation { logout }", json!({}))
        .await;
    assert_eq!(body["data"]["logout"], true, "{body}");
    // Well before its cached copy would expire (30 s), the second replica refuses it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let (status, body) = second
            .graphql(SAN_CASCIANO, Some(&token), ME, json!({}))
            .await;
        if status == StatusCode::UNAUTHORIZED {
            assert_eq!(error_codes(&body), ["UNAUTHENTICATED"]);
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the other replica still accepts a logged-out token: {body}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

testkit::on_both_backends! {
    async fn failed_logins_are_refused_for_a_while_even_with_the_right_password(backend: Backend) {
        let app = TestApp::spawn_with(backend, |settings| {
            settings.logins.login_lock_after = 3;
            settings.logins.login_step_delay_ms = 0;
        })
        .await;
        for _ in 0..3 {
            let (_, body) = app
                .graphql(
                    SAN_CASCIANO,
                    None,
                    LOGIN,
                    json!({ "u": "genitore", "p": "guess-guess-1" }),
                )
                .await;
            assert_eq!(error_codes(&body), ["UNAUTHENTICATED"]);
        }
        let (_, body) = app
            .graphql(
                SAN_CASCIANO,
                None,
                LOGIN,
                json!({ "u": "genitore", "p": PASSWORD }),
            )
            .await;
        assert_eq!(error_codes(&body), ["RATE_LIMITED"], "{backend:?} {body}");
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("retry in"), "{message}");
        // Another account, and the same username on another comune, are not affected.
        app.login(SAN_CASCIANO, "operatore").await;
        app.login(GREVE, "genitore").await;
    }
}

testkit::on_both_backends! {
    async fn api_keys_are_shown_once_scoped_and_revocable(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let callers = callers(&app, SAN_CASCIANO).await;
        let kitchen = "{ kitchenReport(date: \"2026-11-02\") { normal } }";
        let (status, body) = app
            .graphql(SAN_CASCIANO, Some(&callers.reader_key), kitchen, json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body["errors"].is_null(), "{backend:?} {body}");

        let (_, body) = app
            .graphql(
                SAN_CASCIANO,
                Some(&callers.operator),
                "{ apiKeys { id prefix scopes revokedAt } }",
                json!({}),
            )
            .await;
        let keys = body["data"]["apiKeys"].as_array().unwrap();
        assert_eq!(keys.len(), 2, "{body}");
        assert!(
            callers
                .reader_key
                .starts_with(keys[0]["prefix"].as_str().unwrap())
        );
        assert!(
            !body.to_string().contains(&callers.reader_key),
            "the key is never shown again"
        );

        // On another comune's host the key is nothing.
        let (status, _) = app
            .graphql(GREVE, Some(&callers.reader_key), kitchen, json!({}))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{backend:?}");

        let id = keys[0]["id"].as_str().unwrap();
        let (_, body) = app
            .graphql(
                SAN_CASCIANO,
                Some(&callers.operator),
                "mutation($id: ID!) { revokeApiKey(id: $id) }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(body["data"]["revokeApiKey"], true, "{body}");
        let (status, body) = app
            .graphql(SAN_CASCIANO, Some(&callers.reader_key), kitchen, json!({}))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{backend:?} {body}");
        // Revoking twice finds nothing to revoke.
        let (_, body) = app
            .graphql(
                SAN_CASCIANO,
                Some(&callers.operator),
                "mutation($id: ID!) { revokeApiKey(id: $id) }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(error_codes(&body), ["NOT_FOUND"]);
    }
}
