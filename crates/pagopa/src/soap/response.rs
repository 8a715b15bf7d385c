//! Answers the creditor gives to the Node.

use chrono::NaiveDate;

use super::fault::Fault;
use super::model::{AmountOption, MapEntry, Subject, Transfer, TransferV2, XsdDateTime};
use super::request::Operation;
use crate::amount::PositiveAmount;
use crate::ident::FiscalCodePa;
use crate::text::{Text35, Text140};

/// `ctPaymentOptionDescriptionPA`: the single payment option of a verify answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentOption {
    pub amount: PositiveAmount,
    pub options: AmountOption,
    pub due_date: Option<NaiveDate>,
    pub detail_description: Option<Text140>,
    /// Whether every transfer goes to a postal account (allCCP).
    pub all_ccp: bool,
}

/// The OK content of `paVerifyPaymentNoticeRes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyPaymentNoticeOk {
    pub payment_option: PaymentOption,
    pub payment_description: Option<Text140>,
    pub fiscal_code_pa: Option<FiscalCodePa>,
    pub company_name: Option<Text140>,
    pub office_name: Option<Text140>,
}

/// `ctPaymentPA` / `ctPaymentPAV2`: the debt position handed over by paGetPayment(V2).
/// `company_name` is optional in V1 but the creditor always knows its own name, so it is
/// required here for both versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentData<T> {
    pub creditor_reference_id: Text35,
    pub payment_amount: PositiveAmount,
    pub due_date: NaiveDate,
    pub retention_date: Option<XsdDateTime>,
    pub last_payment: Option<bool>,
    pub description: Text140,
    pub company_name: Text140,
    pub office_name: Option<Text140>,
    pub debtor: Subject,
    pub transfers: Vec<T>,
    pub metadata: Vec<MapEntry>,
}

/// Outcome OK with content, or KO with a fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply<T> {
    Ok(T),
    Ko(Fault),
}

/// Any response of the creditor interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    VerifyPaymentNotice(Reply<VerifyPaymentNoticeOk>),
    GetPayment(Reply<PaymentData<Transfer>>),
    GetPaymentV2(Reply<PaymentData<TransferV2>>),
    SendRt(Reply<()>),
    SendRtV2(Reply<()>),
    /// Always KO: the creditor does not implement paDemandPaymentNotice.
    DemandPaymentNotice(Fault),
}

impl Response {
    /// The KO answer of `operation`.
    pub fn fault(operation: Operation, fault: Fault) -> Self {
        match operation {
            Operation::VerifyPaymentNotice => Self::VerifyPaymentNotice(Reply::Ko(fault)),
            Operation::GetPayment => Self::GetPayment(Reply::Ko(fault)),
            Operation::GetPaymentV2 => Self::GetPaymentV2(Reply::Ko(fault)),
            Operation::SendRt => Self::SendRt(Reply::Ko(fault)),
            Operation::SendRtV2 => Self::SendRtV2(Reply::Ko(fault)),
            Operation::DemandPaymentNotice => Self::DemandPaymentNotice(fault),
        }
    }

    /// The fault of a KO answer; `None` for OK.
    pub fn ko(&self) -> Option<&Fault> {
        match self {
            Self::VerifyPaymentNotice(Reply::Ko(f))
            | Self::GetPayment(Reply::Ko(f))
            | Self::GetPaymentV2(Reply::Ko(f))
            | Self::SendRt(Reply::Ko(f))
            | Self::SendRtV2(Reply::Ko(f))
            | Self::DemandPaymentNotice(f) => Some(f),
            _ => None,
        }
    }

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
}
