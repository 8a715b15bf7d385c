//! Request bodies: written by the Node (or its test double), read by the creditor.

use std::str::FromStr;

use super::common::{parse_date, read_caller, read_qr, write_caller, write_qr};
use super::receipt::{read_receipt, read_v2_extras, write_receipt};
use crate::amount::Amount;
use crate::soap::dom::Element;
use crate::soap::error::ParseError;
use crate::soap::model::TransferType;
use crate::soap::out::XmlOut;
use crate::soap::request::{
    GetPaymentReq, Request, SendRtReq, SendRtV2Req, VerifyPaymentNoticeReq,
};
use crate::text::Text210;

/// The prefix the Node itself uses for the paForNode namespace.
const PREFIX: &str = "pafn";

pub(crate) fn write(request: &Request) -> String {
    let element = request.operation().request_element();
    let mut out = XmlOut::new();
    out.open_wrapper(PREFIX, element);
    match request {
        Request::VerifyPaymentNotice(r) => {
            write_caller(&mut out, &r.caller);
            write_qr(&mut out, &r.qr_code);
        }
        Request::GetPayment(r) | Request::GetPaymentV2(r) => write_get_payment(&mut out, r),
        Request::SendRt(r) => {
            write_caller(&mut out, &r.caller);
            write_receipt(&mut out, &r.receipt, None);
        }
        Request::SendRtV2(r) => {
            write_caller(&mut out, &r.caller);
            write_receipt(&mut out, &r.receipt, Some(&r.extras));
        }
        Request::DemandPaymentNotice(caller) => {
            // Only the caller is modelled; the service fields get neutral placeholders that
            // satisfy the schema so a test double can still exercise the fault path.
            write_caller(&mut out, caller);
            out.leaf("idServizio", &"00000");
            out.leaf("idSoggettoServizio", &"00000");
            out.leaf("datiSpecificiServizioRequest", &"");
        }
    }
    out.close_wrapper(PREFIX, element);
    out.finish()
}

fn write_get_payment(out: &mut XmlOut, r: &GetPaymentReq) {
    write_caller(out, &r.caller);
    write_qr(out, &r.qr_code);
    out.opt_leaf("amount", r.amount.as_ref());
    out.opt_leaf("paymentNote", r.payment_note.as_ref());
    out.opt_leaf("transferType", r.transfer_type.as_ref());
    out.opt_leaf("dueDate", r.due_date.as_ref());
}

pub(crate) fn read(payload: &Element) -> Result<Request, ParseError> {
    let request = match payload.name.as_str() {
        "paVerifyPaymentNoticeReq" => Request::VerifyPaymentNotice(VerifyPaymentNoticeReq {
            caller: read_caller(payload)?,
            qr_code: read_qr(payload)?,
        }),
        "paGetPaymentReq" => Request::GetPayment(read_get_payment(payload)?),
        "paGetPaymentV2Request" => Request::GetPaymentV2(read_get_payment(payload)?),
        "paSendRTReq" => Request::SendRt(SendRtReq {
            caller: read_caller(payload)?,
            receipt: read_receipt(payload)?,
        }),
        "paSendRTV2Request" => Request::SendRtV2(SendRtV2Req {
            caller: read_caller(payload)?,
            receipt: read_receipt(payload)?,
            extras: read_v2_extras(payload)?,
        }),
        "paDemandPaymentNoticeRequest" => Request::DemandPaymentNotice(read_caller(payload)?),
        other => {
            return Err(ParseError::structure(format!(
                "<{other}> is not a paForNode request"
            )));
        }
    };
    Ok(request)
}

fn read_get_payment(el: &Element) -> Result<GetPaymentReq, ParseError> {
    Ok(GetPaymentReq {
        caller: read_caller(el)?,
        qr_code: read_qr(el)?,
        amount: el.opt_value("amount", |s| Amount::from_str(s.trim()))?,
        payment_note: el.opt_value("paymentNote", Text210::from_str)?,
        transfer_type: el.opt_value("transferType", |s| TransferType::from_str(s.trim()))?,
        due_date: el.opt_value("dueDate", parse_date)?,
    })
}
