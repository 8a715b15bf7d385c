//! The Italian way of writing euro, as parents and the payment notice read it.

use crate::Money;

/// `1234.5` becomes `1.234,50`: dot for thousands, comma for decimals.
pub fn format_italian(money: Money) -> String {
    let cents = money.cents();
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let euros = (abs / 100).to_string();
    let rest = abs % 100;
    let mut grouped = String::with_capacity(euros.len() + euros.len() / 3);
    for (index, digit) in euros.chars().enumerate() {
        if index > 0 && (euros.len() - index).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped},{rest:02}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn writes_thousands_and_decimals_the_italian_way() {
        let cases = [
            (123_456, "1.234,56"),
            (2_000, "20,00"),
            (5, "0,05"),
            (-450, "-4,50"),
            (100_000_000, "1.000.000,00"),
        ];
        for (cents, expected) in cases {
            assert_eq!(format_italian(Money::from_cents(cents).unwrap()), expected);
        }
    }
}
