//! The lower half of the notice: the slips that are scanned or read out at the counter.
//! "Banche e altri canali" is always there; the "Bollettino Postale PA" only for a comune
//! with a Poste account, right after it (Allegato 2 › Dati per il pagamento).

use super::canvas::{Canvas, GREY, LIGHT, Style};
use super::codes;
use super::metrics::Font::{Bold, Regular};
use super::page::{LEFT, RIGHT, SMALL};
use super::{NoticeDocument, NoticePdfError, PostalSlip, format};
use crate::datamatrix::{DOCUMENT_TYPE, PosteDataMatrix};
use crate::qr::qr_payload;

/// Side of the printed QR code (Allegato 2 › Rata unica: 25×25 mm).
const QR_SIDE: f32 = 25.0;
/// Module size of the printed Data Matrix. A 256-character payload takes a 48- or 52-module
/// square, so the symbol is about 25 mm wide like the QR code, with modules counter scanners
/// read comfortably.
const DM_MODULE: f32 = 0.5;

const LABEL: Style = Style::new(Regular, 7.0).color(GREY);
const VALUE: Style = Style::new(Bold, 9.0);
const CODE: Style = Style::new(Bold, 11.0);

const BANK_TOP: f32 = 128.0;
const POSTAL_TOP: f32 = 186.0;

pub(super) fn draw(c: &mut Canvas, doc: &NoticeDocument) -> Result<(), NoticePdfError> {
    c.text(
        LEFT,
        BANK_TOP - 6.5,
        SMALL.color(GREY),
        "Usa la parte dell'avviso che corrisponde al canale con cui vuoi pagare.",
    );
    c.hline(LEFT - 2.0, BANK_TOP - 3.5, RIGHT - LEFT + 4.0, GREY, true);
    bank(c, doc)?;
    if let Some(postal) = &doc.postal {
        c.hline(LEFT - 2.0, POSTAL_TOP - 3.5, RIGHT - LEFT + 4.0, GREY, true);
        post(c, doc, postal)?;
    }
    Ok(())
}

fn band(c: &mut Canvas, top: f32, title: &str, middle: (&str, &str), doc: &NoticeDocument) {
    c.fill_rect(LEFT - 2.0, top, RIGHT - LEFT + 4.0, 10.0, LIGHT);
    let base = top + 6.6;
    c.text(LEFT + 2.0, base, Style::new(Bold, 10.0), title);
    let w = c.text(86.0, base, Style::new(Bold, 9.0), middle.0);
    c.text(86.0 + w, base, Style::new(Regular, 9.0), middle.1);
    c.text_right(
        RIGHT - 2.0,
        base,
        Style::new(Bold, 12.0),
        &format::euro(&doc.amount),
    );
}

/// A grey caption with its value underneath, in at most `lines` lines; returns the baseline
/// below the value.
fn field(
    c: &mut Canvas,
    (x, y, width): (f32, f32, f32),
    label: &str,
    value: &str,
    lines: usize,
) -> f32 {
    c.text(x, y, LABEL, label);
    c.paragraph((x, y + 4.0), width, VALUE, value, lines) + 1.5
}

fn code(c: &mut Canvas, (x, y): (f32, f32), label: &str, value: &str) {
    c.text(x, y, LABEL, label);
    c.text(x, y + 5.0, CODE, value);
}

fn bank(c: &mut Canvas, doc: &NoticeDocument) -> Result<(), NoticePdfError> {
    let due = format!(" entro il {}", format::date(&doc.due_date));
    band(
        c,
        BANK_TOP,
        "BANCHE E ALTRI CANALI",
        ("RATA UNICA", &due),
        doc,
    );
    let top = BANK_TOP + 16.0;
    c.paragraph(
        (LEFT + 2.0, top),
        38.0,
        SMALL,
        "Inquadra il codice QR con l'app della tua banca o di pagamento, oppure usa i \
         codici qui sotto allo sportello, all'ATM o nell'home banking.",
        6,
    );
    let payload = qr_payload(&doc.notice_number, &doc.creditor_fiscal_code, &doc.amount);
    let qr = codes::qr(&payload)?;
    // The page is white around the symbol, which gives the quiet zone; the layout keeps
    // text at least four QR modules away.
    c.modules(56.0, top - 2.0, QR_SIDE / count(qr.width), &qr);

    // Names side by side, the object under them, the codes along the bottom: the layout of
    // the guidelines' slip, which keeps every field on one glance for the counter clerk.
    let (x, half) = (90.0, (RIGHT - 90.0) / 2.0);
    field(c, (x, top, half - 3.0), "Destinatario", &doc.payer_name, 1);
    field(
        c,
        (x + half, top, half),
        "Ente Creditore",
        &doc.creditor_name,
        1,
    );
    let object = (x, top + 10.0, RIGHT - x);
    field(c, object, "Oggetto del pagamento", &doc.object, 2);

    // Four QR modules (3 mm) of quiet zone under the code before the labels start.
    let row = top + 29.0;
    let cbill = doc.cbill_code.as_deref().unwrap_or("-");
    code(c, (LEFT + 2.0, row), "Codice CBILL", cbill);
    code(
        c,
        (56.0, row),
        "Codice Avviso",
        &doc.notice_number.grouped(),
    );
    code(
        c,
        (x + half, row),
        "Cod. Fiscale Ente Creditore",
        doc.creditor_fiscal_code.as_str(),
    );
    Ok(())
}

fn post(c: &mut Canvas, doc: &NoticeDocument, postal: &PostalSlip) -> Result<(), NoticePdfError> {
    let account = postal.account.as_str();
    band(
        c,
        POSTAL_TOP,
        "BOLLETTINO POSTALE PA",
        ("sul C/C n. ", account),
        doc,
    );
    let top = POSTAL_TOP + 16.0;
    let y = c.paragraph(
        (LEFT + 2.0, top),
        70.0,
        SMALL,
        "Si paga in ogni Ufficio Postale e sui canali, fisici e digitali, di Poste \
         Italiane e dell'Ente Creditore.",
        3,
    );
    let (x, w) = (LEFT + 2.0, 70.0);
    let y = field(c, (x, y + 2.0, w), "Intestato a", &postal.holder, 2);
    let y = field(c, (x, y + 1.0, w), "Destinatario", &doc.payer_name, 1);
    field(c, (x, y + 1.0, w), "Oggetto del pagamento", &doc.object, 2);

    let payload = PosteDataMatrix {
        notice_number: &doc.notice_number,
        postal_account: &postal.account,
        amount: &doc.amount,
        creditor: &doc.creditor_fiscal_code,
        debtor_fiscal_code: &doc.payer_fiscal_code,
        debtor_name: &doc.payer_name,
        subject: &doc.object,
    }
    .payload()?;
    c.modules(90.0, top - 3.5, DM_MODULE, &codes::data_matrix(&payload)?);

    let x = 126.0;
    code(c, (x, top), "Codice Avviso", &doc.notice_number.grouped());
    code(c, (x, top + 12.0), "Tipo documento", DOCUMENT_TYPE);
    code(
        c,
        (x + 30.0, top + 12.0),
        "Cod. Fiscale Ente Creditore",
        doc.creditor_fiscal_code.as_str(),
    );
    if let Some(auth) = &postal.authorization {
        c.paragraph((x, top + 25.0), RIGHT - x, SMALL.color(GREY), auth, 2);
    }
    Ok(())
}

/// Module counts are small (33 for the QR code), so the conversion is exact.
fn count(n: usize) -> f32 {
    f32::from(u16::try_from(n).unwrap_or(u16::MAX).max(1))
}
