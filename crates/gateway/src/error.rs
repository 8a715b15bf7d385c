//! The gateway's one error type: what a person sees, never how it failed inside.

use app::{AppError, Cause};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// No comune at this address, or nothing at this path.
    #[error("not found")]
    NotFound,
    /// The page needs a login, or the credential is not valid on this comune.
    #[error("not authenticated")]
    Unauthenticated,
    /// Authenticated, but the credential does not allow this (an API key without the
    /// scope).
    #[error("forbidden")]
    Forbidden,
    /// Anything that is our fault; the cause is logged, never shown.
    #[error("internal error")]
    Internal(#[source] Cause),
}

impl GatewayError {
    pub fn internal(error: impl Into<Cause>) -> Self {
        GatewayError::Internal(error.into())
    }
}

/// What a use case could not do: a missing thing is a 404 like any other, the rest is ours.
impl From<AppError> for GatewayError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::NotFound(_) => GatewayError::NotFound,
            other => GatewayError::internal(other),
        }
    }
}

macro_rules! internal_from {
    ($($from:ty),*) => {$(
        impl From<$from> for GatewayError {
            fn from(error: $from) -> Self {
                GatewayError::internal(error)
            }
        }
    )*};
}

internal_from!(
    sea_orm::DbErr,
    payments::PaymentsError,
    accounts::LedgerError,
    auth::AuthError,
    std::io::Error
);

/// An error and every cause below it, `: `-separated, for one log line.
pub fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
}

impl IntoResponse for GatewayError {
    fn into_response(self) -> Response {
        let (status, title, message) = match &self {
            GatewayError::NotFound => (
                StatusCode::NOT_FOUND,
                "Pagina non trovata",
                "L'indirizzo non corrisponde a nessun servizio attivo. Controlla l'indirizzo del tuo Comune e riprova.",
            ),
            GatewayError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "Accesso richiesto",
                "Per vedere questa pagina accedi con le credenziali che ti ha dato il tuo Comune.",
            ),
            GatewayError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Accesso non consentito",
                "Le credenziali usate non permettono di leggere questo contenuto. This API key lacks the 'read' scope: ask the comune for a key that has it.",
            ),
            GatewayError::Internal(cause) => {
                tracing::error!(error.cause = %chain(cause.as_ref()), "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Servizio momentaneamente non disponibile",
                    "Si è verificato un errore. Riprova tra qualche minuto; se il problema continua, contatta il tuo Comune.",
                )
            }
        };
        let body = ErrorPage { title, message }
            .render()
            .unwrap_or_else(|_| title.to_owned());
        (status, Html(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn the_log_line_keeps_every_cause() {
        let error = GatewayError::internal(Outer(std::io::Error::other("disk full")));
        assert_eq!(chain(&error), "internal error: outer: disk full");
    }

    #[test]
    fn a_missing_thing_is_not_found_and_the_rest_is_internal() {
        assert!(matches!(
            GatewayError::from(AppError::NotFound("guardian")),
            GatewayError::NotFound
        ));
        assert!(matches!(
            GatewayError::from(AppError::invalid("no")),
            GatewayError::Internal(_)
        ));
    }
}
