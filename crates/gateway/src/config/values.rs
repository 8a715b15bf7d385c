//! Value parsers shared by the settings. Each error is the problem alone, such as "'0' is
//! not a whole number from 1 to 600": the variable is put in front of it where clap's
//! error is turned into a `ConfigError` (`settings::named`), since one parser serves many.

use std::net::SocketAddr;

/// A whole number from `MIN` to `MAX`, in the field's own type.
pub fn whole<T: TryFrom<u64>, const MIN: u64, const MAX: u64>(value: &str) -> Result<T, String> {
    value
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|n| (MIN..=MAX).contains(n))
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| format!("'{value}' is not a whole number from {MIN} to {MAX}"))
}

/// `true` or `false`, and the other spellings an operator may reach for.
pub fn switch(value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(format!("'{value}' is not a switch: expected true or false")),
    }
}

pub fn address(value: &str) -> Result<SocketAddr, String> {
    value.trim().parse().map_err(|_| {
        format!("'{value}' is not an address: expected host:port such as 127.0.0.1:8080")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_keep_to_their_range_and_type() {
        assert_eq!(whole::<u32, 1, 10>(" 7 "), Ok(7));
        assert!(whole::<u32, 1, 10>("0").is_err());
        assert!(whole::<u32, 1, 10>("11").is_err());
        assert!(
            whole::<u8, 0, 1_000>("300").is_err(),
            "too big for the type"
        );
        assert_eq!(
            whole::<u64, 1, 600>("lots"),
            Err("'lots' is not a whole number from 1 to 600".to_owned())
        );
    }

    #[test]
    fn switches_read_the_usual_spellings() {
        for on in ["1", "true", "YES", " on "] {
            assert_eq!(switch(on), Ok(true), "{on}");
        }
        for off in ["0", "False", "no", "off"] {
            assert_eq!(switch(off), Ok(false), "{off}");
        }
        assert!(switch("maybe").is_err());
    }
}
