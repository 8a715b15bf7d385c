//! Calling a paForNode endpoint the way the Node does: one SOAP 1.1 POST per request, with
//! the operation in the SOAPAction header. The sandbox uses it on this very gateway, and so
//! can tests and the benchmark.

use pagopa::soap::{ParseError, Request, Response, parse_response, write_request};

#[derive(Debug, thiserror::Error)]
pub enum SoapCallError {
    #[error("the creditor endpoint did not answer: {0}")]
    Transport(#[from] reqwest::Error),
    #[error("the creditor answered HTTP {status}: {body}")]
    Status { status: u16, body: String },
    #[error("the creditor's answer is not a paForNode response: {0}")]
    Answer(#[from] ParseError),
}

#[derive(Clone, Debug)]
pub struct SoapClient {
    http: reqwest::Client,
    url: String,
}

impl SoapClient {
    /// `url` is the full endpoint, e.g. `http://127.0.0.1:8080/pagopa/paForNode`.
    pub fn new(http: reqwest::Client, url: impl Into<String>) -> Self {
        Self {
            http,
            url: url.into(),
        }
    }

    /// Sends `request`; returns the parsed response and the envelope as received.
    pub async fn call(&self, request: &Request) -> Result<(Response, String), SoapCallError> {
        let answer = self
            .http
            .post(&self.url)
            .header("SOAPAction", request.operation().soap_action())
            .header(reqwest::header::CONTENT_TYPE, "text/xml; charset=utf-8")
            .body(write_request(request))
            .send()
            .await?;
        let status = answer.status();
        let body = answer.text().await?;
        if !status.is_success() {
            return Err(SoapCallError::Status {
                status: status.as_u16(),
                body,
            });
        }
        let response = parse_response(&body)?;
        Ok((response, body))
    }
}
