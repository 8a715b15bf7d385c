//! Module matrices of the two symbols printed on the notice, to be drawn as vector squares.

use datamatrix::{DataMatrix, SymbolList};
use qrcode::{Color, EcLevel, QrCode, Version};

use super::NoticePdfError;

/// A symbol as rows of dark (`true`) and light modules, row-major from the top left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Modules {
    pub width: usize,
    pub dark: Vec<bool>,
}

impl Modules {
    /// Horizontal runs of dark modules as (column, row, length). Drawing a run as one
    /// rectangle rather than one square per module shrinks the page stream several times and
    /// leaves no hairline seams between neighbours when the viewer anti-aliases.
    pub fn dark_runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for (row, cells) in self.dark.chunks(self.width.max(1)).enumerate() {
            let mut start = None;
            for (col, dark) in cells.iter().chain(std::iter::once(&false)).enumerate() {
                match (start, *dark) {
                    (None, true) => start = Some(col),
                    (Some(s), false) => {
                        runs.push((s, row, col - s));
                        start = None;
                    }
                    _ => {}
                }
            }
        }
        runs
    }
}

/// The notice's QR code: version 4 (33×33 modules), error correction M, as Allegato 2 › Codice
/// QR prescribes. A fixed version keeps the module size, and so readability at 25 mm, the
/// same on every notice; the payload (at most 52 bytes) always fits.
pub(super) fn qr(payload: &str) -> Result<Modules, NoticePdfError> {
    let code = QrCode::with_version(payload.as_bytes(), Version::Normal(4), EcLevel::M)
        .map_err(|e| NoticePdfError::QrCode(e.to_string()))?;
    Ok(Modules {
        width: code.width(),
        dark: code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect(),
    })
}

/// The ECC 200 Data Matrix of the Bollettino Postale PA. Square symbols only: counter
/// scanners at Poste are set up for the square form, and the smallest one that holds the
/// payload is chosen.
pub(super) fn data_matrix(payload: &str) -> Result<Modules, NoticePdfError> {
    let code = DataMatrix::encode(payload.as_bytes(), SymbolList::default().enforce_square())
        .map_err(|e| NoticePdfError::DataMatrixEncoding(format!("{e:?}")))?;
    let bitmap = code.bitmap();
    Ok(Modules {
        width: bitmap.width(),
        dark: bitmap.bits().to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_is_version_4() {
        let m = qr("PAGOPA|002|301123456789012316|00123456789|99999999999").unwrap();
        assert_eq!((m.width, m.dark.len()), (33, 33 * 33));
        // Finder pattern: the top-left 7x7 corner starts with a dark row.
        assert!(m.dark[..7].iter().all(|d| *d));
        assert_eq!(m.dark_runs().first(), Some(&(0, 0, 7)));
        let dark: usize = m.dark_runs().iter().map(|r| r.2).sum();
        assert_eq!(dark, m.dark.iter().filter(|d| **d).count());
    }

    #[test]
    fn data_matrix_round_trips_through_its_decoder() {
        let payload = format!("codfase=NBPA;18301123456789012316{:<222}A", "");
        let m = data_matrix(&payload).unwrap();
        assert_eq!(m.dark.len(), m.width * m.width);
        let decoded = DataMatrix::decode(&m.dark, m.width).unwrap();
        assert_eq!(decoded, payload.as_bytes());
    }
}
