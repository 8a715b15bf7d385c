//! The paper payment notice (avviso di pagamento) of a position, as a PDF.

use accounts::AccountId;
use pagopa::{FiscalCodePa, NoticeDocument, PositiveAmount, PostalAccount, PostalSlip};
use sea_orm::DatabaseConnection;
use tenancy::Tenant;

use crate::{CreditorSetting, PaymentPosition, PaymentsError};

/// What the notice prints for `position`, whose payer is `guardian`.
pub fn notice_document(
    tenant: &Tenant,
    position: &PaymentPosition,
    guardian: &registry::Guardian,
) -> Result<NoticeDocument, PaymentsError> {
    let creditor = &tenant.creditor;
    let creditor_fiscal_code = FiscalCodePa::new(creditor.fiscal_code.as_str())
        .map_err(|e| PaymentsError::Creditor(CreditorSetting::FiscalCode(e)))?;
    let cents = u64::try_from(position.amount.cents()).map_err(|_| corrupt(position))?;
    let amount = PositiveAmount::from_cents(cents).map_err(|_| corrupt(position))?;
    let postal = creditor
        .postal_account
        .as_deref()
        .map(|account| {
            PostalAccount::new(account)
                .map(|account| PostalSlip {
                    account,
                    holder: tenant.name.clone(),
                    authorization: None,
                })
                .map_err(|e| PaymentsError::Creditor(CreditorSetting::PostalAccount(e)))
        })
        .transpose()?;
    // Office and how to reach it, printed under the comune's name.
    let contacts = &tenant.contacts;
    let reach: Vec<&str> = [contacts.phone.as_deref(), contacts.email.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let info: Vec<String> = contacts
        .address
        .iter()
        .cloned()
        .chain((!reach.is_empty()).then(|| reach.join(" - ")))
        .collect();
    Ok(NoticeDocument {
        creditor_name: tenant.name.clone(),
        creditor_fiscal_code,
        creditor_info: (!info.is_empty()).then(|| info.join("\n")),
        creditor_logo_png: None,
        payable_on_creditor_site: true,
        cbill_code: creditor.cbill_code.clone(),
        postal,
        payer_name: format!("{} {}", guardian.first_name, guardian.last_name),
        payer_fiscal_code: guardian.fiscal_code.as_str().to_owned(),
        payer_address: None,
        object: position.description.clone(),
        amount,
        due_date: position.due_date,
        notice_number: position.notice_number,
    })
}

/// The PDF bytes of `position`.
pub async fn notice_pdf(
    db: &DatabaseConnection,
    tenant: &Tenant,
    position: &PaymentPosition,
) -> Result<Vec<u8>, PaymentsError> {
    let guardian = tenancy::scope::run(db, tenant.id, async |txn| {
        registry::guardian(txn, tenant.id, position.guardian).await
    })
    .await?;
    Ok(pagopa::notice_pdf::render(&notice_document(
        tenant, position, &guardian,
    )?)?)
}

/// The PDF of the notice numbered `notice` when it belongs to `account`; `None` when the
/// comune has no such notice or it is another family's (the caller cannot tell which).
pub async fn notice_pdf_for_account(
    db: &DatabaseConnection,
    tenant: &Tenant,
    account: AccountId,
    notice: &pagopa::NoticeNumber,
) -> Result<Option<Vec<u8>>, PaymentsError> {
    let position = tenancy::scope::run(db, tenant.id, async |txn| {
        crate::position_by_notice(txn, tenant.id, notice).await
    })
    .await?;
    match position {
        Some(position) if position.account == account => {
            notice_pdf(db, tenant, &position).await.map(Some)
        }
        _ => Ok(None),
    }
}

fn corrupt(position: &PaymentPosition) -> PaymentsError {
    PaymentsError::CorruptRow {
        table: "payment_positions",
        id: position.id.get(),
        problem: format!("amount {} cannot be printed", position.amount).into(),
    }
}
