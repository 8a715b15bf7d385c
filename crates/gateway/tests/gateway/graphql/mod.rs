//! The GraphQL API as its clients use it: over HTTP, on the demo data, per role.

mod auth;
mod contract;
mod explorer;
mod health_data;
mod inputs;
mod isolation;
mod logins;
mod onboarding;
mod roles;
mod scopes;
mod upload;

use serde_json::{Value, json};

use crate::support::{GREVE, SAN_CASCIANO, TestApp};

/// One of each kind of caller of a comune.
pub struct Callers {
    pub guardian: String,
    pub operator: String,
    /// A key with the `read` scope only.
    pub reader_key: String,
    /// A key with the `post_meals` scope only.
    pub poster_key: String,
}

pub async fn callers(app: &TestApp, slug: &str) -> Callers {
    let operator = app.login(slug, "operatore").await;
    let key = |scopes: Value| {
        let operator = operator.clone();
        async move {
            let (_, body) = app
                .graphql(
                    slug,
                    Some(&operator),
                    "mutation($s: [ApiScope!]!) { createApiKey(name: \"test\", scopes: $s) { key } }",
                    json!({ "s": scopes }),
                )
                .await;
            body["data"]["createApiKey"]["key"]
                .as_str()
                .unwrap_or_else(|| panic!("key not created: {body}"))
                .to_owned()
        }
    };
    Callers {
        guardian: app.login(slug, "genitore").await,
        reader_key: key(json!(["READ"])).await,
        poster_key: key(json!(["POST_MEALS"])).await,
        operator,
    }
}

/// Ids of the demo's rows in a comune, read straight from the database.
pub struct DemoIds {
    pub guardian: i64,
    pub students: Vec<i64>,
    pub movement: i64,
    pub school: i64,
    pub class: i64,
}

pub async fn demo_ids(app: &TestApp, slug: &str) -> DemoIds {
    let (tenant, txn) = app.scoped(slug).await;
    let guardian = ::registry::guardian_by_username(&txn, tenant.id, "genitore")
        .await
        .unwrap()
        .unwrap();
    let students = ::registry::students_of(&txn, tenant.id, guardian.id)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id.get())
        .collect();
    let account = accounts::account_of_guardian(&txn, tenant.id, guardian.id)
        .await
        .unwrap()
        .unwrap();
    let (movements, _) = accounts::entries(&txn, tenant.id, account, &Default::default(), 1)
        .await
        .unwrap();
    let class = ::registry::classes(&txn, tenant.id)
        .await
        .unwrap()
        .remove(0);
    txn.commit().await.unwrap();
    DemoIds {
        guardian: guardian.id.get(),
        students,
        movement: movements[0].id.get(),
        school: class.school.id.get(),
        class: class.id.get(),
    }
}

/// How many ledger rows the whole database holds, to prove a refusal wrote nothing.
pub async fn ledger_rows(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let mut total = 0;
    for slug in [SAN_CASCIANO, GREVE] {
        let (_, txn) = app.scoped(slug).await;
        total += accounts::entity::ledger_entry::Entity::find()
            .count(&txn)
            .await
            .unwrap();
        txn.commit().await.unwrap();
    }
    total
}
