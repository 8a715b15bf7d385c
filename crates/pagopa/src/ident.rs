//! Identifiers whose shape the XSDs fix by pattern.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentError {
    #[error("a creditor fiscal code has exactly 11 digits")]
    FiscalCodePa,
    #[error("a country code is two upper-case letters")]
    CountryCode,
    #[error("not an e-mail address the pagoPA schema accepts")]
    Email,
}

/// `stFiscalCodePA`: the 11-digit codice fiscale of a public creditor.
///
/// Only the pattern is checked: the pagoPA test environments use codes such as
/// `77777777777` that are not valid under the checksum of real fiscal codes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FiscalCodePa(String);

impl FiscalCodePa {
    pub fn new(value: &str) -> Result<Self, IdentError> {
        if value.len() == 11 && value.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(value.to_owned()))
        } else {
            Err(IdentError::FiscalCodePa)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `stNazioneProvincia`: ISO 3166 alpha-2 country (or province) code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CountryCode(String);

impl CountryCode {
    pub fn new(value: &str) -> Result<Self, IdentError> {
        if value.len() == 2 && value.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(value.to_owned()))
        } else {
            Err(IdentError::CountryCode)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `stEMail`: `[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*`, at most 256 characters.
///
/// The schema pattern is narrower than RFC 5322 (no quoted parts, no IDN); an address outside
/// it would make pagoPA reject the whole message, so it is refused here instead.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn new(value: &str) -> Result<Self, IdentError> {
        let (local, domain) = value.split_once('@').ok_or(IdentError::Email)?;
        let local_ok = !local.is_empty()
            && local
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'+' | b'-'));
        let domain_ok = domain.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
        if local_ok && domain_ok && value.len() <= 256 {
            Ok(Self(value.to_owned()))
        } else {
            Err(IdentError::Email)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_like {
    ($($t:ty),*) => {$(
        impl FromStr for $t {
            type Err = IdentError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::new(s)
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}
string_like!(FiscalCodePa, CountryCode, Email);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_code_is_eleven_digits() {
        assert!(FiscalCodePa::new("00000000000").is_ok());
        assert!(FiscalCodePa::new("0000000000").is_err());
        assert!(FiscalCodePa::new("0000000000A").is_err());
    }

    #[test]
    fn country_and_email_follow_the_schema_patterns() {
        assert!(CountryCode::new("IT").is_ok());
        assert!(CountryCode::new("it").is_err());
        assert!(Email::new("mario.rossi+mensa@comune.esempio.it").is_ok());
        assert!(Email::new("localhost@server").is_ok());
        assert!(Email::new("no-at-sign").is_err());
        assert!(Email::new("a@b..it").is_err());
        assert!(Email::new("a b@c.it").is_err());
    }
}
