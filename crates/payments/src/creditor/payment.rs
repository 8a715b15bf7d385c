//! paVerifyPaymentNotice and paGetPayment(V2): what the notice asks to pay, if it still can
//! be paid.

use std::str::FromStr;

use chrono::NaiveDate;
use pagopa::PositiveAmount;
use pagopa::soap::{
    AmountOption, EntityType, FaultCode, IdTransfer, MapEntry, PaymentData, PaymentOption, QrCode,
    Subject, Transfer, TransferV2, VerifyPaymentNoticeOk,
};
use pagopa::text::{EntityIdValue, Text35, Text70, Text140};
use tenancy::Tenant;

use super::CreditorService;
use crate::refusal::Refusal;
use crate::{PaymentPosition, PaymentsError, PositionStatus};

pub(super) async fn verify(
    service: &CreditorService,
    tenant: &Tenant,
    qr: &QrCode,
    today: NaiveDate,
) -> Result<VerifyPaymentNoticeOk, Refusal> {
    let position =
        crate::queries::position_by_notice_now(&service.db, tenant.id, &qr.notice_number).await?;
    let position = payable(position, today)?;
    let description = text140(&position.description)?;
    Ok(VerifyPaymentNoticeOk {
        payment_option: PaymentOption {
            amount: amount(&position)?,
            // A top-up is paid exactly as issued.
            options: AmountOption::Eq,
            due_date: Some(position.due_date),
            detail_description: Some(description.clone()),
            all_ccp: false,
        },
        payment_description: Some(description),
        fiscal_code_pa: Some(qr.fiscal_code.clone()),
        company_name: Some(text140(&tenant.name)?),
        office_name: None,
    })
}

pub(super) async fn get_v1(
    service: &CreditorService,
    tenant: &Tenant,
    qr: &QrCode,
    today: NaiveDate,
) -> Result<PaymentData<Transfer>, Refusal> {
    let (position, data) = payment_data(service, tenant, qr, today).await?;
    let transfer = Transfer {
        id_transfer: first_transfer()?,
        transfer_amount: data.payment_amount,
        fiscal_code_pa: qr.fiscal_code.clone(),
        iban: iban(&position)?,
        remittance_information: data.description.clone(),
        transfer_category: category(&position)?,
        metadata: Vec::new(),
    };
    Ok(data.with_transfers(vec![transfer]))
}

pub(super) async fn get_v2(
    service: &CreditorService,
    tenant: &Tenant,
    qr: &QrCode,
    today: NaiveDate,
) -> Result<PaymentData<TransferV2>, Refusal> {
    let (position, data) = payment_data(service, tenant, qr, today).await?;
    let transfer = TransferV2 {
        id_transfer: first_transfer()?,
        transfer_amount: data.payment_amount,
        fiscal_code_pa: qr.fiscal_code.clone(),
        company_name: Some(data.company_name.clone()),
        iban: iban(&position)?,
        remittance_information: data.description.clone(),
        transfer_category: category(&position)?,
        metadata: Vec::new(),
    };
    Ok(data.with_transfers(vec![transfer]))
}

/// Everything of the payment data but the transfers, whose type differs by version.
async fn payment_data(
    service: &CreditorService,
    tenant: &Tenant,
    qr: &QrCode,
    today: NaiveDate,
) -> Result<(PaymentPosition, PaymentData<()>), Refusal> {
    let (position, guardian) =
        tenancy::scope::run::<_, Refusal, _>(&service.db, tenant.id, async |txn| {
            let position = crate::position_by_notice(txn, tenant.id, &qr.notice_number).await?;
            let position = payable(position, today)?;
            let guardian = registry::guardian(txn, tenant.id, position.guardian).await?;
            Ok((position, guardian))
        })
        .await?;
    let full_name = format!("{} {}", guardian.first_name, guardian.last_name);
    let debtor = Subject::new(
        EntityType::Natural,
        EntityIdValue::from_str(guardian.fiscal_code.as_str()).map_err(corrupt(&position))?,
        Text70::truncated(&full_name).ok_or_else(|| corrupt(&position)("empty payer name"))?,
    );
    let data = PaymentData {
        creditor_reference_id: Text35::from_str(&position.notice_number.iuv().to_string())
            .map_err(corrupt(&position))?,
        payment_amount: amount(&position)?,
        due_date: position.due_date,
        retention_date: None,
        last_payment: None,
        description: text140(&position.description)?,
        company_name: text140(&tenant.name)?,
        office_name: None,
        debtor,
        transfers: Vec::new(),
        // The position id travels with the payment and comes back in the receipt.
        metadata: vec![MapEntry {
            key: Text140::from_str("positionId").map_err(corrupt(&position))?,
            value: Text140::from_str(&position.id.to_string()).map_err(corrupt(&position))?,
        }],
    };
    Ok((position, data))
}

trait WithTransfers {
    fn with_transfers<T>(self, transfers: Vec<T>) -> PaymentData<T>;
}

impl WithTransfers for PaymentData<()> {
    fn with_transfers<T>(self, transfers: Vec<T>) -> PaymentData<T> {
        PaymentData {
            creditor_reference_id: self.creditor_reference_id,
            payment_amount: self.payment_amount,
            due_date: self.due_date,
            retention_date: self.retention_date,
            last_payment: self.last_payment,
            description: self.description,
            company_name: self.company_name,
            office_name: self.office_name,
            debtor: self.debtor,
            transfers,
            metadata: self.metadata,
        }
    }
}

/// The position, if the Node may take a payment for it today; otherwise the SANP fault.
fn payable(
    position: Option<PaymentPosition>,
    today: NaiveDate,
) -> Result<PaymentPosition, Refusal> {
    let Some(position) = position else {
        return Err(Refusal::Fault(
            FaultCode::PagamentoSconosciuto,
            "no notice with this number".into(),
        ));
    };
    let refusal = |code: FaultCode, what: &str| {
        Err(Refusal::Fault(
            code,
            format!("notice {} is {what}", position.notice_number),
        ))
    };
    match position.status_on(today) {
        PositionStatus::Open => Ok(position),
        PositionStatus::Paid => refusal(FaultCode::PagamentoDuplicato, "already paid"),
        PositionStatus::Expired => refusal(FaultCode::PagamentoScaduto, "expired"),
        PositionStatus::Cancelled => refusal(FaultCode::PagamentoAnnullato, "cancelled"),
    }
}

fn amount(position: &PaymentPosition) -> Result<PositiveAmount, Refusal> {
    u64::try_from(position.amount.cents())
        .ok()
        .and_then(|cents| PositiveAmount::from_cents(cents).ok())
        .ok_or_else(|| corrupt(position)("amount is not positive"))
}

fn iban(position: &PaymentPosition) -> Result<Text35, Refusal> {
    Text35::from_str(&position.iban).map_err(corrupt(position))
}

/// `transferCategory` carries the taxonomy code in its "9/<code>/" form (tipo 9: a code of
/// the pagoPA taxonomy), as pagoPA's own creditor service writes it.
fn category(position: &PaymentPosition) -> Result<Text140, Refusal> {
    text140(&format!("9/{}/", position.taxonomy))
}

fn first_transfer() -> Result<IdTransfer, Refusal> {
    IdTransfer::new(1)
        .ok_or_else(|| Refusal::Failed(PaymentsError::Unwritable("transfer id 1".into())))
}

/// Free text fitted into the schema's 140 characters.
fn text140(value: &str) -> Result<Text140, Refusal> {
    Text140::truncated(value)
        .ok_or_else(|| Refusal::Failed(PaymentsError::Unwritable(format!("blank text {value:?}"))))
}

fn corrupt<E>(position: &PaymentPosition) -> impl Fn(E) -> Refusal + '_
where
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    move |error| {
        Refusal::Failed(PaymentsError::CorruptRow {
            table: "payment_positions",
            id: position.id.get(),
            problem: error.into(),
        })
    }
}
