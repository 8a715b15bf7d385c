//! Measuring and wrapping WinAnsi text set in the base-14 Helvetica faces.

use super::widths::{HELVETICA, HELVETICA_BOLD};

/// The two faces the notice uses; both are built into every PDF viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Font {
    Regular,
    Bold,
}

impl Font {
    /// Resource name under which the page refers to the font.
    pub(super) fn resource(self) -> &'static [u8] {
        match self {
            Self::Regular => b"F1",
            Self::Bold => b"F2",
        }
    }

    pub(super) fn base_font(self) -> &'static [u8] {
        match self {
            Self::Regular => b"Helvetica",
            Self::Bold => b"Helvetica-Bold",
        }
    }

    fn table(self) -> &'static [u16; 224] {
        match self {
            Self::Regular => &HELVETICA,
            Self::Bold => &HELVETICA_BOLD,
        }
    }
}

/// Width in points of WinAnsi-encoded `text` at `size` points.
pub(super) fn width(font: Font, size: f32, text: &[u8]) -> f32 {
    let units: f32 = text
        .iter()
        .filter_map(|b| b.checked_sub(32))
        .filter_map(|i| font.table().get(usize::from(i)))
        .map(|w| f32::from(*w))
        .sum();
    units * size / 1000.0
}

/// Breaks `text` into lines no wider than `max_width` points, at spaces, keeping at most
/// `max_lines`; a cut-off text ends in an ellipsis so the reader knows something is missing.
/// A single word longer than a line is cut by characters.
pub(super) fn wrap(
    font: Font,
    size: f32,
    text: &[u8],
    max_width: f32,
    max_lines: usize,
) -> Vec<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    for word in text.split(|b| *b == b' ').filter(|w| !w.is_empty()) {
        let mut candidate = current.clone();
        if !candidate.is_empty() {
            candidate.push(b' ');
        }
        candidate.extend_from_slice(word);
        if width(font, size, &candidate) <= max_width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        for &b in word {
            current.push(b);
            if width(font, size, &current) > max_width && current.len() > 1 {
                current.pop();
                lines.push(std::mem::replace(&mut current, vec![b]));
            }
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            ellipsize(font, size, last, max_width);
        }
    }
    lines
}

const ELLIPSIS: u8 = 0x85;

fn ellipsize(font: Font, size: f32, line: &mut Vec<u8>, max_width: f32) {
    line.push(ELLIPSIS);
    while width(font, size, line) > max_width && line.len() > 1 {
        line.pop();
        line.pop();
        line.push(ELLIPSIS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_afm() {
        // "A" is 667 units in Helvetica, 722 in Helvetica-Bold.
        assert!((width(Font::Regular, 10.0, b"A") - 6.67).abs() < 1e-4);
        assert!((width(Font::Bold, 10.0, b"A") - 7.22).abs() < 1e-4);
        assert!((width(Font::Regular, 1000.0, b"0123456789") - 5560.0).abs() < 1e-2);
    }

    #[test]
    fn wraps_at_spaces_and_marks_cuts() {
        let text = b"Refezione scolastica del mese di settembre";
        let lines = wrap(Font::Regular, 10.0, text, 100.0, 5);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| width(Font::Regular, 10.0, l) <= 100.0));
        assert_eq!(lines.join(&b' '), text.to_vec());

        let cut = wrap(Font::Regular, 10.0, text, 100.0, 1);
        assert_eq!(cut.len(), 1);
        assert_eq!(cut[0].last(), Some(&ELLIPSIS));
        assert!(width(Font::Regular, 10.0, &cut[0]) <= 100.0);

        let long = wrap(Font::Bold, 10.0, &[b'W'; 40], 50.0, 10);
        assert!(long.len() > 1);
        assert!(long.iter().all(|l| width(Font::Bold, 10.0, l) <= 50.0));
    }
}
