//! Esegui ricarica and Storico pagamenti: a notice from an amount, its PDF, and the
//! refusals a parent can act on.

use reqwest::StatusCode;

use super::browser::{Browser, location};
use crate::support::{Backend, SAN_CASCIANO, TestApp};

testkit::on_both_backends! {
    async fn an_amount_becomes_a_notice_to_pay_online_or_download(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let browser = Browser::new(&app, SAN_CASCIANO);
        browser.login_as_parent().await;
        let token = browser.page_token().await;
        let response = browser
            .post(
                "/servizi/refezione/ricarica",
                &[("csrf", token.as_str()), ("importo", "20,00")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{backend:?}");
        let notice_page = location(&response);
        let number = notice_page
            .strip_prefix("/servizi/refezione/pagamenti/")
            .unwrap()
            .to_owned();
        assert_eq!(number.len(), 18, "{number}");

        let page = browser.text(&notice_page).await;
        assert!(page.contains("20,00 €"));
        assert!(page.contains("Da pagare"));
        assert!(page.contains("Paga online con pagoPA"));
        assert!(page.contains(&format!("/sandbox/checkout?notice={number}")));
        assert!(page.contains(&format!("/avvisi/{number}.pdf")));

        let pdf = browser.get(&format!("/avvisi/{number}.pdf")).await;
        assert_eq!(pdf.status(), StatusCode::OK, "{backend:?}");
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));

        let history = browser.text("/servizi/refezione/pagamenti").await;
        assert!(history.contains(&number[..4]));
        assert!(history.contains("20,00 €"));
        assert!(history.contains("Da pagare"));
    }
}

#[tokio::test]
async fn wrong_amounts_are_explained() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::new(&app, SAN_CASCIANO);
    browser.login_as_parent().await;
    let token = browser.page_token().await;
    for (amount, message) in [
        ("", "importo della ricarica in euro"),
        ("venti", "importo non è valido"),
        ("1", "La ricarica minima è di 5,00 €"),
        ("1000", "La ricarica massima è di 500,00 €"),
        ("20,555", "importo non è valido"),
    ] {
        let response = browser
            .post(
                "/servizi/refezione/ricarica",
                &[("csrf", token.as_str()), ("importo", amount)],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{amount}"
        );
        let body = response.text().await.unwrap();
        assert!(body.contains(message), "{amount}: {body}");
    }
    assert!(
        browser
            .text("/servizi/refezione/pagamenti")
            .await
            .contains("Non hai ancora creato avvisi")
    );
}

#[tokio::test]
async fn another_familys_notice_is_not_found() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let giulia = Browser::new(&app, SAN_CASCIANO);
    giulia.login_as_parent().await;
    let token = giulia.page_token().await;
    let response = giulia
        .post(
            "/servizi/refezione/ricarica",
            &[("csrf", token.as_str()), ("importo", "10")],
        )
        .await;
    let notice_page = location(&response);
    let number = notice_page.rsplit('/').next().unwrap().to_owned();

    let marco = Browser::new(&app, SAN_CASCIANO);
    let response = marco.login("galli", demo::PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        marco.get(&notice_page).await.status(),
        StatusCode::NOT_FOUND
    );
    let pdf = marco.get(&format!("/avvisi/{number}.pdf")).await;
    assert_eq!(pdf.status(), StatusCode::NOT_FOUND);
}
