//! The baseline of the GraphQL benchmark (`scripts/bench-graphql`): a bare axum handler
//! that answers `POST /graphql` with fixed JSON bytes, so the gateway's figures can be
//! read as a ratio of what the same HTTP stack does with no work at all.
//!
//! `cargo run --release --example bare_json -- 127.0.0.1:9100 '{"data":…}'`
#![allow(clippy::expect_used)]

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::routing::post;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let addr = args.next().expect("usage: bare_json <addr> <json body>");
    let body: &'static str = Box::leak(
        args.next()
            .expect("usage: bare_json <addr> <json body>")
            .into_boxed_str(),
    );
    let app = Router::new().route(
        "/graphql",
        post(move || async move { ([(CONTENT_TYPE, "application/json")], body) }),
    );
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .expect("address is free");
    axum::serve(listener, app).await.expect("serves");
}
