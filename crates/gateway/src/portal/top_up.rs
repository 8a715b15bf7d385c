//! Esegui ricarica and Storico pagamenti: a top-up becomes a pagoPA notice (avviso) the
//! parent pays online through Checkout or at any PSP with its PDF; the history lists the
//! family's notices and their status.
//!
//! The rules (amount limits, notice numbers, the checkout URL, the PDF and its route
//! `/avvisi/<n>.pdf`) are the payment functions' (`app::notices`); the pages only ask
//! and format.

use ::payments::{PositionId, PositionStatus};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::access::see_other;
use super::error::PortalError;
use super::format::{date, euro, parse_euro};
use super::layout::{Layout, household};
use super::session::Family;
use crate::AppState;
use app::NoticeView;

use crate::notices::{Lang, notice_error_message};

/// Where online payment brings the parent back: the balance, to see it risen.
const RETURN_AFTER_PAYMENT: &str = "/servizi/refezione/stato-contabile";

#[derive(Template)]
#[template(path = "portal/top_up.html")]
struct TopUpPage {
    layout: Layout,
    balance: String,
    min: String,
    max: String,
    amount: String,
    error: Option<String>,
    suggestion: Option<String>,
}

pub async fn form(State(state): State<AppState>, family: Family) -> Result<Response, PortalError> {
    page(&state, &family, String::new(), None, StatusCode::OK).await
}

async fn page(
    state: &AppState,
    family: &Family,
    amount: String,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, PortalError> {
    let household = household(state, family).await?;
    let limits = family.tenant.top_up_limits;
    let suggestion = app::notices::suggested_top_up(household.daily_cost(), limits).map(euro);
    let html = TopUpPage {
        layout: Layout::for_family(family, &household, "Esegui ricarica", "ricarica"),
        balance: euro(household.balance.balance),
        min: euro(limits.min),
        max: euro(limits.max),
        amount,
        error,
        suggestion,
    }
    .render()
    .map_err(PortalError::internal)?;
    Ok((status, Html(html)).into_response())
}

#[derive(Deserialize)]
pub struct TopUpForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    importo: String,
}

/// Avanti: the amount becomes a notice, shown with its two ways to pay.
pub async fn create(
    State(state): State<AppState>,
    family: Family,
    Form(form): Form<TopUpForm>,
) -> Result<Response, PortalError> {
    family.check_csrf(&form.csrf)?;
    let Some(amount) = parse_euro(&form.importo) else {
        let message = if form.importo.trim().is_empty() {
            "Scrivi l'importo della ricarica in euro, per esempio 20 oppure 20,50, poi premi Avanti."
        } else {
            "L'importo non è valido: scrivi solo la cifra in euro, per esempio 20 oppure 20,50, poi premi Avanti."
        };
        return page(
            &state,
            &family,
            form.importo,
            Some(message.to_owned()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match app::notices::create_payment_notice(
        &state.app,
        &family.tenant,
        family.guardian,
        amount.amount(),
        RETURN_AFTER_PAYMENT,
    )
    .await
    {
        Ok(notice) => Ok(see_other(&format!(
            "/servizi/refezione/pagamenti/{}",
            notice.notice_number
        ))),
        Err(error) => {
            let (_, message) = notice_error_message(&error, Lang::It);
            page(
                &state,
                &family,
                form.importo,
                Some(format!(
                    "{message} Correggi l'importo e premi di nuovo Avanti."
                )),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `301000000000012345` as `3010 0000 0000 0123 45`, the grouping printed on the avviso.
fn grouped(number: &str) -> String {
    number
        .as_bytes()
        .chunks(4)
        .filter_map(|chunk| std::str::from_utf8(chunk).ok())
        .collect::<Vec<_>>()
        .join(" ")
}

fn status_label(status: PositionStatus) -> &'static str {
    match status {
        PositionStatus::Open => "Da pagare",
        PositionStatus::Paid => "Pagato",
        PositionStatus::Expired => "Scaduto",
        PositionStatus::Cancelled => "Annullato",
    }
}

fn status_class(status: PositionStatus) -> &'static str {
    match status {
        PositionStatus::Open => "badge bg-warning text-dark",
        PositionStatus::Paid => "badge bg-success",
        PositionStatus::Expired | PositionStatus::Cancelled => "badge bg-secondary",
    }
}

struct NoticeRow {
    number: String,
    grouped: String,
    amount: String,
    created: String,
    due: String,
    paid: Option<String>,
    status: &'static str,
    status_class: &'static str,
    open: bool,
    pdf: String,
}

impl NoticeRow {
    fn of(notice: &NoticeView) -> Self {
        let status = notice.status;
        NoticeRow {
            grouped: grouped(&notice.notice_number),
            pdf: notice.pdf_path.clone(),
            number: notice.notice_number.clone(),
            amount: euro(notice.amount),
            created: date(notice.created_at.date_naive()),
            due: date(notice.due_date),
            paid: notice.paid_at.map(|at| date(at.date_naive())),
            status: status_label(status),
            status_class: status_class(status),
            open: status == PositionStatus::Open,
        }
    }
}

#[derive(Template)]
#[template(path = "portal/notice.html")]
struct NoticePage {
    layout: Layout,
    notice: NoticeRow,
    description: String,
    iuv: String,
    creditor: String,
    creditor_fiscal_code: String,
    checkout_url: Option<String>,
}

/// One notice of the family: how to pay it, or that it is paid.
pub async fn notice(
    State(state): State<AppState>,
    family: Family,
    Path(number): Path<String>,
) -> Result<Response, PortalError> {
    let position =
        app::notices::family_position(&state.app, family.tenant.id, family.account, &number)
            .await?
            .ok_or(PortalError::NotFound)?;
    let household = household(&state, &family).await?;
    let row = NoticeRow::of(&NoticeView::of(&position, None));
    let checkout_url = if row.open {
        app::notices::checkout_url(&state.app, &family.tenant, &position, RETURN_AFTER_PAYMENT)
            .await
    } else {
        None
    };
    let html = NoticePage {
        layout: Layout::for_family(
            &family,
            &household,
            &format!("Avviso di pagamento di {}", euro(position.amount)),
            "ricarica",
        ),
        description: position.description.clone(),
        iuv: position.notice_number.iuv().to_string(),
        creditor: family.tenant.name.clone(),
        creditor_fiscal_code: family.tenant.creditor.fiscal_code.as_str().to_owned(),
        notice: row,
        checkout_url,
    }
    .render()
    .map_err(PortalError::internal)?;
    Ok(Html(html).into_response())
}

#[derive(Template)]
#[template(path = "portal/payments.html")]
struct HistoryPage {
    layout: Layout,
    notices: Vec<NoticeRow>,
    older: Option<String>,
    first_page: bool,
}

#[derive(Deserialize, Default)]
pub struct HistoryQuery {
    prima: Option<i64>,
}

const NOTICES_PER_PAGE: u64 = 20;

pub async fn history(
    State(state): State<AppState>,
    family: Family,
    Query(query): Query<HistoryQuery>,
) -> Result<Html<String>, PortalError> {
    let household = household(&state, &family).await?;
    let (notices, more) = app::notices::payment_notices(
        &state.app,
        &family.tenant,
        family.account,
        query.prima.map(PositionId::new),
        NOTICES_PER_PAGE,
    )
    .await?;
    let older = more
        .then(|| {
            notices
                .last()
                .map(|n| format!("/servizi/refezione/pagamenti?prima={}", n.id.get()))
        })
        .flatten();
    let html = HistoryPage {
        layout: Layout::for_family(&family, &household, "Storico pagamenti", "pagamenti"),
        notices: notices.iter().map(NoticeRow::of).collect(),
        older,
        first_page: query.prima.is_none(),
    }
    .render()
    .map_err(PortalError::internal)?;
    Ok(Html(html))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_numbers_read_in_groups_of_four() {
        assert_eq!(grouped("301000000000012345"), "3010 0000 0000 0123 45");
    }
}
