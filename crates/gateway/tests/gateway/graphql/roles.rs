//! Each role against each operation: who may, and the code everybody else gets.

use serde_json::{Value, json};

use super::{callers, demo_ids};
use crate::support::{Backend, SAN_CASCIANO, TestApp, error_codes};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Anonymous,
    Guardian,
    Operator,
    ReaderKey,
    PosterKey,
}

const ROLES: [Role; 5] = [
    Role::Anonymous,
    Role::Guardian,
    Role::Operator,
    Role::ReaderKey,
    Role::PosterKey,
];

/// Who may run an operation; everybody else is refused.
#[derive(Clone, Copy)]
enum Allowed {
    Everybody,
    /// Any logged-in person, and keys with the `read` scope.
    AnyReader,
    Guardian,
    Operator,
    Readers,
    Posters,
}

impl Allowed {
    fn allows(self, role: Role) -> bool {
        match self {
            Allowed::Everybody => true,
            Allowed::AnyReader => !matches!(role, Role::Anonymous | Role::PosterKey),
            Allowed::Guardian => role == Role::Guardian,
            Allowed::Operator => role == Role::Operator,
            Allowed::Readers => matches!(role, Role::Operator | Role::ReaderKey),
            Allowed::Posters => matches!(role, Role::Operator | Role::PosterKey),
        }
    }
}

testkit::on_both_backends! {
    async fn every_operation_answers_each_role_as_its_rules_say(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let callers = callers(&app, SAN_CASCIANO).await;
        let ids = demo_ids(&app, SAN_CASCIANO).await;
        let g = ids.guardian.to_string();
        let s = ids.students[0].to_string();
        let m = ids.movement.to_string();
        let operations: Vec<(&str, String, Value, Allowed)> = vec![
            ("tenant", "{ tenant { name } }".into(), json!({}), Allowed::Everybody),
            ("me", "{ me { id students { id } } }".into(), json!({}), Allowed::Guardian),
            ("account", "{ account { balance entries(first: 2) { edges { node { id } } } } }".into(), json!({}), Allowed::Guardian),
            ("news", "{ news(first: 2) { edges { node { id } } } }".into(), json!({}), Allowed::AnyReader),
            ("documents", "{ documents(first: 2) { edges { node { id url } } } }".into(), json!({}), Allowed::AnyReader),
            ("kitchenReport", "{ kitchenReport(date: \"2026-11-02\") { normal } }".into(), json!({}), Allowed::Readers),
            ("guardians", "{ guardians(first: 5) { edges { node { id } } } }".into(), json!({}), Allowed::Readers),
            ("guardian", "query($id: ID!) { guardian(id: $id) { lastName } }".into(), json!({ "id": g }), Allowed::Readers),
            ("student", "query($id: ID!) { student(id: $id) { firstName } }".into(), json!({ "id": s }), Allowed::Readers),
            ("familyAccount", "query($id: ID!) { familyAccount(guardianId: $id) { balance } }".into(), json!({ "id": g }), Allowed::Readers),
            ("apiKeys", "{ apiKeys { id } }".into(), json!({}), Allowed::Operator),
            ("postMeals", "mutation($s: ID!) { postMeals(date: \"2026-11-02\", studentIds: [$s]) { posted alreadyPosted } }".into(), json!({ "s": s }), Allowed::Posters),
            ("publishNews", "mutation { publishNews(title: \"Avviso\", body: \"Testo\") { id } }".into(), json!({}), Allowed::Operator),
            ("recordVoucherRecovery", "mutation($g: ID!, $k: String!) { recordVoucherRecovery(guardianId: $g, amount: \"1.00\", reference: \"buoni\", date: \"2026-11-02\", idempotencyKey: $k) { id } }".into(), json!({ "g": g }), Allowed::Operator),
            ("recordRefund", "mutation($g: ID!, $k: String!) { recordRefund(guardianId: $g, amount: \"1.00\", reason: \"rimborso\", date: \"2026-11-02\", idempotencyKey: $k) { id } }".into(), json!({ "g": g }), Allowed::Operator),
            ("recordAdjustment", "mutation($g: ID!, $k: String!) { recordAdjustment(guardianId: $g, amount: \"-1.00\", reason: \"correzione\", date: \"2026-11-02\", idempotencyKey: $k) { id } }".into(), json!({ "g": g }), Allowed::Operator),
            ("reverseMovement", "mutation($g: ID!, $m: ID!, $k: String!) { reverseMovement(guardianId: $g, movementId: $m, reason: \"errore\", date: \"2026-11-02\", idempotencyKey: $k) { id } }".into(), json!({ "g": g, "m": m }), Allowed::Operator),
            ("classes", "{ classes { id name mealDays school { name } } }".into(), json!({}), Allowed::Readers),
            ("tariffBands", "{ tariffBands(date: \"2026-11-02\") { code mealPrice } }".into(), json!({}), Allowed::AnyReader),
            ("createSchool", "mutation { createSchool(name: \"Scuola nuova\", address: \"Via Nuova 1\") { id } }".into(), json!({}), Allowed::Operator),
            ("setTariffPrice", "mutation { setTariffPrice(code: \"D\", name: \"Fascia D\", mealPrice: \"6.00\", validFrom: \"2026-12-01\") { code } }".into(), json!({}), Allowed::Operator),
            ("createPaymentNotice", "mutation { createPaymentNotice(amount: \"20.00\") { noticeNumber } }".into(), json!({}), Allowed::Guardian),
            ("paymentNotices", "{ paymentNotices(first: 5) { edges { node { noticeNumber } } } }".into(), json!({}), Allowed::Guardian),
            ("createClass", "mutation($s: ID!) { createClass(schoolId: $s, name: \"4C\", mealDays: [FRIDAY]) { id } }".into(), json!({ "s": ids.school.to_string() }), Allowed::Operator),
            ("setMealDays", "mutation($c: ID!) { setMealDays(classId: $c, mealDays: [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY]) { id } }".into(), json!({ "c": ids.class.to_string() }), Allowed::Operator),
            ("createGuardian", "mutation($k: String!) { createGuardian(input: { username: $k, password: \"Primo-Accesso-1\", firstName: \"A\", lastName: \"B\", fiscalCode: \"RSSNNA80A41D612P\" }) { id } }".into(), json!({}), Allowed::Operator),
            ("createStudent", "mutation($g: ID!) { createStudent(input: { guardianId: $g, firstName: \"X\", lastName: \"Conti\", fiscalCode: \"RSSMRT21M55D612N\", birthDate: \"2021-08-15\" }) { id } }".into(), json!({ "g": g }), Allowed::Operator),
            ("enrolStudent", "mutation($s: ID!, $c: ID!) { enrolStudent(input: { studentId: $s, classId: $c, tariffBandCode: \"B\", diet: NORMAL, validFrom: \"2026-12-01\" }) { id } }".into(), json!({ "s": s, "c": ids.class.to_string() }), Allowed::Operator),
            ("createApiKey", "mutation { createApiKey(name: \"x\", scopes: [READ]) { key } }".into(), json!({}), Allowed::Operator),
        ];
        for (name, query, variables, allowed) in &operations {
            for role in ROLES {
                let token = match role {
                    Role::Anonymous => None,
                    Role::Guardian => Some(callers.guardian.as_str()),
                    Role::Operator => Some(callers.operator.as_str()),
                    Role::ReaderKey => Some(callers.reader_key.as_str()),
                    Role::PosterKey => Some(callers.poster_key.as_str()),
                };
                let mut variables = variables.clone();
                if query.contains("$k") {
                    variables["k"] = json!(format!("{name}-{role:?}"));
                }
                let (_, body) = app.graphql(SAN_CASCIANO, token, query, variables).await;
                let codes = error_codes(&body);
                if allowed.allows(role) {
                    assert!(codes.is_empty(), "{backend:?} {name} as {role:?}: {body}");
                } else {
                    let expected = if role == Role::Anonymous {
                        "UNAUTHENTICATED"
                    } else {
                        "FORBIDDEN"
                    };
                    assert_eq!(codes, [expected], "{backend:?} {name} as {role:?}: {body}");
                    assert!(body["data"].is_null(), "{name} as {role:?} leaked: {body}");
                }
            }
        }
    }
}
