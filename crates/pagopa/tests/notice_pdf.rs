//! The rendered notice checked with the tools a person would use: poppler rasterises the page
//! at 300 dpi and extracts its text, zbar reads the QR code and libdmtx the Data Matrix, so the
//! symbols are proven readable from the printed page, not just from the module matrix.
//!
//! The tools come from Debian: poppler-utils, zbar-tools, dmtx-utils. A missing tool skips the
//! test naming the package to install, or fails it under `MENSA_TEST_REQUIRE_TOOLS` (CI). Set `PAGOPA_NOTICE_PREVIEW=/path/preview.png` to keep the
//! rasterised page of the full notice (with the postal slip) for a visual check.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::NaiveDate;
use pagopa::notice_pdf::{self, NoticeDocument, PostalSlip};
use pagopa::*;

mod tools;

const POPPLER: (&str, &str) = ("pdftoppm", "poppler-utils");
const ZBAR: (&str, &str) = ("zbarimg", "zbar-tools");
const DMTX: (&str, &str) = ("dmtxread", "dmtx-utils");

fn sample(postal: bool) -> NoticeDocument {
    NoticeDocument {
        creditor_name: "Comune di Sant'Angelo in Vado".into(),
        creditor_fiscal_code: FiscalCodePa::new("00123456789").unwrap(),
        creditor_info: Some(
            "Ufficio Servizi Scolastici - tel. 0722 000000 - mensa@comune.esempio.it".into(),
        ),
        creditor_logo_png: None,
        payable_on_creditor_site: true,
        cbill_code: Some("AB12C".into()),
        postal: postal.then(|| PostalSlip {
            account: PostalAccount::new("1234567").unwrap(),
            holder: "Comune di Sant'Angelo in Vado - Servizio Tesoreria".into(),
            authorization: Some("Aut. n. 000/DCO/DBP del 01/01/2025".into()),
        }),
        payer_name: "Niccolò Rossi".into(),
        payer_fiscal_code: "RSSNCC80A01H501U".into(),
        payer_address: Some("Via delle Scuole 12, 61048 Sant'Angelo in Vado (PU)".into()),
        object: "Refezione scolastica ottobre 2025 - Giulia Rossi, classe 3ª B".into(),
        amount: PositiveAmount::from_cents(123_456).unwrap(),
        due_date: NaiveDate::from_ymd_opt(2025, 11, 30).unwrap(),
        notice_number: NoticeNumber::generate(SegregationCode::new(1).unwrap(), 1_234_567_890_123)
            .unwrap(),
    }
}

/// A scratch folder under the system temp dir, removed when the test passes (a failing test
/// leaves it behind for inspection).
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let pid = std::process::id();
        let dir = std::env::temp_dir().join(format!("pagopa-notice-{pid}-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// A 60×60 RGB PNG: pagoPA-blue field with a white cross, one stored (uncompressed) deflate
/// block, so the test needs no image library.
fn logo_png() -> Vec<u8> {
    let mut raw = Vec::new();
    for y in 0..60u32 {
        raw.push(0); // filter type None
        for x in 0..60u32 {
            let cross = (25..35).contains(&x) || (25..35).contains(&y);
            raw.extend_from_slice(if cross {
                &[255, 255, 255]
            } else {
                &[0, 102, 204]
            });
        }
    }
    let len = u16::try_from(raw.len()).unwrap();
    let mut z = vec![0x78, 0x01, 0x01];
    z.extend_from_slice(&len.to_le_bytes());
    z.extend_from_slice(&(!len).to_le_bytes());
    z.extend_from_slice(&raw);
    let (mut a, mut b) = (1u32, 0u32);
    for &d in &raw {
        a = (a + u32::from(d)) % 65521;
        b = (b + a) % 65521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], body: &[u8]| {
        png.extend_from_slice(&u32::try_from(body.len()).unwrap().to_be_bytes());
        png.extend_from_slice(kind);
        png.extend_from_slice(body);
        png.extend_from_slice(&[0; 4]); // CRC, not checked by the renderer
    };
    chunk(b"IHDR", &[0, 0, 0, 60, 0, 0, 0, 60, 8, 2, 0, 0, 0]);
    chunk(b"IDAT", &z);
    chunk(b"IEND", &[]);
    png
}

/// Runs a tool; a missing binary fails the test naming the Debian package that has it.
fn run(tool: &str, package: &str, args: &[&str]) -> Output {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run `{tool}` ({e}): install the Debian package {package} (apt-get install -y {package})")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn write_pdf(dir: &Path, doc: &NoticeDocument) -> PathBuf {
    let pdf = dir.join("notice.pdf");
    std::fs::write(&pdf, notice_pdf::render(doc).unwrap()).unwrap();
    pdf
}

/// Rasterises the page at 300 dpi, as the brief for printed notices assumes.
fn rasterise(pdf: &Path) -> PathBuf {
    let stem = pdf.with_extension("");
    let (pdf, stem) = (pdf.to_str().unwrap(), stem.to_str().unwrap());
    run(
        "pdftoppm",
        "poppler-utils",
        &["-r", "300", "-png", "-singlefile", pdf, stem],
    );
    PathBuf::from(format!("{stem}.png"))
}

#[test]
fn qr_code_scans_to_the_payload_byte_for_byte() {
    if !tools::available(&[POPPLER, ZBAR]) {
        return;
    }
    let doc = sample(false);
    let dir = Scratch::new("qr");
    let png = rasterise(&write_pdf(&dir.0, &doc));
    let out = run(
        "zbarimg",
        "zbar-tools",
        &["--raw", "-q", png.to_str().unwrap()],
    );
    let expected = qr_payload(&doc.notice_number, &doc.creditor_fiscal_code, &doc.amount);
    // --raw prints each symbol's data followed by a newline, and nothing else.
    assert_eq!(out.stdout, format!("{expected}\n").into_bytes());
}

#[test]
fn data_matrix_scans_to_the_poste_payload() {
    if !tools::available(&[POPPLER, ZBAR, DMTX]) {
        return;
    }
    let doc = sample(true);
    let dir = Scratch::new("dm");
    let png = rasterise(&write_pdf(&dir.0, &doc));
    if let Ok(keep) = std::env::var("PAGOPA_NOTICE_PREVIEW") {
        std::fs::copy(&png, keep).unwrap();
    }
    let postal = doc.postal.as_ref().unwrap();
    let expected = PosteDataMatrix {
        notice_number: &doc.notice_number,
        postal_account: &postal.account,
        amount: &doc.amount,
        creditor: &doc.creditor_fiscal_code,
        debtor_fiscal_code: &doc.payer_fiscal_code,
        debtor_name: &doc.payer_name,
        subject: &doc.object,
    }
    .payload()
    .unwrap();
    // -N1: stop at the first symbol; the page holds exactly one Data Matrix.
    let out = run(
        "dmtxread",
        "dmtx-utils",
        &["-N", "1", png.to_str().unwrap()],
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim_end_matches('\n'),
        expected
    );

    // The QR code still scans next to the Data Matrix.
    let qr = run(
        "zbarimg",
        "zbar-tools",
        &["--raw", "-q", png.to_str().unwrap()],
    );
    let payload = qr_payload(&doc.notice_number, &doc.creditor_fiscal_code, &doc.amount);
    assert_eq!(qr.stdout, format!("{payload}\n").into_bytes());
}

#[test]
fn text_layer_carries_the_formatted_fields() {
    if !tools::available(&[POPPLER]) {
        return;
    }
    for postal in [false, true] {
        let doc = sample(postal);
        let dir = Scratch::new(&format!("text-{postal}"));
        let pdf = write_pdf(&dir.0, &doc);
        let pdf = pdf.to_str().unwrap();
        let info = run("pdfinfo", "poppler-utils", &[pdf]);
        let info = String::from_utf8_lossy(&info.stdout);
        let pages = info.lines().find_map(|l| l.strip_prefix("Pages:"));
        assert_eq!(pages.map(str::trim), Some("1"), "{info}");
        assert!(info.contains("(A4)"), "{info}");

        let out = run("pdftotext", "poppler-utils", &["-layout", pdf, "-"]);
        let text = String::from_utf8(out.stdout).unwrap();
        for needle in [
            "1.234,56 €",
            "30/11/2025",
            "3011 2345 6789 0123 16",
            "00123456789",
            "Niccolò Rossi",
            "RSSNCC80A01H501U",
            "Comune di Sant'Angelo in Vado",
            "BANCHE E ALTRI CANALI",
            "PAGA ONLINE",
            "PAGA SUL TERRITORIO",
            "AB12C",
            "pagoPA",
        ] {
            assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
        }
        assert_eq!(text.contains("BOLLETTINO POSTALE PA"), postal, "{text}");
        assert_eq!(text.contains("sul C/C n. 1234567"), postal, "{text}");
    }
}

#[test]
fn logo_is_drawn_from_the_png_data() {
    if !tools::available(&[POPPLER]) {
        return;
    }
    let mut doc = sample(false);
    doc.creditor_logo_png = Some(logo_png());
    let dir = Scratch::new("logo");
    let pdf = write_pdf(&dir.0, &doc);
    let path = pdf.to_str().unwrap();
    let list = run("pdfimages", "poppler-utils", &["-list", path]);
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(
        list.lines()
            .any(|l| l.contains(" 60 ") && l.contains("rgb")),
        "{list}"
    );

    // One pixel 3 mm inside the logo's top-left corner (12 mm, 10 mm) must be the blue field:
    // proof that the viewer decoded the passed-through PNG rows.
    let px = dir.0.join("pixel");
    let at = |mm: u32| (mm * 3000 / 254).to_string();
    let (x, y) = (at(15), at(13));
    run(
        "pdftoppm",
        "poppler-utils",
        &[
            "-r",
            "300",
            "-x",
            &x,
            "-y",
            &y,
            "-W",
            "1",
            "-H",
            "1",
            "-singlefile",
            path,
            px.to_str().unwrap(),
        ],
    );
    let ppm = std::fs::read(dir.0.join("pixel.ppm")).unwrap();
    assert_eq!(&ppm[ppm.len() - 3..], &[0, 102, 204]);

    // A logo with an alpha channel is refused, not silently dropped.
    let mut alpha = logo_png();
    alpha[25] = 6;
    doc.creditor_logo_png = Some(alpha);
    assert!(matches!(
        notice_pdf::render(&doc),
        Err(NoticePdfError::Logo(_))
    ));
}
