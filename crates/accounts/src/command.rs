//! What can be asked of a family account, and how each command is recognised when it
//! comes again.

use chrono::NaiveDate;
use money::Money;
use registry::StudentId;
use sha2::{Digest, Sha256};

use crate::{EntryId, MovementKind};

/// Unique per comune. Meals and top-ups derive theirs from what they are (a student on a
/// date, a pagoPA receipt), so a retry can never post them twice; the operators' commands
/// carry the key their client chose.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// A client-chosen key: 1 to 100 printable characters.
    pub fn client(key: &str) -> Option<Self> {
        let valid =
            !key.is_empty() && key.len() <= 100 && key.chars().all(|c| c.is_ascii_graphic());
        valid.then(|| IdempotencyKey(format!("client:{key}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// A student ate on `date`. `force` lets an operator post on a day that is not one of
    /// the class's meal days (a school trip, a make-up day).
    Meal {
        student: StudentId,
        date: NaiveDate,
        force: bool,
    },
    /// A pagoPA receipt paid `amount` into the account.
    TopUp {
        amount: Money,
        receipt_id: String,
        date: NaiveDate,
    },
    VoucherRecovery {
        amount: Money,
        reference: String,
        date: NaiveDate,
        key: IdempotencyKey,
    },
    Refund {
        amount: Money,
        reason: String,
        date: NaiveDate,
        key: IdempotencyKey,
    },
    /// Signed: positive credits the family, negative debits it.
    Adjustment {
        amount: Money,
        reason: String,
        date: NaiveDate,
        key: IdempotencyKey,
    },
    Reversal {
        entry: EntryId,
        reason: String,
        date: NaiveDate,
        key: IdempotencyKey,
    },
}

impl Command {
    pub fn kind(&self) -> MovementKind {
        match self {
            Command::Meal { .. } => MovementKind::Meal,
            Command::TopUp { .. } => MovementKind::TopUp,
            Command::VoucherRecovery { .. } => MovementKind::VoucherRecovery,
            Command::Refund { .. } => MovementKind::Refund,
            Command::Adjustment { .. } => MovementKind::Adjustment,
            Command::Reversal { .. } => MovementKind::Reversal,
        }
    }

    pub fn date(&self) -> NaiveDate {
        match self {
            Command::Meal { date, .. }
            | Command::TopUp { date, .. }
            | Command::VoucherRecovery { date, .. }
            | Command::Refund { date, .. }
            | Command::Adjustment { date, .. }
            | Command::Reversal { date, .. } => *date,
        }
    }

    pub fn idempotency_key(&self) -> IdempotencyKey {
        match self {
            Command::Meal { student, date, .. } => IdempotencyKey(format!("meal:{student}:{date}")),
            Command::TopUp { receipt_id, .. } => IdempotencyKey(format!("receipt:{receipt_id}")),
            Command::VoucherRecovery { key, .. }
            | Command::Refund { key, .. }
            | Command::Adjustment { key, .. }
            | Command::Reversal { key, .. } => key.clone(),
        }
    }

    /// A fingerprint of what the command asks, to tell a repeat from a different command
    /// under the same key. `force` is left out: forcing a meal already posted is a repeat.
    pub fn fingerprint(&self, account: i64) -> String {
        let canonical = match self {
            Command::Meal { student, date, .. } => format!("meal|{account}|{student}|{date}"),
            Command::TopUp {
                amount,
                receipt_id,
                date,
            } => {
                format!("top_up|{account}|{amount}|{receipt_id}|{date}")
            }
            Command::VoucherRecovery {
                amount,
                reference,
                date,
                ..
            } => {
                format!("voucher_recovery|{account}|{amount}|{reference}|{date}")
            }
            Command::Refund {
                amount,
                reason,
                date,
                ..
            } => {
                format!("refund|{account}|{amount}|{reason}|{date}")
            }
            Command::Adjustment {
                amount,
                reason,
                date,
                ..
            } => {
                format!("adjustment|{account}|{amount}|{reason}|{date}")
            }
            Command::Reversal {
                entry,
                reason,
                date,
                ..
            } => {
                format!("reversal|{account}|{}|{reason}|{date}", entry.get())
            }
        };
        Sha256::digest(canonical.as_bytes())
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn meals_are_keyed_by_student_and_date() {
        let date = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
        let meal = Command::Meal {
            student: StudentId::new(7),
            date,
            force: false,
        };
        let forced = Command::Meal {
            student: StudentId::new(7),
            date,
            force: true,
        };
        assert_eq!(meal.idempotency_key().as_str(), "meal:7:2026-10-05");
        assert_eq!(meal.fingerprint(1), forced.fingerprint(1));
        assert_ne!(meal.fingerprint(1), meal.fingerprint(2));
    }

    #[test]
    fn client_keys_are_bounded_and_printable() {
        assert!(IdempotencyKey::client("refund-2026-001").is_some());
        assert!(IdempotencyKey::client("").is_none());
        assert!(IdempotencyKey::client("with space").is_none());
        assert!(IdempotencyKey::client(&"x".repeat(101)).is_none());
    }
}
