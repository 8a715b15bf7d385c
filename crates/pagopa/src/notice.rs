//! Notice number (codice avviso) and IUV for creditors configured with aux digit 3.
//!
//! Layout, from SACI / SANP ("numero avviso e codice IUV"): `3` + segregation code (2 digits,
//! the station that holds the position) + IUV base (13 digits) + check digits (2 digits).
//! The check digits are the 16 preceding digits, read as one decimal number, modulo 93.

use std::fmt;
use std::str::FromStr;

/// Why a notice number, IUV or one of their parts was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoticeError {
    #[error("expected {expected} digits, got {found} characters")]
    Length { expected: usize, found: usize },
    #[error("only the digits 0-9 are allowed")]
    NotDigits,
    #[error("aux digit {0} is not supported (only 3: several stations, segregation code)")]
    UnsupportedAuxDigit(u8),
    #[error("check digits {found:02} do not match the expected {expected:02}")]
    CheckDigits { expected: u8, found: u8 },
    #[error("a segregation code is between 00 and 99, got {0}")]
    SegregationCode(u8),
    #[error("the IUV base has 13 digits, {0} is too large")]
    BaseTooLarge(u64),
}

/// The leading digit of a notice number. Only 3 is modelled: the other configurations
/// (0, 1, 2) belong to creditors set up differently and are answered as unsupported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuxDigit {
    Three,
}

impl AuxDigit {
    pub fn from_digit(digit: u8) -> Result<Self, NoticeError> {
        match digit {
            3 => Ok(Self::Three),
            other => Err(NoticeError::UnsupportedAuxDigit(other)),
        }
    }

    pub fn digit(self) -> u8 {
        match self {
            Self::Three => 3,
        }
    }
}

/// Two-digit code of the creditor's station that owns the debt position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SegregationCode(u8);

impl SegregationCode {
    pub fn new(code: u8) -> Result<Self, NoticeError> {
        if code > 99 {
            return Err(NoticeError::SegregationCode(code));
        }
        Ok(Self(code))
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

impl FromStr for SegregationCode {
    type Err = NoticeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits = digits(s, 2)?;
        Self::new(u8::try_from(fold(&digits)).map_err(|_| NoticeError::NotDigits)?)
    }
}

impl fmt::Display for SegregationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}", self.0)
    }
}

const BASE_LIMIT: u64 = 10_000_000_000_000;

/// An 18-digit notice number with aux digit 3, known to carry correct check digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NoticeNumber {
    segregation: SegregationCode,
    base: u64,
}

impl NoticeNumber {
    /// Builds the notice number for an IUV base (`base` < 10^13) of a station.
    pub fn generate(segregation: SegregationCode, base: u64) -> Result<Self, NoticeError> {
        if base >= BASE_LIMIT {
            return Err(NoticeError::BaseTooLarge(base));
        }
        Ok(Self { segregation, base })
    }

    /// Parses the 18 digits as printed on the notice or carried in `noticeNumber`.
    pub fn parse(s: &str) -> Result<Self, NoticeError> {
        let d = digits(s, 18)?;
        let (aux, rest) = d.split_first().ok_or(NoticeError::NotDigits)?;
        AuxDigit::from_digit(*aux)?;
        parse_iuv_digits(rest)
    }

    pub fn aux_digit(&self) -> AuxDigit {
        AuxDigit::Three
    }

    pub fn segregation_code(&self) -> SegregationCode {
        self.segregation
    }

    pub fn base(&self) -> u64 {
        self.base
    }

    pub fn check_digits(&self) -> u8 {
        check_digits(self.segregation, self.base)
    }

    /// The IUV is the notice number without its aux digit.
    pub fn iuv(&self) -> Iuv {
        Iuv(*self)
    }

    /// Groups of four digits from the left, as printed on the paper notice
    /// ("3011 2345 6789 0123 45").
    pub fn grouped(&self) -> String {
        let plain = self.to_string();
        let mut out = String::with_capacity(22);
        for (i, c) in plain.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }
}

impl FromStr for NoticeNumber {
    type Err = NoticeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for NoticeNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", AuxDigit::Three.digit(), self.iuv())
    }
}

/// Identificativo Univoco di Versamento: the 17 digits after the aux digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Iuv(NoticeNumber);

impl Iuv {
    /// Parses a 17-digit IUV of an aux-digit-3 creditor (the check digits cover the aux digit).
    pub fn parse(s: &str) -> Result<Self, NoticeError> {
        parse_iuv_digits(&digits(s, 17)?).map(Self)
    }

    pub fn notice_number(&self) -> NoticeNumber {
        self.0
    }
}

impl fmt::Display for Iuv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0;
        write!(f, "{}{:013}{:02}", n.segregation, n.base, n.check_digits())
    }
}

fn parse_iuv_digits(d: &[u8]) -> Result<NoticeNumber, NoticeError> {
    let (seg, rest) = d.split_at_checked(2).ok_or(NoticeError::NotDigits)?;
    let (base, check) = rest.split_at_checked(13).ok_or(NoticeError::NotDigits)?;
    let segregation =
        SegregationCode::new(u8::try_from(fold(seg)).map_err(|_| NoticeError::NotDigits)?)?;
    let number = NoticeNumber::generate(segregation, fold(base))?;
    let found = u8::try_from(fold(check)).map_err(|_| NoticeError::NotDigits)?;
    let expected = number.check_digits();
    if found != expected {
        return Err(NoticeError::CheckDigits { expected, found });
    }
    Ok(number)
}

fn check_digits(segregation: SegregationCode, base: u64) -> u8 {
    // 3·10^15 + seg·10^13 + base < 4·10^15, far below u64::MAX.
    let body = 3 * 1_000_000_000_000_000 + u64::from(segregation.value()) * BASE_LIMIT + base;
    // The remainder is below 93, so it always fits.
    u8::try_from(body % 93).unwrap_or(0)
}

fn digits(s: &str, expected: usize) -> Result<Vec<u8>, NoticeError> {
    let found = s.chars().count();
    if found != expected {
        return Err(NoticeError::Length { expected, found });
    }
    s.bytes()
        .map(|b| {
            if b.is_ascii_digit() {
                Ok(b - b'0')
            } else {
                Err(NoticeError::NotDigits)
            }
        })
        .collect()
}

fn fold(d: &[u8]) -> u64 {
    d.iter().fold(0, |acc, x| acc * 10 + u64::from(*x))
}

#[cfg(test)]
mod tests;
