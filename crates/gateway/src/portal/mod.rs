//! The parent portal: the comune-branded pages a guardian uses, named as in the parents'
//! manual (Accesso, News, Documenti, Anagrafica, Servizi → Refezione scolastica).
//!
//! Pages only format what the read services (`app`) and the payment functions
//! (`app::notices`) answer, the same ones GraphQL uses, so the two never disagree.
//! Every form works without JavaScript and carries a CSRF token (see `csrf`).

mod access;
mod account;
mod content;
mod cookies;
mod csrf;
mod error;
mod family;
mod format;
mod home;
mod layout;
mod meals;
mod session;
mod top_up;

use axum::Router;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use chrono::NaiveDate;
use tower_http::csrf::CsrfLayer;

use crate::AppState;

pub use error::PortalError;

/// Today in Italy: what "now" means for enrolments, prices and the school year.
pub fn today() -> NaiveDate {
    tenancy::calendar::today_in_italy()
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/accesso", get(access::login_form).post(access::login))
        .route("/esci", post(access::logout))
        .route(
            "/password",
            get(access::password_form).post(access::change_password),
        )
        .route("/news", get(content::news))
        .route("/documenti", get(content::documents))
        .route("/anagrafica/tutore", get(family::guardian))
        .route("/anagrafica/alunni", get(family::students))
        .route("/servizi/refezione/dettagli", get(family::service))
        .route(
            "/servizi/refezione/stato-contabile",
            get(account::statement_page),
        )
        .route(
            "/servizi/refezione/stato-contabile/alunni/{student}/pasti",
            get(meals::meals_page),
        )
        .route(
            "/servizi/refezione/ricarica",
            get(top_up::form).post(top_up::create),
        )
        .route("/servizi/refezione/pagamenti", get(top_up::history))
        .route("/servizi/refezione/pagamenti/{notice}", get(top_up::notice))
        // A second line behind the form tokens: browsers say where a POST comes from.
        .layer(CsrfLayer::new().with_rejection_response(|_| PortalError::Csrf.into_response()))
        .layer(crate::security::content_security_policy())
}
