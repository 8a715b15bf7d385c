//! A thin drawing layer over the PDF content stream, in millimetres from the top-left corner
//! of an A4 page, which is how the notice's layout is measured.

use pdf_writer::{Content, Name, Str};

use super::codes::Modules;
use super::metrics::{self, Font};
use super::winansi;

/// A4 in millimetres.
pub(super) const PAGE_W: f32 = 210.0;
pub(super) const PAGE_H: f32 = 297.0;

const PT_PER_MM: f32 = 72.0 / 25.4;

pub(super) fn pt(mm: f32) -> f32 {
    mm * PT_PER_MM
}

/// Colours of the pagoPA palette (Allegato 2 › Elementi di design › Colori).
#[derive(Debug, Clone, Copy)]
pub(super) struct Rgb(f32, f32, f32);

pub(super) const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);
/// #7C7C7B, secondary text.
pub(super) const GREY: Rgb = Rgb(0.486, 0.486, 0.482);
/// #ECECEC, section backgrounds.
pub(super) const LIGHT: Rgb = Rgb(0.925, 0.925, 0.925);
/// #0066CC, the pagoPA mark.
pub(super) const BLUE: Rgb = Rgb(0.0, 0.4, 0.8);

/// Typeface, size in points and colour of a run of text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Style {
    pub font: Font,
    pub size: f32,
    pub color: Rgb,
}

impl Style {
    pub const fn new(font: Font, size: f32) -> Self {
        Self {
            font,
            size,
            color: BLACK,
        }
    }

    pub const fn color(self, color: Rgb) -> Self {
        Self { color, ..self }
    }

    /// Baseline-to-baseline distance in millimetres for this size.
    pub fn leading(self) -> f32 {
        self.size * 1.25 / PT_PER_MM
    }
}

pub(super) struct Canvas {
    content: Content,
}

impl Canvas {
    pub fn new() -> Self {
        Self {
            content: Content::new(),
        }
    }

    pub fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        let Rgb(r, g, b) = color;
        self.content
            .set_fill_rgb(r, g, b)
            .rect(pt(x), pt(PAGE_H - y - h), pt(w), pt(h))
            .fill_nonzero();
    }

    /// A horizontal rule; dashed for the lines along which the slips are cut off.
    pub fn hline(&mut self, x: f32, y: f32, w: f32, color: Rgb, dashed: bool) {
        let Rgb(r, g, b) = color;
        self.content.save_state();
        if dashed {
            self.content.set_dash_pattern([3.0, 2.0], 0.0);
        }
        self.content
            .set_stroke_rgb(r, g, b)
            .set_line_width(0.5)
            .move_to(pt(x), pt(PAGE_H - y))
            .line_to(pt(x + w), pt(PAGE_H - y))
            .stroke()
            .restore_state();
    }

    /// Text with its baseline at `y`, starting at `x`. Returns the width in millimetres.
    pub fn text(&mut self, x: f32, y: f32, style: Style, text: &str) -> f32 {
        self.bytes(x, y, style, &winansi::encode(text))
    }

    /// Text ending at `x`.
    pub fn text_right(&mut self, x: f32, y: f32, style: Style, text: &str) {
        let bytes = winansi::encode(text);
        let w = metrics::width(style.font, style.size, &bytes) / PT_PER_MM;
        self.bytes(x - w, y, style, &bytes);
    }

    /// Text wrapped into `width` millimetres, at most `max_lines` lines, first baseline at `y`.
    /// Returns the baseline of the line after the last one drawn.
    pub fn paragraph(
        &mut self,
        (x, y): (f32, f32),
        width: f32,
        style: Style,
        text: &str,
        max_lines: usize,
    ) -> f32 {
        let lines = metrics::wrap(
            style.font,
            style.size,
            &winansi::encode(text),
            pt(width),
            max_lines,
        );
        let mut baseline = y;
        for line in &lines {
            self.bytes(x, baseline, style, line);
            baseline += style.leading();
        }
        baseline
    }

    /// Draws a 2D symbol as filled rectangles, `module` millimetres per module.
    pub fn modules(&mut self, x: f32, y: f32, module: f32, symbol: &Modules) {
        self.content.set_fill_rgb(0.0, 0.0, 0.0);
        for (col, row, len) in symbol.dark_runs() {
            let left = x + module * count(col);
            let top = y + module * count(row);
            self.content.rect(
                pt(left),
                pt(PAGE_H - top - module),
                pt(module * count(len)),
                pt(module),
            );
        }
        // One fill for the whole symbol: a single path, painted once.
        self.content.fill_nonzero();
    }

    /// Places the image XObject `name` in the box (`x`, `y`, `w`, `h`).
    pub fn image(&mut self, name: &[u8], (x, y): (f32, f32), (w, h): (f32, f32)) {
        self.content
            .save_state()
            .transform([pt(w), 0.0, 0.0, pt(h), pt(x), pt(PAGE_H - y - h)])
            .x_object(Name(name))
            .restore_state();
    }

    pub fn finish(self) -> Vec<u8> {
        self.content.finish().to_vec()
    }

    fn bytes(&mut self, x: f32, y: f32, style: Style, bytes: &[u8]) -> f32 {
        let Rgb(r, g, b) = style.color;
        self.content
            .set_fill_rgb(r, g, b)
            .begin_text()
            .set_font(Name(style.font.resource()), style.size)
            .next_line(pt(x), pt(PAGE_H - y))
            .show(Str(bytes))
            .end_text();
        metrics::width(style.font, style.size, bytes) / PT_PER_MM
    }
}

/// Module counts are below 200, so the conversion is exact.
fn count(n: usize) -> f32 {
    f32::from(u16::try_from(n).unwrap_or(u16::MAX))
}
