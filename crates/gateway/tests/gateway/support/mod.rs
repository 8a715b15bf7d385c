//! `TestApp`: one running gateway per test, on its own database.

mod books;
mod graphql;
mod process;

pub use books::Books;
pub use graphql::{Gql, GqlError};
pub use process::MensaProcess;
pub use testkit::{Backend, backends, postgres_admin_url};

use std::net::SocketAddr;

use gateway::config::{Config, RawConfig};
use gateway::{AppState, Application};

pub struct TestApp {
    pub addr: SocketAddr,
    pub admin_addr: Option<SocketAddr>,
    pub state: AppState,
    pub database_url: String,
    client: reqwest::Client,
    _guard: testkit::DatabaseGuard,
}

impl TestApp {
    /// The demo gateway on a fresh database of `backend`.
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Like `spawn`, with the configuration adjusted by `adjust` first.
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut RawConfig)) -> TestApp {
        let (database_url, guard) = backend.fresh_database().await;
        let mut raw = RawConfig {
            addr: Some("127.0.0.1:0".into()),
            database_url: Some(database_url.clone()),
            redis_url: backend.redis_url(),
            cache_prefix: Some(testkit::unique_name("cache")),
            demo: Some("true".into()),
            ..RawConfig::default()
        };
        adjust(&mut raw);
        let config = Config::parse(raw).expect("test configuration is valid");
        let app = Application::build(&config)
            .await
            .expect("the gateway starts");
        let addr = app.local_addr().unwrap();
        let admin_addr = app.admin_addr().map(Result::unwrap);
        let state = app.state().clone();
        tokio::spawn(app.run_until(std::future::pending()));
        TestApp {
            addr,
            admin_addr,
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

    /// A request builder with arbitrary headers.
    pub fn request(&self, host: &str, path: &str) -> reqwest::RequestBuilder {
        self.client
            .get(format!("http://{}{path}", self.addr))
            .header(reqwest::header::HOST, host)
    }
}

pub const SAN_CASCIANO: &str = "sancascianovaldipesa";
pub const GREVE: &str = "grevinchianti";
