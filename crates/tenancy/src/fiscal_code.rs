//! Codici fiscali: the tax identifiers of people (16 characters) and of
//! legal entities such as the comuni themselves (11 digits).

mod entity;
mod person;

use std::fmt;
use std::str::FromStr;

pub use entity::{EntityFiscalCode, EntityFiscalCodeError};
pub use person::{BirthDateParts, PersonFiscalCode, PersonFiscalCodeError, Sex};

/// Why a string is neither kind of codice fiscale.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FiscalCodeError {
    #[error(
        "a codice fiscale has 16 characters (person) or 11 digits (entity), found {found} characters"
    )]
    WrongLength { found: usize },
    #[error(transparent)]
    Person(#[from] PersonFiscalCodeError),
    #[error(transparent)]
    Entity(#[from] EntityFiscalCodeError),
}

/// Either kind of codice fiscale, for fields that accept both (a payer may
/// be a parent or an association).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FiscalCode {
    Person(PersonFiscalCode),
    Entity(EntityFiscalCode),
}

impl FiscalCode {
    /// Parses either kind; the length decides which, since the two formats
    /// never share one.
    pub fn parse(input: &str) -> Result<Self, FiscalCodeError> {
        match input.trim().chars().count() {
            16 => Ok(Self::Person(PersonFiscalCode::parse(input)?)),
            11 => Ok(Self::Entity(EntityFiscalCode::parse(input)?)),
            found => Err(FiscalCodeError::WrongLength { found }),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Person(code) => code.as_str(),
            Self::Entity(code) => code.as_str(),
        }
    }
}

impl fmt::Display for FiscalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FiscalCode {
    type Err = FiscalCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl From<PersonFiscalCode> for FiscalCode {
    fn from(code: PersonFiscalCode) -> Self {
        Self::Person(code)
    }
}

impl From<EntityFiscalCode> for FiscalCode {
    fn from(code: EntityFiscalCode) -> Self {
        Self::Entity(code)
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

    #[test]
    fn chooses_the_kind_by_length() {
        assert!(matches!(
            FiscalCode::parse("rssmra85t10a562s").unwrap(),
            FiscalCode::Person(_)
        ));
        let entity = FiscalCode::parse(" 80002345678 ").unwrap();
        assert!(matches!(entity, FiscalCode::Entity(_)));
        assert_eq!(entity.as_str(), "80002345678");
        assert_eq!(entity.to_string(), "80002345678");
    }

    #[test]
    fn reports_the_inner_error() {
        assert!(matches!(
            FiscalCode::parse("RSSMRA85T10A562X"),
            Err(FiscalCodeError::Person(
                PersonFiscalCodeError::WrongCheckCharacter { .. }
            ))
        ));
        assert!(matches!(
            "80001234567".parse::<FiscalCode>(),
            Err(FiscalCodeError::Entity(
                EntityFiscalCodeError::WrongCheckDigit { .. }
            ))
        ));
    }

    #[test]
    fn rejects_other_lengths() {
        assert_eq!(
            FiscalCode::parse("12345"),
            Err(FiscalCodeError::WrongLength { found: 5 })
        );
        assert_eq!(
            FiscalCode::parse("   "),
            Err(FiscalCodeError::WrongLength { found: 0 })
        );
    }
}
