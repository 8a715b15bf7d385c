//! Bounded free text, matching the `stTextNN` simple types of the pagoPA XSDs.
//!
//! XSD length facets count characters, not bytes, so the bounds here do too. Characters that
//! XML 1.0 cannot carry (and `\r`, which XML parsers fold into `\n`) are rejected so that
//! every value survives a write/parse round trip unchanged.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("text must have at least {min} characters, got {found}")]
    TooShort { min: usize, found: usize },
    #[error("text must have at most {max} characters, got {found}")]
    TooLong { max: usize, found: usize },
    #[error("character U+{0:04X} cannot be carried in the message")]
    ForbiddenChar(u32),
}

/// A string of `MIN..=MAX` characters, all representable in XML 1.0.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text<const MIN: usize, const MAX: usize>(String);

pub type Text16 = Text<1, 16>;
pub type Text20 = Text<1, 20>;
pub type Text35 = Text<1, 35>;
pub type Text70 = Text<1, 70>;
pub type Text140 = Text<1, 140>;
pub type Text210 = Text<1, 210>;
/// `stEntityUniqueIdentifierValue`: a fiscal code or VAT number of a debtor/payer.
pub type EntityIdValue = Text<2, 16>;

impl<const MIN: usize, const MAX: usize> Text<MIN, MAX> {
    pub fn new(value: impl Into<String>) -> Result<Self, TextError> {
        let value = value.into();
        if let Some(c) = value.chars().find(|c| !allowed(*c)) {
            return Err(TextError::ForbiddenChar(u32::from(c)));
        }
        let found = value.chars().count();
        if found < MIN {
            return Err(TextError::TooShort { min: MIN, found });
        }
        if found > MAX {
            return Err(TextError::TooLong { max: MAX, found });
        }
        Ok(Self(value))
    }

    /// Fits arbitrary text into the type: forbidden characters become spaces and the text is
    /// cut to `MAX` characters, because a description that is too long must not turn a
    /// payment into a schema error. `None` when fewer than `MIN` characters remain.
    pub fn truncated(value: &str) -> Option<Self> {
        let cleaned: String = value
            .trim()
            .chars()
            .map(|c| if allowed(c) { c } else { ' ' })
            .take(MAX)
            .collect();
        let cleaned = cleaned.trim_end().to_owned();
        Self::new(cleaned).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

pub(crate) fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

impl<const MIN: usize, const MAX: usize> FromStr for Text<MIN, MAX> {
    type Err = TextError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl<const MIN: usize, const MAX: usize> fmt::Display for Text<MIN, MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<const MIN: usize, const MAX: usize> AsRef<str> for Text<MIN, MAX> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_count_characters() {
        assert!(Text35::new("è".repeat(35)).is_ok());
        assert_eq!(
            Text35::new("x".repeat(36)),
            Err(TextError::TooLong { max: 35, found: 36 })
        );
        assert_eq!(
            Text35::new(""),
            Err(TextError::TooShort { min: 1, found: 0 })
        );
        assert_eq!(
            EntityIdValue::new("A"),
            Err(TextError::TooShort { min: 2, found: 1 })
        );
        assert_eq!(Text35::new("a\u{1}"), Err(TextError::ForbiddenChar(1)));
        assert_eq!(Text35::new("a\rb"), Err(TextError::ForbiddenChar(13)));
    }

    #[test]
    fn truncated_fits_anything_non_empty() {
        let t = Text16::truncated("  Refezione scolastica  ").unwrap();
        assert_eq!(t.as_str(), "Refezione scolas");
        assert_eq!(Text16::truncated("a\u{0}b").unwrap().as_str(), "a b");
        assert_eq!(Text16::truncated("   "), None);
    }
}
