//! Operators upload documents as GraphQL multipart requests; only PDF, PNG and JPEG.

use serde_json::json;

use crate::support::{Backend, SAN_CASCIANO, TestApp, error_codes};

const BOUNDARY: &str = "mensa-test-boundary";

/// A GraphQL multipart request (the `operations` / `map` / file parts of the spec).
fn multipart(file_name: &str, bytes: &[u8]) -> Vec<u8> {
    let operations = json!({
        "query": "mutation($t: String!, $f: Upload!) { uploadDocument(title: $t, file: $f) { id title fileName contentType sizeBytes url } }",
        "variables": { "t": "Menù di dicembre", "f": null },
    });
    let mut body = Vec::new();
    for (name, value) in [
        ("operations", operations.to_string()),
        ("map", json!({ "0": ["variables.f"] }).to_string()),
    ] {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(app: &TestApp, token: &str, file_name: &str, bytes: &[u8]) -> serde_json::Value {
    app.post(&app.host(SAN_CASCIANO), "/graphql")
        .bearer_auth(token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(file_name, bytes))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

testkit::on_both_backends! {
    async fn an_operator_publishes_a_pdf_and_families_download_it(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let operator = app.login(SAN_CASCIANO, "operatore").await;
        let guardian = app.login(SAN_CASCIANO, "genitore").await;
        let pdf = b"%PDF-1.4\n% a tiny test document\n%%EOF\n";

        let body = upload(&app, &operator, "C:\\menu\\dicembre.pdf", pdf).await;
        let document = &body["data"]["uploadDocument"];
        assert_eq!(document["fileName"], "dicembre.pdf", "{backend:?} {body}");
        assert_eq!(document["contentType"], "application/pdf");
        assert_eq!(document["sizeBytes"], pdf.len());

        let url = document["url"].as_str().unwrap();
        let response = app
            .request(&app.host(SAN_CASCIANO), url)
            .bearer_auth(&guardian)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        assert_eq!(response.bytes().await.unwrap().as_ref(), pdf);

        // A web page named .pdf is still a web page.
        let body = upload(
            &app,
            &operator,
            "menu.pdf",
            b"<html><script>alert(1)</script>",
        )
        .await;
        assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "{body}");
        let body = upload(&app, &guardian, "menu.pdf", pdf).await;
        assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    }
}
