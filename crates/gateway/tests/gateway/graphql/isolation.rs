//! Comune A's callers against comune B's ids: every answer is exactly the answer for an
//! id that does not exist, and nothing of B is written or shown.

use serde_json::{Value, json};

use super::{callers, demo_ids, ledger_rows};
use crate::support::{Backend, GREVE, SAN_CASCIANO, TestApp, error_codes};

/// An id no comune has.
const NOBODY: &str = "987654321";

testkit::on_both_backends! {
    async fn another_comunes_ids_answer_like_ids_that_do_not_exist(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let a = callers(&app, SAN_CASCIANO).await;
        let own = demo_ids(&app, SAN_CASCIANO).await;
        let b = demo_ids(&app, GREVE).await;
        let rows_before = ledger_rows(&app).await;
        let (g, s, m) = (
            b.guardian.to_string(),
            b.students[0].to_string(),
            b.movement.to_string(),
        );
        // (operation, query, variables for B's id, the same variables for a missing id)
        let cases: Vec<(&str, &str, Value, Value)> = vec![
            (
                "guardian",
                "query($id: ID!) { guardian(id: $id) { lastName } }",
                json!({ "id": g }),
                json!({ "id": NOBODY }),
            ),
            (
                "student",
                "query($id: ID!) { student(id: $id) { firstName } }",
                json!({ "id": s }),
                json!({ "id": NOBODY }),
            ),
            (
                "familyAccount",
                "query($id: ID!) { familyAccount(guardianId: $id) { balance } }",
                json!({ "id": g }),
                json!({ "id": NOBODY }),
            ),
            (
                "recordVoucherRecovery",
                "mutation($id: ID!) { recordVoucherRecovery(guardianId: $id, amount: \"5.00\", reference: \"x\", date: \"2026-11-02\", idempotencyKey: \"iso-1\") { id } }",
                json!({ "id": g }),
                json!({ "id": NOBODY }),
            ),
            (
                "recordRefund",
                "mutation($id: ID!) { recordRefund(guardianId: $id, amount: \"5.00\", reason: \"x\", date: \"2026-11-02\", idempotencyKey: \"iso-2\") { id } }",
                json!({ "id": g }),
                json!({ "id": NOBODY }),
            ),
            (
                "recordAdjustment",
                "mutation($id: ID!) { recordAdjustment(guardianId: $id, amount: \"5.00\", reason: \"x\", date: \"2026-11-02\", idempotencyKey: \"iso-3\") { id } }",
                json!({ "id": g }),
                json!({ "id": NOBODY }),
            ),
            // Comune A's own family, comune B's movement.
            (
                "reverseMovement",
                "mutation($g: ID!, $id: ID!) { reverseMovement(guardianId: $g, movementId: $id, reason: \"x\", date: \"2026-11-02\", idempotencyKey: \"iso-4\") { id } }",
                json!({ "g": own.guardian.to_string(), "id": m }),
                json!({ "g": own.guardian.to_string(), "id": NOBODY }),
            ),
            (
                "createClass",
                "mutation($id: ID!) { createClass(schoolId: $id, name: \"Z\", mealDays: [MONDAY]) { id } }",
                json!({ "id": b.school.to_string() }),
                json!({ "id": NOBODY }),
            ),
            (
                "setMealDays",
                "mutation($id: ID!) { setMealDays(classId: $id, mealDays: [MONDAY]) { id } }",
                json!({ "id": b.class.to_string() }),
                json!({ "id": NOBODY }),
            ),
            (
                "createStudent",
                "mutation($id: ID!) { createStudent(input: { guardianId: $id, firstName: \"X\", lastName: \"Y\", fiscalCode: \"RSSMRT21M55D612N\", birthDate: \"2021-08-15\" }) { id } }",
                json!({ "id": g }),
                json!({ "id": NOBODY }),
            ),
            // B's student in A's class, and A's student in B's class.
            (
                "enrolStudent",
                "mutation($s: ID!, $c: ID!) { enrolStudent(input: { studentId: $s, classId: $c, tariffBandCode: \"A\", diet: NORMAL, validFrom: \"2026-12-01\" }) { id } }",
                json!({ "s": s, "c": own.class.to_string() }),
                json!({ "s": NOBODY, "c": own.class.to_string() }),
            ),
            (
                "enrolStudent",
                "mutation($s: ID!, $c: ID!) { enrolStudent(input: { studentId: $s, classId: $c, tariffBandCode: \"A\", diet: NORMAL, validFrom: \"2026-12-01\" }) { id } }",
                json!({ "s": own.students[0].to_string(), "c": b.class.to_string() }),
                json!({ "s": own.students[0].to_string(), "c": NOBODY }),
            ),
        ];
        for token in [&a.operator, &a.reader_key, &a.poster_key, &a.guardian] {
            for (name, query, theirs, missing) in &cases {
                let (_, foreign) = app
                    .graphql(SAN_CASCIANO, Some(token), query, theirs.clone())
                    .await;
                let (_, absent) = app
                    .graphql(SAN_CASCIANO, Some(token), query, missing.clone())
                    .await;
                assert_eq!(
                    foreign["errors"], absent["errors"],
                    "{backend:?} {name}: {foreign} vs {absent}"
                );
                assert!(
                    foreign["data"].is_null(),
                    "{backend:?} {name} leaked: {foreign}"
                );
                assert!(!error_codes(&foreign).is_empty(), "{name}: {foreign}");
            }
        }

        // Meals for B's students read as students that are not enrolled, and post nothing.
        let post = "mutation($ids: [ID!]!) { postMeals(date: \"2026-11-02\", studentIds: $ids) { posted alreadyPosted refused { reason } } }";
        let (_, foreign) = app
            .graphql(SAN_CASCIANO, Some(&a.operator), post, json!({ "ids": [s] }))
            .await;
        let (_, absent) = app
            .graphql(
                SAN_CASCIANO,
                Some(&a.operator),
                post,
                json!({ "ids": [NOBODY] }),
            )
            .await;
        assert_eq!(foreign["data"]["postMeals"]["posted"], 0, "{foreign}");
        let reason = |v: &Value, id: &str| {
            v["data"]["postMeals"]["refused"][0]["reason"]
                .as_str()
                .unwrap()
                .replace(id, "ID")
        };
        assert_eq!(reason(&foreign, &s), reason(&absent, NOBODY), "{backend:?}");
        assert_eq!(
            ledger_rows(&app).await,
            rows_before,
            "{backend:?}: something was written"
        );

        // Lists show only comune A.
        let lists = "{ news(first: 100) { edges { node { title } } } documents(first: 100) { edges { node { title } } } }";
        for token in [&a.operator, &a.reader_key, &a.guardian] {
            let (_, body) = app
                .graphql(SAN_CASCIANO, Some(token), lists, json!({}))
                .await;
            let text = body.to_string();
            assert!(text.contains("Menù autunno-inverno"), "{body}");
            assert!(
                !text.contains("Greve") && !text.contains("Chiusura mensa"),
                "{backend:?} {body}"
            );
        }
        let (_, body) = app
            .graphql(SAN_CASCIANO, Some(&a.operator), "{ guardians(first: 100) { edges { node { lastName } } } kitchenReport(date: \"2026-11-02\") { school { name } } }", json!({}))
            .await;
        let text = body.to_string();
        assert!(text.contains("Conti") && text.contains("Marconi"), "{body}");
        assert!(
            !text.contains("Ferri") && !text.contains("Don Milani"),
            "{backend:?} {body}"
        );

        // A document of B is not downloadable with A's credentials on A's host.
        let b_doc = {
            let token = app.login(GREVE, "genitore").await;
            let (_, body) = app
                .graphql(
                    GREVE,
                    Some(&token),
                    "{ documents(first: 1) { edges { node { url } } } }",
                    json!({}),
                )
                .await;
            body["data"]["documents"]["edges"][0]["node"]["url"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        let response = app
            .request(&app.host(SAN_CASCIANO), &b_doc)
            .bearer_auth(&a.guardian)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            reqwest::StatusCode::NOT_FOUND,
            "{backend:?}"
        );
    }
}
