//! Amounts and dates as the notice prints them (Allegato 2 › Importo e scadenza): thousands
//! separated by a dot, decimals by a comma, dates as dd/mm/yyyy.

use chrono::NaiveDate;

use crate::amount::PositiveAmount;

/// "1.234,56 €".
pub fn euro(amount: &PositiveAmount) -> String {
    format!("{} €", euro_digits(amount))
}

/// "1.234,56", for places where the currency is printed apart.
pub fn euro_digits(amount: &PositiveAmount) -> String {
    let cents = amount.cents();
    let whole = (cents / 100).to_string();
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("{grouped},{:02}", cents % 100)
}

/// "31/12/2025".
pub fn date(date: &NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cents(c: u64) -> PositiveAmount {
        PositiveAmount::from_cents(c).unwrap()
    }

    #[test]
    fn italian_amounts() {
        assert_eq!(euro(&cents(123_456)), "1.234,56 €");
        assert_eq!(euro_digits(&cents(1)), "0,01");
        assert_eq!(euro_digits(&cents(99_999)), "999,99");
        assert_eq!(euro_digits(&cents(100_000)), "1.000,00");
        assert_eq!(euro_digits(&cents(99_999_999_999)), "999.999.999,99");
    }

    #[test]
    fn day_month_year() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 7).unwrap();
        assert_eq!(date(&d), "07/03/2025");
    }
}
