//! `POST /pagopa/paForNode`: SOAP 1.1, the operation named by the SOAPAction header and the
//! body. Served on the creditor listener only (`listener`), whatever the Host header:
//! the Node names the comune by its fiscal code (idPA), never by a subdomain.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::AppState;

pub(super) async fn pa_for_node(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let action = headers
        .get("soapaction")
        .and_then(|value| value.to_str().ok());
    let creditor = &state.pagopa.creditor;
    let handled = match std::str::from_utf8(&body) {
        Ok(body) => creditor.handle_envelope(body, action).await,
        Err(_) => creditor.unreadable(action, "the body is not UTF-8"),
    };
    state.pagopa.metrics.record(&handled);
    // SOAP 1.1: a KO outcome is a normal answer (200); only a SOAP Fault is a 500.
    let status = if handled.soap_fault {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    };
    (
        status,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        handled.envelope,
    )
        .into_response()
}
