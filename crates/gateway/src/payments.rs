//! Payment notices for the portal and the GraphQL API: the plain functions the
//! authenticated routes call once they know the comune and the family.
//!
//! A notice is a pagoPA payment position (see the `payments` crate). Created for a guardian,
//! it comes back with the path of its PDF and, when online payment is available, the URL
//! that starts it: pagoPA Checkout in production, the sandbox checkout in the demo.

use std::sync::Arc;

use ::payments::remote::{Cart, CartNotice};
use ::payments::{NoticeError, PaymentPosition, PaymentsError, PositionId, PositionStatus};
use accounts::AccountId;
use chrono::NaiveDate;
use money::Money;
use registry::GuardianId;
use rust_decimal::Decimal;
use tenancy::Tenant;

use crate::AppState;

/// A notice as the parent sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeView {
    pub id: PositionId,
    pub notice_number: String,
    pub iuv: String,
    pub amount: Money,
    pub due_date: NaiveDate,
    /// As of today: an open notice past its due date reads EXPIRED.
    pub status: PositionStatus,
    pub description: String,
    /// Where the portal serves the PDF (`/avvisi/<notice number>.pdf`).
    pub pdf_path: String,
    /// Starts the online payment; `None` when no checkout is available.
    pub checkout_url: Option<String>,
    pub created_at: chrono::DateTime<chrono::FixedOffset>,
    pub paid_at: Option<chrono::DateTime<chrono::FixedOffset>>,
}

impl NoticeView {
    /// The parent's view of `position` today; `checkout_url` when online payment is offered.
    pub fn of(position: &PaymentPosition, checkout_url: Option<String>) -> Self {
        NoticeView {
            id: position.id,
            notice_number: position.notice_number.to_string(),
            iuv: position.notice_number.iuv().to_string(),
            amount: position.amount,
            due_date: position.due_date,
            status: position.status_on(::payments::today()),
            description: position.description.clone(),
            pdf_path: pdf_path(&position.notice_number.to_string()),
            checkout_url,
            created_at: position.created_at,
            paid_at: position.paid_at,
        }
    }
}

pub fn pdf_path(notice_number: &str) -> String {
    format!("/avvisi/{notice_number}.pdf")
}

/// Creates a top-up notice of `amount` euro for the family of `guardian`. `return_path` is
/// where online payment brings the parent back (a path of the comune's site).
pub async fn create_payment_notice(
    state: &AppState,
    tenant: &Arc<Tenant>,
    guardian: GuardianId,
    amount: Decimal,
    return_path: &str,
) -> Result<NoticeView, NoticeError> {
    let position =
        ::payments::create_notice(&state.db, tenant, guardian, amount, ::payments::today()).await?;
    if let Some(archive) = state.pagopa.archive.clone() {
        // The central archive is for stand-in; loading it must never make the parent wait.
        let (db, tenant, position) = (state.db.clone(), Arc::clone(tenant), position.clone());
        tokio::spawn(async move {
            if let Err(error) =
                ::payments::archive::sync_position(&db, archive.as_ref(), &tenant, &position).await
            {
                tracing::warn!(notice = %position.notice_number, %error, "central archive load deferred");
            }
        });
    }
    let checkout = checkout_url(state, tenant, &position, return_path).await;
    Ok(NoticeView::of(&position, checkout))
}

/// The family's notices, newest first, `limit` at a time; `before` is the last id of the
/// previous page. The boolean says whether more exist.
pub async fn payment_notices(
    state: &AppState,
    tenant: &Tenant,
    account: AccountId,
    before: Option<PositionId>,
    limit: u64,
) -> Result<(Vec<NoticeView>, bool), PaymentsError> {
    let txn = tenancy::scope::begin(&state.db, tenant.id).await?;
    let (positions, more) =
        ::payments::positions_of_account(&txn, tenant.id, account, before, limit).await?;
    txn.commit().await?;
    Ok((
        positions.iter().map(|p| NoticeView::of(p, None)).collect(),
        more,
    ))
}

/// The PDF of a notice of the family `account`; `None` when the number is malformed, not
/// the comune's, or another family's.
pub async fn notice_pdf(
    state: &AppState,
    tenant: &Tenant,
    account: AccountId,
    notice_number: &str,
) -> Result<Option<Vec<u8>>, PaymentsError> {
    let Ok(notice) = pagopa::NoticeNumber::parse(notice_number) else {
        return Ok(None);
    };
    ::payments::notice_pdf_for_account(&state.db, tenant, account, &notice).await
}

/// Where the parent pays `position` online: the sandbox in the demo, pagoPA Checkout when
/// configured, nowhere otherwise (the parent can still pay the PDF at any PSP). A Checkout
/// failure is logged and answered `None` for the same reason.
pub async fn checkout_url(
    state: &AppState,
    tenant: &Tenant,
    position: &PaymentPosition,
    return_path: &str,
) -> Option<String> {
    let return_path = crate::pagopa::safe_return(Some(return_path));
    if state.pagopa.config.sandbox {
        return Some(format!(
            "/sandbox/checkout?notice={}&return={}",
            position.notice_number,
            encode(&return_path)
        ));
    }
    let checkout = state.pagopa.checkout.as_ref()?;
    let site = format!(
        "https://{}.{}",
        tenant.slug.as_str(),
        state.hosts.base_domain()
    );
    let back = |outcome: &str| {
        let separator = if return_path.contains('?') { '&' } else { '?' };
        format!("{site}{return_path}{separator}esito={outcome}")
    };
    let cart = Cart {
        notices: vec![CartNotice {
            notice_number: position.notice_number.to_string(),
            fiscal_code: tenant.creditor.fiscal_code.as_str().to_owned(),
            amount_cents: u64::try_from(position.amount.cents()).ok()?,
            company_name: tenant.name.chars().take(140).collect(),
            description: position.description.chars().take(140).collect(),
        }],
        email: None,
        return_ok: back("ok"),
        return_cancel: back("annullato"),
        return_error: back("errore"),
        id_cart: Some(position.notice_number.to_string()),
    };
    match checkout.start(&cart).await {
        Ok(url) => Some(url),
        Err(error) => {
            tracing::warn!(notice = %position.notice_number, %error, "pagoPA Checkout did not start");
            None
        }
    }
}

/// The language of a message for a parent or an integrator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    It,
    En,
}

/// What to tell the parent (or the API client) when a notice cannot be created, and a
/// stable code for `extensions.code`. Internal failures never show their cause.
pub fn notice_error_message(error: &NoticeError, lang: Lang) -> (&'static str, String) {
    let euro = |m: &Money| money::format_italian(*m);
    match (error, lang) {
        (NoticeError::NotPositive, Lang::It) => (
            "AMOUNT_NOT_POSITIVE",
            "L'importo deve essere maggiore di zero.".into(),
        ),
        (NoticeError::NotPositive, Lang::En) => (
            "AMOUNT_NOT_POSITIVE",
            "The amount must be greater than zero.".into(),
        ),
        (NoticeError::TooPrecise, Lang::It) => (
            "AMOUNT_TOO_PRECISE",
            "L'importo può avere al massimo due decimali.".into(),
        ),
        (NoticeError::TooPrecise, Lang::En) => (
            "AMOUNT_TOO_PRECISE",
            "The amount can have at most two decimals.".into(),
        ),
        (NoticeError::BelowMinimum { min }, Lang::It) => (
            "AMOUNT_BELOW_MINIMUM",
            format!("La ricarica minima è di {} €.", euro(min)),
        ),
        (NoticeError::BelowMinimum { min }, Lang::En) => (
            "AMOUNT_BELOW_MINIMUM",
            format!("The smallest top-up is {min} euro."),
        ),
        (NoticeError::AboveMaximum { max }, Lang::It) => (
            "AMOUNT_ABOVE_MAXIMUM",
            format!("La ricarica massima è di {} €.", euro(max)),
        ),
        (NoticeError::AboveMaximum { max }, Lang::En) => (
            "AMOUNT_ABOVE_MAXIMUM",
            format!("The largest top-up is {max} euro."),
        ),
        (NoticeError::NoAccount, Lang::It) => (
            "NO_ACCOUNT",
            "Non risulta un conto mensa intestato a te in questo Comune.".into(),
        ),
        (NoticeError::NoAccount, Lang::En) => (
            "NO_ACCOUNT",
            "You have no school-meal account in this comune.".into(),
        ),
        (
            NoticeError::CreditorNotConfigured(_)
            | NoticeError::SequenceExhausted
            | NoticeError::Failed(_),
            lang,
        ) => {
            if let NoticeError::Failed(cause) = error {
                tracing::error!(error = %cause, "payment notice failed");
            } else {
                tracing::error!(error = %error, "the comune cannot issue notices");
            }
            let message = match lang {
                Lang::It => {
                    "Non è stato possibile creare l'avviso. Riprova più tardi; se il problema continua, contatta il tuo Comune."
                }
                Lang::En => {
                    "The payment notice could not be created. Try again later; if it keeps failing, contact your comune."
                }
            };
            ("UNAVAILABLE", message.into())
        }
    }
}

/// Percent-encodes a path for a query value.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `GET /avvisi/<notice number>.pdf`: the payment notice of the logged-in guardian's
/// family. Another family's or comune's notice reads as missing.
pub fn router() -> axum::Router<AppState> {
    axum::Router::new().route("/avvisi/{file}", axum::routing::get(download_pdf))
}

async fn download_pdf(
    axum::extract::State(state): axum::extract::State<AppState>,
    crate::tenant::CurrentTenant(tenant): crate::tenant::CurrentTenant,
    crate::auth::Authenticated(identity): crate::auth::Authenticated,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Result<axum::response::Response, crate::GatewayError> {
    use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
    use axum::response::IntoResponse;

    let crate::auth::Principal::Guardian { account, .. } = identity.principal else {
        return Err(crate::GatewayError::NotFound);
    };
    let notice = file
        .strip_suffix(".pdf")
        .ok_or(crate::GatewayError::NotFound)?;
    let pdf = notice_pdf(&state, &tenant, account, notice)
        .await
        .map_err(crate::GatewayError::internal)?
        .ok_or(crate::GatewayError::NotFound)?;
    Ok((
        [
            (CONTENT_TYPE, "application/pdf".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"avviso-{notice}.pdf\""),
            ),
            (CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        pdf,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_paths_are_encoded_as_query_values() {
        assert_eq!(encode("/conto?tab=a&b=1"), "/conto%3Ftab%3Da%26b%3D1");
    }

    #[test]
    fn every_notice_error_has_a_message_in_both_languages() {
        let min = Money::from_cents(500).unwrap_or_default();
        for error in [
            NoticeError::NotPositive,
            NoticeError::TooPrecise,
            NoticeError::BelowMinimum { min },
            NoticeError::AboveMaximum { max: min },
            NoticeError::NoAccount,
            NoticeError::SequenceExhausted,
        ] {
            let (code_it, it) = notice_error_message(&error, Lang::It);
            let (code_en, en) = notice_error_message(&error, Lang::En);
            assert_eq!(code_it, code_en);
            assert_ne!(it, en);
        }
        let (_, it) = notice_error_message(&NoticeError::BelowMinimum { min }, Lang::It);
        assert_eq!(it, "La ricarica minima è di 5,00 €.");
    }
}
