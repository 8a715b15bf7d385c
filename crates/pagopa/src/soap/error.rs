//! Parse failures and the fault each one is answered with.
//!
//! pagoPA's error tables ("Gestione degli errori" › Ente Creditore › Nodo -> EC,
//! docs.pagopa.it/gestionedeglierrori) list PAA_SINTASSI_EXTRAXSD as the syntax fault of
//! paVerifyPaymentNotice, paGetPayment(V2) and paSendRT(V2), while pagoPA's own creditor
//! service (pagopa-gpd-payments, `PaaErrorEnum`) answers PAA_SINTASSI_XSD for a request that
//! fails XSD validation. The split used here keeps both meaningful: a document that is not
//! well-formed, lacks the expected elements, or is deeper or bigger than any message of the
//! schema is PAA_SINTASSI_XSD; a well-formed message whose value breaks a facet (length,
//! pattern, enumeration) is PAA_SINTASSI_EXTRAXSD. A notice number that is well-formed but
//! cannot be one of ours (other aux digit, wrong check digits) is PAA_PAGAMENTO_SCONOSCIUTO,
//! and unsupported features are PAA_SEMANTICA.

use super::fault::{Fault, FaultCode};
use super::request::Operation;
use super::response::Response;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("not well-formed XML: {0}")]
    NotWellFormed(String),
    /// Deeper or bigger than any paForNode message: refused while parsing, before the
    /// document can cost more memory or stack than a real message would.
    #[error("the document is too large: {0}")]
    TooLarge(String),
    #[error("unexpected message structure: {0}")]
    Structure(String),
    #[error("<{element}> breaks the schema: {reason}")]
    Facet { element: String, reason: String },
    #[error("notice number {number} is not issued by this creditor: {reason}")]
    ForeignNotice { number: String, reason: String },
    #[error("unsupported: {0}")]
    Unsupported(String),
}

impl ParseError {
    pub fn fault_code(&self) -> FaultCode {
        match self {
            Self::NotWellFormed(_) | Self::TooLarge(_) | Self::Structure(_) => {
                FaultCode::SintassiXsd
            }
            Self::Facet { .. } => FaultCode::SintassiExtraXsd,
            Self::ForeignNotice { .. } => FaultCode::PagamentoSconosciuto,
            Self::Unsupported(_) => FaultCode::Semantica,
        }
    }

    pub(crate) fn structure(message: impl Into<String>) -> Self {
        Self::Structure(message.into())
    }

    pub(crate) fn facet(element: &str, reason: impl ToString) -> Self {
        Self::Facet {
            element: element.to_owned(),
            reason: reason.to_string(),
        }
    }
}

/// A request that could not be parsed, with what was learnt before the failure so that the
/// creditor can still answer with the right response element and fault `id`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}")]
pub struct RequestError {
    /// The operation, when the wrapper element was recognised.
    pub operation: Option<Operation>,
    /// The raw `idPA` text, when present.
    pub id_pa: Option<String>,
    pub error: ParseError,
}

impl RequestError {
    pub fn fault_code(&self) -> FaultCode {
        self.error.fault_code()
    }

    /// The KO answer for this failure; `fallback_id` (the broker's id) stands in for a missing
    /// idPA. `None` when the operation is unknown: then only a SOAP fault can answer.
    pub fn to_response(&self, fallback_id: &str) -> Option<Response> {
        let id = self.id_pa.as_deref().unwrap_or(fallback_id);
        let fault = Fault::new(self.fault_code(), id, self.error.to_string());
        self.operation.map(|op| Response::fault(op, fault))
    }
}
