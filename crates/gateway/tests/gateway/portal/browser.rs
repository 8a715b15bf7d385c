//! A cookie-keeping client that reaches each comune by its real host name, so cookies
//! stay per comune exactly as in a browser.

use reqwest::redirect::Policy;
use reqwest::{Response, StatusCode};

use crate::support::{GREVE, SAN_CASCIANO, TestApp};

pub struct Browser {
    client: reqwest::Client,
    base: String,
}

impl Browser {
    /// A fresh browser (no cookies) on `slug`'s site.
    pub fn new(app: &TestApp, slug: &str) -> Browser {
        let port = app.addr.port();
        let mut builder = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none());
        for comune in [SAN_CASCIANO, GREVE] {
            builder = builder.resolve(&format!("{comune}.localhost"), app.addr);
        }
        Browser {
            client: builder.build().unwrap(),
            base: format!("http://{slug}.localhost:{port}"),
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    pub async fn text(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.text().await.unwrap()
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(format!("{}{path}", self.base))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// A request with arbitrary extra headers (to play another site's form).
    pub fn post_builder(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.post(format!("{}{path}", self.base))
    }

    /// The login form's token, as the page carries it.
    pub async fn login_token(&self) -> String {
        csrf_of(&self.text("/accesso").await)
    }

    pub async fn login(&self, username: &str, password: &str) -> Response {
        let token = self.login_token().await;
        self.post(
            "/accesso",
            &[
                ("csrf", &token),
                ("username", username),
                ("password", password),
            ],
        )
        .await
    }

    /// Logs in as the demo parent and checks it worked.
    pub async fn login_as_parent(&self) {
        let response = self.login("genitore", demo::PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), "/");
    }

    /// The token of the forms on a logged-in page.
    pub async fn page_token(&self) -> String {
        csrf_of(&self.text("/").await)
    }
}

pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("the page has a form token") + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_owned()
}

pub fn location(response: &Response) -> String {
    response.headers()[reqwest::header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned()
}

/// What of Greve's demo must never appear on a San Casciano page.
pub const GREVE_WORDS: [&str; 5] = [
    "Greve",
    "Ferri",
    "Tommaso",
    "Don Milani",
    "FRRPLA79L09E169J",
];
