//! The comune's home page.

use askama::Template;
use axum::Router;
use axum::response::Html;
use axum::routing::get;

use crate::tenant::CurrentTenant;
use crate::{AppState, GatewayError};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    name: &'a str,
    primary_color: &'a str,
    email: Option<&'a str>,
    phone: Option<&'a str>,
}

async fn home(CurrentTenant(tenant): CurrentTenant) -> Result<Html<String>, GatewayError> {
    let page = HomePage {
        name: &tenant.name,
        primary_color: &tenant.branding.primary_color,
        email: tenant.contacts.email.as_deref(),
        phone: tenant.contacts.phone.as_deref(),
    };
    page.render().map(Html).map_err(GatewayError::internal)
}
