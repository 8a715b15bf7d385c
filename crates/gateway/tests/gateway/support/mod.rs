//! `TestApp`: one running gateway per test, on its own database.

mod books;
mod graphql;
mod pki;
mod process;

pub use books::Books;
pub use graphql::{Gql, GqlError};
pub use pki::Pki;
pub use process::MensaProcess;
pub use testkit::{Backend, postgres_admin_url};

use std::net::SocketAddr;

use gateway::config::{Config, Settings};
use gateway::{AppState, Application};

pub struct TestApp {
    pub addr: SocketAddr,
    pub admin_addr: Option<SocketAddr>,
    /// The pagoPA creditor listener: plain HTTP in demo mode, mutual TLS otherwise.
    pub pagopa_addr: SocketAddr,
    /// Its `/pagopa/paForNode`, `http://` or `https://`.
    pub pagopa_url: String,
    pub state: AppState,
    pub database_url: String,
    client: reqwest::Client,
    _guard: testkit::DatabaseGuard,
}

/// The demo comuni, seeded once per run into a template every `TestApp` starts from: the
/// gateway then finds its migrations applied and its comuni present.
pub static DEMO: testkit::Template = testkit::Template::seeded("demo", seed_demo);

fn seed_demo(db: &testkit::TestDatabase) -> testkit::InitFuture<'_> {
    Box::pin(async move {
        let mut settings = Settings::default();
        settings.storage.data_dir = db.files().to_owned();
        settings.storage.database_url = Some(db.url.parse().expect("a database URL"));
        settings.hosts.demo = Some(true);
        let config = Config::from_settings(settings).expect("the seed's configuration is valid");
        let state = gateway::startup::build_state(&config)
            .await
            .expect("the demo's gateway state");
        demo::seed(&state.app).await.expect("the demo seeds");
        state.app.db.clone().close().await.ok();
    })
}

impl TestApp {
    /// The demo gateway on a fresh database of `backend`.
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Like `spawn`, with the configuration adjusted by `adjust` first.
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        // Before the test's own HTTPS-capable clients are built.
        gateway::tls::install_provider();
        let (database_url, guard) = backend.clone_database(&DEMO).await;
        let mut settings = Settings::default();
        settings.server.addr = "127.0.0.1:0".parse().unwrap();
        settings.creditor_listener.pagopa_addr = "127.0.0.1:0".parse().unwrap();
        settings.storage.data_dir = guard.files().to_owned();
        settings.storage.database_url = Some(database_url.parse().unwrap());
        settings.storage.redis_url = backend.redis_url();
        settings.storage.cache_prefix = testkit::unique_name("cache");
        settings.hosts.demo = Some(true);
        adjust(&mut settings);
        let config = Config::from_settings(settings).expect("test configuration is valid");
        let app = Application::build(&config)
            .await
            .expect("the gateway starts");
        let addr = app.local_addr().unwrap();
        let admin_addr = app.admin_addr().map(Result::unwrap);
        let pagopa_addr = app.creditor_addr();
        let scheme = if app.creditor_mutual_tls() {
            "https"
        } else {
            "http"
        };
        let pagopa_url = format!("{scheme}://{pagopa_addr}/pagopa/paForNode");
        let state = app.state().clone();
        tokio::spawn(app.run_until(std::future::pending()));
        TestApp {
            addr,
            admin_addr,
            pagopa_addr,
            pagopa_url,
            state,
            database_url,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            _guard: guard,
        }
    }

    /// GET `path` with the given Host header, whatever it is (a comune, an IP, garbage).
    pub async fn get_with_host(&self, host: &str, path: &str) -> reqwest::Response {
        self.request(host, path)
            .send()
            .await
            .expect("request reaches the gateway")
    }

    /// GET `path` on a comune's host, as a browser would send it.
    pub async fn get(&self, slug: &str, path: &str) -> reqwest::Response {
        self.get_with_host(&format!("{slug}.localhost:{}", self.addr.port()), path)
            .await
    }

    /// A POST request builder with arbitrary headers.
    pub fn post(&self, host: &str, path: &str) -> reqwest::RequestBuilder {
        self.client
            .post(format!("http://{}{path}", self.addr))
            .header(reqwest::header::HOST, host)
    }

    /// A request builder with arbitrary headers.
    pub fn request(&self, host: &str, path: &str) -> reqwest::RequestBuilder {
        self.client
            .get(format!("http://{}{path}", self.addr))
            .header(reqwest::header::HOST, host)
    }
}

/// The demo's password of every login.
pub const PASSWORD: &str = "Mensa-2026";

impl TestApp {
    pub fn host(&self, slug: &str) -> String {
        format!("{slug}.localhost:{}", self.addr.port())
    }

    /// A demo comune, by slug.
    pub async fn tenant(&self, slug: &str) -> std::sync::Arc<tenancy::Tenant> {
        self.state
            .app
            .tenants
            .by_slug(&tenancy::TenantSlug::parse(slug).unwrap())
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no comune {slug}"))
    }

    /// A transaction scoped to a demo comune, as the gateway opens them.
    pub async fn scoped(
        &self,
        slug: &str,
    ) -> (
        std::sync::Arc<tenancy::Tenant>,
        sea_orm::DatabaseTransaction,
    ) {
        let tenant = self.tenant(slug).await;
        let txn = tenancy::scope::begin(&self.state.app.db, tenant.id)
            .await
            .unwrap();
        (tenant, txn)
    }

    /// POSTs a GraphQL request on a comune's host; answers the status and the JSON body.
    pub async fn graphql(
        &self,
        slug: &str,
        token: Option<&str>,
        query: &str,
        variables: serde_json::Value,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        let body = serde_json::json!({ "query": query, "variables": variables });
        self.graphql_raw(slug, token, body.to_string()).await
    }

    /// POSTs any body to /graphql, valid or not.
    pub async fn graphql_raw(
        &self,
        slug: &str,
        token: Option<&str>,
        body: String,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        let mut request = self
            .client
            .post(format!("http://{}/graphql", self.addr))
            .header(reqwest::header::HOST, self.host(slug))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request reaches the gateway");
        let status = response.status();
        let text = response.text().await.unwrap();
        let json = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("answer is not JSON ({e}): {text}"));
        (status, json)
    }

    /// Logs `username` in on the comune with the demo password; answers the token.
    pub async fn login(&self, slug: &str, username: &str) -> String {
        let (_, body) = self
            .graphql(
                slug,
                None,
                "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
                serde_json::json!({ "u": username, "p": PASSWORD }),
            )
            .await;
        body["data"]["login"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login of {username} on {slug} failed: {body}"))
            .to_owned()
    }
}

/// The codes of a GraphQL answer's errors, in order.
pub fn error_codes(body: &serde_json::Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    e["extensions"]["code"]
                        .as_str()
                        .unwrap_or("<none>")
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

pub const SAN_CASCIANO: &str = "sancascianovaldipesa";
pub const GREVE: &str = "grevinchianti";
