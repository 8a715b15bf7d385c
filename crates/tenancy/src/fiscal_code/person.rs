//! Codice fiscale of a natural person (16 characters).

use std::fmt;
use std::str::FromStr;

use crate::check_char::check_letter;

/// Exactly 16 characters long.
const LENGTH: usize = 16;

/// Month letters in calendar order (A = January ... T = December). The
/// skipped letters are not typos: the specification avoids ones that look
/// alike in handwriting.
const MONTH_LETTERS: [char; 12] = ['A', 'B', 'C', 'D', 'E', 'H', 'L', 'M', 'P', 'R', 'S', 'T'];

/// Omocodia substitutes for the digits 0-9, in order. When two people would
/// get the same code, the Agenzia delle Entrate replaces digits (from the
/// right) with these letters, so a valid code may have letters where digits
/// are expected.
const OMOCODIA_LETTERS: [char; 10] = ['L', 'M', 'N', 'P', 'Q', 'R', 'S', 'T', 'U', 'V'];

/// Women's day of birth is stored with 40 added, so the sex is recoverable.
const FEMALE_DAY_OFFSET: u32 = 40;

/// What each of the 16 positions may hold.
#[derive(Clone, Copy)]
enum Slot {
    /// Surname/name consonants, municipality letter.
    Letter,
    /// Year, day and municipality digits; may be an omocodia letter.
    Digit,
    /// One of `MONTH_LETTERS`.
    Month,
    /// The check letter.
    Check,
}

const LAYOUT: [Slot; LENGTH] = [
    Slot::Letter,
    Slot::Letter,
    Slot::Letter,
    Slot::Letter,
    Slot::Letter,
    Slot::Letter,
    Slot::Digit,
    Slot::Digit,
    Slot::Month,
    Slot::Digit,
    Slot::Digit,
    Slot::Letter,
    Slot::Digit,
    Slot::Digit,
    Slot::Digit,
    Slot::Check,
];

/// Why a string is not a valid personal codice fiscale. Positions are
/// 1-based, as a person counting the characters would report them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonFiscalCodeError {
    #[error("a personal codice fiscale has 16 characters, found {found}")]
    WrongLength { found: usize },
    #[error(
        "bad character {found:?} at position {position} of the codice fiscale: expected {expected}"
    )]
    BadCharacter {
        position: usize,
        found: char,
        expected: &'static str,
    },
    #[error(
        "bad month letter {found:?} at position 9 of the codice fiscale: expected one of A B C D E H L M P R S T"
    )]
    BadMonth { found: char },
    #[error(
        "bad day of birth {found:02} in the codice fiscale: expected 01-31 (men) or 41-71 (women)"
    )]
    BadDay { found: u32 },
    #[error(
        "wrong check character {found:?} at position 16 of the codice fiscale: expected {expected:?}"
    )]
    WrongCheckCharacter { expected: char, found: char },
}

/// Sex as encoded in the day of birth. The code only knows these two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    Male,
    Female,
}

/// The birth data a codice fiscale carries. The year has only two digits:
/// the century cannot be recovered from the code alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BirthDateParts {
    /// 0-99.
    pub two_digit_year: u32,
    /// 1-12.
    pub month: u32,
    /// 1-31, already without the +40 offset for women.
    pub day: u32,
    pub sex: Sex,
}

/// A syntactically valid codice fiscale of a natural person, check
/// character verified. Stored uppercase, exactly as issued (omocodic letters
/// are kept, since the code with substitutions is a different, distinct code).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonFiscalCode {
    code: String,
    birth: BirthDateParts,
}

impl PersonFiscalCode {
    /// Parses a codice fiscale, ignoring surrounding whitespace and case.
    pub fn parse(input: &str) -> Result<Self, PersonFiscalCodeError> {
        let code = input.trim().to_ascii_uppercase();
        let chars: Vec<char> = code.chars().collect();
        let found = chars.len();
        let chars: [char; LENGTH] = chars
            .try_into()
            .map_err(|_| PersonFiscalCodeError::WrongLength { found })?;

        // Digit values of the year, day and municipality positions, in order,
        // with omocodia letters already decoded.
        let mut digits: Vec<u32> = Vec::with_capacity(7);
        let mut month = None;
        for (index, (&c, slot)) in chars.iter().zip(LAYOUT).enumerate() {
            let position = index.saturating_add(1);
            let bad = |expected| PersonFiscalCodeError::BadCharacter {
                position,
                found: c,
                expected,
            };
            match slot {
                Slot::Letter | Slot::Check => {
                    if !c.is_ascii_uppercase() {
                        return Err(bad("a letter A-Z"));
                    }
                }
                Slot::Digit => digits.push(
                    digit_value(c).ok_or_else(|| bad("a digit 0-9 or an omocodia letter L-V"))?,
                ),
                Slot::Month => {
                    month =
                        Some(month_number(c).ok_or(PersonFiscalCodeError::BadMonth { found: c })?);
                }
            }
        }

        let [y1, y2, d1, d2, ..] = digits.as_slice() else {
            // LAYOUT has seven digit slots, so this cannot happen; reporting
            // a length error keeps the function total without a panic.
            return Err(PersonFiscalCodeError::WrongLength { found });
        };
        let raw_day = d1 * 10 + d2;
        let (day, sex) = if raw_day > FEMALE_DAY_OFFSET {
            (raw_day - FEMALE_DAY_OFFSET, Sex::Female)
        } else {
            (raw_day, Sex::Male)
        };
        if !(1..=31).contains(&day) {
            return Err(PersonFiscalCodeError::BadDay { found: raw_day });
        }
        let month = month.ok_or(PersonFiscalCodeError::WrongLength { found })?;

        let [body @ .., found_check] = chars;
        let expected =
            check_letter(body.into_iter()).ok_or(PersonFiscalCodeError::WrongLength { found })?;
        if expected != found_check {
            return Err(PersonFiscalCodeError::WrongCheckCharacter {
                expected,
                found: found_check,
            });
        }

        Ok(Self {
            code,
            birth: BirthDateParts {
                two_digit_year: y1 * 10 + y2,
                month,
                day,
                sex,
            },
        })
    }

    /// The code, uppercase, 16 characters.
    pub fn as_str(&self) -> &str {
        &self.code
    }

    /// Two-digit year, month, day and sex as encoded in the code.
    pub fn birth_date_parts(&self) -> BirthDateParts {
        self.birth
    }

    /// The Belfiore code of the municipality (or foreign state, `Z...`) of
    /// birth, with any omocodia letters turned back into digits.
    pub fn birth_place_code(&self) -> String {
        self.code
            .chars()
            .skip(11)
            .take(4)
            .enumerate()
            .map(|(i, c)| {
                if i == 0 {
                    c
                } else {
                    digit_value(c)
                        .and_then(|d| char::from_digit(d, 10))
                        .unwrap_or(c)
                }
            })
            .collect()
    }

    /// Whether any digit was replaced by an omocodia letter.
    pub fn is_omocodic(&self) -> bool {
        self.code
            .chars()
            .zip(LAYOUT)
            .any(|(c, slot)| matches!(slot, Slot::Digit) && c.is_ascii_uppercase())
    }
}

/// A digit, or the digit an omocodia letter stands for.
fn digit_value(c: char) -> Option<u32> {
    if c.is_ascii_digit() {
        return c.to_digit(10);
    }
    OMOCODIA_LETTERS
        .iter()
        .zip(0u32..)
        .find_map(|(&letter, digit)| (letter == c).then_some(digit))
}

fn month_number(c: char) -> Option<u32> {
    MONTH_LETTERS
        .iter()
        .zip(1u32..)
        .find_map(|(&letter, month)| (letter == c).then_some(month))
}

// Ordered by the code alone: the birth parts are derived from it, so this
// agrees with equality.
impl PartialOrd for PersonFiscalCode {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PersonFiscalCode {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.code.cmp(&other.code)
    }
}

impl fmt::Display for PersonFiscalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)
    }
}

impl FromStr for PersonFiscalCode {
    type Err = PersonFiscalCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests;
