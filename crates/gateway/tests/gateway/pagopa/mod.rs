//! pagoPA end to end: the gateway's creditor endpoint driven as the Node drives it (on the
//! creditor listener, behind mutual TLS outside demo mode), the notice PDF, the sandbox
//! checkout, and the outbound Checkout and archive clients.

mod anomalies;
mod concurrency;
mod faults;
mod flow;
mod hostile;
mod https;
mod listener;
pub(crate) mod node;
mod notices;
mod pdf;
mod recovery;
mod remote;
mod sandbox;
