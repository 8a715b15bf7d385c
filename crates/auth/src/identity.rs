//! The authenticated caller of a request, already bound to its comune.

use accounts::AccountId;
use registry::{GuardianId, OperatorId};
use tenancy::TenantId;

use crate::api_keys::{ApiKeyId, Scope};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    /// A parent: sees only his own family and its account.
    Guardian {
        guardian: GuardianId,
        account: AccountId,
    },
    /// The comune's staff: the whole comune; special diets only with the right.
    Operator {
        operator: OperatorId,
        can_read_health_data: bool,
    },
    /// A program with an API key: its comune, within the key's scopes.
    Integrator { key: ApiKeyId, scopes: Vec<Scope> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub tenant: TenantId,
    pub principal: Principal,
    /// The digest of the credential, to log out or tell callers apart in rate limits.
    pub credential: String,
}

impl Identity {
    /// How the caller appears in the audit log and in ledger rows.
    pub fn actor(&self) -> String {
        match &self.principal {
            Principal::Guardian { guardian, .. } => format!("guardian:{}", guardian.get()),
            Principal::Operator { operator, .. } => format!("operator:{}", operator.get()),
            Principal::Integrator { key, .. } => format!("api_key:{}", key.0),
        }
    }
}
