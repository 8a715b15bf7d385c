//! A comune's colour as CSS custom properties, served as a tiny stylesheet whose URL
//! carries the colour (`tema-0b4f8a.css`): no inline `<style>`, so the Content Security
//! Policy can forbid inline styles, and the file is as cacheable as any other asset.
//!
//! WCAG 2.1 AA wants 4.5:1 between text and its background. The primary colour is both
//! the background of white text (header, buttons) and the colour of links on white, so a
//! colour with less contrast than that against white is darkened until it has it.

/// Bumped when the generated CSS changes shape, so the asset version changes with it.
pub const TEMPLATE_VERSION: &str = "theme-1";

const AA_NORMAL_TEXT: f64 = 4.5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    rgb: [u8; 3],
}

impl Theme {
    /// `#rrggbb` as stored for the comune; anything else gives the kit's own blue.
    pub fn from_branding(color: &str) -> Self {
        color
            .strip_prefix('#')
            .and_then(Self::from_path_segment)
            .unwrap_or(Theme {
                rgb: [0x00, 0x66, 0xcc],
            })
    }

    /// `rrggbb`, lower-case hex, as in the stylesheet's URL.
    pub fn from_path_segment(hex: &str) -> Option<Self> {
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |at: usize| {
            hex.get(at..at + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        };
        Some(Theme {
            rgb: [channel(0)?, channel(2)?, channel(4)?],
        })
    }

    /// The file name under the asset path, e.g. `tema-0b4f8a.css`.
    pub fn file_name(self) -> String {
        format!("tema-{}.css", hex(self.rgb))
    }

    /// The colour actually used: the comune's, darkened until white text on it passes AA.
    pub fn accessible(self) -> [u8; 3] {
        let mut rgb = self.rgb;
        // Each step keeps 90% of every channel; black passes, so this ends within ~40 steps.
        for _ in 0..64 {
            if contrast_with_white(rgb) >= AA_NORMAL_TEXT {
                break;
            }
            rgb = scale(rgb, 9, 10);
        }
        rgb
    }

    pub fn css(self) -> String {
        let primary = self.accessible();
        let dark = scale(primary, 4, 5);
        let [r, g, b] = primary;
        format!(
            ":root{{--mensa-primary:#{p};--mensa-primary-dark:#{d};--mensa-primary-rgb:{r},{g},{b};\
             --bs-primary:#{p};--bs-primary-rgb:{r},{g},{b};--bs-link-color:#{p};\
             --bs-link-color-rgb:{r},{g},{b};--bs-link-hover-color:#{d}}}\n",
            p = hex(primary),
            d = hex(dark),
        )
    }
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("{r:02x}{g:02x}{b:02x}")
}

fn scale(rgb: [u8; 3], numerator: u16, denominator: u16) -> [u8; 3] {
    rgb.map(|channel| u8::try_from(u16::from(channel) * numerator / denominator).unwrap_or(u8::MAX))
}

/// The WCAG contrast ratio of a colour against white, from 1 to 21.
pub fn contrast_with_white(rgb: [u8; 3]) -> f64 {
    let linear = |channel: u8| {
        let c = f64::from(channel) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let [r, g, b] = rgb;
    let luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    1.05 / (luminance + 0.05)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_demo_colours_already_pass_aa() {
        for color in ["#0b4f8a", "#7a1f2b"] {
            let theme = Theme::from_branding(color);
            assert_eq!(hex(theme.accessible()), color.trim_start_matches('#'));
            assert!(contrast_with_white(theme.accessible()) >= 4.5, "{color}");
        }
    }

    #[test]
    fn a_light_colour_is_darkened_until_white_text_reads_on_it() {
        for color in ["#ffcc00", "#ffffff", "#66ccff", "#0066cc"] {
            let rgb = Theme::from_branding(color).accessible();
            assert!(contrast_with_white(rgb) >= 4.5, "{color} -> {}", hex(rgb));
        }
    }

    #[test]
    fn only_six_hex_digits_make_a_theme() {
        assert!(Theme::from_path_segment("0b4f8a").is_some());
        for bad in ["", "0b4f8", "0b4f8a0", "zzzzzz", "../etc"] {
            assert!(Theme::from_path_segment(bad).is_none(), "{bad}");
        }
        assert_eq!(Theme::from_branding("red"), Theme::from_branding("#0066cc"));
        assert_eq!(
            Theme::from_branding("#0B4F8A").file_name(),
            "tema-0b4f8a.css"
        );
    }
}
