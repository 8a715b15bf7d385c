//! Who is asking, on which comune, and the role checks every resolver starts with.

use std::net::IpAddr;
use std::sync::Arc;

use accounts::AccountId;
use app::App;
use async_graphql::Context;
use registry::{GuardianId, OperatorId};
use tenancy::{Tenant, TenantId};

use super::error::{Code, api_error};
use crate::AppState;
use auth::{Identity, Principal, Scope};

/// Per request: the comune of the host and the authenticated caller, if any.
#[derive(Clone, Debug)]
pub struct Caller {
    pub tenant: Arc<Tenant>,
    pub identity: Option<Identity>,
    pub address: IpAddr,
}

pub fn state<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a AppState> {
    ctx.data::<AppState>()
}

pub fn caller<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Caller> {
    ctx.data::<Caller>()
}

pub fn identity<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Identity> {
    caller(ctx)?.identity.as_ref().ok_or_else(|| {
        api_error(
            Code::Unauthenticated,
            "Log in first: call the `login` mutation and send its token as `Authorization: Bearer <token>`.",
        )
    })
}

/// The caller, who must be allowed to read the comune's data: any logged-in person, or a
/// key with the `read` scope (`Identity::may_read`).
pub fn reader<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Identity> {
    let identity = identity(ctx)?;
    if identity.may_read() {
        Ok(identity)
    } else {
        Err(lacks_scope(Scope::Read))
    }
}

fn lacks_scope(scope: Scope) -> async_graphql::Error {
    api_error(
        Code::Forbidden,
        format!(
            "This API key lacks the '{}' scope; ask the comune for a key that has it.",
            scope.as_str()
        ),
    )
}

fn forbidden(what: &str) -> async_graphql::Error {
    api_error(Code::Forbidden, format!("Only {what} can do this."))
}

pub fn guardian(ctx: &Context<'_>) -> async_graphql::Result<(GuardianId, AccountId)> {
    match identity(ctx)?.principal {
        Principal::Guardian { guardian, account } => Ok((guardian, account)),
        _ => Err(forbidden("a logged-in guardian (genitore)")),
    }
}

pub fn operator(ctx: &Context<'_>) -> async_graphql::Result<OperatorId> {
    match identity(ctx)?.principal {
        Principal::Operator { operator, .. } => Ok(operator),
        _ => Err(forbidden("the comune's operators")),
    }
}

/// Operators, and integrators whose key has the scope.
/// An operator's use case: the use cases and his comune, or a refusal for anyone else.
pub fn operator_in_comune<'a>(ctx: &Context<'a>) -> async_graphql::Result<(&'a App, TenantId)> {
    operator(ctx)?;
    Ok((&state(ctx)?.app, caller(ctx)?.tenant.id))
}

pub fn staff_or_key(ctx: &Context<'_>, scope: Scope) -> async_graphql::Result<()> {
    match &identity(ctx)?.principal {
        Principal::Operator { .. } => Ok(()),
        Principal::Integrator { scopes, .. } if scopes.contains(&scope) => Ok(()),
        Principal::Integrator { .. } => Err(lacks_scope(scope)),
        Principal::Guardian { .. } => Err(forbidden("the comune's operators and integrators")),
    }
}

/// Whether the caller may read special-diet details of students outside his own family.
pub fn reads_health_data(ctx: &Context<'_>) -> bool {
    caller(ctx)
        .ok()
        .and_then(|c| c.identity.as_ref())
        .is_some_and(|i| {
            matches!(
                i.principal,
                Principal::Operator {
                    can_read_health_data: true,
                    ..
                }
            )
        })
}

/// Who the caller is in ledger rows and the audit log.
pub fn actor(ctx: &Context<'_>) -> async_graphql::Result<String> {
    Ok(identity(ctx)?.actor())
}

/// Runs `work` in one transaction scoped to the caller's comune and commits it; any
/// failure inside is ours (logged, answered INTERNAL) unless `work` chose a code itself.
pub async fn in_comune<T>(
    ctx: &Context<'_>,
    work: impl AsyncFnOnce(&sea_orm::DatabaseTransaction, tenancy::TenantId) -> async_graphql::Result<T>,
) -> async_graphql::Result<T> {
    let state = state(ctx)?;
    let tenant = caller(ctx)?.tenant.id;
    let txn = tenancy::scope::begin(&state.app.db, tenant)
        .await
        .map_err(super::error::internal)?;
    let value = work(&txn, tenant).await?;
    txn.commit().await.map_err(super::error::internal)?;
    Ok(value)
}

/// Writes an audit entry for the caller in its own transaction.
pub async fn audit(ctx: &Context<'_>, action: &str, subject: &str) -> async_graphql::Result<()> {
    let actor = actor(ctx)?;
    in_comune(ctx, async |txn, tenant| {
        content::record(
            txn,
            tenant,
            content::AuditEntry {
                actor: &actor,
                action,
                subject,
                detail: None,
            },
        )
        .await
        .map_err(super::error::internal)
    })
    .await
}
