//! The upper half of the notice: header, creditor and payer, amount and due date, where to pay.

use super::NoticeDocument;
use super::canvas::{BLUE, Canvas, GREY, LIGHT, Style};
use super::document::LOGO;
use super::format;
use super::logo::Logo;
use super::metrics::Font::{Bold, Regular};

/// Left and right page margins, and the gap between the two columns, in millimetres.
pub(super) const LEFT: f32 = 12.0;
pub(super) const RIGHT: f32 = 198.0;
const COLUMN: f32 = 88.0;
const SECOND: f32 = LEFT + COLUMN + 10.0;

pub(super) const LABEL: Style = Style::new(Bold, 8.0);
pub(super) const SMALL: Style = Style::new(Regular, 8.0);

pub(super) fn draw(c: &mut Canvas, doc: &NoticeDocument, logo: Option<&Logo>) {
    header(c, doc, logo);
    parties(c, doc);
    amount(c, doc);
    where_to_pay(c, doc);
}

fn header(c: &mut Canvas, doc: &NoticeDocument, logo: Option<&Logo>) {
    let mut x = LEFT;
    if let Some(logo) = logo {
        let size = logo.fit(24.0, 18.0);
        c.image(LOGO, (LEFT, 10.0), size);
        x += size.0 + 5.0;
    }
    c.text(x, 14.0, LABEL.color(GREY), "AVVISO DI PAGAMENTO");
    c.paragraph(
        (x, 21.5),
        RIGHT - x - 40.0,
        Style::new(Bold, 16.0),
        &doc.object,
        2,
    );
    // The pagoPA mark as text, in the brand blue of the guidelines' palette.
    c.text_right(RIGHT, 19.5, Style::new(Bold, 22.0).color(BLUE), "pagoPA");
    c.hline(LEFT, 32.0, RIGHT - LEFT, LIGHT, false);
}

fn parties(c: &mut Canvas, doc: &NoticeDocument) {
    party(
        c,
        LEFT,
        ("ENTE CREDITORE", doc.creditor_fiscal_code.as_str()),
        &doc.creditor_name,
        doc.creditor_info.as_deref(),
    );
    party(
        c,
        SECOND,
        ("DESTINATARIO AVVISO", &doc.payer_fiscal_code),
        &doc.payer_name,
        doc.payer_address.as_deref(),
    );
}

fn party(c: &mut Canvas, x: f32, (title, code): (&str, &str), name: &str, more: Option<&str>) {
    let w = c.text(x, 39.0, LABEL, title);
    c.text(x + w + 3.0, 39.0, SMALL, &format!("Cod. Fiscale {code}"));
    let y = c.paragraph((x, 45.5), COLUMN, Style::new(Bold, 11.0), name, 2);
    if let Some(more) = more {
        c.paragraph((x, y + 0.5), COLUMN, SMALL, more, 3);
    }
}

const BAND_TOP: f32 = 64.0;
const BAND_H: f32 = 52.0;

fn amount(c: &mut Canvas, doc: &NoticeDocument) {
    c.fill_rect(LEFT - 2.0, BAND_TOP, RIGHT - LEFT + 4.0, BAND_H, LIGHT);
    let top = BAND_TOP + 7.0;
    c.text(
        LEFT + 2.0,
        top,
        Style::new(Bold, 10.0),
        "QUANTO E QUANDO PAGARE?",
    );
    c.text(
        LEFT + 2.0,
        top + 11.0,
        Style::new(Bold, 22.0),
        &format::euro(&doc.amount),
    );
    let w = c.text(
        LEFT + 2.0,
        top + 19.0,
        Style::new(Regular, 11.0),
        "entro il ",
    );
    c.text(
        LEFT + 2.0 + w,
        top + 19.0,
        Style::new(Bold, 11.0),
        &format::date(&doc.due_date),
    );
    c.paragraph(
        (LEFT + 2.0, top + 27.0),
        COLUMN - 4.0,
        SMALL,
        "L'importo potrebbe cambiare prima del pagamento, per esempio per riduzioni, \
         interessi o more: l'app, il sito o lo sportello che userai ti mostrerà sempre \
         la cifra aggiornata da pagare.",
        5,
    );
}

fn where_to_pay(c: &mut Canvas, doc: &NoticeDocument) {
    let x = SECOND;
    let width = RIGHT - SECOND - 2.0;
    let top = BAND_TOP + 7.0;
    let w = c.text(x, top, Style::new(Bold, 10.0), "DOVE PAGARE?");
    c.text(
        x + w + 3.0,
        top,
        SMALL.color(GREY),
        "Tutti i canali sono elencati su pagopa.gov.it",
    );
    let site = if doc.payable_on_creditor_site {
        format!("sul sito di {}, ", doc.creditor_name)
    } else {
        String::new()
    };
    let online = format!(
        "Con l'app IO, {site}dall'home banking o con l'app della tua banca o di un \
         altro prestatore di servizi di pagamento abilitato. Puoi usare carta, conto \
         corrente o CBILL."
    );
    c.text(x, top + 8.0, LABEL, "PAGA ONLINE");
    let y = c.paragraph((x, top + 12.5), width, SMALL, &online, 4);
    c.text(x, y + 3.0, LABEL, "PAGA SUL TERRITORIO");
    c.paragraph(
        (x, y + 7.5),
        width,
        SMALL,
        "In Banca e agli sportelli ATM, in Ufficio Postale, dal tabaccaio, in ricevitoria, \
         al supermercato e negli altri esercizi convenzionati. Puoi pagare in contanti, \
         con carta o con addebito in conto.",
        4,
    );
}
