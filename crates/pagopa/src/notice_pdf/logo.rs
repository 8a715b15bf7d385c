//! The creditor's logo, taken from a PNG file without decoding it.
//!
//! A PNG's IDAT stream is zlib data with PNG row filters, which is exactly what a PDF image
//! with FlateDecode and a PNG predictor reads; so the compressed bytes are passed through and
//! no image or deflate library is needed. That works for every non-interlaced PNG without an
//! alpha channel. Alpha would have to be split into a separate soft mask, which needs
//! decompressing, so such files are refused with a message to flatten them.

use super::NoticePdfError;

const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// How the PDF image dictionary describes the samples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Colors {
    Gray,
    Rgb,
    /// A palette of RGB triples.
    Indexed(Vec<u8>),
}

impl Colors {
    /// Samples per pixel, as the PNG predictor counts them.
    pub fn per_pixel(&self) -> i32 {
        match self {
            Self::Rgb => 3,
            Self::Gray | Self::Indexed(_) => 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Logo {
    pub width: u32,
    pub height: u32,
    pub bits: u8,
    pub colors: Colors,
    /// The concatenated IDAT payloads: a zlib stream of filtered rows.
    pub data: Vec<u8>,
}

fn bad(why: &str) -> NoticePdfError {
    NoticePdfError::Logo(why.to_owned())
}

impl Logo {
    pub fn from_png(png: &[u8]) -> Result<Self, NoticePdfError> {
        let mut rest = png
            .strip_prefix(SIGNATURE)
            .ok_or_else(|| bad("not a PNG"))?;
        let mut header: Option<[u8; 13]> = None;
        let mut palette = Vec::new();
        let mut data = Vec::new();
        while let Some((len, rest_after_len)) = rest.split_first_chunk::<4>() {
            let len = usize::try_from(u32::from_be_bytes(*len)).map_err(|_| bad("chunk size"))?;
            let (kind, body) = rest_after_len
                .split_first_chunk::<4>()
                .ok_or_else(|| bad("truncated chunk"))?;
            let (chunk, after) = body
                .split_at_checked(len)
                .ok_or_else(|| bad("truncated chunk"))?;
            // Skip the CRC: a damaged file shows up as a damaged image, not a wrong payment.
            rest = after.get(4..).ok_or_else(|| bad("truncated chunk"))?;
            match kind {
                b"IHDR" => header = chunk.first_chunk::<13>().copied(),
                b"PLTE" => palette = chunk.to_vec(),
                b"IDAT" => data.extend_from_slice(chunk),
                b"IEND" => break,
                _ => {}
            }
        }
        let h = header.ok_or_else(|| bad("no IHDR chunk"))?;
        let [
            w0,
            w1,
            w2,
            w3,
            h0,
            h1,
            h2,
            h3,
            bits,
            color_type,
            _,
            _,
            interlace,
        ] = h;
        if interlace != 0 {
            return Err(bad(
                "interlaced PNGs are not supported; save it non-interlaced",
            ));
        }
        let colors = match color_type {
            0 => Colors::Gray,
            2 => Colors::Rgb,
            3 if !palette.is_empty() && palette.len() % 3 == 0 => Colors::Indexed(palette),
            4 | 6 => {
                return Err(bad(
                    "PNGs with an alpha channel are not supported; flatten it on white",
                ));
            }
            _ => return Err(bad("unknown PNG colour type or missing palette")),
        };
        if !matches!(bits, 1 | 2 | 4 | 8 | 16) || data.is_empty() {
            return Err(bad("unsupported bit depth or no image data"));
        }
        let (width, height) = (
            u32::from_be_bytes([w0, w1, w2, w3]),
            u32::from_be_bytes([h0, h1, h2, h3]),
        );
        if width == 0 || height == 0 || width > 10_000 || height > 10_000 {
            return Err(bad("the image must be between 1 and 10000 pixels per side"));
        }
        Ok(Self {
            width,
            height,
            bits,
            colors,
            data,
        })
    }

    /// Size in millimetres that fits `max_w` × `max_h`, keeping the aspect ratio.
    pub fn fit(&self, max_w: f32, max_h: f32) -> (f32, f32) {
        let (w, h) = (side(self.width), side(self.height));
        let scale = (max_w / w).min(max_h / h);
        (w * scale, h * scale)
    }
}

/// Sides are capped at 10000 above, so they convert exactly.
fn side(px: u32) -> f32 {
    f32::from(u16::try_from(px).unwrap_or(u16::MAX))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A 2×1 RGB PNG (red, blue) built by hand: stored (uncompressed) deflate block, no CRCs
    /// checked by the parser, so zeros will do.
    pub fn tiny_png(color_type: u8) -> Vec<u8> {
        let mut png = SIGNATURE.to_vec();
        let mut chunk = |kind: &[u8], body: &[u8]| {
            png.extend_from_slice(&u32::try_from(body.len()).unwrap().to_be_bytes());
            png.extend_from_slice(kind);
            png.extend_from_slice(body);
            png.extend_from_slice(&[0; 4]);
        };
        chunk(b"IHDR", &[0, 0, 0, 2, 0, 0, 0, 1, 8, color_type, 0, 0, 0]);
        let raw = [0u8, 255, 0, 0, 0, 0, 255];
        let mut z = vec![0x78, 0x01, 0x01, 7, 0, !7, 0xFF];
        z.extend_from_slice(&raw);
        z.extend_from_slice(&adler32(&raw).to_be_bytes());
        chunk(b"IDAT", &z);
        chunk(b"IEND", &[]);
        png
    }

    fn adler32(data: &[u8]) -> u32 {
        let (mut a, mut b) = (1u32, 0u32);
        for &d in data {
            a = (a + u32::from(d)) % 65521;
            b = (b + a) % 65521;
        }
        (b << 16) | a
    }

    #[test]
    fn passes_rgb_through_and_refuses_alpha() {
        let logo = Logo::from_png(&tiny_png(2)).unwrap();
        assert_eq!((logo.width, logo.height, logo.bits), (2, 1, 8));
        assert_eq!(logo.colors, Colors::Rgb);
        assert_eq!(logo.fit(18.0, 18.0), (18.0, 9.0));
        assert!(matches!(
            Logo::from_png(&tiny_png(6)),
            Err(NoticePdfError::Logo(_))
        ));
        assert!(Logo::from_png(b"GIF89a").is_err());
    }
}
