//! The short name that identifies a comune in URLs and subdomains.

use std::fmt;
use std::str::FromStr;

/// A DNS label may be at most 63 octets long (RFC 1035).
const MAX_LENGTH: usize = 63;

/// Why a string is not a valid tenant slug. Positions are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("the tenant slug is empty: expected 1 to 63 letters, digits or hyphens")]
    Empty,
    #[error("the tenant slug has {found} characters: expected at most 63 (a DNS label)")]
    TooLong { found: usize },
    #[error(
        "bad character {found:?} at position {position} of the tenant slug: expected a-z, 0-9 or '-'"
    )]
    BadCharacter { position: usize, found: char },
    #[error("the tenant slug starts with a hyphen: expected a letter or digit first")]
    LeadingHyphen,
    #[error("the tenant slug ends with a hyphen: expected a letter or digit last")]
    TrailingHyphen,
}

/// A tenant's slug, e.g. `sancascianovaldipesa`: lowercase ASCII letters,
/// digits and inner hyphens, usable as is as a subdomain.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TenantSlug(String);

impl TenantSlug {
    /// Parses a slug, lowercasing it first: DNS names are case-insensitive,
    /// so `Greve` and `greve` must be the same tenant.
    pub fn parse(input: &str) -> Result<Self, SlugError> {
        let slug = input.to_ascii_lowercase();
        let found = slug.chars().count();
        if found == 0 {
            return Err(SlugError::Empty);
        }
        if found > MAX_LENGTH {
            return Err(SlugError::TooLong { found });
        }
        if let Some((index, found)) = slug
            .chars()
            .enumerate()
            .find(|&(_, c)| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
        {
            return Err(SlugError::BadCharacter {
                position: index.saturating_add(1),
                found,
            });
        }
        if slug.starts_with('-') {
            return Err(SlugError::LeadingHyphen);
        }
        if slug.ends_with('-') {
            return Err(SlugError::TrailingHyphen);
        }
        Ok(Self(slug))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for TenantSlug {
    type Err = SlugError;

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
    fn accepts_and_lowercases() {
        assert_eq!(
            TenantSlug::parse("SanCascianoValDiPesa").unwrap().as_str(),
            "sancascianovaldipesa"
        );
        let slug: TenantSlug = "greve-in-chianti".parse().unwrap();
        assert_eq!(slug.to_string(), "greve-in-chianti");
        assert!(TenantSlug::parse("a").is_ok());
        assert!(TenantSlug::parse("0").is_ok());
        assert!(TenantSlug::parse(&"a".repeat(63)).is_ok());
    }

    #[test]
    fn rejects_bad_slugs() {
        assert_eq!(TenantSlug::parse(""), Err(SlugError::Empty));
        assert_eq!(
            TenantSlug::parse(&"a".repeat(64)),
            Err(SlugError::TooLong { found: 64 })
        );
        assert_eq!(
            TenantSlug::parse("greve.in"),
            Err(SlugError::BadCharacter {
                position: 6,
                found: '.'
            })
        );
        assert_eq!(
            TenantSlug::parse("città"),
            Err(SlugError::BadCharacter {
                position: 5,
                found: 'à'
            })
        );
        assert_eq!(
            TenantSlug::parse("san_casciano"),
            Err(SlugError::BadCharacter {
                position: 4,
                found: '_'
            })
        );
        assert_eq!(
            TenantSlug::parse(" greve"),
            Err(SlugError::BadCharacter {
                position: 1,
                found: ' '
            })
        );
        assert_eq!(TenantSlug::parse("-greve"), Err(SlugError::LeadingHyphen));
        assert_eq!(TenantSlug::parse("greve-"), Err(SlugError::TrailingHyphen));
    }

    proptest! {
        #[test]
        fn valid_labels_round_trip(s in "[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?") {
            let slug = TenantSlug::parse(&s).unwrap();
            prop_assert_eq!(slug.as_str(), s.to_ascii_lowercase());
            prop_assert_eq!(TenantSlug::parse(slug.as_str()).unwrap(), slug);
        }

        #[test]
        fn any_input_is_handled_without_panicking(s in "\\PC{0,70}") {
            if let Ok(slug) = TenantSlug::parse(&s) {
                prop_assert!(slug.as_str().len() <= 63);
            }
        }
    }
}
