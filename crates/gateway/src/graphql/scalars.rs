//! The contract's scalars: `Decimal` (euro, a string with two decimals), `Date` (ISO 8601)
//! and `DateTime` (RFC 3339 with offset).

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{DateTime as ChronoDateTime, FixedOffset, NaiveDate};
use money::Money;

/// Euro: `"20.00"` out; in, a string or a number with at most two decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decimal(pub Money);

#[Scalar(name = "Decimal")]
impl ScalarType for Decimal {
    fn parse(value: Value) -> InputValueResult<Self> {
        let text = match &value {
            Value::String(text) => text.clone(),
            Value::Number(number) => number.to_string(),
            _ => return Err(InputValueError::expected_type(value)),
        };
        text.parse::<Money>()
            .map(Decimal)
            .map_err(|error| InputValueError::custom(error.to_string()))
    }

    fn to_value(&self) -> Value {
        Value::String(format!("{:.2}", self.0.amount()))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        let Value::String(text) = &value else {
            return Err(InputValueError::expected_type(value));
        };
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Date)
            .map_err(|_| {
                InputValueError::custom(format!("'{text}' is not a date: write YYYY-MM-DD"))
            })
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateTime(pub ChronoDateTime<FixedOffset>);

#[Scalar(name = "DateTime")]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        let Value::String(text) = &value else {
            return Err(InputValueError::expected_type(value));
        };
        ChronoDateTime::parse_from_rfc3339(text)
            .map(DateTime)
            .map_err(|_| {
                InputValueError::custom(format!(
                    "'{text}' is not a date-time: write RFC 3339, e.g. 2026-10-05T08:00:00+02:00"
                ))
            })
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn decimal_is_exact_both_ways() {
        let parsed = Decimal::parse(Value::String("20".into())).unwrap();
        assert_eq!(parsed.to_value(), Value::String("20.00".into()));
        let parsed = Decimal::parse(Value::Number(serde_json::Number::from(7))).unwrap();
        assert_eq!(parsed.to_value(), Value::String("7.00".into()));
        assert!(Decimal::parse(Value::String("1.005".into())).is_err());
        assert!(Decimal::parse(Value::String("abc".into())).is_err());
        assert!(Decimal::parse(Value::Boolean(true)).is_err());
        let negative = Decimal(Money::from_cents(-460).unwrap());
        assert_eq!(negative.to_value(), Value::String("-4.60".into()));
    }

    #[test]
    fn dates_are_iso() {
        assert!(Date::parse(Value::String("2026-10-05".into())).is_ok());
        assert!(Date::parse(Value::String("05/10/2026".into())).is_err());
        assert!(Date::parse(Value::String("2026-02-30".into())).is_err());
    }
}
