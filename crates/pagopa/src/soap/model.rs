//! Value types shared by several paForNode messages.

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::amount::PositiveAmount;
use crate::ident::{CountryCode, Email, FiscalCodePa};
use crate::notice::NoticeNumber;
use crate::text::{EntityIdValue, Text16, Text35, Text70, Text140};

/// `stIBAN` is only bounded in length (1..=35) by the schema.
pub type Iban = Text35;

/// The three identifiers every Node call starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub id_pa: Text35,
    pub id_broker_pa: Text35,
    pub id_station: Text35,
}

/// `ctQrCode`: the pair that identifies a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrCode {
    pub fiscal_code: FiscalCodePa,
    pub notice_number: NoticeNumber,
}

/// `stEntityUniqueIdentifierType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityType {
    /// `F`, persona fisica.
    Natural,
    /// `G`, persona giuridica.
    Legal,
}

impl EntityType {
    pub fn code(self) -> &'static str {
        match self {
            Self::Natural => "F",
            Self::Legal => "G",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "F" => Some(Self::Natural),
            "G" => Some(Self::Legal),
            _ => None,
        }
    }
}

/// `ctSubject`: a debtor or payer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub entity_type: EntityType,
    pub entity_id: EntityIdValue,
    pub full_name: Text70,
    pub street_name: Option<Text70>,
    pub civic_number: Option<Text16>,
    pub postal_code: Option<Text16>,
    pub city: Option<Text35>,
    pub state_province_region: Option<Text35>,
    pub country: Option<CountryCode>,
    pub email: Option<Email>,
}

impl Subject {
    /// A subject with only the mandatory fields.
    pub fn new(entity_type: EntityType, entity_id: EntityIdValue, full_name: Text70) -> Self {
        Self {
            entity_type,
            entity_id,
            full_name,
            street_name: None,
            civic_number: None,
            postal_code: None,
            city: None,
            state_province_region: None,
            country: None,
            email: None,
        }
    }
}

/// `ctMapEntry` of a `ctMetadata` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapEntry {
    pub key: Text140,
    pub value: Text140,
}

/// `stIdTransfer`: the position of a transfer, 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct IdTransfer(u8);

impl IdTransfer {
    pub fn new(value: u8) -> Option<Self> {
        (1..=5).contains(&value).then_some(Self(value))
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

impl fmt::Display for IdTransfer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// `ctTransferPA` (paGetPaymentRes, paSendRTReq).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub id_transfer: IdTransfer,
    pub transfer_amount: PositiveAmount,
    pub fiscal_code_pa: FiscalCodePa,
    pub iban: Iban,
    pub remittance_information: Text140,
    /// Taxonomy code ("codice tassonomico"), e.g. `9/0101108TS/`.
    pub transfer_category: Text140,
    pub metadata: Vec<MapEntry>,
}

/// `ctTransferPAV2` / `ctTransferPAReceiptV2`, restricted to the IBAN branch of their choice:
/// a comune collecting school meals never asks for a digital revenue stamp, so
/// `richiestaMarcaDaBollo` / `MBDAttachment` are reported as unsupported when parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferV2 {
    pub id_transfer: IdTransfer,
    pub transfer_amount: PositiveAmount,
    pub fiscal_code_pa: FiscalCodePa,
    pub company_name: Option<Text140>,
    pub iban: Iban,
    pub remittance_information: Text140,
    pub transfer_category: Text140,
    pub metadata: Vec<MapEntry>,
}

/// `stTransferType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferType {
    Postal,
    PagoPa,
}

/// `stAmountOption` of a payment option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountOption {
    Eq,
    Ls,
    Gt,
    Any,
}

/// `stOutcome`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Ko,
}

macro_rules! wire_enum {
    ($t:ty { $($variant:ident = $code:literal),* }) => {
        impl $t {
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),* }
            }
        }
        impl FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($code => Ok(Self::$variant),)*
                    other => Err(format!("{other:?} is not one of the allowed values")),
                }
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
wire_enum!(TransferType { Postal = "POSTAL", PagoPa = "PAGOPA" });
wire_enum!(AmountOption { Eq = "EQ", Ls = "LS", Gt = "GT", Any = "ANY" });
wire_enum!(Outcome { Ok = "OK", Ko = "KO" });

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an xsd:dateTime")]
pub struct DateTimeError(String);

/// An `xsd:dateTime` kept in its lexical form, because the Node sends local times without an
/// offset as well as UTC ones and the receipt must be stored exactly as received.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct XsdDateTime {
    lexical: String,
    local: NaiveDateTime,
}

impl XsdDateTime {
    pub fn parse(value: &str) -> Result<Self, DateTimeError> {
        let err = || DateTimeError(value.to_owned());
        let (date, time) = value.split_once('T').ok_or_else(err)?;
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| err())?;
        let time = strip_zone(time).ok_or_else(err)?;
        let time = NaiveTime::parse_from_str(time, "%H:%M:%S%.f").map_err(|_| err())?;
        Ok(Self {
            lexical: value.to_owned(),
            local: date.and_time(time),
        })
    }

    /// A value without offset, written as `YYYY-MM-DDThh:mm:ss`.
    pub fn from_naive(value: NaiveDateTime) -> Self {
        Self {
            lexical: value.format("%Y-%m-%dT%H:%M:%S").to_string(),
            local: value,
        }
    }

    /// Date and time as written, ignoring any offset.
    pub fn naive(&self) -> NaiveDateTime {
        self.local
    }

    pub fn as_str(&self) -> &str {
        &self.lexical
    }
}

impl fmt::Display for XsdDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lexical)
    }
}

/// Removes a trailing `Z` or `±hh:mm` offset.
pub(crate) fn strip_zone(value: &str) -> Option<&str> {
    if let Some(rest) = value.strip_suffix('Z') {
        return Some(rest);
    }
    let split = value.len().checked_sub(6)?;
    match (value.get(..split), value.get(split..)) {
        (Some(rest), Some(zone)) if is_offset(zone) => Some(rest),
        _ => Some(value),
    }
}

fn is_offset(zone: &str) -> bool {
    let b = zone.as_bytes();
    b.len() == 6
        && matches!(b.first(), Some(b'+' | b'-'))
        && b.get(3) == Some(&b':')
        && [1, 2, 4, 5]
            .iter()
            .all(|i| b.get(*i).is_some_and(u8::is_ascii_digit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_keep_their_lexical_form() {
        for s in [
            "2024-09-30T12:34:56",
            "2024-09-30T12:34:56.123Z",
            "2024-09-30T12:34:56+02:00",
        ] {
            let dt = XsdDateTime::parse(s).unwrap();
            assert_eq!(dt.to_string(), s);
            assert_eq!(dt.naive().format("%H:%M:%S").to_string(), "12:34:56");
        }
        assert!(XsdDateTime::parse("2024-09-30").is_err());
        assert!(XsdDateTime::parse("2024-13-30T00:00:00").is_err());
    }
}
