//! A ledger row as the domain sees it.

use chrono::NaiveDate;
use money::Money;
use registry::StudentId;

use crate::AccountId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId(i64);

impl EntryId {
    pub fn new(id: i64) -> Self {
        Self(id)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MovementKind {
    /// A meal eaten by a student on a date (consumazione): a debit.
    Meal,
    /// A pagoPA payment received (ricarica): a credit.
    TopUp,
    /// Old paper vouchers converted (recupero buoni pasto): a credit.
    VoucherRecovery,
    /// Money given back to the family: a debit.
    Refund,
    /// An operator's correction, either sign, always with a reason.
    Adjustment,
    /// Cancels a movement posted by mistake, with the opposite amount.
    Reversal,
}

impl MovementKind {
    pub const ALL: [MovementKind; 6] = [
        MovementKind::Meal,
        MovementKind::TopUp,
        MovementKind::VoucherRecovery,
        MovementKind::Refund,
        MovementKind::Adjustment,
        MovementKind::Reversal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Meal => "meal",
            MovementKind::TopUp => "top_up",
            MovementKind::VoucherRecovery => "voucher_recovery",
            MovementKind::Refund => "refund",
            MovementKind::Adjustment => "adjustment",
            MovementKind::Reversal => "reversal",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == value)
    }

    /// How a parent reads it.
    pub fn italian(self) -> &'static str {
        match self {
            MovementKind::Meal => "Pasto",
            MovementKind::TopUp => "Ricarica",
            MovementKind::VoucherRecovery => "Recupero buoni pasto",
            MovementKind::Refund => "Rimborso",
            MovementKind::Adjustment => "Rettifica",
            MovementKind::Reversal => "Storno",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Movement {
    pub id: EntryId,
    pub account: AccountId,
    pub kind: MovementKind,
    /// Signed: credits positive, debits negative.
    pub amount: Money,
    pub student: Option<StudentId>,
    pub date: NaiveDate,
    pub description: String,
    pub reference: Option<String>,
    pub reverses: Option<EntryId>,
}
