//! The civil date in Italy, where every comune is: enrolments, prices and meals change by
//! date, and a parent at 7 a.m. on a Monday must see Monday, not Sunday in UTC.
//!
//! Central European Time is UTC+1, and UTC+2 from 01:00 UTC on the last Sunday of March
//! to 01:00 UTC on the last Sunday of October (the EU rule since 1996).

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};

pub fn italian_date(at: DateTime<Utc>) -> NaiveDate {
    (at + utc_offset(at)).date_naive()
}

pub fn today_in_italy() -> NaiveDate {
    italian_date(Utc::now())
}

fn utc_offset(at: DateTime<Utc>) -> Duration {
    let year = at.year();
    let summer = match (switch(year, 3), switch(year, 10)) {
        (Some(start), Some(end)) => at >= start && at < end,
        _ => false,
    };
    Duration::hours(if summer { 2 } else { 1 })
}

/// 01:00 UTC on the last Sunday of `month`.
fn switch(year: i32, month: u32) -> Option<DateTime<Utc>> {
    let last = NaiveDate::from_ymd_opt(year, month.checked_add(1)?, 1)?.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    let sunday = last.checked_sub_days(chrono::Days::new(u64::from(back)))?;
    Some(Utc.from_utc_datetime(&sunday.and_hms_opt(1, 0, 0)?))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn winter_and_summer_midnights() {
        // 23:30 UTC in November is 00:30 the next day in Rome.
        assert_eq!(
            italian_date(at("2026-11-26T23:30:00Z")).to_string(),
            "2026-11-27"
        );
        assert_eq!(
            italian_date(at("2026-11-26T22:30:00Z")).to_string(),
            "2026-11-26"
        );
        // In July Rome is two hours ahead.
        assert_eq!(
            italian_date(at("2026-07-01T22:30:00Z")).to_string(),
            "2026-07-02"
        );
        assert_eq!(
            italian_date(at("2026-07-01T21:30:00Z")).to_string(),
            "2026-07-01"
        );
    }

    #[test]
    fn switches_on_the_last_sundays() {
        // 2026: summer time from 29 March to 25 October.
        assert_eq!(switch(2026, 3).unwrap(), at("2026-03-29T01:00:00Z"));
        assert_eq!(switch(2026, 10).unwrap(), at("2026-10-25T01:00:00Z"));
        assert_eq!(utc_offset(at("2026-03-29T00:59:00Z")), Duration::hours(1));
        assert_eq!(utc_offset(at("2026-03-29T01:00:00Z")), Duration::hours(2));
        assert_eq!(utc_offset(at("2026-10-25T01:00:00Z")), Duration::hours(1));
    }
}
