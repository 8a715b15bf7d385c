//! Stato contabile: the family balance, a line per child with the meal cost and a
//! magnifier to the child's meals day by day (`meals`), and the movements of the account
//! with filters by kind and period, a page at a time.

use accounts::{EntryFilter, EntryId, MovementKind};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use chrono::{Datelike, NaiveDate};
use money::Money;
use serde::Deserialize;

use super::error::PortalError;
use super::format::{date, euro};
use super::layout::{Layout, household};
use super::session::Family;
use crate::AppState;
use app::statement;

/// Movements per page: a phone screen or two.
const PAGE_SIZE: u64 = 20;

struct ChildLine {
    id: i64,
    name: String,
    meal_price: Option<String>,
    meals: usize,
    meals_total: String,
}

struct MovementRow {
    date: String,
    kind: &'static str,
    description: String,
    amount: String,
    credit: bool,
}

struct KindOption {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "portal/account.html")]
struct AccountPage {
    layout: Layout,
    balance: String,
    negative: bool,
    period: String,
    children: Vec<ChildLine>,
    kinds: Vec<KindOption>,
    from: String,
    to: String,
    errors: Vec<String>,
    movements: Vec<MovementRow>,
    older: Option<String>,
    newest: Option<String>,
    outcome: Option<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
pub struct MovementQuery {
    #[serde(default)]
    tipo: String,
    #[serde(default)]
    dal: String,
    #[serde(default)]
    al: String,
    prima: Option<i64>,
    /// How an online payment ended, as pagoPA Checkout says when it sends the parent back.
    esito: Option<String>,
}

/// What the parent coming back from pagoPA Checkout is told: (alert class, message).
fn payment_outcome(esito: Option<&str>) -> Option<(&'static str, &'static str)> {
    match esito? {
        "ok" => Some((
            "alert-success",
            "Pagamento completato. Il credito compare nel saldo appena pagoPA invia la ricevuta, di solito entro pochi minuti.",
        )),
        "annullato" => Some((
            "alert-info",
            "Pagamento annullato: non è stato addebitato nulla. Puoi riprovare dallo Storico pagamenti, oppure scaricare l'avviso e pagarlo in banca, alla posta o in tabaccheria.",
        )),
        "errore" => Some((
            "alert-danger",
            "Il pagamento non è andato a buon fine e non è stato addebitato nulla. Riprova dallo Storico pagamenti, oppure scarica l'avviso e pagalo in banca, alla posta o in tabaccheria.",
        )),
        _ => None,
    }
}

/// The school year a date belongs to starts on 1 September.
pub fn school_year_start(day: NaiveDate) -> NaiveDate {
    let year = if day.month() >= 9 {
        day.year()
    } else {
        day.year() - 1
    };
    NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or(day)
}

/// A date as a browser's date field sends it (`2026-10-05`) or as a person types it
/// (`05/10/2026`).
fn parse_date(input: &str) -> Option<NaiveDate> {
    let input = input.trim();
    NaiveDate::parse_from_str(input, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(input, "%d/%m/%Y"))
        .ok()
}

pub async fn statement_page(
    State(state): State<AppState>,
    family: Family,
    Query(query): Query<MovementQuery>,
) -> Result<Html<String>, PortalError> {
    let household = household(&state, &family).await?;
    let today = super::today();
    let mut errors = Vec::new();
    let mut field = |value: &str, label: &str| -> Option<NaiveDate> {
        if value.trim().is_empty() {
            return None;
        }
        let parsed = parse_date(value);
        if parsed.is_none() {
            errors.push(format!(
                "La data «{label}» non è valida: scrivila come gg/mm/aaaa, per esempio 05/10/2026."
            ));
        }
        parsed
    };
    let from = field(&query.dal, "dal");
    let to = field(&query.al, "al");
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        errors
            .push("La data «dal» viene dopo la data «al»: scambiale e filtra di nuovo.".to_owned());
    }
    let kind = MovementKind::parse(&query.tipo);
    if !query.tipo.is_empty() && kind.is_none() {
        errors.push("Tipo di movimento sconosciuto: scegline uno dall'elenco.".to_owned());
    }

    // Each child's meals over the school year so far, or over the period asked.
    let period_from = from.unwrap_or_else(|| school_year_start(today));
    let period_to = to.unwrap_or(today);
    let mut children = Vec::new();
    for s in &household.students {
        let meals = statement::meals(
            &state.app.db,
            family.tenant.id,
            s.student.id,
            period_from,
            period_to,
        )
        .await?;
        children.push(ChildLine {
            id: s.student.id.get(),
            name: format!("{} {}", s.student.first_name, s.student.last_name),
            meal_price: s
                .service
                .as_ref()
                .map(|service| euro(service.band.meal_price)),
            meals: meals.len(),
            meals_total: euro(accounts::meals_total(&meals).unwrap_or(Money::ZERO)),
        });
    }

    let filter = EntryFilter {
        kinds: kind.into_iter().collect(),
        from,
        to,
        before: query.prima.map(EntryId::new),
    };
    let (movements, has_more) = if errors.is_empty() {
        statement::movements(
            &state.app.db,
            family.tenant.id,
            family.account,
            &filter,
            PAGE_SIZE,
        )
        .await?
    } else {
        (Vec::new(), false)
    };
    let names = |id: registry::StudentId| {
        household
            .students
            .iter()
            .find(|s| s.student.id == id)
            .map(|s| s.student.first_name.clone())
    };
    // The filters again, for the page links: only those set, all of them URL-safe
    // (a kind's code, ISO dates).
    let filters: Vec<String> = [
        ("tipo", kind.map(|k| k.as_str().to_owned())),
        ("dal", from.map(|d| d.to_string())),
        ("al", to.map(|d| d.to_string())),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.map(|v| format!("{name}={v}")))
    .collect();
    let link = |extra: Option<String>| {
        let params: Vec<String> = filters.iter().cloned().chain(extra).collect();
        if params.is_empty() {
            "/servizi/refezione/stato-contabile".to_owned()
        } else {
            format!("/servizi/refezione/stato-contabile?{}", params.join("&"))
        }
    };
    let older = has_more
        .then(|| {
            movements
                .last()
                .map(|m| link(Some(format!("prima={}", m.id.get()))))
        })
        .flatten();
    let newest = query.prima.is_some().then(|| link(None));
    let rows = movements
        .into_iter()
        .map(|m| MovementRow {
            date: date(m.date),
            kind: m.kind.italian(),
            description: match m.student.and_then(names) {
                Some(child) if !m.description.contains(&child) => {
                    format!("{} ({child})", m.description)
                }
                _ => m.description,
            },
            credit: m.amount.is_positive(),
            amount: euro(m.amount),
        })
        .collect();
    let page = AccountPage {
        layout: Layout::for_family(&family, &household, "Stato contabile", "stato-contabile"),
        balance: euro(household.balance.balance),
        negative: household.balance.balance.is_negative(),
        period: format!("dal {} al {}", date(period_from), date(period_to)),
        children,
        kinds: MovementKind::ALL
            .into_iter()
            .map(|k| KindOption {
                value: k.as_str(),
                label: k.italian(),
                selected: Some(k) == kind,
            })
            .collect(),
        from: from.map(|d| d.to_string()).unwrap_or_default(),
        to: to.map(|d| d.to_string()).unwrap_or_default(),
        errors,
        movements: rows,
        older,
        newest,
        outcome: payment_outcome(query.esito.as_deref()),
    };
    page.render().map(Html).map_err(PortalError::internal)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_school_year_starts_in_september() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(school_year_start(d(2026, 10, 5)), d(2026, 9, 1));
        assert_eq!(school_year_start(d(2027, 3, 5)), d(2026, 9, 1));
        assert_eq!(school_year_start(d(2026, 9, 1)), d(2026, 9, 1));
    }

    #[test]
    fn dates_from_the_date_field_or_typed() {
        assert_eq!(parse_date("2026-10-05"), parse_date("05/10/2026"));
        assert!(parse_date("5 ottobre").is_none());
    }
}
