//! The creditor service the pagoPA Node calls (`paForNode`): it answers
//! paVerifyPaymentNotice, paGetPayment(V2) and paSendRT(V2) for every comune Mensa brokers,
//! with the fault codes of the SANP tables ("Gestione degli errori" › Dominio EC).
//!
//! Every request gets an answer the XSD accepts: a parse failure becomes the KO of the
//! operation it was meant to be (the codec reports which), our own failures become
//! PAA_SYSTEM_ERROR, and only a body that is no paForNode operation at all gets a SOAP Fault.

mod caller;
mod payment;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use accounts::AccountEngine;
use pagopa::soap::{
    Fault, FaultCode, Operation, ReceivedRequest, Reply, Request, Response, parse_request,
    write_response, write_soap_fault,
};
use sea_orm::DatabaseConnection;
use tenancy::{Tenant, TenantDirectory};

use crate::receipts::{self, ReceiptOutcome};
use crate::refusal::Refusal;

/// The platform's identity at the Node: the broker (intermediario) of every comune and its
/// station. Both are configured per deployment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Station {
    pub broker_id: String,
    pub station_id: String,
}

/// The answer to one HTTP request of the Node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handled {
    /// The operation answered, when the body or the SOAPAction named one.
    pub operation: Option<Operation>,
    /// The SOAP envelope to send back.
    pub envelope: String,
    /// True when no paForNode operation could be recognised: the envelope is a SOAP Fault
    /// (HTTP 500 in SOAP 1.1).
    pub soap_fault: bool,
    /// The fault code of a KO answer; `None` for OK.
    pub fault: Option<FaultCode>,
    pub receipt: Option<ReceiptOutcome>,
}

/// How long a comune found by its fiscal code is reused: the Node calls three or four times
/// per payment, and a change of pagoPA settings reaches every replica within this time.
const TENANT_TTL: Duration = Duration::from_secs(30);

#[derive(Debug)]
pub struct CreditorService {
    pub(crate) db: DatabaseConnection,
    tenants: Arc<TenantDirectory>,
    pub(crate) engine: AccountEngine,
    station: Station,
    by_fiscal_code: RwLock<HashMap<String, (Arc<Tenant>, Instant)>>,
}

impl CreditorService {
    pub fn new(
        db: DatabaseConnection,
        tenants: Arc<TenantDirectory>,
        engine: AccountEngine,
        station: Station,
    ) -> Self {
        Self {
            db,
            tenants,
            engine,
            station,
            by_fiscal_code: RwLock::new(HashMap::new()),
        }
    }

    pub fn station(&self) -> &Station {
        &self.station
    }

    /// Answers one SOAP request body. `soap_action` is the HTTP header, quotes and all; when
    /// present it must name the operation of the body.
    pub async fn handle_envelope(&self, body: &str, soap_action: Option<&str>) -> Handled {
        let action = soap_action
            .map(|a| a.trim().trim_matches('"'))
            .filter(|a| !a.is_empty());
        let named = action.and_then(Operation::from_soap_action);
        match parse_request(body) {
            Ok(received) => {
                let operation = received.request.operation();
                if let Some(action) = action.filter(|a| *a != operation.soap_action()) {
                    let fault = Fault::new(
                        FaultCode::SintassiExtraXsd,
                        received.request.caller().id_pa.as_str(),
                        format!(
                            "SOAPAction {action} does not match <{}>",
                            operation.request_element()
                        ),
                    );
                    return answer(Response::fault(operation, fault), None);
                }
                let (response, receipt) = self.handle(&received).await;
                answer(response, receipt)
            }
            Err(error) => {
                let fallback = &self.station.broker_id;
                let known = error.operation.or(named);
                let fault = Fault::new(
                    error.fault_code(),
                    error.id_pa.as_deref().unwrap_or(fallback),
                    error.error.to_string(),
                );
                match known {
                    Some(operation) => answer(Response::fault(operation, fault), None),
                    None => Handled {
                        operation: None,
                        envelope: write_soap_fault(&error.error.to_string()),
                        soap_fault: true,
                        fault: Some(error.fault_code()),
                        receipt: None,
                    },
                }
            }
        }
    }

    /// The answer to a body that cannot even be read as text (not UTF-8): PAA_SINTASSI_XSD
    /// for the operation the SOAPAction names, or a SOAP Fault without one.
    pub fn unreadable(&self, soap_action: Option<&str>, reason: &str) -> Handled {
        let named = soap_action
            .map(|a| a.trim().trim_matches('"'))
            .and_then(Operation::from_soap_action);
        match named {
            Some(operation) => {
                let fault = Fault::new(FaultCode::SintassiXsd, &self.station.broker_id, reason);
                answer(Response::fault(operation, fault), None)
            }
            None => Handled {
                operation: None,
                envelope: write_soap_fault(reason),
                soap_fault: true,
                fault: Some(FaultCode::SintassiXsd),
                receipt: None,
            },
        }
    }

    /// Answers one parsed request.
    pub async fn handle(&self, received: &ReceivedRequest) -> (Response, Option<ReceiptOutcome>) {
        let request = &received.request;
        let operation = request.operation();
        let id_pa = request.caller().id_pa.as_str();
        let tenant = match self.check_caller(request).await {
            Ok(tenant) => tenant,
            Err(fault) => return (Response::fault(operation, fault), None),
        };
        let today = crate::today();
        let outcome = match request {
            Request::VerifyPaymentNotice(r) => payment::verify(self, &tenant, &r.qr_code, today)
                .await
                .map(|ok| (Response::VerifyPaymentNotice(Reply::Ok(ok)), None)),
            Request::GetPayment(r) => payment::get_v1(self, &tenant, &r.qr_code, today)
                .await
                .map(|data| (Response::GetPayment(Reply::Ok(data)), None)),
            Request::GetPaymentV2(r) => payment::get_v2(self, &tenant, &r.qr_code, today)
                .await
                .map(|data| (Response::GetPaymentV2(Reply::Ok(data)), None)),
            Request::SendRt(r) => {
                let incoming = receipts::Incoming::v1(r, &received.raw);
                receipts::accept(&self.db, &self.engine, &tenant, incoming, today)
                    .await
                    .map(|outcome| (Response::SendRt(Reply::Ok(())), Some(outcome)))
            }
            Request::SendRtV2(r) => {
                let incoming = receipts::Incoming::v2(r, &received.raw);
                receipts::accept(&self.db, &self.engine, &tenant, incoming, today)
                    .await
                    .map(|outcome| (Response::SendRtV2(Reply::Ok(())), Some(outcome)))
            }
            Request::DemandPaymentNotice(_) => Err(Refusal::Fault(
                FaultCode::Semantica,
                "paDemandPaymentNotice is not offered by this creditor".into(),
            )),
        };
        match outcome {
            Ok(answer) => answer,
            Err(Refusal::Fault(code, description)) => (
                Response::fault(operation, Fault::new(code, id_pa, description)),
                None,
            ),
            Err(Refusal::Failed(error)) => {
                tracing::error!(
                    tenant.slug = tenant.slug.as_str(),
                    primitive = operation.soap_action(),
                    error = %error,
                    "pagoPA request failed"
                );
                let fault = Fault::new(
                    FaultCode::SystemError,
                    id_pa,
                    "temporary failure of the creditor, please retry",
                );
                (Response::fault(operation, fault), None)
            }
        }
    }

    /// The comune named by `fiscal_code`, from a short-lived cache.
    async fn tenant(&self, fiscal_code: &str) -> Result<Option<Arc<Tenant>>, crate::PaymentsError> {
        if let Ok(cache) = self.by_fiscal_code.read()
            && let Some((tenant, loaded)) = cache.get(fiscal_code)
            && loaded.elapsed() < TENANT_TTL
        {
            return Ok(Some(Arc::clone(tenant)));
        }
        let Some(tenant) = self.tenants.by_creditor(fiscal_code).await? else {
            return Ok(None);
        };
        let tenant = Arc::new(tenant);
        if let Ok(mut cache) = self.by_fiscal_code.write() {
            cache.insert(
                fiscal_code.to_owned(),
                (Arc::clone(&tenant), Instant::now()),
            );
        }
        Ok(Some(tenant))
    }
}

fn answer(response: Response, receipt: Option<ReceiptOutcome>) -> Handled {
    Handled {
        operation: Some(response.operation()),
        envelope: write_response(&response),
        soap_fault: false,
        fault: response.ko().map(|f| f.code),
        receipt,
    }
}
