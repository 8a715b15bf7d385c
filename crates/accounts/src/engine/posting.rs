//! What a family actor and the committer tell each other: the posting a family hands over
//! and the settlement the committer sends back. A leaf, so the two import it and not each
//! other.

use std::sync::Arc;

use tenancy::Tenant;
use tokio::sync::{mpsc, oneshot};

use crate::evaluate::Draft;
use crate::{AccountId, Command, LedgerError, Movement, Posted};

/// One command's movement on its way to the ledger, with where to send the answer.
pub(crate) struct Posting {
    pub tenant: Arc<Tenant>,
    pub account: AccountId,
    /// The version the family last saw; the committer's own record wins when it has one.
    pub version_hint: i64,
    pub seq: u64,
    pub draft: Draft,
    pub command: Command,
    pub key: String,
    pub fingerprint: String,
    pub actor: String,
    pub settlements: mpsc::UnboundedSender<Settlement>,
    pub reply: oneshot::Sender<Result<Posted, LedgerError>>,
}

/// What the committer tells a family about its postings. It travels on an unbounded
/// channel the family drains before each message, so the committer never waits on a
/// family's mailbox (which could be full of commands waiting on the committer).
#[derive(Debug)]
pub(crate) enum Settlement {
    /// Postings up to `seq` are settled, and the account stands at `balance_cents` /
    /// `version` in the database.
    Settled {
        seq: u64,
        balance_cents: i64,
        version: i64,
        movements: Vec<(String, String, Movement)>,
    },
    /// Posting `seq` was not written (a failed commit).
    Failed { seq: u64 },
}
