//! Codice fiscale of a legal entity, which for most entities (comuni
//! included) is also the partita IVA: 11 digits, the last a check digit.

use std::fmt;
use std::str::FromStr;

const LENGTH: usize = 11;

/// Why a string is not a valid entity codice fiscale / partita IVA.
/// Positions are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntityFiscalCodeError {
    #[error("an entity codice fiscale / partita IVA has 11 digits, found {found} characters")]
    WrongLength { found: usize },
    #[error(
        "bad character {found:?} at position {position} of the entity codice fiscale: expected a digit 0-9"
    )]
    BadCharacter { position: usize, found: char },
    #[error(
        "wrong check digit {found} at position 11 of the entity codice fiscale: expected {expected}"
    )]
    WrongCheckDigit { expected: u32, found: u32 },
}

/// A valid 11-digit codice fiscale of a legal entity (or partita IVA),
/// check digit verified. Leading zeros are significant, so it is kept as
/// text rather than as a number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityFiscalCode(String);

impl EntityFiscalCode {
    /// Parses the code, ignoring surrounding whitespace.
    pub fn parse(input: &str) -> Result<Self, EntityFiscalCodeError> {
        let code = input.trim();
        let found = code.chars().count();
        if found != LENGTH {
            return Err(EntityFiscalCodeError::WrongLength { found });
        }
        let mut digits = Vec::with_capacity(LENGTH);
        for (index, c) in code.chars().enumerate() {
            let digit = c.to_digit(10).ok_or(EntityFiscalCodeError::BadCharacter {
                position: index.saturating_add(1),
                found: c,
            })?;
            digits.push(digit);
        }
        let [body @ .., found_check] = digits.as_slice() else {
            return Err(EntityFiscalCodeError::WrongLength { found });
        };
        let expected = check_digit(body);
        if expected != *found_check {
            return Err(EntityFiscalCodeError::WrongCheckDigit {
                expected,
                found: *found_check,
            });
        }
        Ok(Self(code.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The partita IVA check digit (a Luhn variant) of the first ten digits.
fn check_digit(body: &[u32]) -> u32 {
    let sum: u32 = body
        .iter()
        .enumerate()
        .map(|(index, &d)| {
            // Index 0 is position 1: odd positions count as-is, even
            // positions are doubled with the digits of the result summed.
            if index % 2 == 0 {
                d
            } else {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

impl fmt::Display for EntityFiscalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for EntityFiscalCode {
    type Err = EntityFiscalCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn demo_comuni_codes_are_valid() {
        for code in ["80001234568", "80002345678"] {
            assert_eq!(EntityFiscalCode::parse(code).unwrap().as_str(), code);
        }
    }

    #[test]
    fn published_codes_are_valid() {
        for code in [
            "06363391001", // Agenzia delle Entrate (partita IVA)
            "01199250158", // Comune di Milano
            "01307110484", // Comune di Firenze
            "02438750586", // Roma Capitale (codice fiscale)
            "00514490010", // Comune di Torino
            "00488410010", // TIM S.p.A.
        ] {
            assert!(EntityFiscalCode::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn trims_whitespace() {
        let code: EntityFiscalCode = " 80001234568 ".parse().unwrap();
        assert_eq!(code.to_string(), "80001234568");
    }

    #[test]
    fn rejects_wrong_length() {
        assert_eq!(
            EntityFiscalCode::parse("8000123456"),
            Err(EntityFiscalCodeError::WrongLength { found: 10 })
        );
        assert_eq!(
            EntityFiscalCode::parse("IT80001234568"),
            Err(EntityFiscalCodeError::WrongLength { found: 13 })
        );
    }

    #[test]
    fn rejects_non_digits() {
        assert_eq!(
            EntityFiscalCode::parse("8000123456O"),
            Err(EntityFiscalCodeError::BadCharacter {
                position: 11,
                found: 'O'
            })
        );
        // Unicode digits are not ASCII digits.
        assert!(matches!(
            EntityFiscalCode::parse("８0001234568"),
            Err(EntityFiscalCodeError::BadCharacter { position: 1, .. })
        ));
    }

    #[test]
    fn rejects_wrong_check_digit() {
        assert_eq!(
            EntityFiscalCode::parse("80001234567"),
            Err(EntityFiscalCodeError::WrongCheckDigit {
                expected: 8,
                found: 7
            })
        );
    }

    fn digits_to_string(digits: &[u32]) -> String {
        digits
            .iter()
            .map(|&d| char::from_digit(d, 10).unwrap())
            .collect()
    }

    proptest! {
        #[test]
        fn any_body_with_its_check_digit_is_valid(body in proptest::collection::vec(0u32..10, 10)) {
            let mut digits = body.clone();
            digits.push(check_digit(&body));
            prop_assert!(EntityFiscalCode::parse(&digits_to_string(&digits)).is_ok());
        }

        #[test]
        fn every_single_digit_error_is_caught(
            body in proptest::collection::vec(0u32..10, 10),
            position in 0usize..11,
            delta in 1u32..10,
        ) {
            let mut digits = body.clone();
            digits.push(check_digit(&body));
            digits[position] = (digits[position] + delta) % 10;
            prop_assert!(EntityFiscalCode::parse(&digits_to_string(&digits)).is_err());
        }
    }
}
