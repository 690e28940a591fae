//! PDF renderer (printpdf): draws the laid-out sheets, embeds subset fonts, adds bookmarks,
//! then hands the file to the PDF/A pass.

use super::pdfa;
use super::{RenderContext, RenderError, Renderer};
use crate::document::{Document, PageKind};
use crate::layout::fonts::Fonts;
use crate::layout::page::{Item, Layout, layout};
use crate::units::PT_PER_MM;
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFont, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rgb, TextItem, TextMatrix,
    WindingOrder,
};
use std::sync::OnceLock;

/// Resource names of the two fonts, fixed so that the output is reproducible. printpdf takes
/// the subset tag (six capital letters, ISO 32000 9.6.4) from them.
const REGULAR_FONT_ID: &str = "RKREGU";
const BOLD_FONT_ID: &str = "RKBOLD";
/// The largest value of an 8-bit colour channel (template colours are RRGGBB).
const CHANNEL_MAX: f32 = 255.0;

/// The PDF format. Keeps the fonts parsed for printpdf, so that many files made in one process
/// parse each font once.
#[derive(Default)]
pub struct Pdf {
    parsed: OnceLock<Result<(ParsedFont, ParsedFont), RenderError>>,
    profile: OnceLock<Result<pdfa::OutputProfile, RenderError>>,
}

impl Pdf {
    fn parsed_fonts(&self, fonts: &Fonts) -> Result<&(ParsedFont, ParsedFont), RenderError> {
        self.parsed
            .get_or_init(|| {
                let parse = |bytes: &[u8], name: &str| {
                    let mut warnings = Vec::new();
                    ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or_else(|| {
                        RenderError(format!("the font {name} could not be read for the PDF"))
                    })
                };
                Ok((
                    parse(&fonts.regular.bytes, &fonts.regular.name)?,
                    parse(&fonts.bold.bytes, &fonts.bold.name)?,
                ))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Lays out and draws `document`; the layout is returned too, for checks.
    pub fn render_with_layout(
        &self,
        document: &Document,
        context: &RenderContext<'_>,
    ) -> Result<(Vec<u8>, Layout), RenderError> {
        let sheets = layout(document, context.template, context.fonts);
        let (regular, bold) = self.parsed_fonts(context.fonts)?;
        let mut pdf = PdfDocument::new(&document.meta.title);
        for (id, font) in [(REGULAR_FONT_ID, regular), (BOLD_FONT_ID, bold)] {
            pdf.resources
                .fonts
                .map
                .insert(FontId(id.to_string()), PdfFont::new(font.clone()));
        }
        let page_w = Mm(sheets.width_pt / PT_PER_MM);
        let page_h = Mm(sheets.height_pt / PT_PER_MM);
        let mut pages = Vec::with_capacity(sheets.sheets.len());
        let mut first_sheet_of_page = Vec::new();
        for (i, sheet) in sheets.sheets.iter().enumerate() {
            if first_sheet_of_page.len() == sheet.page {
                first_sheet_of_page.push(i);
            }
            let mut ops = Vec::new();
            if let Some(mark) = &document.meta.draft_mark {
                draft_mark_ops(&mut ops, mark, &sheets, context);
            }
            sheet_ops(&mut ops, &sheet.items, sheets.height_pt);
            pages.push(PdfPage::new(page_w, page_h, ops));
        }
        pdf.with_pages(pages);
        for (page, sheet) in document.pages.iter().zip(&first_sheet_of_page) {
            let name = match &page.kind {
                PageKind::Card { order, .. } => format!("{order}. {}", page.bookmark),
                PageKind::Glossary => page.bookmark.clone(),
            };
            pdf.add_bookmark(&name, sheet + 1);
        }
        let options = PdfSaveOptions {
            optimize: false,
            subset_fonts: true,
            secure: true,
            image_optimization: None,
        };
        let mut warnings = Vec::new();
        let lopdf_doc = pdf.to_lopdf_document(&options, &mut warnings);
        let profile = self
            .profile
            .get_or_init(|| pdfa::OutputProfile::load(context))
            .as_ref()
            .map_err(Clone::clone)?;
        let bytes = pdfa::finish(lopdf_doc, &document.meta, context, profile)?;
        Ok((bytes, sheets))
    }
}

impl Renderer for Pdf {
    fn extension(&self) -> &'static str {
        "pdf"
    }

    fn render(
        &self,
        document: &Document,
        context: &RenderContext<'_>,
    ) -> Result<Vec<u8>, RenderError> {
        self.render_with_layout(document, context)
            .map(|(bytes, _)| bytes)
    }
}

fn font_handle(bold: bool) -> PdfFontHandle {
    PdfFontHandle::External(FontId(
        if bold { BOLD_FONT_ID } else { REGULAR_FONT_ID }.to_string(),
    ))
}

fn rgb(r: f32, g: f32, b: f32) -> Color {
    Color::Rgb(Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    }
}

/// Draws one sheet's items; `height` flips the top-down layout to PDF's bottom-up axis.
fn sheet_ops(ops: &mut Vec<Op>, items: &[Item], height: f32) {
    let black = rgb(0.0, 0.0, 0.0);
    for item in items {
        if let Item::Fill { rect, color } = item {
            let (x0, y0, x1, y1) = (
                rect.x,
                height - rect.y - rect.h,
                rect.x + rect.w,
                height - rect.y,
            );
            ops.push(Op::SetFillColor {
                col: rgb(
                    f32::from(color.0) / CHANNEL_MAX,
                    f32::from(color.1) / CHANNEL_MAX,
                    f32::from(color.2) / CHANNEL_MAX,
                ),
            });
            ops.push(Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![PolygonRing {
                        points: vec![point(x0, y0), point(x1, y0), point(x1, y1), point(x0, y1)],
                    }],
                    mode: printpdf::PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            });
        }
    }
    ops.push(Op::SetOutlineColor { col: black.clone() });
    let mut thickness = None;
    for item in items {
        if let Item::Rule {
            x1,
            y1,
            x2,
            y2,
            width_pt,
        } = item
        {
            if thickness != Some(*width_pt) {
                ops.push(Op::SetOutlineThickness { pt: Pt(*width_pt) });
                thickness = Some(*width_pt);
            }
            ops.push(Op::DrawLine {
                line: Line {
                    points: vec![point(*x1, height - y1), point(*x2, height - y2)],
                    is_closed: false,
                },
            });
        }
    }
    ops.push(Op::SetFillColor { col: black });
    ops.push(Op::StartTextSection);
    let mut font: Option<(bool, f32)> = None;
    for item in items {
        if let Item::Text {
            x,
            y,
            size_pt,
            bold,
            text,
            ..
        } = item
        {
            if font != Some((*bold, *size_pt)) {
                ops.push(Op::SetFont {
                    font: font_handle(*bold),
                    size: Pt(*size_pt),
                });
                font = Some((*bold, *size_pt));
            }
            ops.push(Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Pt(*x), Pt(height - y)),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(text.clone())],
            });
        }
    }
    ops.push(Op::EndTextSection);
}

/// The draft mark, large, light grey, across the middle of the sheet, under the content.
fn draft_mark_ops(ops: &mut Vec<Op>, mark: &str, sheets: &Layout, context: &RenderContext<'_>) {
    let draft = &context.template.draft;
    let face = &context.fonts.bold;
    let (w, h) = (sheets.width_pt, sheets.height_pt);
    let angle = h.atan2(w);
    let text_w = face.width_pt(mark, draft.size_pt);
    let cap = draft.size_pt * face.ascender / 1000.0;
    let (cos, sin) = (angle.cos(), angle.sin());
    // Start so that the text's centre lies on the page centre.
    let x = w / 2.0 - cos * text_w / 2.0 + sin * cap / 2.0;
    let y = h / 2.0 - sin * text_w / 2.0 - cos * cap / 2.0;
    ops.push(Op::SaveGraphicsState);
    ops.push(Op::SetFillColor {
        col: rgb(draft.gray, draft.gray, draft.gray),
    });
    ops.push(Op::StartTextSection);
    ops.push(Op::SetFont {
        font: font_handle(true),
        size: Pt(draft.size_pt),
    });
    ops.push(Op::SetTextMatrix {
        matrix: TextMatrix::Raw([cos, sin, -sin, cos, x, y]),
    });
    ops.push(Op::ShowText {
        items: vec![TextItem::Text(mark.to_string())],
    });
    ops.push(Op::EndTextSection);
    ops.push(Op::RestoreGraphicsState);
}
