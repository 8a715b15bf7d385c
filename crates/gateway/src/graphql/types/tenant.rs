use std::sync::Arc;

use async_graphql::{Object, SimpleObject};
use tenancy::Tenant;

use crate::graphql::scalars::Decimal;

/// The comune of the host the request came to.
pub struct TenantInfo(pub Arc<Tenant>);

#[derive(SimpleObject)]
pub struct Branding {
    /// `#rrggbb`.
    primary_color: String,
    logo_url: Option<String>,
}

#[derive(SimpleObject)]
pub struct Contacts {
    email: Option<String>,
    phone: Option<String>,
    address: Option<String>,
}

#[Object(name = "Tenant")]
impl TenantInfo {
    async fn slug(&self) -> &str {
        self.0.slug.as_str()
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The comune's fiscal code: its pagoPA creditor id (idPA).
    async fn creditor_fiscal_code(&self) -> String {
        self.0.creditor.fiscal_code.to_string()
    }

    async fn branding(&self) -> Branding {
        Branding {
            primary_color: self.0.branding.primary_color.clone(),
            logo_url: self.0.branding.logo_url.clone(),
        }
    }

    async fn contacts(&self) -> Contacts {
        Contacts {
            email: self.0.contacts.email.clone(),
            phone: self.0.contacts.phone.clone(),
            address: self.0.contacts.address.clone(),
        }
    }

    /// Below this balance families are reminded to top up.
    async fn reminder_threshold(&self) -> Decimal {
        Decimal(self.0.balance_policy.reminder_threshold)
    }

    async fn min_top_up(&self) -> Decimal {
        Decimal(self.0.top_up_limits.min)
    }

    async fn max_top_up(&self) -> Decimal {
        Decimal(self.0.top_up_limits.max)
    }
}
