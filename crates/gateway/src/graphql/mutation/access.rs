//! Logging in and out, passwords, and integrators' API keys.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use auth::{AuthError, NewApiKey, Principal, Scope};

use super::super::context;
use super::super::error::{Code, api_error, app_error, bad_input, internal, not_found, parse_id};
use super::super::scalars::DateTime;
use super::super::types::api_key::{ApiKeyObject, ApiScope};

#[derive(Default)]
pub struct AccessMutation;

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Guardian,
    Operator,
}

#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Send it as `Authorization: Bearer <token>` on this comune's host.
    token: String,
    expires_at: DateTime,
    role: Role,
}

#[derive(SimpleObject)]
pub struct CreatedApiKey {
    /// The key itself: shown this once, stored only as a digest.
    key: String,
    api_key: ApiKeyObject,
}

fn auth_error(error: AuthError) -> async_graphql::Error {
    match error {
        AuthError::InvalidCredentials => api_error(
            Code::Unauthenticated,
            "Wrong username or password. Check them and try again; after several failures logins are slowed down.",
        ),
        AuthError::RateLimited { .. } => api_error(Code::RateLimited, error.to_string()),
        AuthError::WrongPassword | AuthError::WeakPassword(_) => bad_input(error.to_string()),
        AuthError::Internal(_) => internal(error),
    }
}

#[Object]
impl AccessMutation {
    /// Logs a guardian or an operator in on this comune.
    async fn login(
        &self,
        ctx: &Context<'_>,
        username: String,
        password: String,
    ) -> async_graphql::Result<LoginPayload> {
        let state = context::state(ctx)?;
        let caller = context::caller(ctx)?;
        let session = state
            .auth
            .login(&caller.tenant, &username, &password, caller.address)
            .await
            .map_err(auth_error)?;
        let role = match session.identity.principal {
            Principal::Guardian { .. } => Role::Guardian,
            _ => Role::Operator,
        };
        Ok(LoginPayload {
            token: session.token,
            expires_at: DateTime(session.expires_at.fixed_offset()),
            role,
        })
    }

    /// Ends the session of the token this request carries.
    async fn logout(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let identity = context::identity(ctx)?;
        let state = context::state(ctx)?;
        state.auth.logout(identity).await.map_err(auth_error)?;
        Ok(true)
    }

    /// Changes the caller's password; his other sessions end.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> async_graphql::Result<bool> {
        let identity = context::identity(ctx)?;
        let state = context::state(ctx)?;
        let address = context::caller(ctx)?.address;
        state
            .auth
            .change_password(identity, &current_password, &new_password, address)
            .await
            .map_err(auth_error)?;
        Ok(true)
    }

    /// Creates an integrator key for this comune (operators). The answer holds the key
    /// once; only a digest is kept.
    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        name: String,
        scopes: Vec<ApiScope>,
    ) -> async_graphql::Result<CreatedApiKey> {
        let operator = context::operator(ctx)?;
        let name = app::input::text(&name, "name").map_err(app_error)?;
        if scopes.is_empty() {
            return Err(bad_input("Give the key at least one scope."));
        }
        let state = context::state(ctx)?;
        let tenant = context::caller(ctx)?.tenant.id;
        let mut scopes: Vec<Scope> = scopes.into_iter().map(Scope::from).collect();
        scopes.dedup();
        let (api_key, key) = state
            .auth
            .create_api_key(
                tenant,
                NewApiKey {
                    name,
                    scopes,
                    created_by: operator.get(),
                },
            )
            .await
            .map_err(internal)?;
        Ok(CreatedApiKey {
            key,
            api_key: api_key.into(),
        })
    }

    /// Revokes an integrator key of this comune (operators); it stops working at once on
    /// this replica and within half a minute on the others.
    async fn revoke_api_key(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<bool> {
        let operator = context::operator(ctx)?;
        let id = auth::ApiKeyId(parse_id(&id, "API key")?);
        let state = context::state(ctx)?;
        let tenant = context::caller(ctx)?.tenant.id;
        if state
            .auth
            .revoke_api_key(tenant, id, operator.get())
            .await
            .map_err(internal)?
        {
            Ok(true)
        } else {
            Err(not_found("API key"))
        }
    }
}
