//! Why a receipt needs an operator's eyes. Stored comma-separated with the receipt.

/// The outcome was KO: nothing was paid.
pub const OUTCOME_KO: &str = "outcome_ko";
/// No position has this notice number: the money came, but for whom?
pub const UNKNOWN_NOTICE: &str = "unknown_notice";
/// Paid or credited amount differs from the position's.
pub const AMOUNT_MISMATCH: &str = "amount_mismatch";
/// Paid after the due date.
pub const EXPIRED: &str = "expired";
/// Paid although the comune had cancelled the notice.
pub const CANCELLED: &str = "cancelled";
/// A second payment of a notice already paid by another receipt.
pub const ALREADY_PAID: &str = "already_paid";
/// Some transfers go to other creditors: only the comune's own part is credited.
pub const FOREIGN_TRANSFERS: &str = "foreign_transfers";
/// No transfer goes to the comune: nothing to credit.
pub const NO_OWN_TRANSFER: &str = "no_own_transfer";
