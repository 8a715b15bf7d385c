//! An API key reads the comune's data only with the `read` scope: news, documents and
//! their files, tariffs. A key made only to post meals reads nothing.

use reqwest::StatusCode;
use serde_json::json;

use super::callers;
use crate::support::{Backend, SAN_CASCIANO, TestApp, error_codes};

const READS: [(&str, &str); 3] = [
    ("news", "{ news { edges { node { title } } } }"),
    (
        "documents",
        "{ documents { edges { node { title url } } } }",
    ),
    ("tariffBands", "{ tariffBands { code } }"),
];

testkit::on_both_backends! {
    async fn a_key_without_the_read_scope_reads_nothing(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let c = callers(&app, SAN_CASCIANO).await;
        for (field, query) in READS {
            let (_, body) = app.graphql(SAN_CASCIANO, Some(&c.poster_key), query, json!({})).await;
            assert_eq!(error_codes(&body), ["FORBIDDEN"], "{backend:?} {field}: {body}");
            assert!(body["data"].is_null() || body["data"][field].is_null(), "{field}: {body}");
            let message = body["errors"][0]["message"].as_str().unwrap();
            assert!(message.contains("'read' scope"), "{message}");

            let (_, body) = app.graphql(SAN_CASCIANO, Some(&c.reader_key), query, json!({})).await;
            assert!(body["errors"].is_null(), "{backend:?} {field}: {body}");
            assert!(!body["data"][field].is_null(), "{field}: {body}");
        }

        // The file of a document, as the API names it.
        let (_, body) = app
            .graphql(SAN_CASCIANO, Some(&c.reader_key), READS[1].1, json!({}))
            .await;
        let url = body["data"]["documents"]["edges"][0]["node"]["url"].as_str().unwrap().to_owned();
        let download = |key: String| {
            let app = &app;
            let url = url.clone();
            async move {
                app.request(&app.host(SAN_CASCIANO), &url)
                    .header("x-api-key", key)
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        assert_eq!(download(c.poster_key.clone()).await, StatusCode::FORBIDDEN, "{backend:?}");
        assert_eq!(download(c.reader_key.clone()).await, StatusCode::OK, "{backend:?}");
    }
}
