//! The paper payment notice ("avviso di pagamento pagoPA") of one single-instalment debt
//! position, rendered as a one-page A4 PDF.
//!
//! The layout follows the base model of the pagoPA notice guidelines (docs.pagopa.it/
//! avviso-pagamento, Allegato 1 › Modelli base, Allegato 2 › Specifiche tecniche): header with
//! the object of payment and the pagoPA mark, creditor and payer, amount and due date, where to
//! pay, then the slips that the payer hands over or scans: "Banche e altri canali" with the QR
//! code, and, for comuni collecting on a Poste account, the "Bollettino Postale PA" with the
//! Data Matrix. The explanatory texts are our own wording of the guideline texts.
//!
//! The PDF uses the built-in Helvetica faces (no font file, WinAnsi text) and draws the QR code
//! and the Data Matrix as vector squares, so the output is small and prints sharp.

mod canvas;
mod codes;
mod document;
pub mod format;
mod logo;
mod metrics;
mod page;
mod slips;
mod widths;
mod winansi;

use chrono::NaiveDate;

use crate::amount::PositiveAmount;
use crate::datamatrix::{DataMatrixError, PostalAccount};
use crate::ident::FiscalCodePa;
use crate::notice::NoticeNumber;

/// Why a notice could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoticePdfError {
    #[error("the QR code payload does not fit a version 4-M symbol: {0}")]
    QrCode(String),
    #[error("the Poste Data Matrix payload cannot be built: {0}")]
    DataMatrix(#[from] DataMatrixError),
    #[error("the Poste Data Matrix cannot be encoded: {0}")]
    DataMatrixEncoding(String),
    #[error("the creditor logo cannot be used: {0}")]
    Logo(String),
}

/// Everything printed on the notice. Texts are printed as given (WinAnsi: Latin-1 and €;
/// other characters print as `?`) and cut with an ellipsis where the space ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeDocument {
    /// Ente Creditore, e.g. "Comune di Roccasecca" (the guidelines allow 50 characters).
    pub creditor_name: String,
    pub creditor_fiscal_code: FiscalCodePa,
    /// Office and contacts for questions ("Ufficio Scuola - tel. ... - scuola@comune..."),
    /// up to three lines under the creditor name.
    pub creditor_info: Option<String>,
    /// The comune's logo: an 8-bit PNG without transparency (grey, RGB or palette), drawn in
    /// the header at most 18 mm high. Without it the header shows the creditor name.
    pub creditor_logo_png: Option<Vec<u8>>,
    /// Whether the notice can also be paid on the comune's own website; the guidelines vary
    /// the "where to pay" text on this.
    pub payable_on_creditor_site: bool,
    /// Codice interbancario CBILL of the creditor, when it has one.
    pub cbill_code: Option<String>,
    /// Present when the comune collects on a Poste Italiane account: adds the postal slip.
    pub postal: Option<PostalSlip>,
    pub payer_name: String,
    /// Codice fiscale (or partita IVA) of the payer, printed as given.
    pub payer_fiscal_code: String,
    pub payer_address: Option<String>,
    /// Object of payment (causale), e.g. "Refezione scolastica ottobre 2025" (90 characters).
    pub object: String,
    pub amount: PositiveAmount,
    pub due_date: NaiveDate,
    pub notice_number: NoticeNumber,
}

/// The "Bollettino Postale PA" slip of a comune with a Poste account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostalSlip {
    pub account: PostalAccount,
    /// Holder of the account as registered at Poste (intestatario del c/c).
    pub holder: String,
    /// Poste's authorisation to print bollettini in-house ("Aut. n. ... del ..."), if any.
    pub authorization: Option<String>,
}

/// Renders the notice as the bytes of a one-page A4 PDF.
pub fn render(doc: &NoticeDocument) -> Result<Vec<u8>, NoticePdfError> {
    let logo = doc
        .creditor_logo_png
        .as_deref()
        .map(logo::Logo::from_png)
        .transpose()?;
    let mut canvas = canvas::Canvas::new();
    page::draw(&mut canvas, doc, logo.as_ref());
    slips::draw(&mut canvas, doc)?;
    Ok(document::assemble(canvas.finish(), logo.as_ref(), doc))
}
