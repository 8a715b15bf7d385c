//! The fault bean (`ctFaultBean`) of a KO answer.
//!
//! Fault strings are the official ones from "Gestione degli errori" › faultCode e faultString
//! › Dominio EC (docs.pagopa.it/gestionedeglierrori). PAA_RECEIPT_DUPLICATA is not in that
//! table (it is used by pagoPA's own creditor services for a receipt already acquired); its
//! string mirrors the official PAA_RT_DUPLICATA one.

use std::fmt;
use std::str::FromStr;

/// The creditor-side fault codes this crate answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultCode {
    PagamentoSconosciuto,
    PagamentoDuplicato,
    PagamentoScaduto,
    PagamentoAnnullato,
    IdDominioErrato,
    IdIntermediarioErrato,
    StazioneIntErrata,
    SintassiXsd,
    SintassiExtraXsd,
    Semantica,
    SystemError,
    ReceiptDuplicata,
}

const ALL: [FaultCode; 12] = [
    FaultCode::PagamentoSconosciuto,
    FaultCode::PagamentoDuplicato,
    FaultCode::PagamentoScaduto,
    FaultCode::PagamentoAnnullato,
    FaultCode::IdDominioErrato,
    FaultCode::IdIntermediarioErrato,
    FaultCode::StazioneIntErrata,
    FaultCode::SintassiXsd,
    FaultCode::SintassiExtraXsd,
    FaultCode::Semantica,
    FaultCode::SystemError,
    FaultCode::ReceiptDuplicata,
];

impl FaultCode {
    pub fn all() -> &'static [FaultCode] {
        &ALL
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::PagamentoSconosciuto => "PAA_PAGAMENTO_SCONOSCIUTO",
            Self::PagamentoDuplicato => "PAA_PAGAMENTO_DUPLICATO",
            Self::PagamentoScaduto => "PAA_PAGAMENTO_SCADUTO",
            Self::PagamentoAnnullato => "PAA_PAGAMENTO_ANNULLATO",
            Self::IdDominioErrato => "PAA_ID_DOMINIO_ERRATO",
            Self::IdIntermediarioErrato => "PAA_ID_INTERMEDIARIO_ERRATO",
            Self::StazioneIntErrata => "PAA_STAZIONE_INT_ERRATA",
            Self::SintassiXsd => "PAA_SINTASSI_XSD",
            Self::SintassiExtraXsd => "PAA_SINTASSI_EXTRAXSD",
            Self::Semantica => "PAA_SEMANTICA",
            Self::SystemError => "PAA_SYSTEM_ERROR",
            Self::ReceiptDuplicata => "PAA_RECEIPT_DUPLICATA",
        }
    }

    /// The official `faultString`.
    pub fn fault_string(self) -> &'static str {
        match self {
            Self::PagamentoSconosciuto => {
                "Pagamento in attesa risulta sconosciuto all’Ente Creditore"
            }
            Self::PagamentoDuplicato => "Pagamento in attesa risulta concluso all’Ente Creditore",
            Self::PagamentoScaduto => "Pagamento in attesa risulta scaduto all’Ente Creditore",
            Self::PagamentoAnnullato => "Pagamento in attesa risulta annullato all’Ente Creditore",
            Self::IdDominioErrato => "La PAA non corrisponde al Dominio indicato",
            Self::IdIntermediarioErrato => "Identificativo intermediario non corrispondente",
            Self::StazioneIntErrata => "Stazione intermediario non corrispondente",
            Self::SintassiXsd => "Errore di sintassi XSD",
            Self::SintassiExtraXsd => "Errore di sintassi extra XSD",
            Self::Semantica => "Errore semantico",
            Self::SystemError => "Errore generico",
            Self::ReceiptDuplicata => "La ricevuta è già stata accettata",
        }
    }
}

impl FromStr for FaultCode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ALL.iter()
            .copied()
            .find(|c| c.code() == s)
            .ok_or_else(|| format!("unknown fault code {s:?}"))
    }
}

impl fmt::Display for FaultCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// `ctFaultBean` as a creditor writes it: the `original*` fields are filled only by the Node
/// when it relays a fault, so they are not modelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub code: FaultCode,
    pub fault_string: String,
    /// The idPA of the creditor that raises the fault.
    pub id: String,
    pub description: Option<String>,
    pub serial: Option<i32>,
}

impl Fault {
    /// A fault with the official string for `code`.
    pub fn new(code: FaultCode, id_pa: impl Into<String>, description: impl Into<String>) -> Self {
        let description = description.into();
        Self {
            code,
            fault_string: code.fault_string().to_owned(),
            id: id_pa.into(),
            description: (!description.is_empty()).then_some(description),
            serial: None,
        }
    }
}
