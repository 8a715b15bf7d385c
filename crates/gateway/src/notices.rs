//! Payment notices over HTTP: what to tell a parent (in Italian) or a client (in English)
//! when one cannot be created, and the download of a notice's PDF. The use cases are in
//! `app::notices`.

use money::Money;
use payments::NoticeError;

use crate::AppState;

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
                tracing::error!(error.cause = %crate::error::chain(cause), "payment notice failed");
            } else {
                tracing::error!(error.cause = %crate::error::chain(error), "the comune cannot issue notices");
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

/// `GET /avvisi/<notice number>.pdf`: the payment notice of the logged-in guardian's
/// family. Another family's or comune's notice reads as missing.
pub fn router() -> axum::Router<AppState> {
    axum::Router::new().route("/avvisi/{file}", axum::routing::get(download_pdf))
}

async fn download_pdf(
    axum::extract::State(state): axum::extract::State<AppState>,
    crate::tenant::CurrentTenant(tenant): crate::tenant::CurrentTenant,
    crate::caller::Authenticated(identity): crate::caller::Authenticated,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Result<axum::response::Response, crate::GatewayError> {
    use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
    use axum::response::IntoResponse;

    let auth::Principal::Guardian { account, .. } = identity.principal else {
        return Err(crate::GatewayError::NotFound);
    };
    let notice = file
        .strip_suffix(".pdf")
        .ok_or(crate::GatewayError::NotFound)?;
    let pdf = app::notices::notice_pdf(&state.app, &tenant, account, notice)
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
