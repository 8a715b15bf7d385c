//! Wraps the drawn page into a PDF file: catalog, one A4 page, the two standard fonts and,
//! when there is one, the logo image.

use pdf_writer::types::Predictor;
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, TextStr};

use super::NoticeDocument;
use super::canvas::{PAGE_H, PAGE_W, pt};
use super::logo::{Colors, Logo};
use super::metrics::Font;

/// Resource name of the logo image on the page.
pub(super) const LOGO: &[u8] = b"Im1";

const CATALOG: Ref = Ref::new(1);
const PAGES: Ref = Ref::new(2);
const PAGE: Ref = Ref::new(3);
const CONTENT: Ref = Ref::new(4);
const FONT_REGULAR: Ref = Ref::new(5);
const FONT_BOLD: Ref = Ref::new(6);
const INFO: Ref = Ref::new(7);
const IMAGE: Ref = Ref::new(8);

pub(super) fn assemble(content: Vec<u8>, logo: Option<&Logo>, doc: &NoticeDocument) -> Vec<u8> {
    let mut pdf = Pdf::new();
    pdf.catalog(CATALOG).pages(PAGES);
    pdf.pages(PAGES).kids([PAGE]).count(1);

    let mut page = pdf.page(PAGE);
    page.parent(PAGES)
        .media_box(Rect::new(0.0, 0.0, pt(PAGE_W), pt(PAGE_H)))
        .contents(CONTENT);
    let mut resources = page.resources();
    resources
        .fonts()
        .pair(Name(Font::Regular.resource()), FONT_REGULAR)
        .pair(Name(Font::Bold.resource()), FONT_BOLD);
    if logo.is_some() {
        resources.x_objects().pair(Name(LOGO), IMAGE);
    }
    resources.finish();
    page.finish();

    pdf.stream(CONTENT, &content);
    for (id, font) in [(FONT_REGULAR, Font::Regular), (FONT_BOLD, Font::Bold)] {
        // Base-14 fonts need neither a font file nor widths: every viewer has their metrics.
        pdf.type1_font(id)
            .base_font(Name(font.base_font()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    if let Some(logo) = logo {
        write_logo(&mut pdf, logo);
    }
    let title = format!("Avviso di pagamento {}", doc.notice_number);
    pdf.document_info(INFO)
        .title(TextStr(&title))
        .author(TextStr(&doc.creditor_name))
        .subject(TextStr(&doc.object));
    pdf.finish()
}

fn write_logo(pdf: &mut Pdf, logo: &Logo) {
    let side = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    let mut image = pdf.image_xobject(IMAGE, &logo.data);
    image.filter(Filter::FlateDecode);
    image
        .decode_parms()
        .predictor(Predictor::PngOptimum)
        .colors(logo.colors.per_pixel())
        .bits_per_component(i32::from(logo.bits))
        .columns(side(logo.width));
    image
        .width(side(logo.width))
        .height(side(logo.height))
        .bits_per_component(i32::from(logo.bits));
    match &logo.colors {
        Colors::Gray => image.color_space().device_gray(),
        Colors::Rgb => image.color_space().device_rgb(),
        Colors::Indexed(palette) => {
            let hival = i32::try_from(palette.len() / 3).unwrap_or(1) - 1;
            image
                .color_space()
                .indexed(Name(b"DeviceRGB"), hival, palette);
        }
    }
    image.finish();
}
