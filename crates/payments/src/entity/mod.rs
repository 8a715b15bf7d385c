//! sea-orm models of the payment tables.

pub mod payment_anomaly;
pub mod payment_position;
pub mod payment_receipt;
