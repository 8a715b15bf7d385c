//! Giornate di rientro: the weekdays on which a class eats at school.

use std::fmt;

use chrono::Datelike;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    pub fn of(date: chrono::NaiveDate) -> Self {
        match date.weekday() {
            chrono::Weekday::Mon => Weekday::Monday,
            chrono::Weekday::Tue => Weekday::Tuesday,
            chrono::Weekday::Wed => Weekday::Wednesday,
            chrono::Weekday::Thu => Weekday::Thursday,
            chrono::Weekday::Fri => Weekday::Friday,
            chrono::Weekday::Sat => Weekday::Saturday,
            chrono::Weekday::Sun => Weekday::Sunday,
        }
    }

    fn bit(self) -> i16 {
        match self {
            Weekday::Monday => 1,
            Weekday::Tuesday => 1 << 1,
            Weekday::Wednesday => 1 << 2,
            Weekday::Thursday => 1 << 3,
            Weekday::Friday => 1 << 4,
            Weekday::Saturday => 1 << 5,
            Weekday::Sunday => 1 << 6,
        }
    }

    pub fn italian(self) -> &'static str {
        match self {
            Weekday::Monday => "lunedì",
            Weekday::Tuesday => "martedì",
            Weekday::Wednesday => "mercoledì",
            Weekday::Thursday => "giovedì",
            Weekday::Friday => "venerdì",
            Weekday::Saturday => "sabato",
            Weekday::Sunday => "domenica",
        }
    }
}

/// A set of weekdays, stored as a small bit mask.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct MealDays(i16);

impl MealDays {
    pub fn from_days(days: &[Weekday]) -> Self {
        MealDays(days.iter().fold(0, |mask, day| mask | day.bit()))
    }

    /// Reads the stored mask, dropping bits that name no weekday.
    pub fn from_mask(mask: i16) -> Self {
        MealDays(mask & 0b111_1111)
    }

    pub fn mask(self) -> i16 {
        self.0
    }

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & day.bit() != 0
    }

    pub fn includes_date(self, date: chrono::NaiveDate) -> bool {
        self.contains(Weekday::of(date))
    }

    pub fn days(self) -> impl Iterator<Item = Weekday> {
        Weekday::ALL
            .into_iter()
            .filter(move |day| self.contains(*day))
    }
}

impl fmt::Display for MealDays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.days().map(Weekday::italian).collect();
        f.write_str(&names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn mask_round_trips_and_checks_dates() {
        let days = MealDays::from_days(&[Weekday::Monday, Weekday::Wednesday]);
        assert_eq!(MealDays::from_mask(days.mask()), days);
        let monday = chrono::NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
        let tuesday = chrono::NaiveDate::from_ymd_opt(2026, 10, 6).unwrap();
        assert!(days.includes_date(monday));
        assert!(!days.includes_date(tuesday));
        assert_eq!(days.to_string(), "lunedì, mercoledì");
    }
}
