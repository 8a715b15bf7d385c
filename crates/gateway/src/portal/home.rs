//! The comune's home page: the family's summary once logged in, otherwise what the service
//! is and where to log in.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};

use super::error::PortalError;
use super::format::euro;
use super::layout::{Layout, household};
use super::session::{Family, Visitor};
use crate::AppState;
use auth::Principal;

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomePage {
    layout: Layout,
    summary: Option<Summary>,
}

struct Summary {
    first_name: String,
    balance: String,
    negative: bool,
    children: Vec<String>,
}

pub async fn home(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, PortalError> {
    let guardian = visitor
        .session
        .as_ref()
        .is_some_and(|s| matches!(s.identity.principal, Principal::Guardian { .. }));
    if !guardian {
        let page = HomePage {
            layout: Layout::anonymous(
                &visitor.tenant,
                "Refezione scolastica",
                "home",
                String::new(),
            ),
            summary: None,
        };
        return Ok(Html(page.render().map_err(PortalError::internal)?).into_response());
    }
    let Some(family) = Family::from_visitor(visitor) else {
        return Err(PortalError::GuardiansOnly);
    };
    let household = household(&state, &family).await?;
    let summary = Summary {
        first_name: household.guardian.first_name.clone(),
        balance: euro(household.balance.balance),
        negative: household.balance.balance.is_negative(),
        children: household
            .students
            .iter()
            .map(|s| s.student.first_name.clone())
            .collect(),
    };
    let page = HomePage {
        layout: Layout::for_family(&family, &household, "Riepilogo", "home"),
        summary: Some(summary),
    };
    Ok(Html(page.render().map_err(PortalError::internal)?).into_response())
}
