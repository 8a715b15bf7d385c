//! The central archive's `POST /paCreatePosition` (`crates/pagopa/spec/openapi/paCreatePosition.json`).

use payments::remote::{ArchivedPosition, BoxFuture, CentralArchive, RemoteError};
use serde_json::json;

use super::RemoteApi;
use super::checkout::{client, failure, with_key};

#[derive(Debug)]
pub struct HttpArchive {
    api: RemoteApi,
    http: reqwest::Client,
}

impl HttpArchive {
    pub fn new(api: RemoteApi) -> Self {
        Self {
            api,
            http: client(),
        }
    }

    async fn post(&self, p: &ArchivedPosition) -> Result<(), RemoteError> {
        let mut body = json!({
            "paFiscalCode": p.pa_fiscal_code,
            "entityType": p.entity_type.to_string(),
            "entityFiscalCode": p.entity_fiscal_code,
            "entityFullName": p.entity_full_name,
            "iuv": p.iuv,
            "nav": p.nav,
            "amount": p.amount_cents,
            "description": p.description,
            // The notice can be paid until the end of its due date.
            "expirationDate": format!("{}T23:59:59", p.expiration_date),
            "iban": p.iban,
            "switchToExpired": p.switch_to_expired,
            "payStandIn": p.pay_stand_in,
        });
        if let (Some(object), Some(postal)) = (body.as_object_mut(), &p.postal_iban) {
            object.insert("postalIban".into(), json!(postal));
        }
        let answer = with_key(
            self.http
                .post(format!("{}/paCreatePosition", self.api.base_url)),
            &self.api,
        )
        .json(&body)
        .send()
        .await
        .map_err(|e| RemoteError::Unavailable(e.to_string()))?;
        if answer.status().is_success() {
            Ok(())
        } else {
            Err(failure(answer).await)
        }
    }
}

impl CentralArchive for HttpArchive {
    fn create_position(
        &self,
        position: &ArchivedPosition,
    ) -> BoxFuture<'_, Result<(), RemoteError>> {
        let position = position.clone();
        Box::pin(async move { self.post(&position).await })
    }
}
