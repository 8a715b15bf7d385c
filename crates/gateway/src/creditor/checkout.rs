//! pagoPA Checkout's `POST /carts` (`crates/pagopa/spec/openapi/checkout_v1.json`): it answers
//! 302 with the page that takes the parent through the payment.

use std::time::Duration;

use payments::remote::{BoxFuture, Cart, Checkout, RemoteError};
use serde_json::json;

use super::RemoteApi;

#[derive(Debug)]
pub struct HttpCheckout {
    api: RemoteApi,
    http: reqwest::Client,
}

impl HttpCheckout {
    pub fn new(api: RemoteApi) -> Self {
        Self {
            api,
            http: client(),
        }
    }

    async fn post_cart(&self, cart: &Cart) -> Result<String, RemoteError> {
        let notices: Vec<_> = cart
            .notices
            .iter()
            .map(|n| {
                json!({
                    "noticeNumber": n.notice_number,
                    "fiscalCode": n.fiscal_code,
                    "amount": n.amount_cents,
                    "companyName": n.company_name,
                    "description": n.description,
                })
            })
            .collect();
        let mut body = json!({
            "paymentNotices": notices,
            "returnUrls": {
                "returnOkUrl": cart.return_ok,
                "returnCancelUrl": cart.return_cancel,
                "returnErrorUrl": cart.return_error,
            },
        });
        if let Some(object) = body.as_object_mut() {
            if let Some(email) = &cart.email {
                object.insert("emailNotice".into(), json!(email));
            }
            if let Some(id) = &cart.id_cart {
                object.insert("idCart".into(), json!(id));
            }
        }
        let answer = with_key(
            self.http.post(format!("{}/carts", self.api.base_url)),
            &self.api,
        )
        .json(&body)
        .send()
        .await
        .map_err(|e| RemoteError::Unavailable(e.to_string()))?;
        let status = answer.status();
        if status.is_redirection() {
            return answer
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|location| location.to_str().ok())
                .map(str::to_owned)
                .ok_or_else(|| RemoteError::Unavailable("a redirect without a Location".into()));
        }
        Err(failure(answer).await)
    }
}

impl Checkout for HttpCheckout {
    fn start(&self, cart: &Cart) -> BoxFuture<'_, Result<String, RemoteError>> {
        let cart = cart.clone();
        Box::pin(async move { self.post_cart(&cart).await })
    }
}

/// A client that never follows redirects (the 302 *is* Checkout's answer) and gives up
/// before the parent does. It speaks HTTPS with rustls on ring, trusting the system's
/// root certificates, so pagoPA is reached without an egress proxy.
pub(super) fn client() -> reqwest::Client {
    crate::tls::install_provider();
    reqwest::Client::builder()
        .tls_version_min(reqwest::tls::Version::TLS_1_2)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_default()
}

/// pagoPA's API gateway takes the subscription key in this header.
pub(super) fn with_key(
    request: reqwest::RequestBuilder,
    api: &RemoteApi,
) -> reqwest::RequestBuilder {
    match &api.api_key {
        Some(key) => request.header("Ocp-Apim-Subscription-Key", key),
        None => request,
    }
}

/// A non-success answer as an error: 4xx (but 429) is a refusal, the rest is worth a retry.
pub(super) async fn failure(answer: reqwest::Response) -> RemoteError {
    let status = answer.status();
    let text = answer.text().await.unwrap_or_default();
    let detail = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|problem| {
            problem
                .get("detail")
                .or_else(|| problem.get("title"))
                .and_then(|d| d.as_str())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| text.chars().take(200).collect());
    if status.is_client_error() && status != reqwest::StatusCode::TOO_MANY_REQUESTS {
        RemoteError::Refused {
            status: status.as_u16(),
            detail,
        }
    } else {
        RemoteError::Unavailable(format!("HTTP {}: {detail}", status.as_u16()))
    }
}
