//! An operator onboards a family through the API alone, and the family sees it.

use serde_json::{Value, json};

use crate::support::{Backend, SAN_CASCIANO, TestApp, error_codes};

async fn ok(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let (_, body) = app
        .graphql(SAN_CASCIANO, Some(token), query, variables)
        .await;
    assert!(body["errors"].is_null(), "{query}: {body}");
    body["data"].clone()
}

testkit::on_both_backends! {
    async fn an_operator_registers_a_family_that_then_eats_and_sees_its_balance(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let op = app.login(SAN_CASCIANO, "operatore").await;
        let school = ok(&app, &op, "mutation { createSchool(name: \"Scuola dell'infanzia Il Girasole\", address: \"Via Roma 1\") { id } }", json!({})).await;
        let school = school["createSchool"]["id"].as_str().unwrap().to_owned();
        let class = ok(&app, &op, "mutation($s: ID!) { createClass(schoolId: $s, name: \"Sezione A\", mealDays: [MONDAY, TUESDAY]) { id mealDays } }", json!({ "s": school })).await;
        assert_eq!(
            class["createClass"]["mealDays"],
            json!(["MONDAY", "TUESDAY"])
        );
        let class = class["createClass"]["id"].as_str().unwrap().to_owned();
        let class_after = ok(&app, &op, "mutation($c: ID!) { setMealDays(classId: $c, mealDays: [MONDAY, THURSDAY]) { mealDays } }", json!({ "c": class })).await;
        assert_eq!(
            class_after["setMealDays"]["mealDays"],
            json!(["MONDAY", "THURSDAY"])
        );
        ok(&app, &op, "mutation { setTariffPrice(code: \"INF\", name: \"Infanzia\", mealPrice: \"4.10\", validFrom: \"2026-09-01\") { code } }", json!({})).await;

        let guardian = ok(&app, &op, "mutation($i: NewGuardianInput!) { createGuardian(input: $i) { id } }", json!({ "i": {
            "username": "rossi", "password": "Primo-Accesso-1", "firstName": "Anna", "lastName": "Rossi",
            "fiscalCode": "RSSNNA80A41D612P", "email": "anna.rossi@example.it"
        }})).await;
        let guardian = guardian["createGuardian"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        // The same username again is refused with a message, and nothing else is created.
        let (_, dup) = app.graphql(SAN_CASCIANO, Some(&op), "mutation($i: NewGuardianInput!) { createGuardian(input: $i) { id } }", json!({ "i": {
            "username": "rossi", "password": "Primo-Accesso-1", "firstName": "Anna", "lastName": "Rossi", "fiscalCode": "RSSNNA80A41D612P"
        }})).await;
        assert_eq!(error_codes(&dup), ["BAD_USER_INPUT"], "{dup}");
        let (_, bad) = app.graphql(SAN_CASCIANO, Some(&op), "mutation($i: NewGuardianInput!) { createGuardian(input: $i) { id } }", json!({ "i": {
            "username": "bianchi", "password": "Primo-Accesso-1", "firstName": "Bruno", "lastName": "Bianchi", "fiscalCode": "NOTAFISCALCODE00"
        }})).await;
        assert_eq!(error_codes(&bad), ["BAD_USER_INPUT"], "{bad}");

        let student = ok(&app, &op, "mutation($i: NewStudentInput!) { createStudent(input: $i) { id mealService { className } } }", json!({ "i": {
            "guardianId": guardian, "firstName": "Marta", "lastName": "Rossi", "fiscalCode": "RSSMRT21M55D612N", "birthDate": "2021-08-15"
        }})).await;
        assert!(student["createStudent"]["mealService"].is_null());
        let student = student["createStudent"]["id"].as_str().unwrap().to_owned();
        let (_, no_detail) = app.graphql(SAN_CASCIANO, Some(&op), "mutation($i: EnrolmentInput!) { enrolStudent(input: $i) { id } }", json!({ "i": {
            "studentId": student, "classId": class, "tariffBandCode": "INF", "diet": "SPECIAL", "validFrom": "2026-09-01"
        }})).await;
        assert_eq!(error_codes(&no_detail), ["BAD_USER_INPUT"], "{no_detail}");
        let enrolled = ok(&app, &op, "mutation($i: EnrolmentInput!) { enrolStudent(input: $i) { mealService { className tariffBand { mealPrice } diet { kind detail } } } }", json!({ "i": {
            "studentId": student, "classId": class, "tariffBandCode": "INF", "diet": "SPECIAL", "dietDetail": "Senza uova", "validFrom": "2026-09-01"
        }})).await;
        assert_eq!(
            enrolled["enrolStudent"]["mealService"]["tariffBand"]["mealPrice"],
            "4.10"
        );
        assert_eq!(
            enrolled["enrolStudent"]["mealService"]["diet"]["detail"],
            "Senza uova"
        );

        // Monday 2 November is a meal day; Tuesday 3 is not any more.
        let posted = ok(
            &app,
            &op,
            "mutation($s: ID!) { postMeals(date: \"2026-11-02\", studentIds: [$s]) { posted } }",
            json!({ "s": student }),
        )
        .await;
        assert_eq!(posted["postMeals"]["posted"], 1);
        let refused = ok(&app, &op, "mutation($s: ID!) { postMeals(date: \"2026-11-03\", studentIds: [$s]) { posted refused { reason } } }", json!({ "s": student })).await;
        assert_eq!(refused["postMeals"]["posted"], 0, "{refused}");

        let (_, login) = app
            .graphql(
                SAN_CASCIANO,
                None,
                "mutation { login(username: \"rossi\", password: \"Primo-Accesso-1\") { token } }",
                json!({}),
            )
            .await;
        let token = login["data"]["login"]["token"].as_str().unwrap().to_owned();
        let account = ok(&app, &token, "{ account { balance students { student { firstName } meals(from: \"2026-11-01\", to: \"2026-11-30\") { date price } } } }", json!({})).await;
        assert_eq!(account["account"]["balance"], "-4.10", "{backend:?}");
        assert_eq!(
            account["account"]["students"][0]["meals"],
            json!([{ "date": "2026-11-02", "price": "4.10" }])
        );

        // A guardian cannot touch the registry.
        let (_, body) = app
            .graphql(
                SAN_CASCIANO,
                Some(&token),
                "mutation { createSchool(name: \"x\", address: \"y\") { id } }",
                json!({}),
            )
            .await;
        assert_eq!(error_codes(&body), ["FORBIDDEN"]);
    }
}
