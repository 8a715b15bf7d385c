//! Entry points: whole SOAP envelopes in and out, plus the bare payload for XSD validation.

mod common;
mod receipt;
mod requests;
mod responses;

use super::dom::{parse_document, soap_payload};
use super::error::{ParseError, RequestError};
use super::out::envelope;
use super::request::{Operation, ReceivedRequest, Request};
use super::response::Response;

/// The request as a complete SOAP 1.1 envelope, as the Node posts it.
pub fn write_request(request: &Request) -> String {
    envelope(&requests::write(request))
}

/// Only the element inside `soap:Body`, with its namespace declared on it.
pub fn request_body(request: &Request) -> String {
    requests::write(request)
}

/// The response as a complete SOAP 1.1 envelope.
pub fn write_response(response: &Response) -> String {
    envelope(&responses::write(response))
}

/// A SOAP 1.1 Fault blaming the client: the answer to a body that is no paForNode
/// operation at all, so no `ctResponse` of any operation can carry the KO.
pub fn write_soap_fault(reason: &str) -> String {
    let mut out = super::out::XmlOut::new();
    out.open_soap_fault();
    out.leaf("faultcode", &"soapenv:Client");
    out.leaf("faultstring", &reason);
    out.close_soap_fault();
    envelope(&out.finish())
}

/// Only the element inside `soap:Body`, with its namespace declared on it.
pub fn response_body(response: &Response) -> String {
    responses::write(response)
}

/// Parses a request envelope; on failure the error says which operation it was and which
/// idPA sent it, when those could be read, so a KO response can still be built.
pub fn parse_request(xml: &str) -> Result<ReceivedRequest, RequestError> {
    let root = parse_document(xml).map_err(|error| RequestError {
        operation: None,
        id_pa: None,
        error,
    })?;
    let payload = soap_payload(&root).map_err(|error| RequestError {
        operation: None,
        id_pa: None,
        error,
    })?;
    let operation = Operation::ALL
        .into_iter()
        .find(|op| op.request_element() == payload.name);
    let id_pa = payload.child("idPA").map(|e| e.text.clone());
    match requests::read(payload) {
        Ok(request) => Ok(ReceivedRequest {
            request,
            raw: xml.to_owned(),
        }),
        Err(error) => Err(RequestError {
            operation,
            id_pa,
            error,
        }),
    }
}

/// Parses a response envelope.
pub fn parse_response(xml: &str) -> Result<Response, ParseError> {
    let root = parse_document(xml)?;
    responses::read(soap_payload(&root)?)
}
