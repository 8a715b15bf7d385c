//! What can stop a portal page, and what the parent is told to do next.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use app::Cause;

use crate::GatewayError;
use crate::error::chain;

#[derive(Debug, thiserror::Error)]
pub enum PortalError {
    /// No valid session on this comune: the parent logs in, then comes back here.
    #[error("login required")]
    LoginRequired { return_to: String },
    /// A valid session, but of the comune's staff: these pages are for parents.
    #[error("guardians only")]
    GuardiansOnly,
    /// The form's token is missing or wrong (an old page, or another site's form).
    #[error("csrf token refused")]
    Csrf,
    #[error("not found")]
    NotFound,
    #[error("internal error")]
    Internal(#[source] Cause),
}

impl PortalError {
    pub fn internal(error: impl Into<Cause>) -> Self {
        PortalError::Internal(error.into())
    }
}

/// Every failure reaches a page through the gateway's one error: missing is missing,
/// the rest is ours.
impl<E: Into<GatewayError>> From<E> for PortalError {
    fn from(error: E) -> Self {
        match error.into() {
            GatewayError::NotFound => PortalError::NotFound,
            other => PortalError::internal(other),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
}

/// Only paths of this site, without a query: a login link must never send a parent to
/// another site.
pub fn safe_return_path(path: &str) -> Option<&str> {
    let safe = path.starts_with('/')
        && !path.starts_with("//")
        && path.len() <= 200
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.'));
    safe.then_some(path)
}

impl IntoResponse for PortalError {
    fn into_response(self) -> Response {
        let (status, title, message) = match &self {
            PortalError::LoginRequired { return_to } => {
                let target = match safe_return_path(return_to) {
                    Some(path) if path != "/" => format!("/accesso?torna={path}"),
                    _ => "/accesso".to_owned(),
                };
                let location =
                    HeaderValue::from_str(&target).unwrap_or(HeaderValue::from_static("/accesso"));
                return (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
            }
            PortalError::GuardiansOnly => (
                StatusCode::FORBIDDEN,
                "Area riservata ai genitori",
                "Queste pagine sono per i genitori paganti. Il personale del Comune usa le pagine degli operatori: esci e accedi con le credenziali del genitore.",
            ),
            PortalError::Csrf => (
                StatusCode::FORBIDDEN,
                "Modulo scaduto",
                "Il modulo inviato non è più valido (la pagina era aperta da tempo, oppure la sessione è cambiata). Torna indietro, ricarica la pagina e invia di nuovo il modulo.",
            ),
            PortalError::NotFound => (
                StatusCode::NOT_FOUND,
                "Pagina non trovata",
                "La pagina cercata non esiste o non riguarda la tua famiglia. Torna al riepilogo e scegli una voce dal menu.",
            ),
            PortalError::Internal(cause) => {
                tracing::error!(error.cause = %chain(cause.as_ref()), "portal page failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Servizio momentaneamente non disponibile",
                    "Si è verificato un errore. Riprova tra qualche minuto; se il problema continua, contatta l'ufficio refezione del tuo Comune.",
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

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_return_path("/news"), Some("/news"));
        for bad in [
            "//evil.example",
            "https://evil.example",
            "news",
            "/a?b=c",
            "/a\\b",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad}");
        }
    }
}
