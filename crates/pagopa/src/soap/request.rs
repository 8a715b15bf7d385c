//! Requests the pagoPA Node sends to the creditor.

use chrono::NaiveDate;

use super::model::{
    Caller, MapEntry, Outcome, QrCode, Subject, Transfer, TransferType, TransferV2, XsdDateTime,
};
use crate::amount::Amount;
use crate::ident::FiscalCodePa;
use crate::notice::NoticeNumber;
use crate::text::{Text20, Text35, Text70, Text140, Text210};

/// The operations of `paForNode.wsdl`; the element names are those of `paForNode.xsd`
/// (note the V2 ones end in `Request`/`Response`, not `Req`/`Res`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    VerifyPaymentNotice,
    GetPayment,
    GetPaymentV2,
    SendRt,
    SendRtV2,
    DemandPaymentNotice,
}

impl Operation {
    pub fn soap_action(self) -> &'static str {
        match self {
            Self::VerifyPaymentNotice => "paVerifyPaymentNotice",
            Self::GetPayment => "paGetPayment",
            Self::GetPaymentV2 => "paGetPaymentV2",
            Self::SendRt => "paSendRT",
            Self::SendRtV2 => "paSendRTV2",
            Self::DemandPaymentNotice => "paDemandPaymentNotice",
        }
    }

    /// The operation a `SOAPAction` header names (without its quotes).
    pub fn from_soap_action(action: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.soap_action() == action)
    }

    pub fn request_element(self) -> &'static str {
        match self {
            Self::VerifyPaymentNotice => "paVerifyPaymentNoticeReq",
            Self::GetPayment => "paGetPaymentReq",
            Self::GetPaymentV2 => "paGetPaymentV2Request",
            Self::SendRt => "paSendRTReq",
            Self::SendRtV2 => "paSendRTV2Request",
            Self::DemandPaymentNotice => "paDemandPaymentNoticeRequest",
        }
    }

    pub fn response_element(self) -> &'static str {
        match self {
            Self::VerifyPaymentNotice => "paVerifyPaymentNoticeRes",
            Self::GetPayment => "paGetPaymentRes",
            Self::GetPaymentV2 => "paGetPaymentV2Response",
            Self::SendRt => "paSendRTRes",
            Self::SendRtV2 => "paSendRTV2Response",
            Self::DemandPaymentNotice => "paDemandPaymentNoticeResponse",
        }
    }

    pub(crate) const ALL: [Operation; 6] = [
        Self::VerifyPaymentNotice,
        Self::GetPayment,
        Self::GetPaymentV2,
        Self::SendRt,
        Self::SendRtV2,
        Self::DemandPaymentNotice,
    ];
}

/// `paVerifyPaymentNoticeReq`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyPaymentNoticeReq {
    pub caller: Caller,
    pub qr_code: QrCode,
}

/// `paGetPaymentReq` and `paGetPaymentV2Request`, which share their content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetPaymentReq {
    pub caller: Caller,
    pub qr_code: QrCode,
    pub amount: Option<Amount>,
    pub payment_note: Option<Text210>,
    pub transfer_type: Option<TransferType>,
    pub due_date: Option<NaiveDate>,
}

/// `ctReceipt` / `ctReceiptV2`: the payment receipt (RT) the creditor books.
/// `stand_in` sits in the receipt in both versions (last element of the sequence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt<T> {
    pub receipt_id: String,
    pub notice_number: NoticeNumber,
    pub fiscal_code: FiscalCodePa,
    pub outcome: Outcome,
    pub creditor_reference_id: Text35,
    pub payment_amount: Amount,
    pub description: Text140,
    pub company_name: Text140,
    pub office_name: Option<Text140>,
    pub debtor: Subject,
    pub transfers: Vec<T>,
    pub id_psp: Text35,
    pub psp_fiscal_code: Option<Text70>,
    pub psp_partita_iva: Option<Text20>,
    pub psp_company_name: Text70,
    pub id_channel: Text35,
    pub channel_description: Text35,
    pub payer: Option<Subject>,
    pub payment_method: Option<Text35>,
    pub fee: Option<Amount>,
    pub payment_date_time: Option<XsdDateTime>,
    pub application_date: Option<NaiveDate>,
    pub transfer_date: Option<NaiveDate>,
    pub metadata: Vec<MapEntry>,
    pub stand_in: Option<bool>,
}

/// The fields only `ctReceiptV2` has.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReceiptV2Extras {
    pub payment_note: Option<Text210>,
    pub primary_ci_incurred_fee: Option<Amount>,
    pub id_bundle: Option<Text70>,
    pub id_ci_bundle: Option<Text70>,
}

/// `paSendRTReq`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendRtReq {
    pub caller: Caller,
    pub receipt: Receipt<Transfer>,
}

/// `paSendRTV2Request`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendRtV2Req {
    pub caller: Caller,
    pub receipt: Receipt<TransferV2>,
    pub extras: ReceiptV2Extras,
}

/// Any request of the creditor interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    VerifyPaymentNotice(VerifyPaymentNoticeReq),
    GetPayment(GetPaymentReq),
    GetPaymentV2(GetPaymentReq),
    SendRt(SendRtReq),
    SendRtV2(SendRtV2Req),
    /// Recognised only to answer it with a fault: the creditor does not offer the service.
    DemandPaymentNotice(Caller),
}

impl Request {
    pub fn operation(&self) -> Operation {
        match self {
            Self::VerifyPaymentNotice(_) => Operation::VerifyPaymentNotice,
            Self::GetPayment(_) => Operation::GetPayment,
            Self::GetPaymentV2(_) => Operation::GetPaymentV2,
            Self::SendRt(_) => Operation::SendRt,
            Self::SendRtV2(_) => Operation::SendRtV2,
            Self::DemandPaymentNotice(_) => Operation::DemandPaymentNotice,
        }
    }

    pub fn caller(&self) -> &Caller {
        match self {
            Self::VerifyPaymentNotice(r) => &r.caller,
            Self::GetPayment(r) | Self::GetPaymentV2(r) => &r.caller,
            Self::SendRt(r) => &r.caller,
            Self::SendRtV2(r) => &r.caller,
            Self::DemandPaymentNotice(c) => c,
        }
    }
}

/// A parsed request together with the exact document received, to be stored as evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedRequest {
    pub request: Request,
    pub raw: String,
}
