//! The odd/even conversion tables shared by the codice fiscale check letter
//! and the CIN of an Italian BBAN: both use the same Ministry of Finance
//! scheme, so keeping one copy means one place to get the odd table right.

/// Value of a character at an odd (1-based) position.
///
/// The table is not derivable from a formula: it is the published one,
/// transcribed as-is so it can be compared against the official decree.
fn odd_value(c: char) -> Option<u32> {
    let value = match c {
        '0' | 'A' => 1,
        '1' | 'B' => 0,
        '2' | 'C' => 5,
        '3' | 'D' => 7,
        '4' | 'E' => 9,
        '5' | 'F' => 13,
        '6' | 'G' => 15,
        '7' | 'H' => 17,
        '8' | 'I' => 19,
        '9' | 'J' => 21,
        'K' => 2,
        'L' => 4,
        'M' => 18,
        'N' => 20,
        'O' => 11,
        'P' => 3,
        'Q' => 6,
        'R' => 8,
        'S' => 12,
        'T' => 14,
        'U' => 16,
        'V' => 10,
        'W' => 22,
        'X' => 25,
        'Y' => 24,
        'Z' => 23,
        _ => return None,
    };
    Some(value)
}

/// Value of a character at an even (1-based) position: digits 0-9 are 0-9,
/// letters A-Z are 0-25.
fn even_value(c: char) -> Option<u32> {
    if c.is_ascii_digit() {
        c.to_digit(10)
    } else if c.is_ascii_uppercase() {
        // Base 36 maps A..Z to 10..35; the table wants 0..25.
        c.to_digit(36).and_then(|v| v.checked_sub(10))
    } else {
        None
    }
}

/// The check letter for `chars` (uppercase ASCII letters and digits), or
/// `None` if any character is outside that alphabet.
pub(crate) fn check_letter(chars: impl Iterator<Item = char>) -> Option<char> {
    let mut sum: u32 = 0;
    // Positions are 1-based in the specification, so index 0 is "odd".
    for (index, c) in chars.enumerate() {
        let value = if index % 2 == 0 {
            odd_value(c)?
        } else {
            even_value(c)?
        };
        sum = sum.checked_add(value)?;
    }
    // 10..=35 in base 36 is 'a'..='z'.
    char::from_digit(sum % 26 + 10, 36).map(|c| c.to_ascii_uppercase())
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

    #[test]
    fn odd_table_covers_every_letter_and_digit_with_distinct_letter_values() {
        let mut seen = std::collections::BTreeSet::new();
        for c in 'A'..='Z' {
            let v = odd_value(c).unwrap();
            assert!(v < 26);
            assert!(seen.insert(v), "duplicate odd value {v} for {c}");
        }
        for (digit, letter) in ('0'..='9').zip('A'..='J') {
            assert_eq!(odd_value(digit), odd_value(letter));
        }
    }

    #[test]
    fn even_table_is_positional() {
        assert_eq!(even_value('0'), Some(0));
        assert_eq!(even_value('9'), Some(9));
        assert_eq!(even_value('A'), Some(0));
        assert_eq!(even_value('Z'), Some(25));
        assert_eq!(even_value('a'), None);
    }

    #[test]
    fn known_check_letters() {
        assert_eq!(check_letter("RSSMRA85T10A562".chars()), Some('S'));
        // CIN of the standard Italian IBAN example IT60X0542811101000000123456.
        assert_eq!(check_letter("0542811101000000123456".chars()), Some('X'));
        assert_eq!(check_letter("RSSMRA85t10A562".chars()), None);
    }
}
