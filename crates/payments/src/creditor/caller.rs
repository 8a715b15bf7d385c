//! Who is calling, and about which comune: idPA must be a comune Mensa brokers, idBrokerPA
//! and idStation the platform's own. The Node's own notice identifiers (qrCode, receipt)
//! must name the same comune as idPA.

use std::sync::Arc;

use pagopa::soap::{Fault, FaultCode, Request};
use tenancy::Tenant;

use super::CreditorService;

impl CreditorService {
    pub(super) async fn check_caller(&self, request: &Request) -> Result<Arc<Tenant>, Fault> {
        let caller = request.caller();
        let id_pa = caller.id_pa.as_str();
        let fault = |code: FaultCode, description: String| Fault::new(code, id_pa, description);
        let tenant = match self.tenant(id_pa).await {
            Ok(Some(tenant)) => tenant,
            Ok(None) => {
                return Err(fault(
                    FaultCode::IdDominioErrato,
                    format!("{id_pa} is not a creditor of this broker"),
                ));
            }
            Err(error) => {
                tracing::error!(%error, "cannot look up the creditor");
                return Err(fault(
                    FaultCode::SystemError,
                    "temporary failure of the creditor, please retry".into(),
                ));
            }
        };
        let station = self.station();
        if caller.id_broker_pa.as_str() != station.broker_id {
            return Err(fault(
                FaultCode::IdIntermediarioErrato,
                format!(
                    "{} is not the broker of {id_pa}",
                    caller.id_broker_pa.as_str()
                ),
            ));
        }
        if caller.id_station.as_str() != station.station_id {
            return Err(fault(
                FaultCode::StazioneIntErrata,
                format!(
                    "{} is not the station of {id_pa}",
                    caller.id_station.as_str()
                ),
            ));
        }
        let named = match request {
            Request::VerifyPaymentNotice(r) => Some(r.qr_code.fiscal_code.as_str()),
            Request::GetPayment(r) | Request::GetPaymentV2(r) => {
                Some(r.qr_code.fiscal_code.as_str())
            }
            Request::SendRt(r) => Some(r.receipt.fiscal_code.as_str()),
            Request::SendRtV2(r) => Some(r.receipt.fiscal_code.as_str()),
            Request::DemandPaymentNotice(_) => None,
        };
        if let Some(named) = named.filter(|named| *named != id_pa) {
            return Err(fault(
                FaultCode::IdDominioErrato,
                format!("the notice belongs to {named}, not to idPA {id_pa}"),
            ));
        }
        Ok(tenant)
    }
}
