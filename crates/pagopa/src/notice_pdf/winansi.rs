//! Text as bytes for the built-in Helvetica fonts, which read WinAnsiEncoding (Windows-1252).
//!
//! Using the standard fonts keeps the PDF free of embedded font files; the price is a
//! one-byte character set. It covers Italian (à è é ì ò ù, €) and the rest of Latin-1, which
//! is what names and causali of a comune contain; anything else prints as `?` rather than
//! failing the whole notice.

/// The characters that Windows-1252 puts at 0x80..=0x9F, in order; `None` marks unused codes.
const HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// Encodes one character, `?` when WinAnsi has no code for it.
pub(super) fn byte(c: char) -> u8 {
    let code = u32::from(c);
    match code {
        // Control characters (tabs, newlines) would print as boxes: a space reads better.
        0..=0x1F => b' ',
        0x20..=0x7E | 0xA0..=0xFF => u8::try_from(code).unwrap_or(b'?'),
        _ => HIGH
            .iter()
            .position(|h| *h == Some(c))
            .and_then(|i| u8::try_from(i + 0x80).ok())
            .unwrap_or(b'?'),
    }
}

pub(super) fn encode(text: &str) -> Vec<u8> {
    text.chars().map(byte).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italian_letters_and_euro_have_codes() {
        assert_eq!(encode("àèéìòù"), vec![0xE0, 0xE8, 0xE9, 0xEC, 0xF2, 0xF9]);
        assert_eq!(encode("1,00 €"), b"1,00 \x80".to_vec());
        assert_eq!(encode("l’app"), b"l\x92app".to_vec());
        assert_eq!(encode("a\tb"), b"a b".to_vec());
        assert_eq!(encode("Ω"), b"?".to_vec());
    }
}
