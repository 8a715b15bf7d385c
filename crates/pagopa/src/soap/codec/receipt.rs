//! `ctReceipt` and `ctReceiptV2`, which differ in a few fields and the transfer type.

use std::str::FromStr;

use super::common::{
    WireTransfer, parse_bool, parse_date, read_metadata, read_notice, read_subject, read_transfers,
    write_metadata, write_subject, write_transfers,
};
use crate::amount::Amount;
use crate::ident::FiscalCodePa;
use crate::soap::dom::Element;
use crate::soap::error::ParseError;
use crate::soap::model::{Outcome, XsdDateTime};
use crate::soap::out::XmlOut;
use crate::soap::request::{Receipt, ReceiptV2Extras};
use crate::text::{Text20, Text35, Text70, Text140, Text210};

/// Writes the receipt; `extras` present means the V2 layout.
pub(crate) fn write_receipt<T: WireTransfer>(
    out: &mut XmlOut,
    r: &Receipt<T>,
    extras: Option<&ReceiptV2Extras>,
) {
    out.open("receipt");
    out.leaf("receiptId", &r.receipt_id);
    out.leaf("noticeNumber", &r.notice_number);
    out.leaf("fiscalCode", &r.fiscal_code);
    out.leaf("outcome", &r.outcome);
    out.leaf("creditorReferenceId", &r.creditor_reference_id);
    out.leaf("paymentAmount", &r.payment_amount);
    out.leaf("description", &r.description);
    out.leaf("companyName", &r.company_name);
    out.opt_leaf("officeName", r.office_name.as_ref());
    write_subject(out, "debtor", &r.debtor);
    write_transfers(out, &r.transfers);
    out.leaf("idPSP", &r.id_psp);
    out.opt_leaf("pspFiscalCode", r.psp_fiscal_code.as_ref());
    out.opt_leaf("pspPartitaIVA", r.psp_partita_iva.as_ref());
    out.leaf("PSPCompanyName", &r.psp_company_name);
    out.leaf("idChannel", &r.id_channel);
    out.leaf("channelDescription", &r.channel_description);
    if let Some(payer) = &r.payer {
        write_subject(out, "payer", payer);
    }
    out.opt_leaf("paymentMethod", r.payment_method.as_ref());
    if let Some(x) = extras {
        out.opt_leaf("paymentNote", x.payment_note.as_ref());
    }
    out.opt_leaf("fee", r.fee.as_ref());
    if let Some(x) = extras {
        out.opt_leaf("primaryCiIncurredFee", x.primary_ci_incurred_fee.as_ref());
        out.opt_leaf("idBundle", x.id_bundle.as_ref());
        out.opt_leaf("idCiBundle", x.id_ci_bundle.as_ref());
    }
    out.opt_leaf("paymentDateTime", r.payment_date_time.as_ref());
    out.opt_leaf("applicationDate", r.application_date.as_ref());
    out.opt_leaf("transferDate", r.transfer_date.as_ref());
    write_metadata(out, &r.metadata);
    out.opt_leaf("standIn", r.stand_in.as_ref());
    out.close("receipt");
}

pub(crate) fn read_receipt<T: WireTransfer>(parent: &Element) -> Result<Receipt<T>, ParseError> {
    let el = parent.req("receipt")?;
    let amount = |s: &str| Amount::from_str(s.trim());
    Ok(Receipt {
        receipt_id: el.req("receiptId")?.text.clone(),
        notice_number: read_notice(el, "noticeNumber")?,
        fiscal_code: el.value("fiscalCode", FiscalCodePa::from_str)?,
        outcome: el.value("outcome", |s| Outcome::from_str(s.trim()))?,
        creditor_reference_id: el.value("creditorReferenceId", Text35::from_str)?,
        payment_amount: el.value("paymentAmount", amount)?,
        description: el.value("description", Text140::from_str)?,
        company_name: el.value("companyName", Text140::from_str)?,
        office_name: el.opt_value("officeName", Text140::from_str)?,
        debtor: read_subject(el.req("debtor")?)?,
        transfers: read_transfers(el)?,
        id_psp: el.value("idPSP", Text35::from_str)?,
        psp_fiscal_code: el.opt_value("pspFiscalCode", Text70::from_str)?,
        psp_partita_iva: el.opt_value("pspPartitaIVA", Text20::from_str)?,
        psp_company_name: el.value("PSPCompanyName", Text70::from_str)?,
        id_channel: el.value("idChannel", Text35::from_str)?,
        channel_description: el.value("channelDescription", Text35::from_str)?,
        payer: el.child("payer").map(read_subject).transpose()?,
        payment_method: el.opt_value("paymentMethod", Text35::from_str)?,
        fee: el.opt_value("fee", amount)?,
        payment_date_time: el.opt_value("paymentDateTime", |s| XsdDateTime::parse(s.trim()))?,
        application_date: el.opt_value("applicationDate", parse_date)?,
        transfer_date: el.opt_value("transferDate", parse_date)?,
        metadata: read_metadata(el)?,
        stand_in: read_stand_in(parent, el)?,
    })
}

/// Where the Node says a payment was collected in stand-in: `receipt/standIn` since SANP
/// 3.x, but older releases put a `standin` element after the receipt, in the request itself
/// (pagopa-api `paSendRTReq` / `paSendRTV2Request` before the flag moved). Either placement,
/// and either spelling, counts; any `true` wins, because a stand-in payment must never be
/// mistaken for an ordinary one.
fn read_stand_in(request: &Element, receipt: &Element) -> Result<Option<bool>, ParseError> {
    let mut found = None;
    for (el, name) in [
        (receipt, "standIn"),
        (receipt, "standin"),
        (request, "standin"),
        (request, "standIn"),
    ] {
        if let Some(flag) = el.opt_value(name, parse_bool)? {
            found = Some(found.unwrap_or(false) || flag);
        }
    }
    Ok(found)
}

pub(crate) fn read_v2_extras(parent: &Element) -> Result<ReceiptV2Extras, ParseError> {
    let el = parent.req("receipt")?;
    Ok(ReceiptV2Extras {
        payment_note: el.opt_value("paymentNote", Text210::from_str)?,
        primary_ci_incurred_fee: el
            .opt_value("primaryCiIncurredFee", |s| Amount::from_str(s.trim()))?,
        id_bundle: el.opt_value("idBundle", Text70::from_str)?,
        id_ci_bundle: el.opt_value("idCiBundle", Text70::from_str)?,
    })
}
