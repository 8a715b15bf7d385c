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

    /// Whether the caller may read the comune's data (news, documents and their files,
    /// tariffs, the kitchen report): every logged-in person, and only those keys that have
    /// the `read` scope. The one place this is decided; the API's resolvers and the file
    /// downloads ask it.
    pub fn may_read(&self) -> bool {
        match &self.principal {
            Principal::Guardian { .. } | Principal::Operator { .. } => true,
            Principal::Integrator { scopes, .. } => scopes.contains(&Scope::Read),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(principal: Principal) -> Identity {
        Identity {
            tenant: TenantId::new(1),
            principal,
            credential: String::new(),
        }
    }

    #[test]
    fn only_keys_with_the_read_scope_read() {
        let key = |scopes: Vec<Scope>| {
            identity(Principal::Integrator {
                key: ApiKeyId(1),
                scopes,
            })
        };
        assert!(key(vec![Scope::Read]).may_read());
        assert!(key(vec![Scope::PostMeals, Scope::Read]).may_read());
        assert!(!key(vec![Scope::PostMeals]).may_read());
        assert!(!key(vec![]).may_read());
        assert!(
            identity(Principal::Operator {
                operator: OperatorId::new(1),
                can_read_health_data: false
            })
            .may_read()
        );
    }
}
