//! Reading and writing the pieces several messages share.

use std::str::FromStr;

use chrono::NaiveDate;

use crate::amount::PositiveAmount;
use crate::ident::{CountryCode, Email, FiscalCodePa};
use crate::notice::{NoticeError, NoticeNumber};
use crate::soap::dom::Element;
use crate::soap::error::ParseError;
use crate::soap::model::{
    Caller, EntityType, IdTransfer, MapEntry, QrCode, Subject, Transfer, TransferV2, strip_zone,
};
use crate::soap::out::XmlOut;
use crate::text::{EntityIdValue, Text16, Text35, Text70, Text140};

pub(crate) fn write_caller(out: &mut XmlOut, caller: &Caller) {
    out.leaf("idPA", &caller.id_pa);
    out.leaf("idBrokerPA", &caller.id_broker_pa);
    out.leaf("idStation", &caller.id_station);
}

pub(crate) fn read_caller(el: &Element) -> Result<Caller, ParseError> {
    Ok(Caller {
        id_pa: el.value("idPA", Text35::from_str)?,
        id_broker_pa: el.value("idBrokerPA", Text35::from_str)?,
        id_station: el.value("idStation", Text35::from_str)?,
    })
}

pub(crate) fn write_qr(out: &mut XmlOut, qr: &QrCode) {
    out.open("qrCode");
    out.leaf("fiscalCode", &qr.fiscal_code);
    out.leaf("noticeNumber", &qr.notice_number);
    out.close("qrCode");
}

pub(crate) fn read_qr(el: &Element) -> Result<QrCode, ParseError> {
    let qr = el.req("qrCode")?;
    Ok(QrCode {
        fiscal_code: qr.value("fiscalCode", FiscalCodePa::from_str)?,
        notice_number: read_notice(qr, "noticeNumber")?,
    })
}

/// `stNoticeNumber` only fixes 18 digits; aux digit and check digits are ours to judge.
pub(crate) fn read_notice(el: &Element, name: &str) -> Result<NoticeNumber, ParseError> {
    let text = &el.req(name)?.text;
    NoticeNumber::parse(text).map_err(|e| match e {
        NoticeError::Length { .. } | NoticeError::NotDigits => ParseError::facet(name, e),
        other => ParseError::ForeignNotice {
            number: text.clone(),
            reason: other.to_string(),
        },
    })
}

pub(crate) fn write_subject(out: &mut XmlOut, name: &str, s: &Subject) {
    out.open(name);
    out.open("uniqueIdentifier");
    out.leaf("entityUniqueIdentifierType", &s.entity_type.code());
    out.leaf("entityUniqueIdentifierValue", &s.entity_id);
    out.close("uniqueIdentifier");
    out.leaf("fullName", &s.full_name);
    out.opt_leaf("streetName", s.street_name.as_ref());
    out.opt_leaf("civicNumber", s.civic_number.as_ref());
    out.opt_leaf("postalCode", s.postal_code.as_ref());
    out.opt_leaf("city", s.city.as_ref());
    out.opt_leaf("stateProvinceRegion", s.state_province_region.as_ref());
    out.opt_leaf("country", s.country.as_ref());
    out.opt_leaf("e-mail", s.email.as_ref());
    out.close(name);
}

pub(crate) fn read_subject(el: &Element) -> Result<Subject, ParseError> {
    let id = el.req("uniqueIdentifier")?;
    Ok(Subject {
        entity_type: id.value("entityUniqueIdentifierType", |s| {
            EntityType::from_code(s.trim()).ok_or("expected F or G")
        })?,
        entity_id: id.value("entityUniqueIdentifierValue", EntityIdValue::from_str)?,
        full_name: el.value("fullName", Text70::from_str)?,
        street_name: el.opt_value("streetName", Text70::from_str)?,
        civic_number: el.opt_value("civicNumber", Text16::from_str)?,
        postal_code: el.opt_value("postalCode", Text16::from_str)?,
        city: el.opt_value("city", Text35::from_str)?,
        state_province_region: el.opt_value("stateProvinceRegion", Text35::from_str)?,
        country: el.opt_value("country", CountryCode::from_str)?,
        email: el.opt_value("e-mail", Email::from_str)?,
    })
}

pub(crate) fn write_metadata(out: &mut XmlOut, entries: &[MapEntry]) {
    if entries.is_empty() {
        return;
    }
    out.open("metadata");
    for entry in entries {
        out.open("mapEntry");
        out.leaf("key", &entry.key);
        out.leaf("value", &entry.value);
        out.close("mapEntry");
    }
    out.close("metadata");
}

pub(crate) fn read_metadata(el: &Element) -> Result<Vec<MapEntry>, ParseError> {
    let Some(metadata) = el.child("metadata") else {
        return Ok(Vec::new());
    };
    let entries = metadata
        .children_named("mapEntry")
        .map(|e| {
            Ok(MapEntry {
                key: e.value("key", Text140::from_str)?,
                value: e.value("value", Text140::from_str)?,
            })
        })
        .collect::<Result<Vec<_>, ParseError>>()?;
    if !(1..=15).contains(&entries.len()) {
        return Err(ParseError::facet(
            "metadata",
            "1 to 15 mapEntry elements are allowed",
        ));
    }
    Ok(entries)
}

/// The transfer flavours, so that payment data and receipts can be generic over them.
pub(crate) trait WireTransfer: Sized {
    fn write(&self, out: &mut XmlOut);
    fn read(el: &Element) -> Result<Self, ParseError>;
}

/// A V1 transfer is a V2 one without `companyName`: one writer and one reader serve both.
impl WireTransfer for Transfer {
    fn write(&self, out: &mut XmlOut) {
        TransferV2 {
            id_transfer: self.id_transfer,
            transfer_amount: self.transfer_amount,
            fiscal_code_pa: self.fiscal_code_pa.clone(),
            company_name: None,
            iban: self.iban.clone(),
            remittance_information: self.remittance_information.clone(),
            transfer_category: self.transfer_category.clone(),
            metadata: self.metadata.clone(),
        }
        .write(out);
    }

    fn read(el: &Element) -> Result<Self, ParseError> {
        let v2 = TransferV2::read(el)?;
        Ok(Self {
            id_transfer: v2.id_transfer,
            transfer_amount: v2.transfer_amount,
            fiscal_code_pa: v2.fiscal_code_pa,
            iban: v2.iban,
            remittance_information: v2.remittance_information,
            transfer_category: v2.transfer_category,
            metadata: v2.metadata,
        })
    }
}

impl WireTransfer for TransferV2 {
    fn write(&self, out: &mut XmlOut) {
        out.open("transfer");
        out.leaf("idTransfer", &self.id_transfer);
        out.leaf("transferAmount", &self.transfer_amount);
        out.leaf("fiscalCodePA", &self.fiscal_code_pa);
        out.opt_leaf("companyName", self.company_name.as_ref());
        out.leaf("IBAN", &self.iban);
        out.leaf("remittanceInformation", &self.remittance_information);
        out.leaf("transferCategory", &self.transfer_category);
        write_metadata(out, &self.metadata);
        out.close("transfer");
    }

    fn read(el: &Element) -> Result<Self, ParseError> {
        for stamp in ["richiestaMarcaDaBollo", "MBDAttachment"] {
            if el.child(stamp).is_some() {
                return Err(ParseError::Unsupported(format!(
                    "<{stamp}>: digital revenue stamps are not offered"
                )));
            }
        }
        Ok(Self {
            id_transfer: el.value("idTransfer", parse_id_transfer)?,
            transfer_amount: el.value("transferAmount", |s| PositiveAmount::from_str(s.trim()))?,
            fiscal_code_pa: el.value("fiscalCodePA", FiscalCodePa::from_str)?,
            company_name: el.opt_value("companyName", Text140::from_str)?,
            iban: el.value("IBAN", Text35::from_str)?,
            remittance_information: el.value("remittanceInformation", Text140::from_str)?,
            transfer_category: el.value("transferCategory", Text140::from_str)?,
            metadata: read_metadata(el)?,
        })
    }
}

pub(crate) fn write_transfers<T: WireTransfer>(out: &mut XmlOut, transfers: &[T]) {
    out.open("transferList");
    for t in transfers {
        t.write(out);
    }
    out.close("transferList");
}

pub(crate) fn read_transfers<T: WireTransfer>(el: &Element) -> Result<Vec<T>, ParseError> {
    let list = el.req("transferList")?;
    let transfers = list
        .children_named("transfer")
        .map(T::read)
        .collect::<Result<Vec<_>, _>>()?;
    if transfers.is_empty() {
        return Err(ParseError::structure("<transferList> has no <transfer>"));
    }
    if transfers.len() > 5 {
        return Err(ParseError::facet(
            "transferList",
            "at most 5 transfers are allowed",
        ));
    }
    Ok(transfers)
}

fn parse_id_transfer(s: &str) -> Result<IdTransfer, String> {
    s.trim()
        .parse::<u8>()
        .ok()
        .and_then(IdTransfer::new)
        .ok_or_else(|| format!("{s:?} is not 1 to 5"))
}

pub(crate) fn parse_bool(s: &str) -> Result<bool, String> {
    match s.trim() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        other => Err(format!("{other:?} is not an xsd:boolean")),
    }
}

/// `xsd:date`, whose lexical form may carry a time-zone suffix that does not change the day.
pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let trimmed = s.trim();
    let day = strip_zone(trimmed).unwrap_or(trimmed);
    NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| format!("{s:?} is not an xsd:date"))
}
