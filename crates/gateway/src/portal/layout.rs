//! What every portal page shows around its content: the comune's branding, the menu, who
//! is logged in, and the low-balance banner.

use tenancy::Tenant;

use super::error::PortalError;
use super::format::euro;
use super::session::Family;
use crate::AppState;
use app::family::Household;
use app::statement;

pub struct Layout {
    pub title: String,
    /// Which menu entry is this page, for `aria-current`.
    pub section: &'static str,
    pub comune: String,
    pub logo_url: Option<String>,
    pub theme_href: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The phone number as a `tel:` link wants it: digits and a leading `+` only.
    pub phone_href: Option<String>,
    pub address: Option<String>,
    /// The logged-in guardian's name.
    pub user: Option<String>,
    /// The token of this page's forms (the logout button is on every page).
    pub csrf: String,
    pub low_balance: Option<LowBalance>,
}

impl Layout {
    pub fn is(&self, section: &str) -> bool {
        self.section == section
    }

    pub fn anonymous(tenant: &Tenant, title: &str, section: &'static str, csrf: String) -> Self {
        Layout {
            title: title.to_owned(),
            section,
            comune: tenant.name.clone(),
            logo_url: tenant
                .branding
                .logo_url
                .clone()
                .filter(|url| url.starts_with("https://") || url.starts_with('/')),
            theme_href: crate::assets::theme_href(&tenant.branding.primary_color),
            email: tenant.contacts.email.clone(),
            phone: tenant.contacts.phone.clone(),
            phone_href: tenant.contacts.phone.as_ref().map(|phone| {
                phone
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '+')
                    .collect()
            }),
            address: tenant.contacts.address.clone(),
            user: None,
            csrf,
            low_balance: None,
        }
    }

    pub fn for_family(
        family: &Family,
        household: &Household,
        title: &str,
        section: &'static str,
    ) -> Self {
        let mut layout = Layout::anonymous(&family.tenant, title, section, family.csrf());
        layout.user = Some(format!(
            "{} {}",
            household.guardian.first_name, household.guardian.last_name
        ));
        layout.low_balance = LowBalance::of(&family.tenant, household);
        layout
    }
}

/// What the family's pages share (`app::family::Household`), read for this family today.
pub async fn household(state: &AppState, family: &Family) -> Result<Household, PortalError> {
    Ok(state
        .app
        .household(
            &family.tenant,
            family.guardian,
            family.account,
            super::today(),
        )
        .await?)
}

/// The banner shown while the balance is below the comune's reminder threshold.
pub struct LowBalance {
    pub balance: String,
    pub threshold: String,
    /// With one child, the price of a meal; with more, of a day of meals of them all.
    pub meal_price: String,
    pub several_children: bool,
    pub meals_left: u64,
}

impl LowBalance {
    fn of(tenant: &Tenant, household: &Household) -> Option<Self> {
        if !household.balance.below_threshold {
            return None;
        }
        let cost = household.daily_cost();
        Some(LowBalance {
            balance: euro(household.balance.balance),
            threshold: euro(tenant.balance_policy.reminder_threshold),
            meal_price: euro(cost),
            several_children: household.enrolled() > 1,
            meals_left: statement::meals_left(household.balance.balance, cost),
        })
    }
}
