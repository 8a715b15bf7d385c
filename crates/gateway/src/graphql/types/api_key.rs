use async_graphql::{Enum, ID, SimpleObject};

use crate::graphql::scalars::DateTime;
use auth::{ApiKey, Scope};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "ApiScope")]
pub enum ApiScope {
    /// Read the comune's data (no special-diet details).
    Read,
    /// Post the meals of a day.
    PostMeals,
}

impl From<ApiScope> for Scope {
    fn from(scope: ApiScope) -> Self {
        match scope {
            ApiScope::Read => Scope::Read,
            ApiScope::PostMeals => Scope::PostMeals,
        }
    }
}

impl From<Scope> for ApiScope {
    fn from(scope: Scope) -> Self {
        match scope {
            Scope::Read => ApiScope::Read,
            Scope::PostMeals => ApiScope::PostMeals,
        }
    }
}

#[derive(SimpleObject)]
#[graphql(name = "ApiKey")]
pub struct ApiKeyObject {
    id: ID,
    name: String,
    /// The first characters of the key, to tell keys apart.
    prefix: String,
    scopes: Vec<ApiScope>,
    created_at: DateTime,
    revoked_at: Option<DateTime>,
}

impl From<ApiKey> for ApiKeyObject {
    fn from(key: ApiKey) -> Self {
        ApiKeyObject {
            id: ID(key.id.0.to_string()),
            name: key.name,
            prefix: key.prefix,
            scopes: key.scopes.into_iter().map(ApiScope::from).collect(),
            created_at: DateTime(key.created_at),
            revoked_at: key.revoked_at.map(DateTime),
        }
    }
}
