//! The sandbox checkout of the demo: it plays pagoPA Checkout, the Node and a PSP.
//!
//! `GET /sandbox/checkout?notice=<18 digits>&return=<path>` shows the notice; its form
//! posts back here, and the POST calls the creditor listener's `/pagopa/paForNode` (plain
//! HTTP in demo mode, `MENSA_PAGOPA_ADDR`) with the messages the Node would send (paVerifyPaymentNotice, paGetPaymentV2,
//! paSendRTV2), then sends the parent back to `return`. Nothing here touches the database
//! directly: the money arrives exactly as a real receipt brings it. Mounted only when the
//! sandbox is on, which the configuration refuses outside demo mode: elsewhere its
//! routes answer 404.

use app::notices::safe_return;
use std::sync::atomic::{AtomicU32, Ordering};

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use pagopa::soap::{
    Caller, FaultCode, Outcome, QrCode, Receipt, ReceiptV2Extras, Reply, Request, Response as Soap,
    SendRtV2Req, VerifyPaymentNoticeReq, XsdDateTime,
};
use pagopa::{FiscalCodePa, NoticeNumber};
use serde::Deserialize;
use tenancy::Tenant;

use super::SoapClient;
use crate::tenant::CurrentTenant;
use crate::{AppState, GatewayError};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/sandbox/checkout", get(page).post(pay))
}

#[derive(Deserialize)]
pub(super) struct Params {
    notice: Option<String>,
    #[serde(rename = "return")]
    return_path: Option<String>,
}

struct NoticeView {
    number: String,
    grouped: String,
    description: String,
    amount: String,
    due: String,
    payable: bool,
}

#[derive(Template)]
#[template(path = "sandbox_checkout.html")]
struct Page<'a> {
    name: &'a str,
    primary_color: &'a str,
    notice: Option<NoticeView>,
    error: Option<String>,
    return_path: String,
}

async fn page(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    Query(params): Query<Params>,
) -> Result<Html<String>, GatewayError> {
    let return_path = safe_return(params.return_path.as_deref());
    let (notice, error) = match params.notice.as_deref().map(NoticeNumber::parse) {
        Some(Ok(number)) => describe(&state, &tenant, &number).await?,
        _ => (None, Some("Codice avviso non valido.".to_owned())),
    };
    render(&tenant, notice, error, return_path)
}

#[derive(Deserialize)]
pub(super) struct Payment {
    notice: String,
    #[serde(rename = "return")]
    return_path: Option<String>,
}

async fn pay(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    Form(form): Form<Payment>,
) -> Result<Response, GatewayError> {
    let return_path = safe_return(form.return_path.as_deref());
    let Ok(notice) = NoticeNumber::parse(&form.notice) else {
        let error = Some("Codice avviso non valido.".to_owned());
        return render(&tenant, None, error, return_path).map(IntoResponse::into_response);
    };
    match play_node_and_psp(&state, &tenant, notice).await {
        Ok(()) => Ok(Redirect::to(&return_path).into_response()),
        Err(message) => {
            let (view, _) = describe(&state, &tenant, &notice).await?;
            render(&tenant, view, Some(message), return_path).map(IntoResponse::into_response)
        }
    }
}

fn render(
    tenant: &Tenant,
    notice: Option<NoticeView>,
    error: Option<String>,
    return_path: String,
) -> Result<Html<String>, GatewayError> {
    Page {
        name: &tenant.name,
        primary_color: &tenant.branding.primary_color,
        notice,
        error,
        return_path,
    }
    .render()
    .map(Html)
    .map_err(GatewayError::internal)
}

/// The notice as the page shows it, or why it cannot be paid.
async fn describe(
    state: &AppState,
    tenant: &Tenant,
    number: &NoticeNumber,
) -> Result<(Option<NoticeView>, Option<String>), GatewayError> {
    let txn = tenancy::scope::begin(&state.app.db, tenant.id)
        .await
        .map_err(GatewayError::internal)?;
    let position = payments::position_by_notice(&txn, tenant.id, number)
        .await
        .map_err(GatewayError::internal)?;
    txn.commit().await.map_err(GatewayError::internal)?;
    let Some(position) = position else {
        return Ok((None, Some(fault_message(FaultCode::PagamentoSconosciuto))));
    };
    let error = match position.status_on(payments::today()) {
        payments::PositionStatus::Open => None,
        payments::PositionStatus::Paid => Some(fault_message(FaultCode::PagamentoDuplicato)),
        payments::PositionStatus::Expired => Some(fault_message(FaultCode::PagamentoScaduto)),
        payments::PositionStatus::Cancelled => Some(fault_message(FaultCode::PagamentoAnnullato)),
    };
    let view = NoticeView {
        number: position.notice_number.to_string(),
        grouped: position.notice_number.grouped(),
        description: position.description.clone(),
        amount: money::format_italian(position.amount),
        due: position.due_date.format("%d/%m/%Y").to_string(),
        payable: error.is_none(),
    };
    Ok((Some(view), error))
}

/// The Node's three calls, with a PSP's receipt in the last one. The error is the sentence
/// the parent reads.
async fn play_node_and_psp(
    state: &AppState,
    tenant: &Tenant,
    notice: NoticeNumber,
) -> Result<(), String> {
    let failed = || fault_message(FaultCode::SystemError);
    let url = state.pagopa.listener_url.get().ok_or_else(failed)?;
    let client = SoapClient::new(reqwest::Client::new(), url.clone());
    let station = state.pagopa.creditor.station();
    let fiscal_code =
        FiscalCodePa::new(tenant.creditor.fiscal_code.as_str()).map_err(|_| failed())?;
    let caller = Caller {
        id_pa: text(tenant.creditor.fiscal_code.as_str())?,
        id_broker_pa: text(&station.broker_id)?,
        id_station: text(&station.station_id)?,
    };
    let qr_code = QrCode {
        fiscal_code: fiscal_code.clone(),
        notice_number: notice,
    };
    let call = |request: Request| {
        let client = client.clone();
        async move {
            client
                .call(&request)
                .await
                .map(|(r, _)| r)
                .map_err(|error| {
                    tracing::error!(%error, "sandbox: the creditor endpoint failed");
                    failed()
                })
        }
    };
    match call(Request::VerifyPaymentNotice(VerifyPaymentNoticeReq {
        caller: caller.clone(),
        qr_code: qr_code.clone(),
    }))
    .await?
    {
        Soap::VerifyPaymentNotice(Reply::Ok(_)) => {}
        other => return Err(refusal(&other)),
    }
    let data = match call(Request::GetPaymentV2(pagopa::soap::GetPaymentReq {
        caller: caller.clone(),
        qr_code,
        amount: None,
        payment_note: None,
        transfer_type: None,
        due_date: None,
    }))
    .await?
    {
        Soap::GetPaymentV2(Reply::Ok(data)) => data,
        other => return Err(refusal(&other)),
    };
    let now = chrono::Local::now().naive_local();
    let receipt = Receipt {
        receipt_id: receipt_id(&notice),
        notice_number: notice,
        fiscal_code,
        outcome: Outcome::Ok,
        creditor_reference_id: data.creditor_reference_id,
        payment_amount: data.payment_amount.amount(),
        description: data.description,
        company_name: data.company_name,
        office_name: data.office_name,
        payer: Some(data.debtor.clone()),
        debtor: data.debtor,
        transfers: data.transfers,
        id_psp: text("MENSASANDBOX")?,
        psp_fiscal_code: None,
        psp_partita_iva: None,
        psp_company_name: text("PSP di prova di Mensa")?,
        id_channel: text("MENSASANDBOX_01")?,
        channel_description: text("sandbox")?,
        payment_method: Some(text("creditCard")?),
        fee: None,
        payment_date_time: Some(XsdDateTime::from_naive(now)),
        application_date: Some(now.date()),
        transfer_date: Some(now.date()),
        metadata: data.metadata,
        stand_in: Some(false),
    };
    match call(Request::SendRtV2(SendRtV2Req {
        caller,
        receipt,
        extras: ReceiptV2Extras::default(),
    }))
    .await?
    {
        Soap::SendRtV2(Reply::Ok(())) => Ok(()),
        other => Err(refusal(&other)),
    }
}

fn text<T: std::str::FromStr>(value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| fault_message(FaultCode::SystemError))
}

fn refusal(response: &Soap) -> String {
    fault_message(response.ko().map_or(FaultCode::SystemError, |f| f.code))
}

fn fault_message(code: FaultCode) -> String {
    match code {
        FaultCode::PagamentoSconosciuto => "Avviso di pagamento non trovato.",
        FaultCode::PagamentoDuplicato => "L'avviso risulta già pagato.",
        FaultCode::PagamentoScaduto => {
            "L'avviso è scaduto: creane uno nuovo dal portale per ricaricare il conto."
        }
        FaultCode::PagamentoAnnullato => "L'avviso è stato annullato dal Comune.",
        _ => "Il pagamento non è riuscito. Riprova tra qualche minuto.",
    }
    .to_owned()
}

/// A receipt id like the Node's (32 characters), unique in this process and across restarts.
fn receipt_id(notice: &NoticeNumber) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("sbx{}{:x}{count:x}", notice.iuv(), nanos % (1 << 40))
}
