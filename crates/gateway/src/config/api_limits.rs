//! GraphQL API limits: query shape, request rates and upload size.

use clap::Args;

use super::values::{switch, whole};
use crate::graphql::GraphqlLimits;

#[derive(Clone, Debug, Args)]
#[command(next_help_heading = "GraphQL API")]
pub struct ApiLimitSettings {
    /// Deepest selection a GraphQL query may nest.
    #[arg(long, env = "MENSA_GRAPHQL_MAX_DEPTH", global = true, default_value_t = 12, value_parser = whole::<usize, 3, 50>)]
    pub graphql_max_depth: usize,

    /// Most a query may cost: 1 per field, list fields their page size times their fields.
    #[arg(long, env = "MENSA_GRAPHQL_MAX_COMPLEXITY", global = true, default_value_t = 2_000, value_parser = whole::<usize, 10, 1_000_000>)]
    pub graphql_max_complexity: usize,

    /// GraphQL requests per minute of one token or API key (0: no limit).
    #[arg(long, env = "MENSA_GRAPHQL_RATE_PER_CREDENTIAL", global = true, default_value_t = 600, value_parser = whole::<u32, 0, 1_000_000>)]
    pub graphql_rate_per_credential: u32,

    /// GraphQL requests per minute from one address (0: no limit).
    #[arg(long, env = "MENSA_GRAPHQL_RATE_PER_ADDRESS", global = true, default_value_t = 1_200, value_parser = whole::<u32, 0, 1_000_000>)]
    pub graphql_rate_per_address: u32,

    /// Largest document an operator may upload (PDF, PNG or JPEG).
    #[arg(long, env = "MENSA_DOCUMENT_MAX_BYTES", global = true, default_value_t = 10 * 1024 * 1024, value_parser = whole::<usize, 1_024, 1_073_741_824>)]
    pub document_max_bytes: usize,

    /// Serve GraphiQL (an in-browser API explorer, from files embedded in the binary) on
    /// `GET /graphql`.
    ///
    /// Default: on in demo mode, off otherwise.
    #[arg(long, env = "MENSA_GRAPHIQL", global = true, value_parser = switch)]
    pub graphiql: Option<bool>,
}

impl ApiLimitSettings {
    /// `demo`: "did you mean" hints, which only the demo gives, and GraphiQL unless
    /// `MENSA_GRAPHIQL` says otherwise.
    pub fn limits(&self, demo: bool) -> GraphqlLimits {
        GraphqlLimits {
            max_depth: self.graphql_max_depth,
            max_complexity: self.graphql_max_complexity,
            max_upload_bytes: self.document_max_bytes,
            per_credential_per_minute: self.graphql_rate_per_credential,
            per_address_per_minute: self.graphql_rate_per_address,
            suggestions: demo,
            graphiql: self.graphiql.unwrap_or(demo),
        }
    }
}
