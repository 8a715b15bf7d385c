//! Payment notices (avvisi di pagamento) for a family: creating one for a top-up, the
//! family's list and PDFs, and where the parent pays online.
//!
//! A notice is a pagoPA payment position (see the `payments` crate). Created for a guardian,
//! it comes back with the path of its PDF and, when online payment is available, the URL
//! that starts it: pagoPA Checkout in production, the sandbox checkout in the demo.

use std::sync::Arc;

use accounts::AccountId;
use chrono::NaiveDate;
use money::Money;
use payments::remote::{Cart, CartNotice, CentralArchive, Checkout};
use payments::{NoticeError, PaymentPosition, PaymentsError, PositionId, PositionStatus};
use registry::GuardianId;
use rust_decimal::Decimal;
use tenancy::{Tenant, TenantId, TopUpLimits};

use crate::App;

/// How a parent pays online, and where the central archive is: the deployment's pagoPA
/// links as the use cases need them.
#[derive(Clone, Debug, Default)]
pub struct PaymentLinks {
    /// The demo's sandbox checkout, which plays the Node and a PSP.
    pub sandbox: bool,
    pub checkout: Option<Arc<dyn Checkout>>,
    pub archive: Option<Arc<dyn CentralArchive>>,
    /// Each comune's site is `https://<slug>.<base_domain>`: where Checkout sends the
    /// parent back.
    pub base_domain: String,
}

/// A notice as the parent sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeView {
    pub id: PositionId,
    pub notice_number: String,
    pub iuv: String,
    pub amount: Money,
    pub due_date: NaiveDate,
    /// As of today: an open notice past its due date reads EXPIRED.
    pub status: PositionStatus,
    pub description: String,
    /// Where the portal serves the PDF (`/avvisi/<notice number>.pdf`).
    pub pdf_path: String,
    /// Starts the online payment; `None` when no checkout is available.
    pub checkout_url: Option<String>,
    pub created_at: chrono::DateTime<chrono::FixedOffset>,
    pub paid_at: Option<chrono::DateTime<chrono::FixedOffset>>,
}

impl NoticeView {
    /// The parent's view of `position` today; `checkout_url` when online payment is offered.
    pub fn of(position: &PaymentPosition, checkout_url: Option<String>) -> Self {
        NoticeView {
            id: position.id,
            notice_number: position.notice_number.to_string(),
            iuv: position.notice_number.iuv().to_string(),
            amount: position.amount,
            due_date: position.due_date,
            status: position.status_on(payments::today()),
            description: position.description.clone(),
            pdf_path: pdf_path(&position.notice_number.to_string()),
            checkout_url,
            created_at: position.created_at,
            paid_at: position.paid_at,
        }
    }
}

pub fn pdf_path(notice_number: &str) -> String {
    format!("/avvisi/{notice_number}.pdf")
}

/// Creates a top-up notice of `amount` euro for the family of `guardian`. `return_path` is
/// where online payment brings the parent back (a path of the comune's site).
pub async fn create_payment_notice(
    app: &App,
    tenant: &Arc<Tenant>,
    guardian: GuardianId,
    amount: Decimal,
    return_path: &str,
) -> Result<NoticeView, NoticeError> {
    let position =
        payments::create_notice(&app.db, tenant, guardian, amount, payments::today()).await?;
    if let Some(archive) = app.pagopa.archive.clone() {
        // The central archive is for stand-in; loading it must never make the parent wait.
        let (db, tenant, position) = (app.db.clone(), Arc::clone(tenant), position.clone());
        tokio::spawn(async move {
            if let Err(error) =
                payments::archive::sync_position(&db, archive.as_ref(), &tenant, &position).await
            {
                tracing::warn!(notice = %position.notice_number, %error, "central archive load deferred");
            }
        });
    }
    let checkout = checkout_url(app, tenant, &position, return_path).await;
    Ok(NoticeView::of(&position, checkout))
}

/// The family's notices, newest first, `limit` at a time; `before` is the last id of the
/// previous page. The boolean says whether more exist.
pub async fn payment_notices(
    app: &App,
    tenant: &Tenant,
    account: AccountId,
    before: Option<PositionId>,
    limit: u64,
) -> Result<(Vec<NoticeView>, bool), PaymentsError> {
    let (positions, more) = tenancy::scope::run(&app.db, tenant.id, async |txn| {
        payments::positions_of_account(txn, tenant.id, account, before, limit).await
    })
    .await?;
    Ok((
        positions.iter().map(|p| NoticeView::of(p, None)).collect(),
        more,
    ))
}

/// The PDF of a notice of the family `account`; `None` when the number is malformed, not
/// the comune's, or another family's.
pub async fn notice_pdf(
    app: &App,
    tenant: &Tenant,
    account: AccountId,
    notice_number: &str,
) -> Result<Option<Vec<u8>>, PaymentsError> {
    let Ok(notice) = pagopa::NoticeNumber::parse(notice_number) else {
        return Ok(None);
    };
    payments::notice_pdf_for_account(&app.db, tenant, account, &notice).await
}

/// About a month (20 school days) of meals of every child, rounded up to ten euro: a figure
/// for the parent to start from, offered only within the comune's limits.
pub fn suggested_top_up(daily_cost: Money, limits: TopUpLimits) -> Option<Money> {
    daily_cost
        .times(20)
        .filter(|m| m.is_positive())
        .and_then(|m| {
            let tens = m.cents().div_euclid(1000).saturating_add(1);
            Money::from_cents(tens.saturating_mul(1000)).ok()
        })
        .filter(|m| limits.allows(*m))
}

/// The family's position with this notice number; `None` for a malformed number, one of
/// another family, or one of another comune.
pub async fn family_position(
    app: &App,
    tenant: TenantId,
    account: AccountId,
    number: &str,
) -> Result<Option<PaymentPosition>, PaymentsError> {
    let Ok(number) = pagopa::NoticeNumber::parse(number) else {
        return Ok(None);
    };
    tenancy::scope::run(&app.db, tenant, async |txn| {
        let position = payments::position_by_notice(txn, tenant, &number).await?;
        Ok(position.filter(|p| p.account == account))
    })
    .await
}

/// Where the parent pays `position` online: the sandbox in the demo, pagoPA Checkout when
/// configured, nowhere otherwise (the parent can still pay the PDF at any PSP). A Checkout
/// failure is logged and answered `None` for the same reason.
pub async fn checkout_url(
    app: &App,
    tenant: &Tenant,
    position: &PaymentPosition,
    return_path: &str,
) -> Option<String> {
    let return_path = safe_return(Some(return_path));
    if app.pagopa.sandbox {
        return Some(format!(
            "/sandbox/checkout?notice={}&return={}",
            position.notice_number,
            encode(&return_path)
        ));
    }
    let checkout = app.pagopa.checkout.as_ref()?;
    let site = format!(
        "https://{}.{}",
        tenant.slug.as_str(),
        app.pagopa.base_domain
    );
    let back = |outcome: &str| {
        let separator = if return_path.contains('?') { '&' } else { '?' };
        format!("{site}{return_path}{separator}esito={outcome}")
    };
    let cart = Cart {
        notices: vec![CartNotice {
            notice_number: position.notice_number.to_string(),
            fiscal_code: tenant.creditor.fiscal_code.as_str().to_owned(),
            amount_cents: u64::try_from(position.amount.cents()).ok()?,
            company_name: tenant.name.chars().take(140).collect(),
            description: position.description.chars().take(140).collect(),
        }],
        email: None,
        return_ok: back("ok"),
        return_cancel: back("annullato"),
        return_error: back("errore"),
        id_cart: Some(position.notice_number.to_string()),
    };
    match checkout.start(&cart).await {
        Ok(url) => Some(url),
        Err(error) => {
            tracing::warn!(notice = %position.notice_number, %error, "pagoPA Checkout did not start");
            None
        }
    }
}

/// Only a path on this site may be the way back: anything else (another host, a scheme,
/// `//evil.example`, a backslash that browsers read as a slash) becomes the home page.
pub fn safe_return(path: Option<&str>) -> String {
    match path {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && path.len() <= 512
                && path.chars().all(|c| c.is_ascii_graphic()) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// Percent-encodes a path for a query value.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn euro(text: &str) -> Money {
        text.parse().unwrap_or_default()
    }

    #[test]
    fn the_suggestion_is_a_month_of_meals_rounded_up_to_ten_euro() {
        let limits = TopUpLimits {
            min: euro("10.00"),
            max: euro("500.00"),
        };
        // 20 days at 4.60 is 92.00: the next ten is 100.
        assert_eq!(suggested_top_up(euro("4.60"), limits), Some(euro("100.00")));
        // Exactly on a ten still rounds up, so the month is covered.
        assert_eq!(suggested_top_up(euro("4.50"), limits), Some(euro("100.00")));
        assert_eq!(suggested_top_up(Money::ZERO, limits), None);
        // Over the comune's maximum: no suggestion rather than one that is refused.
        assert_eq!(suggested_top_up(euro("30.00"), limits), None);
    }

    #[test]
    fn return_paths_are_encoded_as_query_values() {
        assert_eq!(encode("/conto?tab=a&b=1"), "/conto%3Ftab%3Da%26b%3D1");
    }

    #[test]
    fn only_local_paths_are_ways_back() {
        for (given, expected) in [
            (Some("/conto?tab=ricariche"), "/conto?tab=ricariche"),
            (Some("/"), "/"),
            (Some("https://evil.example/"), "/"),
            (Some("//evil.example/x"), "/"),
            (Some("/\\evil.example"), "/"),
            (Some("/a b"), "/"),
            (Some("javascript:alert(1)"), "/"),
            (Some(""), "/"),
            (None, "/"),
        ] {
            assert_eq!(safe_return(given), expected, "{given:?}");
        }
    }
}
