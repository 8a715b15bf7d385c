//! Documents built to exhaust the parser, sent to the creditor service: each gets a SOAP
//! answer (a syntax fault), and the service answers the next request as usual.

use std::time::{Duration, Instant};

use pagopa::soap::*;

use super::node::{Node, family, fault_of, notice};
use crate::support::{Backend, SAN_CASCIANO, TestApp};

const OPEN: &str = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:pafn=\"http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd\"><soapenv:Body><pafn:paSendRTV2Request>";
const CLOSE: &str = "</pafn:paSendRTV2Request></soapenv:Body></soapenv:Envelope>";

testkit::on_both_backends! {
    async fn deep_and_huge_documents_are_syntax_faults_and_the_service_keeps_answering(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let creditor = &app.state.pagopa.creditor;
        let nested = format!("{OPEN}{}{}{CLOSE}", "<a>".repeat(65_000), "</a>".repeat(65_000));
        let siblings = format!("{OPEN}{}{CLOSE}", "<a/>".repeat(1_000_000));
        for (what, body) in [("65,000 nested elements", &nested), ("a million siblings", &siblings)] {
            let started = Instant::now();
            let handled = creditor.handle_envelope(body, Some("paSendRTV2")).await;
            // Generous: the refusal takes milliseconds.
            assert!(started.elapsed() < Duration::from_secs(2), "{what}: {:?}", started.elapsed());
            assert_eq!(handled.fault, Some(FaultCode::SintassiXsd), "{what}");
            assert_eq!(handled.operation, Some(Operation::SendRtV2), "{what}");
            assert!(handled.receipt.is_none(), "{what}");
            assert!(handled.envelope.contains("paSendRTV2Response"), "{what}");
            assert!(handled.envelope.contains("too large"), "{what}: {}", handled.envelope);
        }
        // Without a SOAPAction nothing names the operation: a SOAP Fault answers.
        let handled = creditor.handle_envelope(&nested, None).await;
        assert!(handled.soap_fault);
        assert_eq!(handled.fault, Some(FaultCode::SintassiXsd));

        // The next request of the Node is answered as usual.
        let family = family(&app, SAN_CASCIANO, "genitore").await;
        let node = Node::of(&app, &family);
        let position = notice(&app, &family, 1000).await;
        let verify = write_request(&node.verify(&position.notice_number));
        let handled = creditor.handle_envelope(&verify, Some("paVerifyPaymentNotice")).await;
        assert_eq!(handled.fault, None, "{backend:?}: {}", handled.envelope);
        let answer = parse_response(&handled.envelope).unwrap();
        assert_eq!(fault_of(&answer), None);
    }
}
