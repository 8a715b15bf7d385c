//! How the portal writes money and dates: the Italian way (`1.234,56 €`, `05/10/2026`).

use chrono::{Datelike, NaiveDate};
use money::Money;

pub fn euro(amount: Money) -> String {
    format!("{} €", money::format_italian(amount))
}

pub fn date(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// `lunedì 5 ottobre 2026`: how a day reads in a list of meals.
pub fn long_date(day: NaiveDate) -> String {
    format!(
        "{} {} {} {}",
        weekday(day),
        day.day(),
        month_name(day.month()),
        day.year()
    )
}

pub fn weekday(day: NaiveDate) -> &'static str {
    registry::Weekday::of(day).italian()
}

pub fn month_name(month: u32) -> &'static str {
    match month {
        1 => "gennaio",
        2 => "febbraio",
        3 => "marzo",
        4 => "aprile",
        5 => "maggio",
        6 => "giugno",
        7 => "luglio",
        8 => "agosto",
        9 => "settembre",
        10 => "ottobre",
        11 => "novembre",
        _ => "dicembre",
    }
}

/// Sizes of downloadable files: `12 KB`, `1,4 MB`.
pub fn file_size(bytes: i64) -> String {
    const KB: i64 = 1024;
    const MB: i64 = 1024 * 1024;
    if bytes < KB {
        format!("{bytes} byte")
    } else if bytes < MB {
        format!("{} KB", bytes.div_euclid(KB).max(1))
    } else {
        let tenths = bytes.saturating_mul(10).div_euclid(MB);
        format!("{},{} MB", tenths.div_euclid(10), tenths.rem_euclid(10))
    }
}

/// An amount as a parent types it: `20`, `20,50`, `20.50`, `€ 20,00`. Dots are thousands
/// separators only when a comma follows (`1.234,56`).
pub fn parse_euro(input: &str) -> Option<Money> {
    let cleaned: String = input
        .trim()
        .trim_start_matches('€')
        .trim_end_matches('€')
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if cleaned.is_empty() || cleaned.starts_with('-') {
        return None;
    }
    let normalized = if cleaned.contains(',') {
        cleaned.replace('.', "").replace(',', ".")
    } else {
        cleaned
    };
    if !normalized.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    normalized.parse::<Money>().ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn amounts_and_dates_read_the_italian_way() {
        assert_eq!(euro(Money::from_cents(123_456).unwrap()), "1.234,56 €");
        assert_eq!(euro(Money::from_cents(-450).unwrap()), "-4,50 €");
        let day = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
        assert_eq!(date(day), "05/10/2026");
        assert_eq!(long_date(day), "lunedì 5 ottobre 2026");
        assert_eq!(file_size(2_048), "2 KB");
        assert_eq!(file_size(1_572_864), "1,5 MB");
    }

    #[test]
    fn parents_type_amounts_in_many_ways() {
        let cents = |s: &str| parse_euro(s).map(Money::cents);
        assert_eq!(cents("20"), Some(2_000));
        assert_eq!(cents("20,5"), Some(2_050));
        assert_eq!(cents(" 20.50 "), Some(2_050));
        assert_eq!(cents("€ 1.234,56"), Some(123_456));
        assert_eq!(cents("20 €"), Some(2_000));
        for bad in ["", "-5", "venti", "20,555", "1e3", "20,00,00"] {
            assert_eq!(cents(bad), None, "{bad}");
        }
    }
}
