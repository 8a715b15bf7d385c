//! SOAP 1.1 messages of the `paForNode` interface (creditor side of the pagoPA Node).
//!
//! Parsing is namespace-aware for the envelope and the wrapper element (any prefix), while
//! the children of the wrapper are unqualified as the XSD declares (no
//! `elementFormDefault`); they are matched by local name, in any order, and unknown ones are
//! ignored so that a newer SANP release adding optional fields does not break the creditor.
//! Writers emit the XSD sequence order, qualify only the wrapper element and always write
//! amounts with two decimals.

mod codec;
mod dom;
mod error;
mod fault;
mod model;
mod out;
mod request;
mod response;

pub use codec::{
    parse_request, parse_response, request_body, response_body, write_request, write_response,
    write_soap_fault,
};
pub use error::{ParseError, RequestError};
pub use fault::{Fault, FaultCode};
pub use model::{
    AmountOption, Caller, DateTimeError, EntityType, Iban, IdTransfer, MapEntry, Outcome, QrCode,
    Subject, Transfer, TransferType, TransferV2, XsdDateTime,
};
pub use request::{
    GetPaymentReq, Operation, Receipt, ReceiptV2Extras, ReceivedRequest, Request, SendRtReq,
    SendRtV2Req, VerifyPaymentNoticeReq,
};
pub use response::{PaymentData, PaymentOption, Reply, Response, VerifyPaymentNoticeOk};

/// Namespace of the SOAP 1.1 envelope.
pub const SOAP_ENV_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// Target namespace of `paForNode.xsd`.
pub const PAF_NS: &str = "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd";
