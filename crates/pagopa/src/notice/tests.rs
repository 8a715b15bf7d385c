use super::*;

fn seg(code: u8) -> SegregationCode {
    SegregationCode::new(code).unwrap()
}

#[test]
fn hand_computed_check_digits() {
    // 10^2 = 100 ≡ 7 (mod 93), 7^7 ≡ 28, so 10^15 = 10·(10^2)^7 ≡ 10·28 = 280 ≡ 1.
    // Hence "3" + "00" + 13 zeros = 3·10^15 ≡ 3  →  check digits "03".
    let n = NoticeNumber::generate(seg(0), 0).unwrap();
    assert_eq!(n.to_string(), "300000000000000003");
    // 10^13 ≡ 100⁻¹ ≡ 7⁻¹ ≡ 40 (7·40 = 280 ≡ 1), so 3·10^15 + 1·10^13 + 1 ≡ 3 + 40 + 1 = 44.
    let n = NoticeNumber::generate(seg(1), 1).unwrap();
    assert_eq!(n.to_string(), "301000000000000144");
    // 3011234567890123 mod 93 = 16 (long division: 93 · 32378866321399 = 3011234567890107).
    let n = NoticeNumber::generate(seg(1), 1_234_567_890_123).unwrap();
    assert_eq!(n.to_string(), "301123456789012316");
    assert_eq!(n.iuv().to_string(), "01123456789012316");
    assert_eq!(n.grouped(), "3011 2345 6789 0123 16");
}

#[test]
fn parse_accepts_a_valid_number() {
    let n = NoticeNumber::parse("301123456789012316").unwrap();
    assert_eq!(n.segregation_code(), seg(1));
    assert_eq!(n.base(), 1_234_567_890_123);
    assert_eq!(n.check_digits(), 16);
    assert_eq!(n.aux_digit().digit(), 3);
}

#[test]
fn parse_rejects_with_distinct_errors() {
    assert_eq!(
        NoticeNumber::parse("30112345678901231"),
        Err(NoticeError::Length {
            expected: 18,
            found: 17
        })
    );
    assert_eq!(
        NoticeNumber::parse("30112345678901231a"),
        Err(NoticeError::NotDigits)
    );
    assert_eq!(
        NoticeNumber::parse("00112345678901231è"),
        Err(NoticeError::NotDigits)
    );
    assert_eq!(
        NoticeNumber::parse("001123456789012316"),
        Err(NoticeError::UnsupportedAuxDigit(0))
    );
    assert_eq!(
        NoticeNumber::parse("301123456789012317"),
        Err(NoticeError::CheckDigits {
            expected: 16,
            found: 17
        })
    );
}

#[test]
fn generate_rejects_a_base_over_13_digits() {
    assert_eq!(
        NoticeNumber::generate(seg(1), 10_000_000_000_000),
        Err(NoticeError::BaseTooLarge(10_000_000_000_000))
    );
    assert!(NoticeNumber::generate(seg(99), 9_999_999_999_999).is_ok());
    assert_eq!(
        SegregationCode::new(100),
        Err(NoticeError::SegregationCode(100))
    );
    assert_eq!("07".parse::<SegregationCode>().unwrap(), seg(7));
}

#[test]
fn iuv_round_trips() {
    let n = NoticeNumber::generate(seg(12), 42).unwrap();
    let iuv = Iuv::parse(&n.iuv().to_string()).unwrap();
    assert_eq!(iuv.notice_number(), n);
    assert!(matches!(
        Iuv::parse("1200000000000004200"),
        Err(NoticeError::Length { .. })
    ));
}

#[test]
fn many_generated_numbers_round_trip_and_detect_single_digit_errors() {
    // A small LCG spreads the bases over the whole 13-digit range without a dependency.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    for i in 0..1500u64 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let base = if i < 20 { i } else { state % BASE_LIMIT };
        let segregation = seg(u8::try_from(i % 100).unwrap());
        let n = NoticeNumber::generate(segregation, base).unwrap();
        let text = n.to_string();
        assert_eq!(text.len(), 18);
        assert_eq!(NoticeNumber::parse(&text).unwrap(), n);

        let bytes = text.as_bytes();
        for pos in 0..18 {
            for digit in b'0'..=b'9' {
                if digit == bytes[pos] {
                    continue;
                }
                let mut changed = bytes.to_vec();
                changed[pos] = digit;
                let changed = String::from_utf8(changed).unwrap();
                assert!(
                    NoticeNumber::parse(&changed).is_err(),
                    "{changed} (from {text}) was accepted"
                );
            }
        }
    }
}
