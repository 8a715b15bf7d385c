#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::*;
use proptest::prelude::*;

#[test]
fn accepts_the_textbook_example() {
    // Mario Rossi, born 10 December 1985, municipality code A562; the
    // check letter S was computed independently of this code.
    let cf = PersonFiscalCode::parse("RSSMRA85T10A562S").unwrap();
    assert_eq!(cf.as_str(), "RSSMRA85T10A562S");
    assert_eq!(
        cf.birth_date_parts(),
        BirthDateParts {
            two_digit_year: 85,
            month: 12,
            day: 10,
            sex: Sex::Male
        }
    );
    assert_eq!(cf.birth_place_code(), "A562");
    assert!(!cf.is_omocodic());
}

#[test]
fn trims_and_uppercases() {
    let cf = PersonFiscalCode::parse("  rssmra85t10a562s\n").unwrap();
    assert_eq!(cf.to_string(), "RSSMRA85T10A562S");
    let via_from_str: PersonFiscalCode = "rssmra85t10a562s".parse().unwrap();
    assert_eq!(cf, via_from_str);
}

#[test]
fn accepts_omocodic_variants() {
    // Last municipality digit 2 -> N; the check letter changes to H.
    let cf = PersonFiscalCode::parse("RSSMRA85T10A56NH").unwrap();
    assert!(cf.is_omocodic());
    assert_eq!(cf.birth_place_code(), "A562");
    // Day tens digit 1 -> M as well; check letter becomes D.
    let cf = PersonFiscalCode::parse("RSSMRA85TM0A562D").unwrap();
    assert_eq!(cf.birth_date_parts().day, 10);
    // An omocodic code with the original check letter is a typo.
    assert_eq!(
        PersonFiscalCode::parse("RSSMRA85T10A56NS"),
        Err(PersonFiscalCodeError::WrongCheckCharacter {
            expected: 'H',
            found: 'S'
        })
    );
}

#[test]
fn accepts_a_womans_code() {
    // Laura Bianchi, born 1 January 1990 in Roma (H501): day 01 + 40.
    let cf = PersonFiscalCode::parse("BNCLRA90A41H501F").unwrap();
    let parts = cf.birth_date_parts();
    assert_eq!(parts.day, 1);
    assert_eq!(parts.month, 1);
    assert_eq!(parts.sex, Sex::Female);
    // Matteo Moretti, 9 April 2025, Milano (F205).
    assert!(PersonFiscalCode::parse("MRTMTT25D09F205Z").is_ok());
}

#[test]
fn rejects_wrong_length() {
    assert_eq!(
        PersonFiscalCode::parse("RSSMRA85T10A562"),
        Err(PersonFiscalCodeError::WrongLength { found: 15 })
    );
    assert_eq!(
        PersonFiscalCode::parse(""),
        Err(PersonFiscalCodeError::WrongLength { found: 0 })
    );
    assert_eq!(
        PersonFiscalCode::parse("RSSMRA85T10A562SX"),
        Err(PersonFiscalCodeError::WrongLength { found: 17 })
    );
}

#[test]
fn rejects_bad_characters_with_their_position() {
    assert_eq!(
        PersonFiscalCode::parse("R5SMRA85T10A562S"),
        Err(PersonFiscalCodeError::BadCharacter {
            position: 2,
            found: '5',
            expected: "a letter A-Z"
        })
    );
    assert_eq!(
        PersonFiscalCode::parse("RSSMRA8AT10A562S"),
        Err(PersonFiscalCodeError::BadCharacter {
            position: 8,
            found: 'A',
            expected: "a digit 0-9 or an omocodia letter L-V"
        })
    );
    assert!(matches!(
        PersonFiscalCode::parse("RSSMRA85T10A562-"),
        Err(PersonFiscalCodeError::BadCharacter { position: 16, .. })
    ));
    // Non-ASCII is counted as one character, not as its UTF-8 bytes.
    assert!(matches!(
        PersonFiscalCode::parse("RSSMRÀ85T10A562S"),
        Err(PersonFiscalCodeError::BadCharacter {
            position: 6,
            found: 'À',
            ..
        })
    ));
}

#[test]
fn rejects_bad_month() {
    assert_eq!(
        PersonFiscalCode::parse("RSSMRA85F10A562S"),
        Err(PersonFiscalCodeError::BadMonth { found: 'F' })
    );
    assert_eq!(
        PersonFiscalCode::parse("RSSMRA85110A562S"),
        Err(PersonFiscalCodeError::BadMonth { found: '1' })
    );
}

#[test]
fn rejects_bad_day() {
    for (code, day) in [
        ("RSSMRA85T00A562S", 0),
        ("RSSMRA85T32A562S", 32),
        ("RSSMRA85T40A562S", 40),
        ("RSSMRA85T72A562S", 72),
        ("RSSMRA85T99A562S", 99),
    ] {
        assert_eq!(
            PersonFiscalCode::parse(code),
            Err(PersonFiscalCodeError::BadDay { found: day }),
            "{code}"
        );
    }
}

#[test]
fn rejects_wrong_check_character_and_says_which_was_expected() {
    let err = PersonFiscalCode::parse("RSSMRA85T10A562X").unwrap_err();
    assert_eq!(
        err,
        PersonFiscalCodeError::WrongCheckCharacter {
            expected: 'S',
            found: 'X'
        }
    );
    assert!(err.to_string().contains("expected 'S'"));
}

/// Builds a code from arbitrary parts and appends the right check letter.
fn with_check(body: &str) -> String {
    let check = check_letter(body.chars()).unwrap();
    format!("{body}{check}")
}

proptest! {
    #[test]
    fn generated_codes_round_trip(
        name in "[A-Z]{6}",
        year in 0u32..100,
        month in 0usize..12,
        day in 1u32..=31,
        female in any::<bool>(),
        place in "[A-Z][0-9]{3}",
    ) {
        let day_field = if female { day + 40 } else { day };
        let body = format!("{name}{year:02}{}{day_field:02}{place}", MONTH_LETTERS[month]);
        let code = with_check(&body);
        let cf = PersonFiscalCode::parse(&code.to_lowercase()).unwrap();
        prop_assert_eq!(cf.as_str(), code.as_str());
        let parts = cf.birth_date_parts();
        prop_assert_eq!(parts.two_digit_year, year);
        prop_assert_eq!(parts.day, day);
        prop_assert_eq!(parts.sex == Sex::Female, female);
    }

    #[test]
    fn any_input_is_handled_without_panicking(s in "\\PC{0,20}") {
        let _ = PersonFiscalCode::parse(&s);
    }

    #[test]
    fn changing_the_check_letter_is_always_caught(
        name in "[A-Z]{6}", other in "[A-Z]",
    ) {
        let code = with_check(&format!("{name}85T10A562"));
        let tampered = format!("{}{other}", &code[..15]);
        prop_assume!(tampered != code);
        let is_wrong_check = matches!(
            PersonFiscalCode::parse(&tampered),
            Err(PersonFiscalCodeError::WrongCheckCharacter { .. })
        );
        prop_assert!(is_wrong_check);
    }
}
