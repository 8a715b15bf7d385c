//! sea-orm models of the payment tables.

pub mod notice_sequence;
pub mod payment_position;
pub mod payment_receipt;
