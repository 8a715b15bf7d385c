//! A GraphQL client for a gateway on a comune's host, logged in or not.

use std::net::SocketAddr;

use serde_json::{Value, json};

#[derive(Clone)]
pub struct Gql {
    client: reqwest::Client,
    addr: SocketAddr,
    slug: String,
    token: Option<String>,
}

/// Why a GraphQL call got no data: no answer at all (the server was gone, the connection
/// cut), or an answer with errors.
#[derive(Debug)]
pub enum GqlError {
    // Read through `Debug` when a test fails.
    #[allow(dead_code)]
    Transport(String),
    Errors(Value),
}

impl Gql {
    pub fn new(addr: SocketAddr, slug: &str) -> Gql {
        Gql {
            client: reqwest::Client::new(),
            addr,
            slug: slug.to_owned(),
            token: None,
        }
    }

    pub async fn login(addr: SocketAddr, slug: &str, username: &str, password: &str) -> Gql {
        let mut gql = Gql::new(addr, slug);
        let data = gql
            .send(
                "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
                json!({ "u": username, "p": password }),
            )
            .await
            .expect("the demo login works");
        gql.token = Some(data["login"]["token"].as_str().unwrap().to_owned());
        gql
    }

    /// The `data` of a successful answer.
    pub async fn send(&self, query: &str, variables: Value) -> Result<Value, GqlError> {
        let mut request = self
            .client
            .post(format!("http://{}/graphql", self.addr))
            .header(
                reqwest::header::HOST,
                format!("{}.localhost:{}", self.slug, self.addr.port()),
            )
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request
            .send()
            .await
            .map_err(|e| GqlError::Transport(e.to_string()))?;
        let status = response.status();
        let body: Value = response
            .json()
            .await
            .map_err(|e| GqlError::Transport(format!("{status}: {e}")))?;
        match body.get("errors") {
            Some(errors) if !errors.is_null() => Err(GqlError::Errors(errors.clone())),
            _ => Ok(body["data"].clone()),
        }
    }
}
