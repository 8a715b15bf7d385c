//! International Bank Account Numbers, as a comune's treasury account or a
//! family's account for SEPA direct debits of meal fees.

use std::fmt;
use std::str::FromStr;

use crate::check_char::check_letter;

/// Bounds of the ISO 13616 format, for countries without a known length.
const MIN_LENGTH: usize = 15;
const MAX_LENGTH: usize = 34;

/// Lengths of the countries this platform is likely to see. Others are only
/// held to the general bounds: an incomplete table must not reject valid
/// accounts, and the mod-97 check still catches typos.
const COUNTRY_LENGTHS: [(&str, usize); 10] = [
    ("IT", 27),
    ("SM", 27),
    ("DE", 22),
    ("FR", 27),
    ("GB", 22),
    ("ES", 24),
    ("NL", 18),
    ("BE", 16),
    ("AT", 20),
    ("CH", 21),
];

/// Why a string is not a valid IBAN. Positions are 1-based and count the
/// compact form (spaces removed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IbanError {
    #[error("the IBAN is empty: expected a country code, two check digits and an account number")]
    Empty,
    #[error(
        "bad character {found:?} at position {position} of the IBAN: expected letters A-Z and digits 0-9"
    )]
    BadCharacter { position: usize, found: char },
    #[error("the IBAN starts with {found:?}: expected a two-letter country code such as IT")]
    BadCountryCode { found: String },
    #[error(
        "the IBAN check digits {found:?} (positions 3-4) are not valid: expected two digits from 02 to 98"
    )]
    BadCheckDigits { found: String },
    #[error("an IBAN from {country} has {expected} characters, found {found}")]
    WrongLength {
        country: String,
        expected: usize,
        found: usize,
    },
    #[error("an IBAN has between 15 and 34 characters, found {found}")]
    LengthOutOfRange { found: usize },
    #[error("the IBAN check digits do not match the account number: there is a typo somewhere")]
    ChecksumMismatch,
    #[error("bad {part} in the Italian account number: expected {expected}")]
    BadItalianBban {
        part: &'static str,
        expected: &'static str,
    },
    #[error("wrong CIN {found:?} at position 5 of the Italian IBAN: expected {expected:?}")]
    WrongItalianCin { expected: char, found: char },
}

/// A valid IBAN, stored in its compact uppercase form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Iban(String);

impl Iban {
    /// Parses an IBAN typed or pasted by a person: spaces (including the
    /// non-breaking ones that word processors insert) are ignored, and case
    /// does not matter.
    pub fn parse(input: &str) -> Result<Self, IbanError> {
        let iban: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if iban.is_empty() {
            return Err(IbanError::Empty);
        }
        if let Some((index, found)) = iban
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii_alphanumeric())
        {
            return Err(IbanError::BadCharacter {
                position: index.saturating_add(1),
                found,
            });
        }
        // From here on every character is ASCII, so byte offsets are
        // character offsets.
        let country = iban.get(..2).unwrap_or(&iban);
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(IbanError::BadCountryCode {
                found: country.to_owned(),
            });
        }
        let check_digits = iban.get(2..4).unwrap_or_default();
        // 00, 01 and 99 are never produced by the algorithm; 01 and 98 would
        // both pass the mod-97 test, so only 98 may stand.
        let check_ok = check_digits.len() == 2
            && check_digits.bytes().all(|b| b.is_ascii_digit())
            && !matches!(check_digits, "00" | "01" | "99");
        if !check_ok {
            return Err(IbanError::BadCheckDigits {
                found: check_digits.to_owned(),
            });
        }

        let found = iban.len();
        match expected_length(country) {
            Some(expected) if expected != found => {
                return Err(IbanError::WrongLength {
                    country: country.to_owned(),
                    expected,
                    found,
                });
            }
            None if !(MIN_LENGTH..=MAX_LENGTH).contains(&found) => {
                return Err(IbanError::LengthOutOfRange { found });
            }
            _ => {}
        }

        if mod97(&iban) != Some(1) {
            return Err(IbanError::ChecksumMismatch);
        }
        // San Marino uses the Italian BBAN layout, CIN included.
        if matches!(country, "IT" | "SM") {
            validate_italian_bban(iban.get(4..).unwrap_or_default())?;
        }
        Ok(Self(iban))
    }

    /// The compact form, e.g. `IT60X0542811101000000123456`, as stored and
    /// as SEPA files want it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The printed form in groups of four, e.g.
    /// `IT60 X054 2811 1010 0000 0123 456`, for people to read.
    pub fn grouped(&self) -> String {
        let mut out = String::with_capacity(self.0.len().saturating_add(self.0.len() / 4));
        for (index, c) in self.0.chars().enumerate() {
            if index > 0 && index % 4 == 0 {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }

    /// The ISO 3166 country code, e.g. `IT`.
    pub fn country(&self) -> &str {
        self.0.get(..2).unwrap_or_default()
    }

    pub fn is_italian(&self) -> bool {
        self.country() == "IT"
    }
}

fn expected_length(country: &str) -> Option<usize> {
    COUNTRY_LENGTHS
        .iter()
        .find_map(|&(code, length)| (code == country).then_some(length))
}

/// The ISO 7064 mod-97 remainder of the IBAN with its first four
/// characters moved to the end and letters expanded to 10..35. Computed
/// with a running remainder so no 30-digit number is ever built.
fn mod97(iban: &str) -> Option<u32> {
    let (head, tail) = (iban.get(..4)?, iban.get(4..)?);
    let mut remainder: u32 = 0;
    for c in tail.chars().chain(head.chars()) {
        let value = c.to_digit(36)?;
        // Letters become two decimal digits, digits stay one.
        let scale = if value >= 10 { 100 } else { 10 };
        remainder = (remainder * scale + value) % 97;
    }
    Some(remainder)
}

/// CIN letter, 5-digit ABI (bank), 5-digit CAB (branch), 12-character
/// account. The CIN is a check letter over the other 22 characters.
fn validate_italian_bban(bban: &str) -> Result<(), IbanError> {
    let part = |range: std::ops::Range<usize>| bban.get(range).unwrap_or_default();
    let (cin, abi, cab, account) = (part(0..1), part(1..6), part(6..11), part(11..23));
    let bad = |part, expected| Err(IbanError::BadItalianBban { part, expected });
    let Some(found_cin) = cin.chars().next().filter(char::is_ascii_uppercase) else {
        return bad("CIN (position 5)", "a letter A-Z");
    };
    if abi.len() != 5 || !abi.bytes().all(|b| b.is_ascii_digit()) {
        return bad("ABI bank code (positions 6-10)", "5 digits");
    }
    if cab.len() != 5 || !cab.bytes().all(|b| b.is_ascii_digit()) {
        return bad("CAB branch code (positions 11-15)", "5 digits");
    }
    if account.len() != 12 || bban.len() != 23 {
        return bad("account number (positions 16-27)", "12 letters or digits");
    }
    let expected = check_letter(bban.chars().skip(1)).unwrap_or(found_cin);
    if expected != found_cin {
        return Err(IbanError::WrongItalianCin {
            expected,
            found: found_cin,
        });
    }
    Ok(())
}

impl fmt::Display for Iban {
    /// Displays the grouped form; use [`Iban::as_str`] for the compact one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.grouped())
    }
}

impl FromStr for Iban {
    type Err = IbanError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests;
