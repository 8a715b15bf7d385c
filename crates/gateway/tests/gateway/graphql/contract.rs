//! The public contract (`../shared/contract`, copied in `tests/contract`): every operation
//! validates against the schema and runs, for its role, on the demo data.

use std::path::Path;

use serde_json::{Value, json};

use crate::support::{Backend, SAN_CASCIANO, TestApp};

const GUARDIAN: &str = include_str!("../../contract/guardian.graphql");
const OPERATOR: &str = include_str!("../../contract/operator.graphql");

#[test]
fn the_copy_is_the_contract_as_it_stands() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/contract");
    if !shared.is_dir() {
        eprintln!("skipped: {} is not here to compare with", shared.display());
        return;
    }
    for (name, copy) in [
        ("guardian.graphql", GUARDIAN),
        ("operator.graphql", OPERATOR),
    ] {
        let original = std::fs::read_to_string(shared.join(name)).unwrap();
        assert_eq!(
            copy, original,
            "tests/contract/{name} differs from the shared contract: copy it again"
        );
    }
}

/// Runs operation `name` of `document` and answers its data, failing on any error.
async fn run(
    app: &TestApp,
    token: Option<&str>,
    document: &str,
    name: &str,
    variables: Value,
) -> Value {
    let body = json!({ "query": document, "operationName": name, "variables": variables });
    let (_, answer) = app.graphql_raw(SAN_CASCIANO, token, body.to_string()).await;
    assert!(answer["errors"].is_null(), "{name}: {answer}");
    answer["data"].clone()
}

testkit::on_both_backends! {
    async fn every_contract_operation_runs_for_its_role_on_the_demo(backend: Backend) {
        let app = TestApp::spawn(backend).await;

        let login = run(
            &app,
            None,
            GUARDIAN,
            "Login",
            json!({ "username": "genitore", "password": "Mensa-2026" }),
        )
        .await;
        let guardian = login["login"]["token"].as_str().unwrap().to_owned();
        assert!(login["login"]["expiresAt"].is_string());
        let g = Some(guardian.as_str());

        let tenant = run(&app, None, GUARDIAN, "Tenant", json!({})).await;
        assert_eq!(tenant["tenant"]["slug"], SAN_CASCIANO);
        assert_eq!(tenant["tenant"]["creditorFiscalCode"], "80001234568");
        assert_eq!(tenant["tenant"]["branding"]["primaryColor"], "#0b4f8a");

        let me = run(&app, g, GUARDIAN, "Me", json!({})).await;
        assert_eq!(me["me"]["firstName"], "Giulia");
        assert_eq!(me["me"]["fiscalCode"], "CNTGLI84E61D612I");

        let students = run(&app, g, GUARDIAN, "MyStudents", json!({})).await;
        let students = students["me"]["students"].as_array().unwrap();
        assert_eq!(students.len(), 2);
        let luca = &students[0];
        assert_eq!(luca["firstName"], "Luca");
        assert_eq!(luca["birthDate"], "2017-03-14");
        assert_eq!(
            luca["mealService"]["school"]["name"],
            "Scuola primaria G. Marconi"
        );
        assert_eq!(luca["mealService"]["className"], "3A");
        assert_eq!(
            luca["mealService"]["mealDays"],
            json!(["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"])
        );
        assert_eq!(
            luca["mealService"]["tariffBand"],
            json!({ "code": "B", "name": "Fascia B (ISEE da 6.000 a 15.000 €)", "mealPrice": "3.50" })
        );
        assert_eq!(
            luca["mealService"]["diet"],
            json!({ "kind": "NORMAL", "detail": null })
        );
        assert_eq!(
            students[1]["mealService"]["diet"],
            json!({ "kind": "SPECIAL", "detail": "Senza glutine (celiachia)" })
        );

        let account = run(
            &app,
            g,
            GUARDIAN,
            "Account",
            json!({ "from": "2026-10-01", "to": "2026-10-31" }),
        )
        .await;
        let account = &account["account"];
        assert_eq!(account["balance"], "26.40", "{backend:?}");
        let luca = &account["students"][0];
        assert_eq!(luca["mealPrice"], "3.50");
        let meals = luca["meals"].as_array().unwrap();
        assert!(!meals.is_empty());
        let total: i64 = meals.iter().map(|m| cents(&m["price"])).sum();
        assert_eq!(cents(&luca["mealsTotal"]), total);
        let entries = account["entries"]["edges"].as_array().unwrap();
        assert_eq!(entries.len(), 20);
        assert_eq!(account["entries"]["pageInfo"]["hasNextPage"], true);
        assert!(account["entries"]["pageInfo"]["endCursor"].is_string());

        let notice = run(
            &app,
            g,
            GUARDIAN,
            "CreatePaymentNotice",
            json!({ "amount": "20.00" }),
        )
        .await;
        let notice = &notice["createPaymentNotice"];
        assert_eq!(notice["amount"], "20.00");
        assert_eq!(notice["status"], "OPEN");
        let number = notice["noticeNumber"].as_str().unwrap();
        assert_eq!(number.len(), 18);
        assert!(
            number.starts_with("301"),
            "aux digit 3, segregation code 01: {number}"
        );
        assert_eq!(notice["iuv"].as_str().unwrap(), &number[1..]);
        assert_eq!(notice["pdfUrl"], format!("/avvisi/{number}.pdf"));
        assert!(
            notice["checkoutUrl"]
                .as_str()
                .unwrap()
                .starts_with("/sandbox/checkout")
        );

        let notices = run(&app, g, GUARDIAN, "PaymentNotices", json!({})).await;
        let first = &notices["paymentNotices"]["edges"][0]["node"];
        assert_eq!(first["noticeNumber"], number);
        assert!(first["paidAt"].is_null());

        let news = run(&app, g, GUARDIAN, "News", json!({})).await;
        assert_eq!(news["news"]["edges"].as_array().unwrap().len(), 2);
        let documents = run(&app, g, GUARDIAN, "Documents", json!({})).await;
        let document = &documents["documents"]["edges"][0]["node"];
        assert!(document["url"].as_str().unwrap().starts_with("/documenti/"));
        assert!(document["sizeBytes"].as_i64().unwrap() > 0);

        let operator = app.login(SAN_CASCIANO, "operatore").await;
        let o = Some(operator.as_str());
        let ids: Vec<Value> = students.iter().map(|s| s["id"].clone()).collect();
        let posted = run(
            &app,
            o,
            OPERATOR,
            "PostMeals",
            json!({ "date": "2026-11-02", "studentIds": ids }),
        )
        .await;
        assert_eq!(
            posted["postMeals"],
            json!({ "posted": 2, "alreadyPosted": 0 })
        );
        let again = run(
            &app,
            o,
            OPERATOR,
            "PostMeals",
            json!({ "date": "2026-11-02", "studentIds": ids }),
        )
        .await;
        assert_eq!(
            again["postMeals"],
            json!({ "posted": 0, "alreadyPosted": 2 })
        );
        let account = run(
            &app,
            g,
            GUARDIAN,
            "Account",
            json!({ "from": "2026-11-01", "to": "2026-11-30" }),
        )
        .await;
        assert_eq!(
            account["account"]["balance"], "17.70",
            "26.40 - 3.50 - 5.20"
        );

        let published = run(
            &app,
            o,
            OPERATOR,
            "PublishNews",
            json!({ "title": "Gita", "body": "Venerdì pranzo al sacco." }),
        )
        .await;
        assert!(published["publishNews"]["id"].is_string());
        assert!(published["publishNews"]["publishedAt"].is_string());

        let kitchen = run(
            &app,
            o,
            OPERATOR,
            "KitchenReport",
            json!({ "date": "2026-11-02" }),
        )
        .await;
        assert_eq!(
            kitchen["kitchenReport"],
            json!([{
                "school": { "name": "Scuola primaria G. Marconi" },
                "normal": 2,
                "special": [{ "detail": "Senza glutine (celiachia)", "count": 1 }],
            }])
        );
    }
}

fn cents(amount: &Value) -> i64 {
    let text = amount.as_str().unwrap();
    let (euro, cents) = text.split_once('.').unwrap();
    euro.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap()
}
