//! The magnifier of Stato contabile: one child's meals day by day over the school year,
//! newest month first, with each month's count and total.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use chrono::Datelike;
use money::Money;

use super::account::school_year_start;
use super::error::PortalError;
use super::format::{date, euro, long_date, month_name};
use super::layout::{Layout, household};
use super::session::Family;
use crate::AppState;
use app::statement;

struct MealRow {
    day: String,
    price: String,
}

struct MonthOfMeals {
    title: String,
    count: usize,
    total: String,
    meals: Vec<MealRow>,
}

#[derive(Template)]
#[template(path = "portal/meals.html")]
struct MealsPage {
    layout: Layout,
    child: String,
    period: String,
    meal_price: Option<String>,
    count: usize,
    total: String,
    months: Vec<MonthOfMeals>,
}

/// The magnifier: one child's meals day by day over the school year, newest month first.
pub async fn meals_page(
    State(state): State<AppState>,
    family: Family,
    Path(student): Path<i64>,
) -> Result<Html<String>, PortalError> {
    let household = household(&state, &family).await?;
    // Only this family's children: an id of another family (or comune) is "not found".
    let Some(child) = household
        .students
        .iter()
        .find(|s| s.student.id.get() == student)
    else {
        return Err(PortalError::NotFound);
    };
    let today = super::today();
    let from = school_year_start(today);
    let meals = statement::meals(
        &state.app.db,
        family.tenant.id,
        child.student.id,
        from,
        today,
    )
    .await?;
    let mut months: Vec<MonthOfMeals> = Vec::new();
    let mut current: Option<(i32, u32)> = None;
    let mut bucket: Vec<&accounts::MealDay> = Vec::new();
    let mut flush = |key: Option<(i32, u32)>, bucket: &mut Vec<&accounts::MealDay>| {
        if let Some((year, month)) = key
            && !bucket.is_empty()
        {
            let total = bucket
                .iter()
                .try_fold(Money::ZERO, |sum, m| sum.checked_add(m.price))
                .unwrap_or(Money::ZERO);
            months.push(MonthOfMeals {
                title: format!("{} {year}", month_name(month)),
                count: bucket.len(),
                total: euro(total),
                meals: bucket
                    .iter()
                    .map(|m| MealRow {
                        day: long_date(m.date),
                        price: euro(m.price),
                    })
                    .collect(),
            });
        }
        bucket.clear();
    };
    for meal in &meals {
        let key = Some((meal.date.year(), meal.date.month()));
        if key != current {
            flush(current, &mut bucket);
            current = key;
        }
        bucket.push(meal);
    }
    flush(current, &mut bucket);
    months.reverse();
    let name = format!("{} {}", child.student.first_name, child.student.last_name);
    let page = MealsPage {
        layout: Layout::for_family(
            &family,
            &household,
            &format!("Pasti di {name}"),
            "stato-contabile",
        ),
        child: name,
        period: format!("dal {} al {}", date(from), date(today)),
        meal_price: child.service.as_ref().map(|s| euro(s.band.meal_price)),
        count: meals.len(),
        total: euro(accounts::meals_total(&meals).unwrap_or(Money::ZERO)),
        months,
    };
    page.render().map(Html).map_err(PortalError::internal)
}
