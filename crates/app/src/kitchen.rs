//! What each school's kitchen must cook on a date: the children enrolled that day in a
//! class that eats at school on that weekday, counted by diet.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use registry::{Diet, School, SchoolId};
use sea_orm::DatabaseConnection;
use tenancy::TenantId;

use crate::AppError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KitchenLine {
    pub school: School,
    pub normal: u64,
    /// Special diets by their detail, in alphabetical order.
    pub special: Vec<(String, u64)>,
}

/// A school's normal meals and special diets by detail, while counting.
type Tally = (School, u64, BTreeMap<String, u64>);

pub async fn report(
    db: &DatabaseConnection,
    tenant: TenantId,
    date: NaiveDate,
) -> Result<Vec<KitchenLine>, AppError> {
    let (classes, enrolments) = tenancy::scope::run(db, tenant, async |txn| {
        let classes = registry::classes(txn, tenant).await?;
        let enrolments = registry::enrolments_on(txn, tenant, date).await?;
        Ok::<_, AppError>((classes, enrolments))
    })
    .await?;

    let mut by_school: BTreeMap<(String, SchoolId), Tally> = BTreeMap::new();
    for class in &classes {
        by_school
            .entry((class.school.name.clone(), class.school.id))
            .or_insert_with(|| (class.school.clone(), 0, BTreeMap::new()));
    }
    for enrolment in enrolments {
        let Some(class) = classes.iter().find(|c| c.id == enrolment.class) else {
            continue;
        };
        if !class.meal_days.includes_date(date) {
            continue;
        }
        let Some((_, normal, special)) =
            by_school.get_mut(&(class.school.name.clone(), class.school.id))
        else {
            continue;
        };
        match enrolment.diet {
            Diet::Normal => *normal = normal.saturating_add(1),
            Diet::Special { detail } => {
                let count = special.entry(detail).or_default();
                *count = count.saturating_add(1);
            }
        }
    }
    Ok(by_school
        .into_values()
        .map(|(school, normal, special)| KitchenLine {
            school,
            normal,
            special: special.into_iter().collect(),
        })
        .collect())
}
