//! Guessing passwords: a burst gets no more checks than the lockout threshold, a wrong
//! current password in `changePassword` counts like a failed login, and every security
//! event reaches the audit log without a password or a token in it.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use super::callers;
use crate::support::{Backend, PASSWORD, SAN_CASCIANO, TestApp, error_codes};

const LOGIN: &str =
    "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }";
const CHANGE: &str =
    "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";

/// The comune's audit rows of `action`: (actor, subject, detail).
async fn audited(app: &TestApp, action: &str) -> Vec<(String, String, Option<String>)> {
    use content::entity::audit_entry as row;
    let (_, txn) = app.scoped(SAN_CASCIANO).await;
    let rows = row::Entity::find()
        .filter(row::Column::Action.eq(action))
        .order_by_asc(row::Column::Id)
        .all(&txn)
        .await
        .unwrap();
    txn.commit().await.unwrap();
    rows.into_iter()
        .map(|r| (r.actor, r.subject, r.detail))
        .collect()
}

/// Every audit row of the comune, as text, to look for secrets in.
async fn whole_log(app: &TestApp) -> String {
    use content::entity::audit_entry as row;
    let (_, txn) = app.scoped(SAN_CASCIANO).await;
    let rows = row::Entity::find().all(&txn).await.unwrap();
    txn.commit().await.unwrap();
    format!("{rows:?}")
}

testkit::on_both_backends! {
    async fn forty_parallel_wrong_logins_get_no_more_checks_than_the_threshold(backend: Backend) {
        let app = TestApp::spawn_with(backend, |settings| {
            settings.logins.login_step_delay_ms = 0;
        })
        .await;
        let threshold = 10;
        let before = app.state.auth.password_checks();
        let guesses = (0..40).map(|n| {
            let app = &app;
            async move {
                let (_, body) = app
                    .graphql(SAN_CASCIANO, None, LOGIN, json!({ "u": "genitore", "p": format!("Guess-{n}-x") }))
                    .await;
                error_codes(&body)
            }
        });
        let answers = futures_util::future::join_all(guesses).await;
        let checks = app.state.auth.password_checks() - before;
        let wrong = answers.iter().filter(|c| *c == &["UNAUTHENTICATED"]).count();
        let limited = answers.iter().filter(|c| *c == &["RATE_LIMITED"]).count();
        assert!(checks <= threshold, "{backend:?}: {checks} password checks for 40 guesses");
        assert_eq!(wrong, 10, "{backend:?}: {answers:?}");
        assert_eq!(limited, 30, "{backend:?}: {answers:?}");

        // Locked: the right password is refused too, without a check.
        let before = app.state.auth.password_checks();
        let (_, body) = app
            .graphql(SAN_CASCIANO, None, LOGIN, json!({ "u": "genitore", "p": PASSWORD }))
            .await;
        assert_eq!(error_codes(&body), ["RATE_LIMITED"], "{backend:?} {body}");
        assert_eq!(app.state.auth.password_checks(), before);

        // On record: each wrong password, and the lock the last one caused; not the
        // refusals (they cost an attacker nothing and must not flood the log).
        let failed = audited(&app, "login_failed").await;
        assert_eq!(failed.len(), 10, "{failed:?}");
        assert!(failed.iter().all(|(actor, subject, _)| actor == "address:127.0.0.1" && subject == "username:genitore"), "{failed:?}");
        let locked = audited(&app, "login_locked").await;
        assert_eq!(locked.len(), 1, "{locked:?}");
        assert!(locked[0].2.as_deref().unwrap().contains("refused for 15 minutes"), "{locked:?}");
        let log = whole_log(&app).await;
        assert!(!log.contains("Guess-"), "a password reached the audit log: {log}");
    }
}

testkit::on_both_backends! {
    async fn a_wrong_current_password_counts_like_a_failed_login(backend: Backend) {
        let app = TestApp::spawn_with(backend, |settings| {
            settings.logins.login_lock_after = 3;
            settings.logins.login_step_delay_ms = 0;
        })
        .await;
        let token = app.login(SAN_CASCIANO, "genitore").await;
        for _ in 0..3 {
            let (_, body) = app
                .graphql(SAN_CASCIANO, Some(&token), CHANGE, json!({ "c": "Wrong-guess-1", "n": "Nuova-Pass-1" }))
                .await;
            assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "{backend:?} {body}");
        }
        // The account is locked: for a login, and for the next change with the right one.
        let (_, body) = app
            .graphql(SAN_CASCIANO, None, LOGIN, json!({ "u": "genitore", "p": PASSWORD }))
            .await;
        assert_eq!(error_codes(&body), ["RATE_LIMITED"], "{backend:?} {body}");
        let (_, body) = app
            .graphql(SAN_CASCIANO, Some(&token), CHANGE, json!({ "c": PASSWORD, "n": "Nuova-Pass-1" }))
            .await;
        assert_eq!(error_codes(&body), ["RATE_LIMITED"], "{backend:?} {body}");
        let failed = audited(&app, "password_change_failed").await;
        assert_eq!(failed.len(), 3, "{failed:?}");
        assert!(failed.iter().all(|(actor, _, _)| actor.starts_with("guardian:")));
        assert_eq!(audited(&app, "login_locked").await.len(), 1);
        assert!(audited(&app, "password_changed").await.is_empty());
    }
}

testkit::on_both_backends! {
    async fn password_changes_and_api_keys_are_audited_without_secrets(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let c = callers(&app, SAN_CASCIANO).await;
        let (_, body) = app
            .graphql(SAN_CASCIANO, Some(&c.guardian), CHANGE, json!({ "c": PASSWORD, "n": "Nuova-Pass-1" }))
            .await;
        assert_eq!(body["data"]["changePassword"], true, "{backend:?} {body}");
        let changed = audited(&app, "password_changed").await;
        assert_eq!(changed.len(), 1, "{changed:?}");
        assert!(changed[0].0.starts_with("guardian:"), "{changed:?}");

        // `callers` created two keys.
        let created = audited(&app, "api_key_created").await;
        assert_eq!(created.len(), 2, "{created:?}");
        assert!(created.iter().all(|(actor, subject, _)| actor.starts_with("operator:") && subject.starts_with("api_key:")));
        let id = created[0].1.trim_start_matches("api_key:").to_owned();
        let (_, body) = app
            .graphql(SAN_CASCIANO, Some(&c.operator), "mutation($id: ID!) { revokeApiKey(id: $id) }", json!({ "id": id }))
            .await;
        assert_eq!(body["data"]["revokeApiKey"], true, "{body}");
        let revoked = audited(&app, "api_key_revoked").await;
        assert_eq!(revoked.len(), 1, "{revoked:?}");
        assert_eq!(revoked[0].1, format!("api_key:{id}"));

        let log = whole_log(&app).await;
        for secret in [PASSWORD, "Nuova-Pass-1", &c.reader_key, &c.poster_key, &c.guardian, &c.operator] {
            assert!(!log.contains(secret), "a secret reached the audit log: {log}");
        }
        // Not even the start of a key (the part operators see to tell keys apart).
        assert!(!log.contains(&c.reader_key[..14]), "{log}");
    }
}
