//! The gateway's one error type: what a person sees, never how it failed inside.

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
    /// Anything that is our fault; the cause is logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl GatewayError {
    pub fn internal(error: impl std::fmt::Display) -> Self {
        GatewayError::Internal(error.to_string())
    }
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
            GatewayError::Internal(cause) => {
                tracing::error!(error.cause = %cause, "request failed");
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
