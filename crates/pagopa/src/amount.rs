//! Euro amounts as the pagoPA schemas carry them.
//!
//! `stAmount` is a decimal matching `\d+\.\d{2}` up to 999999999.99; `stAmountNotZero` adds
//! a minimum of 0.01. Amounts come in as `rust_decimal::Decimal` euro and are kept at scale 2,
//! so the wire form is always two decimals with a dot ("20.00").

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("amount {0} is negative")]
    Negative(Decimal),
    #[error("amount {0} has more than two decimals")]
    TooPrecise(Decimal),
    #[error("amount {0} exceeds 999999999.99")]
    TooLarge(Decimal),
    #[error("amount must be at least 0.01")]
    Zero,
    #[error("{0:?} is not written as digits, a dot and two decimals")]
    Format(String),
}

const MAX_CENTS: u64 = 99_999_999_999;

/// A non-negative euro amount with at most two decimals (`stAmount`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Amount(Decimal);

impl Amount {
    pub fn new(euro: Decimal) -> Result<Self, AmountError> {
        if euro.is_sign_negative() && !euro.is_zero() {
            return Err(AmountError::Negative(euro));
        }
        if euro.normalize().scale() > 2 {
            return Err(AmountError::TooPrecise(euro));
        }
        let mut value = euro.abs();
        value.rescale(2);
        if value > Decimal::new(i64::try_from(MAX_CENTS).unwrap_or(i64::MAX), 2) {
            return Err(AmountError::TooLarge(euro));
        }
        Ok(Self(value))
    }

    pub fn from_cents(cents: u64) -> Result<Self, AmountError> {
        let signed = i64::try_from(cents).map_err(|_| AmountError::TooLarge(Decimal::MAX))?;
        Self::new(Decimal::new(signed, 2))
    }

    pub fn euro(&self) -> Decimal {
        self.0
    }

    pub fn cents(&self) -> u64 {
        // Scale is 2 and the value is capped, so the mantissa is the cent count and fits.
        self.0.mantissa().to_u64().unwrap_or(0)
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }
}

impl FromStr for Amount {
    type Err = AmountError;

    /// Parses the wire form only: digits, a dot, exactly two decimals.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let format = || AmountError::Format(s.to_owned());
        let (int, dec) = s.split_once('.').ok_or_else(format)?;
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(int) || dec.len() != 2 || !digits(dec) {
            return Err(format());
        }
        Self::new(Decimal::from_str(s).map_err(|_| AmountError::TooLarge(Decimal::MAX))?)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}", self.0)
    }
}

/// An amount of at least 0.01 euro (`stAmountNotZero`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PositiveAmount(Amount);

impl PositiveAmount {
    pub fn new(euro: Decimal) -> Result<Self, AmountError> {
        Self::try_from(Amount::new(euro)?)
    }

    pub fn from_cents(cents: u64) -> Result<Self, AmountError> {
        Self::try_from(Amount::from_cents(cents)?)
    }

    pub fn amount(&self) -> Amount {
        self.0
    }

    pub fn euro(&self) -> Decimal {
        self.0.euro()
    }

    pub fn cents(&self) -> u64 {
        self.0.cents()
    }
}

impl TryFrom<Amount> for PositiveAmount {
    type Error = AmountError;

    fn try_from(amount: Amount) -> Result<Self, Self::Error> {
        if amount.is_zero() {
            Err(AmountError::Zero)
        } else {
            Ok(Self(amount))
        }
    }
}

impl From<PositiveAmount> for Amount {
    fn from(value: PositiveAmount) -> Self {
        value.0
    }
}

impl FromStr for PositiveAmount {
    type Err = AmountError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::try_from(Amount::from_str(s)?)
    }
}

impl fmt::Display for PositiveAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn always_two_decimals_with_a_dot() {
        assert_eq!(Amount::new(dec("20")).unwrap().to_string(), "20.00");
        assert_eq!(Amount::new(dec("4.5")).unwrap().to_string(), "4.50");
        assert_eq!(Amount::new(dec("0.010")).unwrap().to_string(), "0.01");
        assert_eq!(Amount::new(dec("-0")).unwrap().to_string(), "0.00");
        assert_eq!(
            Amount::new(dec("999999999.99")).unwrap().to_string(),
            "999999999.99"
        );
    }

    #[test]
    fn cents_both_ways() {
        assert_eq!(Amount::new(dec("20.5")).unwrap().cents(), 2050);
        assert_eq!(Amount::from_cents(1).unwrap().to_string(), "0.01");
        assert_eq!(Amount::from_cents(MAX_CENTS).unwrap().cents(), MAX_CENTS);
        assert!(matches!(
            Amount::from_cents(MAX_CENTS + 1),
            Err(AmountError::TooLarge(_))
        ));
    }

    #[test]
    fn rejects_negative_over_precise_and_zero_where_needed() {
        assert!(matches!(
            Amount::new(dec("-1.00")),
            Err(AmountError::Negative(_))
        ));
        assert!(matches!(
            Amount::new(dec("1.005")),
            Err(AmountError::TooPrecise(_))
        ));
        assert!(matches!(
            Amount::new(dec("1000000000")),
            Err(AmountError::TooLarge(_))
        ));
        assert_eq!(PositiveAmount::new(dec("0.00")), Err(AmountError::Zero));
        assert!(PositiveAmount::new(dec("0.01")).is_ok());
    }

    #[test]
    fn wire_form_is_strict() {
        assert_eq!("12.30".parse::<Amount>().unwrap().cents(), 1230);
        for bad in [
            "12.3", "12", ".30", "12.300", "-1.00", "1e2.00", " 1.00", "1,00",
        ] {
            assert!(bad.parse::<Amount>().is_err(), "{bad}");
        }
        assert_eq!("0.00".parse::<PositiveAmount>(), Err(AmountError::Zero));
    }
}
