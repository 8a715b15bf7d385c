//! Bad input gets the right code, a message that says what to do, and changes nothing.

use reqwest::StatusCode;
use serde_json::json;

use super::{callers, demo_ids, ledger_rows};
use crate::support::{Backend, SAN_CASCIANO, TestApp, error_codes};

const RECOVER: &str = "mutation($g: ID!, $a: Decimal!, $k: String!) { recordVoucherRecovery(guardianId: $g, amount: $a, reference: \"buoni\", date: \"2026-11-02\", idempotencyKey: $k) { amount } }";

async fn balance(app: &TestApp, guardian: &str) -> String {
    let (_, body) = app
        .graphql(
            SAN_CASCIANO,
            Some(guardian),
            "{ account { balance } }",
            json!({}),
        )
        .await;
    body["data"]["account"]["balance"]
        .as_str()
        .unwrap()
        .to_owned()
}

testkit::on_both_backends! {
    async fn bad_amounts_types_and_sizes_are_refused_and_write_nothing(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let c = callers(&app, SAN_CASCIANO).await;
        let g = demo_ids(&app, SAN_CASCIANO).await.guardian.to_string();
        let before = ledger_rows(&app).await;
        let balance_before = balance(&app, &c.guardian).await;
        assert_eq!(balance_before, "26.40", "{backend:?}: the demo balance");

        for amount in [
            json!("-5.00"),
            json!("0"),
            json!("1.005"),
            json!("abc"),
            json!(true),
            json!("1e3"),
            json!("99999999999.00"),
        ] {
            let (_, body) = app
                .graphql(
                    SAN_CASCIANO,
                    Some(&c.operator),
                    RECOVER,
                    json!({ "g": g, "a": amount, "k": "bad" }),
                )
                .await;
            assert_eq!(
                error_codes(&body),
                ["BAD_USER_INPUT"],
                "{backend:?} amount {amount}: {body}"
            );
        }
        let huge = "x".repeat(100_000);
        for (query, variables) in [
            (
                "mutation($t: String!) { publishNews(title: $t, body: \"b\") { id } }",
                json!({ "t": huge }),
            ),
            (
                "mutation($b: String!) { publishNews(title: \"t\", body: $b) { id } }",
                json!({ "b": huge }),
            ),
            (
                "mutation($k: String!) { recordRefund(guardianId: \"1\", amount: \"1.00\", reason: \"r\", date: \"2026-11-02\", idempotencyKey: $k) { id } }",
                json!({ "k": huge }),
            ),
            (
                "mutation { postMeals(date: 5, studentIds: []) { posted } }",
                json!({}),
            ),
            (
                "mutation { postMeals(date: \"2026-13-01\", studentIds: []) { posted } }",
                json!({}),
            ),
            (
                "{ account { students { meals(from: \"2026-10-31\", to: \"2026-10-01\") { date } } } }",
                json!({}),
            ),
            ("{ news(first: 101) { edges { node { id } } } }", json!({})),
            ("{ news(first: 0) { edges { node { id } } } }", json!({})),
            (
                "{ news(after: \"not-a-cursor\") { edges { node { id } } } }",
                json!({}),
            ),
            ("{ nosuchfield }", json!({})),
            ("{ tenant { name", json!({})),
        ] {
            let token = if query.contains("account") {
                &c.guardian
            } else {
                &c.operator
            };
            let (_, body) = app
                .graphql(SAN_CASCIANO, Some(token), query, variables)
                .await;
            let codes = error_codes(&body);
            assert!(
                !codes.is_empty() && codes.iter().all(|c| c == "BAD_USER_INPUT"),
                "{backend:?} {query}: {body}"
            );
            let message = body["errors"][0]["message"].as_str().unwrap();
            assert!(message.len() < 2_000, "messages stay readable: {message}");
        }
        // Unknown and malformed ids.
        for id in ["999999999", "abc", "-1"] {
            let (_, body) = app
                .graphql(
                    SAN_CASCIANO,
                    Some(&c.operator),
                    "query($id: ID!) { guardian(id: $id) { id } }",
                    json!({ "id": id }),
                )
                .await;
            assert_eq!(error_codes(&body), ["NOT_FOUND"], "{id}: {body}");
        }
        assert_eq!(
            ledger_rows(&app).await,
            before,
            "{backend:?}: a refusal wrote something"
        );
        assert_eq!(balance(&app, &c.guardian).await, balance_before);

        // The same key for a different command is a conflict, not a second credit.
        let (_, first) = app
            .graphql(
                SAN_CASCIANO,
                Some(&c.operator),
                RECOVER,
                json!({ "g": g, "a": "10.00", "k": "k-1" }),
            )
            .await;
        assert_eq!(
            first["data"]["recordVoucherRecovery"]["amount"], "10.00",
            "{first}"
        );
        let (_, again) = app
            .graphql(
                SAN_CASCIANO,
                Some(&c.operator),
                RECOVER,
                json!({ "g": g, "a": "10.00", "k": "k-1" }),
            )
            .await;
        assert_eq!(
            again["data"], first["data"],
            "a retry answers as the first time"
        );
        let (_, other) = app
            .graphql(
                SAN_CASCIANO,
                Some(&c.operator),
                RECOVER,
                json!({ "g": g, "a": "11.00", "k": "k-1" }),
            )
            .await;
        assert_eq!(error_codes(&other), ["BAD_USER_INPUT"], "{other}");
        assert_eq!(balance(&app, &c.guardian).await, "36.40", "{backend:?}");
    }
}

testkit::on_both_backends! {
    async fn deep_wide_and_batched_queries_are_refused(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let c = callers(&app, SAN_CASCIANO).await;
        let deep = format!(
            "{{ __schema {{ types {{ fields {{ type {}name{} }} }} }} }}",
            "ofType { ".repeat(12),
            " }".repeat(12)
        );
        let (_, body) = app
            .graphql(SAN_CASCIANO, Some(&c.guardian), &deep, json!({}))
            .await;
        assert_eq!(
            error_codes(&body),
            ["BAD_USER_INPUT"],
            "{backend:?} deep: {body}"
        );
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("nested too deep"),
            "{body}"
        );

        let wide: String = (0..30)
            .map(|n| format!("a{n}: account {{ entries(first: 100) {{ edges {{ node {{ id amount kind }} }} }} }} "))
            .collect();
        let (_, body) = app
            .graphql(
                SAN_CASCIANO,
                Some(&c.guardian),
                &format!("{{ {wide} }}"),
                json!({}),
            )
            .await;
        assert_eq!(
            error_codes(&body),
            ["BAD_USER_INPUT"],
            "{backend:?} wide: {body}"
        );
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("too complex"),
            "{body}"
        );

        let one = json!({ "query": "{ tenant { name } }" });
        let (status, body) = app
            .graphql_raw(SAN_CASCIANO, None, json!([one, one]).to_string())
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "{body}");
        let (status, body) = app
            .graphql_raw(SAN_CASCIANO, None, "{not json".to_owned())
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "{body}");
    }
}

testkit::on_both_backends! {
    async fn too_many_requests_from_one_address_are_refused_with_retry_after(backend: Backend) {
        let app = TestApp::spawn_with(backend, |settings| {
            settings.api.graphql_rate_per_address = 5;
        })
        .await;
        for _ in 0..5 {
            let (status, _) = app
                .graphql(SAN_CASCIANO, None, "{ tenant { name } }", json!({}))
                .await;
            assert_eq!(status, StatusCode::OK);
        }
        let (status, body) = app
            .graphql(SAN_CASCIANO, None, "{ tenant { name } }", json!({}))
            .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{backend:?}");
        assert_eq!(error_codes(&body), ["RATE_LIMITED"], "{body}");
    }
}

#[tokio::test]
async fn a_document_that_passed_the_rules_is_still_checked_when_it_comes_with_variables() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let c = callers(&app, SAN_CASCIANO).await;
    let news = "query($first: Int) { news(first: $first) { edges { node { id } } } }";
    for _ in 0..3 {
        let (_, body) = app
            .graphql(SAN_CASCIANO, Some(&c.guardian), news, json!({}))
            .await;
        assert!(body["errors"].is_null(), "{body}");
        assert!(body["data"]["news"]["edges"].is_array(), "{body}");
    }
    let (_, body) = app
        .graphql(
            SAN_CASCIANO,
            Some(&c.guardian),
            news,
            json!({ "first": "tre" }),
        )
        .await;
    let codes = error_codes(&body);
    assert!(
        !codes.is_empty() && codes.iter().all(|c| c == "BAD_USER_INPUT"),
        "{body}"
    );
    assert!(body["data"].is_null(), "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("Invalid value for argument"),
        "the validation rules ran: {body}"
    );
    for _ in 0..2 {
        let (_, body) = app
            .graphql(
                SAN_CASCIANO,
                Some(&c.guardian),
                "{ nosuchfield }",
                json!({}),
            )
            .await;
        assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "every time: {body}");
    }
}
