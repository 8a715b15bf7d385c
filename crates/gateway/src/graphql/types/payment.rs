//! Payment notices (avvisi di pagamento): how a family tops up through pagoPA.

use async_graphql::{Enum, ID, SimpleObject};
use payments::PositionStatus;

use crate::graphql::scalars::{Date, DateTime, Decimal};
use app::NoticeView;

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "PaymentNoticeStatus")]
pub enum Status {
    Open,
    Paid,
    Expired,
    Cancelled,
}

impl From<PositionStatus> for Status {
    fn from(status: PositionStatus) -> Self {
        match status {
            PositionStatus::Open => Status::Open,
            PositionStatus::Paid => Status::Paid,
            PositionStatus::Expired => Status::Expired,
            PositionStatus::Cancelled => Status::Cancelled,
        }
    }
}

#[derive(SimpleObject)]
pub struct PaymentNotice {
    id: ID,
    /// The 18-digit notice number (codice avviso) printed on the PDF.
    notice_number: String,
    iuv: String,
    amount: Decimal,
    due_date: Date,
    status: Status,
    description: String,
    /// The notice's PDF, on the comune's host, with the same credential.
    pdf_url: String,
    /// Starts online payment (pagoPA Checkout); null in lists and when unavailable.
    checkout_url: Option<String>,
    created_at: DateTime,
    paid_at: Option<DateTime>,
}

impl From<NoticeView> for PaymentNotice {
    fn from(n: NoticeView) -> Self {
        PaymentNotice {
            id: ID(n.id.get().to_string()),
            notice_number: n.notice_number,
            iuv: n.iuv,
            amount: Decimal(n.amount),
            due_date: Date(n.due_date),
            status: n.status.into(),
            description: n.description,
            pdf_url: n.pdf_path,
            checkout_url: n.checkout_url,
            created_at: DateTime(n.created_at),
            paid_at: n.paid_at.map(DateTime),
        }
    }
}
