//! Response bodies: written by the creditor, read by the Node's test double.

use std::str::FromStr;

use super::common::{
    WireTransfer, parse_bool, parse_date, read_metadata, read_subject, read_transfers,
    write_metadata, write_subject, write_transfers,
};
use crate::amount::PositiveAmount;
use crate::ident::FiscalCodePa;
use crate::soap::dom::Element;
use crate::soap::error::ParseError;
use crate::soap::fault::{Fault, FaultCode};
use crate::soap::model::{AmountOption, Outcome, XsdDateTime};
use crate::soap::out::XmlOut;
use crate::soap::response::{PaymentData, PaymentOption, Reply, Response, VerifyPaymentNoticeOk};
use crate::text::{Text35, Text140};

const PREFIX: &str = "paf";

pub(crate) fn write(response: &Response) -> String {
    let element = response.operation().response_element();
    let mut out = XmlOut::new();
    out.open_wrapper(PREFIX, element);
    match response {
        Response::VerifyPaymentNotice(reply) => write_reply(&mut out, reply, write_verify_ok),
        Response::GetPayment(reply) => write_reply(&mut out, reply, write_payment_data),
        Response::GetPaymentV2(reply) => write_reply(&mut out, reply, write_payment_data),
        Response::SendRt(reply) | Response::SendRtV2(reply) => {
            write_reply(&mut out, reply, |_, _| {})
        }
        Response::DemandPaymentNotice(fault) => {
            out.leaf("outcome", &Outcome::Ko);
            write_fault(&mut out, fault);
        }
    }
    out.close_wrapper(PREFIX, element);
    out.finish()
}

fn write_reply<T>(out: &mut XmlOut, reply: &Reply<T>, ok: impl FnOnce(&mut XmlOut, &T)) {
    match reply {
        Reply::Ok(content) => {
            out.leaf("outcome", &Outcome::Ok);
            ok(out, content);
        }
        Reply::Ko(fault) => {
            out.leaf("outcome", &Outcome::Ko);
            write_fault(out, fault);
        }
    }
}

fn write_fault(out: &mut XmlOut, fault: &Fault) {
    out.open("fault");
    out.leaf("faultCode", &fault.code);
    out.leaf("faultString", &fault.fault_string);
    out.leaf("id", &fault.id);
    out.opt_leaf("description", fault.description.as_ref());
    out.opt_leaf("serial", fault.serial.as_ref());
    out.close("fault");
}

fn write_verify_ok(out: &mut XmlOut, ok: &VerifyPaymentNoticeOk) {
    let option = &ok.payment_option;
    out.open("paymentList");
    out.open("paymentOptionDescription");
    out.leaf("amount", &option.amount);
    out.leaf("options", &option.options);
    out.opt_leaf("dueDate", option.due_date.as_ref());
    out.opt_leaf("detailDescription", option.detail_description.as_ref());
    out.leaf("allCCP", &option.all_ccp);
    out.close("paymentOptionDescription");
    out.close("paymentList");
    out.opt_leaf("paymentDescription", ok.payment_description.as_ref());
    out.opt_leaf("fiscalCodePA", ok.fiscal_code_pa.as_ref());
    out.opt_leaf("companyName", ok.company_name.as_ref());
    out.opt_leaf("officeName", ok.office_name.as_ref());
}

fn write_payment_data<T: WireTransfer>(out: &mut XmlOut, data: &PaymentData<T>) {
    out.open("data");
    out.leaf("creditorReferenceId", &data.creditor_reference_id);
    out.leaf("paymentAmount", &data.payment_amount);
    out.leaf("dueDate", &data.due_date);
    out.opt_leaf("retentionDate", data.retention_date.as_ref());
    out.opt_leaf("lastPayment", data.last_payment.as_ref());
    out.leaf("description", &data.description);
    out.leaf("companyName", &data.company_name);
    out.opt_leaf("officeName", data.office_name.as_ref());
    write_subject(out, "debtor", &data.debtor);
    write_transfers(out, &data.transfers);
    write_metadata(out, &data.metadata);
    out.close("data");
}

pub(crate) fn read(payload: &Element) -> Result<Response, ParseError> {
    let response = match payload.name.as_str() {
        "paVerifyPaymentNoticeRes" => {
            Response::VerifyPaymentNotice(read_reply(payload, read_verify_ok)?)
        }
        "paGetPaymentRes" => Response::GetPayment(read_reply(payload, read_payment_data)?),
        "paGetPaymentV2Response" => Response::GetPaymentV2(read_reply(payload, read_payment_data)?),
        "paSendRTRes" => Response::SendRt(read_reply(payload, |_| Ok(()))?),
        "paSendRTV2Response" => Response::SendRtV2(read_reply(payload, |_| Ok(()))?),
        "paDemandPaymentNoticeResponse" => match read_reply(payload, |_| Ok(()))? {
            Reply::Ko(fault) => Response::DemandPaymentNotice(fault),
            Reply::Ok(()) => {
                return Err(ParseError::Unsupported(
                    "an OK paDemandPaymentNotice answer".into(),
                ));
            }
        },
        other => {
            return Err(ParseError::structure(format!(
                "<{other}> is not a paForNode response"
            )));
        }
    };
    Ok(response)
}

fn read_reply<T>(
    el: &Element,
    ok: impl FnOnce(&Element) -> Result<T, ParseError>,
) -> Result<Reply<T>, ParseError> {
    match el.value("outcome", |s| Outcome::from_str(s.trim()))? {
        Outcome::Ok => ok(el).map(Reply::Ok),
        Outcome::Ko => read_fault(el.req("fault")?).map(Reply::Ko),
    }
}

fn read_fault(el: &Element) -> Result<Fault, ParseError> {
    Ok(Fault {
        code: el.value("faultCode", |s| FaultCode::from_str(s.trim()))?,
        fault_string: el.req("faultString")?.text.clone(),
        id: el.req("id")?.text.clone(),
        description: el.child("description").map(|d| d.text.clone()),
        serial: el.opt_value("serial", |s| s.trim().parse::<i32>())?,
    })
}

fn read_verify_ok(el: &Element) -> Result<VerifyPaymentNoticeOk, ParseError> {
    let option = el.req("paymentList")?.req("paymentOptionDescription")?;
    Ok(VerifyPaymentNoticeOk {
        payment_option: PaymentOption {
            amount: option.value("amount", |s| PositiveAmount::from_str(s.trim()))?,
            options: option.value("options", |s| AmountOption::from_str(s.trim()))?,
            due_date: option.opt_value("dueDate", parse_date)?,
            detail_description: option.opt_value("detailDescription", Text140::from_str)?,
            all_ccp: option.value("allCCP", parse_bool)?,
        },
        payment_description: el.opt_value("paymentDescription", Text140::from_str)?,
        fiscal_code_pa: el.opt_value("fiscalCodePA", FiscalCodePa::from_str)?,
        company_name: el.opt_value("companyName", Text140::from_str)?,
        office_name: el.opt_value("officeName", Text140::from_str)?,
    })
}

fn read_payment_data<T: WireTransfer>(parent: &Element) -> Result<PaymentData<T>, ParseError> {
    let el = parent.req("data")?;
    Ok(PaymentData {
        creditor_reference_id: el.value("creditorReferenceId", Text35::from_str)?,
        payment_amount: el.value("paymentAmount", |s| PositiveAmount::from_str(s.trim()))?,
        due_date: el.value("dueDate", parse_date)?,
        retention_date: el.opt_value("retentionDate", |s| XsdDateTime::parse(s.trim()))?,
        last_payment: el.opt_value("lastPayment", parse_bool)?,
        description: el.value("description", Text140::from_str)?,
        company_name: el.value("companyName", Text140::from_str)?,
        office_name: el.opt_value("officeName", Text140::from_str)?,
        debtor: read_subject(el.req("debtor")?)?,
        transfers: read_transfers(el)?,
        metadata: read_metadata(el)?,
    })
}
