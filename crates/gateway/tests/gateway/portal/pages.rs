//! Each page of the manual shows the demo family's data, and nothing of Greve.

use reqwest::StatusCode;

use super::browser::{Browser, GREVE_WORDS};
use crate::support::{Backend, SAN_CASCIANO, TestApp};

/// Every logged-in page and what it must say about the demo family.
const PAGES: [(&str, &[&str]); 10] = [
    (
        "/",
        &["Riepilogo", "Giulia", "Saldo del conto", "Luca", "Sofia"],
    ),
    ("/news", &["<h1 class=\"mb-4\">News</h1>"]),
    ("/documenti", &["<h1 class=\"mb-4\">Documenti</h1>"]),
    (
        "/anagrafica/tutore",
        &[
            "Giulia",
            "Conti",
            "CNTGLI84E61D612I",
            "giulia.conti@example.it",
            "333 0000001",
        ],
    ),
    (
        "/anagrafica/alunni",
        &[
            "Luca Conti",
            "CNTLCU17C14D612K",
            "14/03/2017",
            "Sofia Conti",
            "02/09/2019",
        ],
    ),
    (
        "/servizi/refezione/dettagli",
        &[
            "Scuola primaria G. Marconi",
            "Via dei Fossi 2",
            "3A",
            "1B",
            "lunedì, martedì, mercoledì, giovedì, venerdì",
            "lunedì, mercoledì, giovedì",
            "Fascia B (ISEE da 6.000 a 15.000 €)",
            "3,50 €",
            "Fascia C (ISEE oltre 15.000 €)",
            "5,20 €",
            "Normale",
            "Dieta speciale: Senza glutine (celiachia)",
        ],
    ),
    (
        "/servizi/refezione/stato-contabile",
        &[
            "Saldo",
            "26,40 €",
            "Luca Conti",
            "3,50 €",
            "Sofia Conti",
            "5,20 €",
            "Pasto di Luca",
            "Movimenti meno recenti",
        ],
    ),
    (
        "/servizi/refezione/ricarica",
        &["Importo della ricarica", "Avanti", "5,00 €", "500,00 €"],
    ),
    ("/servizi/refezione/pagamenti", &["Storico pagamenti"]),
    ("/password", &["Password attuale", "Nuova password"]),
];

testkit::on_both_backends! {
    async fn every_page_shows_the_family_and_nothing_of_greve(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let browser = Browser::new(&app, SAN_CASCIANO);
        browser.login_as_parent().await;
        for (path, expected) in PAGES {
            let body = browser.text(path).await;
            for text in expected {
                assert!(body.contains(text), "{backend:?} {path}: «{text}» missing");
            }
            for word in GREVE_WORDS {
                assert!(!body.contains(word), "{backend:?} {path} shows «{word}»");
            }
            assert!(body.contains("<html lang=\"it\">"), "{path}");
            assert!(
                body.contains("Comune di San Casciano in Val di Pesa"),
                "{path}"
            );
            assert!(
                body.contains("refezione@comune.sancascianovaldipesa.example"),
                "{path}: footer contacts"
            );
        }
    }
}

#[tokio::test]
async fn the_balance_and_each_childs_meals_add_up() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::new(&app, SAN_CASCIANO);
    browser.login_as_parent().await;
    let body = browser.text("/servizi/refezione/stato-contabile").await;
    // 150,00 € top-up + 21,00 € vouchers − October 2026: Luca 22 meals × 3,50 € (77,00 €),
    // Sofia 13 meals × 5,20 € (67,60 €) on her three days a week.
    assert!(body.contains("26,40 €"), "balance: {body}");
    assert!(body.contains("77,00 €") && body.contains("67,60 €"));

    let link = "/servizi/refezione/stato-contabile/alunni/";
    let start = body.find(link).unwrap();
    let end = body[start..].find('"').unwrap() + start;
    let luca = browser.text(&body[start..end]).await;
    assert!(luca.contains("Pasti di Luca Conti"));
    assert!(luca.contains("ottobre 2026: 22 pasti, 77,00 €"), "{luca}");
    assert!(luca.contains("lunedì 5 ottobre 2026"));
    assert!(!luca.contains("sabato"), "no meals on Saturdays");
}

#[tokio::test]
async fn the_low_balance_banner_counts_the_meals_left() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::new(&app, SAN_CASCIANO);
    browser.login_as_parent().await;
    let body = browser.text("/news").await;
    // 26,40 € at 8,70 € a day of meals of both children (3,50 + 5,20) is 3 days.
    assert!(body.contains("Saldo sotto la soglia"), "{body}");
    assert!(
        body.contains(
            "sotto la soglia di promemoria di <span class=\"mensa-money\">30,00 €</span>"
        )
    );
    assert!(
        body.contains("3 giorni di mensa di tutti i tuoi figli"),
        "{body}"
    );
    assert!(body.contains("8,70 €"));
}

#[tokio::test]
async fn movements_filter_by_kind_and_period_and_page() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::new(&app, SAN_CASCIANO);
    browser.login_as_parent().await;
    let top_ups = browser
        .text("/servizi/refezione/stato-contabile?tipo=top_up")
        .await;
    let table = &top_ups[top_ups.find("Movimenti del conto").unwrap()..];
    assert!(table.contains("150,00 €"));
    assert!(!table.contains("<td>Pasto</td>"), "only top-ups");

    let one_day = browser
        .text("/servizi/refezione/stato-contabile?tipo=meal&dal=2026-10-05&al=05/10/2026")
        .await;
    let table = &one_day[one_day.find("Movimenti del conto").unwrap()..];
    assert_eq!(
        table.matches("<td>05/10/2026</td>").count(),
        2,
        "Luca and Sofia ate on Monday 5"
    );
    assert!(!table.contains("06/10/2026"));

    // 35 meals, a top-up and a voucher recovery: two pages of 20.
    let first = browser.text("/servizi/refezione/stato-contabile").await;
    let at = first.find("prima=").expect("a link to older movements") + "prima=".len();
    let before: String = first[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let second = browser
        .text(&format!(
            "/servizi/refezione/stato-contabile?prima={before}"
        ))
        .await;
    assert!(second.contains("Recupero buoni pasto"));
    assert!(second.contains("Movimenti più recenti"));

    let bad = browser
        .text("/servizi/refezione/stato-contabile?dal=31/02/2026")
        .await;
    assert!(bad.contains("non è valida: scrivila come gg/mm/aaaa"));
}

#[tokio::test]
async fn another_familys_child_is_not_found() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::new(&app, SAN_CASCIANO);
    browser.login_as_parent().await;
    // Ids 1..=10 cover every demo child of both comuni; only two are Giulia's.
    let mut found = 0;
    for id in 1..=10 {
        let response = browser
            .get(&format!(
                "/servizi/refezione/stato-contabile/alunni/{id}/pasti"
            ))
            .await;
        match response.status() {
            StatusCode::OK => found += 1,
            StatusCode::NOT_FOUND => {}
            other => panic!("student {id}: {other}"),
        }
    }
    assert_eq!(found, 2);
}

#[tokio::test]
async fn coming_back_from_checkout_says_how_the_payment_ended() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::new(&app, SAN_CASCIANO);
    browser.login_as_parent().await;
    for (esito, text) in [
        ("ok", "Pagamento completato"),
        ("annullato", "Pagamento annullato"),
        ("errore", "non è andato a buon fine"),
    ] {
        let body = browser
            .text(&format!("/servizi/refezione/stato-contabile?esito={esito}"))
            .await;
        assert!(body.contains(text), "{esito}");
    }
    let plain = browser.text("/servizi/refezione/stato-contabile").await;
    assert!(!plain.contains("Pagamento completato"));
}
