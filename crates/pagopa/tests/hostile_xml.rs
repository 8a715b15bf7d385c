//! Bodies an attacker can post to the creditor endpoint: every parser answers Ok or Err,
//! quickly, and never panics or exhausts the stack.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::time::{Duration, Instant};

use pagopa::soap::*;
use proptest::prelude::*;

const ENVELOPE_OPEN: &str = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:pafn=\"http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd\"><soapenv:Body><pafn:paSendRTV2Request>";
const ENVELOPE_CLOSE: &str = "</pafn:paSendRTV2Request></soapenv:Body></soapenv:Envelope>";

/// Generous: the refusal takes milliseconds; the bound only catches a parser that reads
/// the whole document before refusing it.
const QUICKLY: Duration = Duration::from_secs(2);

fn nested(levels: usize) -> String {
    let mut xml = String::from(ENVELOPE_OPEN);
    xml.push_str(&"<a>".repeat(levels));
    xml.push_str(&"</a>".repeat(levels));
    xml.push_str(ENVELOPE_CLOSE);
    xml
}

fn refused_quickly(xml: &str) -> RequestError {
    let started = Instant::now();
    let error = parse_request(xml).expect_err("a hostile document was accepted");
    assert!(started.elapsed() < QUICKLY, "took {:?}", started.elapsed());
    error
}

#[test]
fn sixty_five_thousand_nested_elements_are_a_syntax_fault() {
    let xml = nested(65_000);
    assert!(
        xml.len() > 400_000,
        "the size of the body that crashed the process"
    );
    let error = refused_quickly(&xml);
    assert!(matches!(error.error, ParseError::TooLarge(_)), "{error:?}");
    assert_eq!(error.fault_code(), FaultCode::SintassiXsd);
    // The same body as a response (the Node's double reads those) is refused the same way.
    assert!(matches!(parse_response(&xml), Err(ParseError::TooLarge(_))));
}

#[test]
fn a_million_sibling_elements_are_a_syntax_fault() {
    let mut xml = String::from(ENVELOPE_OPEN);
    xml.push_str(&"<a/>".repeat(1_000_000));
    xml.push_str(ENVELOPE_CLOSE);
    let error = refused_quickly(&xml);
    assert!(matches!(error.error, ParseError::TooLarge(_)), "{error:?}");
    assert_eq!(error.fault_code(), FaultCode::SintassiXsd);
}

#[test]
fn real_messages_fit_well_within_the_limits() {
    // The deepest and biggest messages there are still parse.
    for request in common::requests() {
        parse_request(&write_request(&request)).unwrap();
    }
    for response in common::responses() {
        parse_response(&write_response(&response)).unwrap();
    }
    // And a document a little deeper than any message is still only a structure error.
    let error = parse_request(&nested(20)).unwrap_err();
    assert!(!matches!(error.error, ParseError::TooLarge(_)), "{error:?}");
}

/// Every request and response the codec writes: the seeds the mutations start from.
fn samples() -> Vec<String> {
    let mut all: Vec<String> = common::requests().iter().map(write_request).collect();
    all.extend(common::responses().iter().map(write_response));
    all
}

/// Hostile fragments spliced into real messages.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<".to_owned()),
        Just("</".to_owned()),
        Just("<!DOCTYPE x [<!ENTITY a \"aaaa\">]>".to_owned()),
        Just("&a;&#0;&#xFFFFFFFF;&amp".to_owned()),
        Just("<![CDATA[".to_owned()),
        Just("<x:y xmlns:x=\"\">".to_owned()),
        Just("<?xml version=\"1.0\"?>".to_owned()),
        (1usize..200).prop_map(|n| "<a>".repeat(n)),
        (1usize..200).prop_map(|n| "</a>".repeat(n)),
        (1usize..20_000).prop_map(|n| "<a/>".repeat(n)),
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_gets_an_answer(text in any::<String>()) {
        let _ = parse_request(&text);
        let _ = parse_response(&text);
    }

    #[test]
    fn arbitrary_bytes_get_an_answer(bytes in proptest::collection::vec(any::<u8>(), 0..2_000)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = parse_request(&text);
        let _ = parse_response(&text);
    }

    /// Each request type's message (and each response's), cut short or with hostile
    /// fragments spliced in anywhere.
    #[test]
    fn mangled_messages_get_an_answer(
        which in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        cut in any::<bool>(),
        inserted in fragment(),
    ) {
        let all = samples();
        let sample = which.get(&all);
        let mut at = at.index(sample.len() + 1);
        while !sample.is_char_boundary(at) {
            at -= 1;
        }
        let (head, tail) = sample.split_at(at);
        let mangled = if cut {
            format!("{head}{inserted}")
        } else {
            format!("{head}{inserted}{tail}")
        };
        let _ = parse_request(&mangled);
        let _ = parse_response(&mangled);
    }
}
