//! Special diets are health data: the family and operators with the right read the
//! detail, every such operator read is audited, and nobody else sees it.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use super::callers;
use crate::support::{Backend, PASSWORD, SAN_CASCIANO, TestApp};

const DIETS: &str =
    "query($id: ID!) { student(id: $id) { firstName mealService { diet { kind detail } } } }";
const KITCHEN: &str = "{ kitchenReport(date: \"2026-11-02\") { school { name } normal special { detail count } total } }";

async fn audit_rows(app: &TestApp) -> u64 {
    let (_, txn) = app.scoped(SAN_CASCIANO).await;
    let n = content::entity::audit_entry::Entity::find()
        .filter(content::entity::audit_entry::Column::Action.eq("read_diet"))
        .count(&txn)
        .await
        .unwrap();
    txn.commit().await.unwrap();
    n
}

testkit::on_both_backends! {
    async fn diet_details_reach_only_the_family_and_entitled_operators(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let c = callers(&app, SAN_CASCIANO).await;

        // The family sees its own child's diet.
        let (_, body) = app
            .graphql(SAN_CASCIANO, Some(&c.guardian), "{ me { students { id firstName mealService { diet { kind detail } tariffBand { code mealPrice } mealDays } } } }", json!({}))
            .await;
        let students = body["data"]["me"]["students"].as_array().unwrap();
        let sofia = students.iter().find(|s| s["firstName"] == "Sofia").unwrap();
        assert_eq!(sofia["mealService"]["diet"]["kind"], "SPECIAL");
        assert_eq!(
            sofia["mealService"]["diet"]["detail"],
            "Senza glutine (celiachia)"
        );
        assert_eq!(sofia["mealService"]["tariffBand"]["mealPrice"], "5.20");
        assert_eq!(
            sofia["mealService"]["mealDays"],
            json!(["MONDAY", "WEDNESDAY", "THURSDAY"])
        );
        let sofia_id = sofia["id"].as_str().unwrap().to_owned();
        assert_eq!(
            audit_rows(&app).await,
            0,
            "a family's own read is not audited"
        );

        // The demo operator has the right: he reads it, and the read is audited.
        let (_, body) = app
            .graphql(
                SAN_CASCIANO,
                Some(&c.operator),
                DIETS,
                json!({ "id": sofia_id }),
            )
            .await;
        assert_eq!(
            body["data"]["student"]["mealService"]["diet"]["detail"], "Senza glutine (celiachia)",
            "{body}"
        );
        assert_eq!(audit_rows(&app).await, 1, "{backend:?}");
        let (_, body) = app
            .graphql(SAN_CASCIANO, Some(&c.operator), KITCHEN, json!({}))
            .await;
        let line = &body["data"]["kitchenReport"][0];
        assert_eq!(line["normal"], 2, "{body}");
        assert_eq!(
            line["special"],
            json!([{ "detail": "Senza glutine (celiachia)", "count": 1 }])
        );
        assert_eq!(line["total"], 3);
        assert_eq!(audit_rows(&app).await, 2, "{backend:?}");

        // An integrator key, and an operator without the right, see the kind only.
        let clerk = {
            let (tenant, txn) = app.scoped(SAN_CASCIANO).await;
            registry::create_operator(
                &txn,
                tenant.id,
                registry::NewOperator {
                    username: "sportello".into(),
                    password_hash: registry::hash_password(PASSWORD).unwrap(),
                    first_name: "Sportello".into(),
                    last_name: "Scuola".into(),
                    email: None,
                    can_read_health_data: false,
                },
            )
            .await
            .unwrap();
            txn.commit().await.unwrap();
            app.login(SAN_CASCIANO, "sportello").await
        };
        for token in [&c.reader_key, &clerk] {
            let (_, body) = app
                .graphql(SAN_CASCIANO, Some(token), DIETS, json!({ "id": sofia_id }))
                .await;
            assert_eq!(
                body["data"]["student"]["mealService"]["diet"]["kind"], "SPECIAL",
                "{body}"
            );
            assert!(
                body["data"]["student"]["mealService"]["diet"]["detail"].is_null(),
                "{backend:?} {body}"
            );
            let (_, body) = app
                .graphql(SAN_CASCIANO, Some(token), KITCHEN, json!({}))
                .await;
            assert_eq!(
                body["data"]["kitchenReport"][0]["special"],
                json!([{ "detail": "riservato", "count": 1 }]),
                "{body}"
            );
            assert!(!body.to_string().contains("glutine"));
        }
        assert_eq!(
            audit_rows(&app).await,
            2,
            "{backend:?}: withheld reads are not audited"
        );
    }
}

testkit::on_both_backends! {
    async fn documents_download_for_the_comunes_own_people_only(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.login(SAN_CASCIANO, "genitore").await;
        let (_, body) = app
            .graphql(
                SAN_CASCIANO,
                Some(&token),
                "{ documents(first: 10) { edges { node { title fileName sizeBytes url } } } }",
                json!({}),
            )
            .await;
        let edges = body["data"]["documents"]["edges"].as_array().unwrap();
        assert_eq!(edges.len(), 2, "{body}");
        let url = edges[0]["node"]["url"].as_str().unwrap();
        let response = app
            .request(&app.host(SAN_CASCIANO), url)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            reqwest::StatusCode::UNAUTHORIZED,
            "{backend:?}"
        );
        let response = app
            .request(&app.host(SAN_CASCIANO), url)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "application/pdf");
        let bytes = response.bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert_eq!(json!(bytes.len()), edges[0]["node"]["sizeBytes"]);
    }
}
