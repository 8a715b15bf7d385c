//! Accesso: login, logout, password change, CSRF refusals, and each comune's logins
//! staying in that comune.

use reqwest::StatusCode;

use super::browser::{Browser, location};
use crate::support::{Backend, GREVE, SAN_CASCIANO, TestApp};

testkit::on_both_backends! {
    async fn a_parent_logs_in_sees_his_pages_and_logs_out(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let browser = Browser::new(&app, SAN_CASCIANO);

        // Not logged in: the account page sends to the login form and back.
        let response = browser.get("/servizi/refezione/stato-contabile").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{backend:?}");
        assert_eq!(
            location(&response),
            "/accesso?torna=/servizi/refezione/stato-contabile"
        );

        let token = browser.login_token().await;
        let response = browser
            .post(
                "/accesso",
                &[
                    ("csrf", token.as_str()),
                    ("username", "genitore"),
                    ("password", demo::PASSWORD),
                    ("torna", "/servizi/refezione/stato-contabile"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{backend:?}");
        assert_eq!(location(&response), "/servizi/refezione/stato-contabile");
        let cookie = response
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|c| c.starts_with("mensa_session="))
            .expect("a session cookie");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(cookie.contains("Path=/"), "{cookie}");
        assert!(!cookie.contains("Domain="), "host-only: {cookie}");

        let home = browser.text("/").await;
        assert!(home.contains("Giulia Conti"), "{backend:?}");

        let token = browser.page_token().await;
        let response = browser.post("/esci", &[("csrf", &token)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), "/accesso?uscito=1");
        assert!(
            browser
                .text("/accesso?uscito=1")
                .await
                .contains("Sei uscito")
        );
        let response = browser.get("/anagrafica/tutore").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "logged out");
    }
}

#[tokio::test]
async fn wrong_credentials_say_what_to_do_and_open_no_session() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::new(&app, SAN_CASCIANO);
    let response = browser.login("genitore", "sbagliata").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body = response.text().await.unwrap();
    assert!(body.contains("Nome utente o password non corretti"));
    assert!(body.contains("ufficio refezione"));
    assert!(body.contains("value=\"genitore\""), "the username is kept");
    let response = browser.get("/anagrafica/tutore").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn every_form_refuses_a_missing_or_foreign_token() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::new(&app, SAN_CASCIANO);

    // Login without the pre-login token, or with one that is not the cookie's.
    let no_token = browser
        .post(
            "/accesso",
            &[("username", "genitore"), ("password", demo::PASSWORD)],
        )
        .await;
    assert_eq!(no_token.status(), StatusCode::FORBIDDEN);
    assert!(no_token.text().await.unwrap().contains("Modulo scaduto"));
    browser.login_token().await;
    let forged = browser
        .post(
            "/accesso",
            &[
                ("csrf", &"0".repeat(64)),
                ("username", "genitore"),
                ("password", demo::PASSWORD),
            ],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    browser.login_as_parent().await;
    let token = browser.page_token().await;
    for (path, form) in [
        ("/esci", vec![]),
        ("/esci", vec![("csrf", "x".repeat(64))]),
        (
            "/servizi/refezione/ricarica",
            vec![("importo", "20".to_owned())],
        ),
        (
            "/password",
            vec![
                ("attuale", demo::PASSWORD.to_owned()),
                ("nuova", "Nuova-Password-1".to_owned()),
                ("conferma", "Nuova-Password-1".to_owned()),
            ],
        ),
    ] {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = browser.post(path, &form).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path} {form:?}");
    }
    // Another site's form, even carrying the right token, is refused by the browser's
    // own word that it comes from elsewhere.
    let cross_site = browser
        .post_builder("/esci")
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    // None of that logged the parent out or changed anything.
    assert_eq!(
        browser.get("/anagrafica/tutore").await.status(),
        StatusCode::OK
    );
    let relogin = Browser::new(&app, SAN_CASCIANO);
    relogin.login_as_parent().await;
}

testkit::on_both_backends! {
    async fn a_greve_login_is_worthless_on_san_casciano(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        // A Greve guardian whose username exists only in Greve.
        let greve = app
            .state
            .app
            .tenants
            .by_slug(&tenancy::TenantSlug::parse(GREVE).unwrap())
            .await
            .unwrap()
            .unwrap();
        let hash = registry::hash_password(demo::PASSWORD).unwrap();
        let txn = tenancy::scope::begin(&app.state.app.db, greve.id)
            .await
            .unwrap();
        registry::create_guardian(
            &txn,
            greve.id,
            registry::NewGuardian {
                username: "bianchi.greve".into(),
                password_hash: hash,
                first_name: "Carla".into(),
                last_name: "Bianchi".into(),
                fiscal_code: tenancy::PersonFiscalCode::parse("BNCCRL80A41E169Q").unwrap(),
                email: None,
                phone: None,
            },
        )
        .await
        .unwrap();
        txn.commit().await.unwrap();

        let on_greve = Browser::new(&app, GREVE);
        let response = on_greve.login("bianchi.greve", demo::PASSWORD).await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "{backend:?}: valid on Greve"
        );

        let on_san_casciano = Browser::new(&app, SAN_CASCIANO);
        let response = on_san_casciano.login("bianchi.greve", demo::PASSWORD).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{backend:?}");
        let body = response.text().await.unwrap();
        assert!(body.contains("Nome utente o password non corretti"));
        assert!(
            !body.contains("Bianchi") && !body.contains("Greve"),
            "{backend:?}"
        );

        // Greve's session token, carried to San Casciano's host, is no session there.
        let greve_parent = Browser::new(&app, GREVE);
        let response = greve_parent.login("genitore", demo::PASSWORD).await;
        let token = response
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.strip_prefix("mensa_session="))
            .and_then(|c| c.split(';').next())
            .unwrap()
            .to_owned();
        let response = app
            .request(
                &format!("{SAN_CASCIANO}.localhost:{}", app.addr.port()),
                "/servizi/refezione/stato-contabile",
            )
            .header(reqwest::header::COOKIE, format!("mensa_session={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{backend:?}");
        assert!(location(&response).starts_with("/accesso"));
    }
}

#[tokio::test]
async fn the_password_changes_with_the_old_one_and_a_strong_new_one() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::new(&app, SAN_CASCIANO);
    browser.login_as_parent().await;
    let token = browser.page_token().await;
    let attempt = |current: &'static str, new: &'static str, confirm: &'static str| {
        let token = token.clone();
        let browser = &browser;
        async move {
            browser
                .post(
                    "/password",
                    &[
                        ("csrf", token.as_str()),
                        ("attuale", current),
                        ("nuova", new),
                        ("conferma", confirm),
                    ],
                )
                .await
        }
    };
    let mismatch = attempt(demo::PASSWORD, "Nuova-Pass-1", "Nuova-Pass-2").await;
    assert_eq!(mismatch.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.text().await.unwrap().contains("non coincidono"));
    let wrong = attempt("sbagliata", "Nuova-Pass-1", "Nuova-Pass-1").await;
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("password attuale non è corretta")
    );
    let weak = attempt(demo::PASSWORD, "corta", "corta").await;
    assert!(weak.text().await.unwrap().contains("troppo debole"));
    let done = attempt(demo::PASSWORD, "Nuova-Pass-1", "Nuova-Pass-1").await;
    assert_eq!(done.status(), StatusCode::OK);
    assert!(done.text().await.unwrap().contains("Password cambiata"));

    let other = Browser::new(&app, SAN_CASCIANO);
    let old = other.login("genitore", demo::PASSWORD).await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    let new = other.login("genitore", "Nuova-Pass-1").await;
    assert_eq!(new.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn staff_credentials_open_no_portal_session() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::new(&app, SAN_CASCIANO);
    let response = browser.login("operatore", demo::PASSWORD).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(
        !response
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("mensa_session="))
    );
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("personale del Comune")
    );
    let response = browser.get("/anagrafica/tutore").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

testkit::on_both_backends! {
    async fn the_login_form_counts_with_the_api_and_locks_alike(backend: Backend) {
        let app = TestApp::spawn_with(backend, |settings| {
            settings.logins.login_lock_after = 3;
            settings.logins.login_step_delay_ms = 0;
        })
        .await;
        let browser = Browser::new(&app, SAN_CASCIANO);
        // Two wrong guesses on the form, one on the API: one count for the account.
        for _ in 0..2 {
            let response = browser.login("genitore", "Sbagliata-1").await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{backend:?}");
        }
        let (_, body) = app
            .graphql(
                SAN_CASCIANO,
                None,
                "mutation { login(username: \"genitore\", password: \"Sbagliata-1\") { token } }",
                serde_json::json!({}),
            )
            .await;
        assert_eq!(crate::support::error_codes(&body), ["UNAUTHENTICATED"]);
        // Locked: the form refuses the right password too, and says when to retry.
        let before = app.state.auth.password_checks();
        let response = browser.login("genitore", demo::PASSWORD).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "{backend:?}");
        assert!(response.text().await.unwrap().contains("Troppi tentativi"));
        assert_eq!(app.state.auth.password_checks(), before, "no password check");
    }
}
