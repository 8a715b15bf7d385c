#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]
//! pagoPA building blocks for a comune acting as Ente Creditore through a technical broker.
//!
//! The crate owns the formats, not the business rules: notice numbers (codice avviso / IUV,
//! aux digit 3), the payloads printed on a payment notice (QR code, Poste Data Matrix) and the
//! SOAP 1.1 messages of the `paForNode` interface that the pagoPA Node calls on the creditor;
//! `notice_pdf` lays those payloads out on the printable A4 notice itself.
//! Values are parsed into newtypes at the edge, so anything that reaches a writer is already
//! valid against the official XSD facets.

pub mod amount;
pub mod datamatrix;
pub mod ident;
pub mod notice;
pub mod notice_pdf;
pub mod qr;
pub mod soap;
pub mod text;

pub use amount::{Amount, AmountError, PositiveAmount};
pub use datamatrix::{DataMatrixError, PostalAccount, PosteDataMatrix};
pub use ident::{CountryCode, Email, FiscalCodePa, IdentError};
pub use notice::{AuxDigit, Iuv, NoticeError, NoticeNumber, SegregationCode};
pub use notice_pdf::{NoticeDocument, NoticePdfError, PostalSlip};
pub use qr::qr_payload;
pub use text::{EntityIdValue, Text, Text16, Text20, Text35, Text70, Text140, Text210, TextError};
