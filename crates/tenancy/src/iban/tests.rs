#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::*;
use proptest::prelude::*;

#[test]
fn accepts_the_standard_italian_example() {
    let iban = Iban::parse("IT60X0542811101000000123456").unwrap();
    assert_eq!(iban.as_str(), "IT60X0542811101000000123456");
    assert_eq!(iban.grouped(), "IT60 X054 2811 1010 0000 0123 456");
    assert_eq!(iban.to_string(), "IT60 X054 2811 1010 0000 0123 456");
    assert_eq!(iban.country(), "IT");
    assert!(iban.is_italian());
}

#[test]
fn accepts_spaced_lowercase_input() {
    let iban: Iban = " it60 x054 2811\u{a0}1010 0000 0123 456 ".parse().unwrap();
    assert_eq!(iban.as_str(), "IT60X0542811101000000123456");
}

#[test]
fn accepts_other_countries_published_examples() {
    for (text, country) in [
        ("SM86U0322509800000000270100", "SM"),
        ("DE89370400440532013000", "DE"),
        ("FR1420041010050500013M02606", "FR"),
        ("GB29NWBK60161331926819", "GB"),
        ("ES9121000418450200051332", "ES"),
        ("NL91ABNA0417164300", "NL"),
        ("BE68539007547034", "BE"),
        ("AT611904300234573201", "AT"),
        ("CH9300762011623852957", "CH"),
        // Norway is not in the table: only the general bounds apply.
        ("NO9386011117947", "NO"),
    ] {
        let iban = Iban::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(iban.country(), country);
        assert!(!iban.is_italian() || country == "IT");
    }
}

#[test]
fn rejects_wrong_check_digits() {
    assert_eq!(
        Iban::parse("IT61X0542811101000000123456"),
        Err(IbanError::ChecksumMismatch)
    );
    // A single transposition in the account number.
    assert_eq!(
        Iban::parse("IT60X0542811101000000123465"),
        Err(IbanError::ChecksumMismatch)
    );
}

#[test]
fn rejects_check_digits_outside_02_to_98() {
    // 98 -> 01 keeps the mod-97 remainder but is not a valid IBAN.
    for digits in ["00", "01", "99", "6X"] {
        let text = format!("DE{digits}370400440532013000");
        assert_eq!(
            Iban::parse(&text),
            Err(IbanError::BadCheckDigits {
                found: digits.to_owned()
            }),
            "{text}"
        );
    }
}

#[test]
fn rejects_wrong_length() {
    assert_eq!(
        Iban::parse("IT60X054281110100000012345"),
        Err(IbanError::WrongLength {
            country: "IT".to_owned(),
            expected: 27,
            found: 26
        })
    );
    assert_eq!(
        Iban::parse("NO93860111179"),
        Err(IbanError::LengthOutOfRange { found: 13 })
    );
    assert_eq!(
        Iban::parse("NO9386011117947860111179478601111794"),
        Err(IbanError::LengthOutOfRange { found: 36 })
    );
}

#[test]
fn rejects_bad_characters() {
    assert_eq!(
        Iban::parse("IT60-X054-2811"),
        Err(IbanError::BadCharacter {
            position: 5,
            found: '-'
        })
    );
    assert!(matches!(
        Iban::parse("IT60X05428111010000001234è6"),
        Err(IbanError::BadCharacter { position: 26, .. })
    ));
    assert_eq!(
        Iban::parse("1T60X0542811101000000123456"),
        Err(IbanError::BadCountryCode {
            found: "1T".to_owned()
        })
    );
    assert_eq!(
        Iban::parse("I"),
        Err(IbanError::BadCountryCode {
            found: "I".to_owned()
        })
    );
    assert_eq!(Iban::parse("   "), Err(IbanError::Empty));
}

/// Builds an IBAN with correct check digits around `country` + `bban`.
fn with_check_digits(country: &str, bban: &str) -> String {
    let remainder = mod97(&format!("{country}00{bban}")).unwrap();
    format!("{country}{:02}{bban}", 98 - remainder)
}

#[test]
fn validates_the_italian_bban_structure() {
    // Letters in the ABI: the mod-97 check alone would accept these.
    let text = with_check_digits("IT", "X05A2811101000000123456");
    assert!(matches!(
        Iban::parse(&text),
        Err(IbanError::BadItalianBban { part, .. }) if part.starts_with("ABI")
    ));
    let text = with_check_digits("IT", "X0542811B01000000123456");
    assert!(matches!(
        Iban::parse(&text),
        Err(IbanError::BadItalianBban { part, .. }) if part.starts_with("CAB")
    ));
    let text = with_check_digits("IT", "90542811101000000123456");
    assert!(matches!(
        Iban::parse(&text),
        Err(IbanError::BadItalianBban { part, .. }) if part.starts_with("CIN")
    ));
    // Right mod-97, wrong CIN.
    let text = with_check_digits("IT", "Y0542811101000000123456");
    assert_eq!(
        Iban::parse(&text),
        Err(IbanError::WrongItalianCin {
            expected: 'X',
            found: 'Y'
        })
    );
    // Letters in the account part are allowed.
    let cin = check_letter("0542811101AB0000123456".chars()).unwrap();
    let text = with_check_digits("IT", &format!("{cin}0542811101AB0000123456"));
    assert!(Iban::parse(&text).is_ok(), "{text}");
}

proptest! {
    #[test]
    fn generated_italian_ibans_round_trip(
        abi in "[0-9]{5}", cab in "[0-9]{5}", account in "[0-9A-Z]{12}",
    ) {
        let body = format!("{abi}{cab}{account}");
        let cin = check_letter(body.chars()).unwrap();
        let text = with_check_digits("IT", &format!("{cin}{body}"));
        let iban = Iban::parse(&text.to_lowercase()).unwrap();
        prop_assert_eq!(iban.as_str(), text.as_str());
        prop_assert_eq!(Iban::parse(&iban.grouped()).unwrap(), iban);
    }

    #[test]
    fn any_input_is_handled_without_panicking(s in "\\PC{0,40}") {
        let _ = Iban::parse(&s);
    }
}
