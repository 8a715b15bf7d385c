//! The kitchen report: what each school must cook on a date.

use async_graphql::SimpleObject;

use super::family::School;
use app::kitchen::KitchenLine;

#[derive(SimpleObject)]
pub struct SpecialDietCount {
    /// The diet's detail; "riservato" for callers without the health-data right.
    detail: String,
    count: u64,
}

#[derive(SimpleObject)]
pub struct KitchenReportLine {
    school: School,
    normal: u64,
    special: Vec<SpecialDietCount>,
    total: u64,
}

/// What callers without the health-data right see instead of a diet's detail.
pub const WITHHELD: &str = "riservato";

impl KitchenReportLine {
    pub fn new(line: KitchenLine, with_details: bool) -> Self {
        let special_total: u64 = line.special.iter().map(|(_, n)| *n).sum();
        let special = if with_details {
            line.special
                .into_iter()
                .map(|(detail, count)| SpecialDietCount { detail, count })
                .collect()
        } else if special_total > 0 {
            vec![SpecialDietCount {
                detail: WITHHELD.to_owned(),
                count: special_total,
            }]
        } else {
            Vec::new()
        };
        KitchenReportLine {
            school: line.school.into(),
            normal: line.normal,
            total: line.normal.saturating_add(special_total),
            special,
        }
    }
}
