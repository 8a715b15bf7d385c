#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use pagopa::soap::*;

#[test]
fn every_request_round_trips() {
    for request in common::requests() {
        let xml = write_request(&request);
        let parsed = parse_request(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        assert_eq!(parsed.request, request, "{xml}");
        assert_eq!(parsed.raw, xml);
        assert!(xml.contains(&request_body(&request)));
    }
}

#[test]
fn every_response_round_trips() {
    for response in common::responses() {
        let xml = write_response(&response);
        let parsed = parse_response(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        assert_eq!(parsed, response, "{xml}");
        assert!(xml.contains(&response_body(&response)));
    }
}

#[test]
fn only_the_wrapper_is_qualified_and_amounts_have_two_decimals() {
    let responses = common::responses();
    let xml = response_body(&responses[1]);
    assert!(xml.starts_with(
        "<paf:paGetPaymentRes xmlns:paf=\"http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd\">"
    ));
    assert_eq!(xml.matches("paf:").count(), 2, "{xml}");
    assert!(xml.contains("<paymentAmount>45.50</paymentAmount>"));
    assert!(xml.contains("<fullName>Mario Rossi &amp; Figli &lt;genitore&gt;</fullName>"));
    assert!(xml.contains("<outcome>OK</outcome><data>"));
}

#[test]
fn ko_answers_carry_the_official_fault_bean() {
    let fault = Fault::new(FaultCode::PagamentoSconosciuto, "00123456789", "");
    let xml = response_body(&Response::fault(Operation::VerifyPaymentNotice, fault));
    assert_eq!(
        xml,
        "<paf:paVerifyPaymentNoticeRes xmlns:paf=\"http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd\">\
         <outcome>KO</outcome><fault><faultCode>PAA_PAGAMENTO_SCONOSCIUTO</faultCode>\
         <faultString>Pagamento in attesa risulta sconosciuto all’Ente Creditore</faultString>\
         <id>00123456789</id></fault></paf:paVerifyPaymentNoticeRes>"
    );
}
