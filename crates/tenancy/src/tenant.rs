//! A comune as the rest of Mensa sees it: identity, branding, pagoPA creditor settings
//! and the rules it sets for its families' balances.

use money::Money;

use crate::{EntityFiscalCode, Iban, TenantId, TenantSlug};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tenant {
    pub id: TenantId,
    pub slug: TenantSlug,
    pub name: String,
    pub branding: Branding,
    pub contacts: Contacts,
    pub creditor: Creditor,
    pub balance_policy: BalancePolicy,
    pub top_up_limits: TopUpLimits,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Branding {
    /// `#rrggbb`, checked when the comune is onboarded.
    pub primary_color: String,
    pub logo_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Contacts {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// The comune as pagoPA creditor (Ente Creditore).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Creditor {
    pub fiscal_code: EntityFiscalCode,
    pub aux_digit: u8,
    pub segregation_code: String,
    pub iban: Iban,
    pub postal_account: Option<String>,
    pub cbill_code: Option<String>,
}

/// What happens when a family's balance runs low. Children still eat with a negative
/// balance; the comune decides when to remind and whether a debt limit stops new meals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BalancePolicy {
    pub reminder_threshold: Money,
    pub debt_limit: Option<Money>,
    pub over_limit: OverLimit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OverLimit {
    /// The meal is refused, so the comune can act before the debt grows.
    Refuse,
    /// The meal is posted and flagged for an operator.
    Flag,
}

impl OverLimit {
    pub fn as_str(self) -> &'static str {
        match self {
            OverLimit::Refuse => "refuse",
            OverLimit::Flag => "flag",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "refuse" => Some(OverLimit::Refuse),
            "flag" => Some(OverLimit::Flag),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TopUpLimits {
    pub min: Money,
    pub max: Money,
}

impl TopUpLimits {
    pub fn allows(&self, amount: Money) -> bool {
        amount >= self.min && amount <= self.max
    }
}
