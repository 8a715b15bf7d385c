//! The notice PDF of a position: a standard decoder reads the QR code, and another family
//! cannot get it.

use std::process::Command;

use super::node::{family, notice, tool_available};
use crate::support::{Backend, GREVE, SAN_CASCIANO, TestApp};

fn run(program: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(program).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[tokio::test]
async fn the_notice_pdf_carries_a_qr_code_a_standard_decoder_reads() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let family = family(&app, SAN_CASCIANO, "genitore").await;
    let other = super::node::family(&app, SAN_CASCIANO, "galli").await;
    let position = notice(&app, &family, 4250).await;
    let number = position.notice_number.to_string();

    let pdf = app::notices::notice_pdf(&app.state.app, &family.tenant, family.account, &number)
        .await
        .unwrap()
        .expect("the family's own notice");
    assert!(pdf.starts_with(b"%PDF-"));
    // Another family, a malformed number, or the other comune: nothing.
    assert!(
        app::notices::notice_pdf(&app.state.app, &family.tenant, other.account, &number)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        app::notices::notice_pdf(&app.state.app, &family.tenant, family.account, "30112")
            .await
            .unwrap()
            .is_none()
    );
    let greve = super::node::family(&app, GREVE, "genitore").await;
    assert!(
        app::notices::notice_pdf(&app.state.app, &greve.tenant, greve.account, &number)
            .await
            .unwrap()
            .is_none()
    );

    if !tool_available("pdftoppm", "poppler-utils") || !tool_available("zbarimg", "zbar-tools") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("avviso.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let stem = dir.path().join("avviso");
    run(
        "pdftoppm",
        &[
            "-r",
            "300",
            "-png",
            "-singlefile",
            file.to_str().unwrap(),
            stem.to_str().unwrap(),
        ],
    );
    let png = dir.path().join("avviso.png");
    let decoded = run("zbarimg", &["--raw", "-q", png.to_str().unwrap()]);
    assert_eq!(
        String::from_utf8(decoded).unwrap(),
        format!("PAGOPA|002|{number}|80001234568|4250\n")
    );
}
