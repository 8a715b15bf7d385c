//! Anagrafica: the guardian's and the children's personal data, read only (the comune's
//! office keeps them), and Dettagli servizio: each child's meal service.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use super::error::PortalError;
use super::format::{date, euro};
use super::layout::{Layout, household};
use super::session::Family;
use crate::AppState;
use registry::Diet;

#[derive(Template)]
#[template(path = "portal/guardian.html")]
struct GuardianPage {
    layout: Layout,
    first_name: String,
    last_name: String,
    fiscal_code: String,
    email: Option<String>,
    phone: Option<String>,
}

pub async fn guardian(
    State(state): State<AppState>,
    family: Family,
) -> Result<Html<String>, PortalError> {
    let household = household(&state, &family).await?;
    let g = &household.guardian;
    let page = GuardianPage {
        layout: Layout::for_family(&family, &household, "Anagrafica tutore/genitore", "tutore"),
        first_name: g.first_name.clone(),
        last_name: g.last_name.clone(),
        fiscal_code: g.fiscal_code.to_string(),
        email: g.email.clone(),
        phone: g.phone.clone(),
    };
    page.render().map(Html).map_err(PortalError::internal)
}

struct StudentRow {
    first_name: String,
    last_name: String,
    fiscal_code: String,
    birth_date: String,
}

#[derive(Template)]
#[template(path = "portal/students.html")]
struct StudentsPage {
    layout: Layout,
    students: Vec<StudentRow>,
}

pub async fn students(
    State(state): State<AppState>,
    family: Family,
) -> Result<Html<String>, PortalError> {
    let household = household(&state, &family).await?;
    let students = household
        .students
        .iter()
        .map(|s| StudentRow {
            first_name: s.student.first_name.clone(),
            last_name: s.student.last_name.clone(),
            fiscal_code: s.student.fiscal_code.to_string(),
            birth_date: date(s.student.birth_date),
        })
        .collect();
    let page = StudentsPage {
        layout: Layout::for_family(&family, &household, "Anagrafica alunni", "alunni"),
        students,
    };
    page.render().map(Html).map_err(PortalError::internal)
}

struct ServiceRow {
    name: String,
    service: Option<ServiceDetail>,
}

struct ServiceDetail {
    school: String,
    school_address: String,
    class_name: String,
    meal_days: String,
    band: String,
    meal_price: String,
    /// `None` for the normal meal; the special diet's detail otherwise.
    special_diet: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/service.html")]
struct ServicePage {
    layout: Layout,
    students: Vec<ServiceRow>,
}

pub async fn service(
    State(state): State<AppState>,
    family: Family,
) -> Result<Html<String>, PortalError> {
    let household = household(&state, &family).await?;
    let students = household
        .students
        .iter()
        .map(|s| ServiceRow {
            name: format!("{} {}", s.student.first_name, s.student.last_name),
            service: s.service.as_ref().map(|service| ServiceDetail {
                school: service.class.school.name.clone(),
                school_address: service.class.school.address.clone(),
                class_name: service.class.name.clone(),
                meal_days: service
                    .class
                    .meal_days
                    .days()
                    .map(|day| day.italian())
                    .collect::<Vec<_>>()
                    .join(", "),
                band: service.band.name.clone(),
                meal_price: euro(service.band.meal_price),
                special_diet: match &service.diet {
                    Diet::Normal => None,
                    Diet::Special { detail } => Some(detail.clone()),
                },
            }),
        })
        .collect();
    let page = ServicePage {
        layout: Layout::for_family(&family, &household, "Dettagli servizio", "dettagli"),
        students,
    };
    page.render().map(Html).map_err(PortalError::internal)
}
