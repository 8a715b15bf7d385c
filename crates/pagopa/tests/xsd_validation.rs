//! Every written payload validated by xmllint against the official paForNode.xsd.
//!
//! The schema folder is `$PAGOPA_XSD_DIR` (a folder holding `wsdl/` and `xsd-common/`) or,
//! failing that, this crate's own copy in `spec/`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;

use pagopa::soap::*;

fn schema() -> PathBuf {
    let relative = Path::new("wsdl/xsd/paForNode.xsd");
    if let Ok(dir) = std::env::var("PAGOPA_XSD_DIR") {
        let path = Path::new(&dir).join(relative);
        assert!(
            path.is_file(),
            "PAGOPA_XSD_DIR={dir} has no {}",
            relative.display()
        );
        return path;
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("spec")
        .join(relative)
}

fn validate(name: &str, body: &str) {
    if !tools::available(&[("xmllint", "libxml2-utils")]) {
        return;
    }
    let dir = std::env::temp_dir().join(format!("pagopa-xsd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.xml"));
    std::fs::write(&file, body).unwrap();
    let output = match Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema())
        .arg(&file)
        .output()
    {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("xmllint is not installed: install it with `apt-get install -y libxml2-utils`")
        }
        Err(e) => panic!("cannot run xmllint: {e}"),
    };
    assert!(
        output.status.success(),
        "{name} does not validate:\n{}\n{body}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_request_body_validates() {
    for (i, request) in common::requests().iter().enumerate() {
        validate(&format!("request-{i}"), &request_body(request));
    }
}

#[test]
fn every_response_body_validates() {
    for (i, response) in common::responses().iter().enumerate() {
        validate(&format!("response-{i}"), &response_body(response));
    }
}

#[test]
fn a_long_description_is_truncated_into_a_valid_message() {
    let mut data = common::payment_data(common::transfer());
    data.description = pagopa::Text140::truncated(&"è".repeat(500)).unwrap();
    data.transfers[0].remittance_information =
        pagopa::Text140::truncated(&"x".repeat(141)).unwrap();
    let body = response_body(&Response::GetPayment(Reply::Ok(data)));
    validate("truncated", &body);
}

#[test]
fn the_validator_does_reject_a_broken_body() {
    if !tools::available(&[("xmllint", "libxml2-utils")]) {
        return;
    }
    let body = response_body(&common::responses()[3])
        .replace("<outcome>OK</outcome>", "<outcome>MAYBE</outcome>");
    let dir = std::env::temp_dir();
    let file = dir.join(format!("pagopa-xsd-broken-{}.xml", std::process::id()));
    std::fs::write(&file, body).unwrap();
    let status = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema())
        .arg(&file)
        .output()
        .expect("xmllint is not installed: install it with `apt-get install -y libxml2-utils`")
        .status;
    assert!(!status.success());
}
