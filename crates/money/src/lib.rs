//! Euro amounts for Mensa.
//!
//! Money is an exact decimal with at most two places, never a float. It is stored as
//! whole cents (BIGINT) in every database, because SQLite would round a decimal column,
//! and it is shown to parents in the Italian way (`1.234,56 €`).

mod format;

use std::fmt;
use std::ops::{Add, Neg, Sub};
use std::str::FromStr;

use rust_decimal::Decimal;

pub use format::format_italian;

/// An amount of euro with at most two decimals; may be negative (a debit, a debt).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("'{0}' is not an amount: write euro with a dot and at most two decimals, e.g. 20.00")]
    NotANumber(String),
    #[error("{0} has more than two decimals: euro amounts are in whole cents")]
    TooPrecise(Decimal),
    #[error("{0} is out of range")]
    OutOfRange(Decimal),
}

/// The largest amount Mensa accepts anywhere: ten million euro, far above any family's needs,
/// and far below what an `i64` of cents can hold, so sums of many rows never overflow.
const MAX_ABS_CENTS: i64 = 1_000_000_000;

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Parses an exact amount; rejects more than two decimals instead of rounding them away.
    pub fn from_decimal(value: Decimal) -> Result<Self, MoneyError> {
        let normalized = value.normalize();
        if normalized.scale() > 2 {
            return Err(MoneyError::TooPrecise(value));
        }
        let cents = to_cents(normalized).ok_or(MoneyError::OutOfRange(value))?;
        Ok(Self::from_cents_unchecked(cents))
    }

    /// Builds an amount from cents read back from storage; values out of range are refused
    /// because they could only come from a corrupted row.
    pub fn from_cents(cents: i64) -> Result<Self, MoneyError> {
        if cents.checked_abs().is_none_or(|abs| abs > MAX_ABS_CENTS) {
            return Err(MoneyError::OutOfRange(Decimal::new(cents, 2)));
        }
        Ok(Self::from_cents_unchecked(cents))
    }

    fn from_cents_unchecked(cents: i64) -> Self {
        Money(Decimal::new(cents, 2))
    }

    pub fn cents(self) -> i64 {
        // In range by construction: every constructor checks MAX_ABS_CENTS.
        to_cents(self.0).unwrap_or_default()
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    pub fn is_positive(self) -> bool {
        self.0.is_sign_positive() && !self.0.is_zero()
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        let cents = self.cents().checked_add(other.cents())?;
        Money::from_cents(cents).ok()
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.checked_add(-other)
    }

    /// `count` times this amount, e.g. how much N meals cost.
    pub fn times(self, count: i64) -> Option<Money> {
        Money::from_cents(self.cents().checked_mul(count)?).ok()
    }

    /// How many whole times `price` fits in this amount (meals left for a balance).
    pub fn whole_multiples_of(self, price: Money) -> Option<i64> {
        if !price.is_positive() || self.is_negative() {
            return None;
        }
        self.cents().checked_div(price.cents())
    }
}

fn to_cents(value: Decimal) -> Option<i64> {
    let cents = value.checked_mul(Decimal::ONE_HUNDRED)?.normalize();
    if cents.scale() != 0 {
        return None;
    }
    let cents = i64::try_from(cents).ok()?;
    (cents.checked_abs()? <= MAX_ABS_CENTS).then_some(cents)
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

/// Saturating operators would hide errors; these panic-free ones stay inside the range by
/// construction only for amounts already checked, so prefer `checked_add` on user input.
impl Add for Money {
    type Output = Option<Money>;
    fn add(self, rhs: Money) -> Option<Money> {
        self.checked_add(rhs)
    }
}

impl Sub for Money {
    type Output = Option<Money>;
    fn sub(self, rhs: Money) -> Option<Money> {
        self.checked_sub(rhs)
    }
}

impl fmt::Display for Money {
    /// Machine form, as the API and pagoPA want it: a dot and always two decimals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut value = self.0;
        value.rescale(2);
        write!(f, "{value}")
    }
}

impl FromStr for Money {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        let value = Decimal::from_str_exact(trimmed)
            .map_err(|_| MoneyError::NotANumber(trimmed.to_owned()))?;
        Money::from_decimal(value)
    }
}

impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_prints_two_decimals() {
        assert_eq!("20".parse::<Money>().unwrap().to_string(), "20.00");
        assert_eq!("4.5".parse::<Money>().unwrap().to_string(), "4.50");
        assert_eq!("-3.10".parse::<Money>().unwrap().cents(), -310);
        assert_eq!("0.10".parse::<Money>().unwrap().cents(), 10);
    }

    #[test]
    fn refuses_more_than_two_decimals_and_garbage() {
        assert!(matches!(
            "1.005".parse::<Money>(),
            Err(MoneyError::TooPrecise(_))
        ));
        assert!(matches!(
            "1,50".parse::<Money>(),
            Err(MoneyError::NotANumber(_))
        ));
        assert!(matches!(
            "abc".parse::<Money>(),
            Err(MoneyError::NotANumber(_))
        ));
        assert!(matches!(
            "1e3".parse::<Money>(),
            Err(MoneyError::NotANumber(_))
        ));
        assert!(matches!(
            "99999999999".parse::<Money>(),
            Err(MoneyError::OutOfRange(_))
        ));
        // Trailing zeros beyond two places are not extra precision.
        assert_eq!("1.500".parse::<Money>().unwrap().cents(), 150);
    }

    #[test]
    fn counts_meals_left() {
        let balance = Money::from_cents(1_000).unwrap();
        let price = Money::from_cents(450).unwrap();
        assert_eq!(balance.whole_multiples_of(price), Some(2));
        assert_eq!((-balance).whole_multiples_of(price), None);
        assert_eq!(balance.whole_multiples_of(Money::ZERO), None);
    }

    proptest! {
        #[test]
        fn cents_round_trip(cents in -MAX_ABS_CENTS..=MAX_ABS_CENTS) {
            let money = Money::from_cents(cents).unwrap();
            prop_assert_eq!(money.cents(), cents);
            prop_assert_eq!(money.to_string().parse::<Money>().unwrap(), money);
        }

        #[test]
        fn addition_is_exact(a in -1_000_000i64..1_000_000, b in -1_000_000i64..1_000_000) {
            let sum = Money::from_cents(a).unwrap().checked_add(Money::from_cents(b).unwrap()).unwrap();
            prop_assert_eq!(sum.cents(), a + b);
        }
    }
}
