//! PDF renderer (printpdf): draws the laid-out sheets, embeds subset fonts, adds bookmarks,
//! then hands the file to the PDF/A and tagging pass.
//!
//! Every piece of real text is drawn inside `BDC /P <</MCID n>>` … `EMC` (the tag is its
//! structure type), and the MCID is recorded with the paragraph it belongs to, for the
//! structure tree; borders and fills are layout artifacts, the draft mark a watermark
//! artifact, repeats on further sheets (header band, continued title) pagination artifacts.
//! A hyphen printed at a line break is wrapped in a `Span` whose `/ActualText` is U+00AD, so
//! that copied and searched text holds the word whole; a typed hyphen stays U+002D. The space
//! a line was broken at is written at its end, so that extracted text keeps the word break.

use super::pdfa;
use super::tagging::{self, Mark, PageMarks};
use super::{RenderContext, RenderError, Renderer};
use crate::document::{Change, Document, DraftLook, RedlineStyle, Rgb as Colour};
use crate::layout::fonts::Fonts;
use crate::layout::page::{Item, Layout, TextTag, layout};
use crate::tr;
use crate::units::PT_PER_MM;
use printpdf::{
    Color, DictItem, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rgb, TextItem,
    TextMatrix, WindingOrder,
};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Resource names of the two fonts, fixed so that the output is reproducible. printpdf takes
/// the subset tag (six capital letters, ISO 32000 9.6.4) from them.
const REGULAR_FONT_ID: &str = "RKREGU";
const BOLD_FONT_ID: &str = "RKBOLD";
/// The largest value of an 8-bit colour channel (template colours are RRGGBB).
const CHANNEL_MAX: f32 = 255.0;
/// The hyphen the layout prints where it breaks a word.
const BREAK_HYPHEN: char = '-';
/// What that hyphen stands for in the text (ISO 32000-1 §14.8.2.2.3): a soft hyphen.
const SOFT_HYPHEN_UTF16BE: [u8; 4] = [0xFE, 0xFF, 0x00, 0xAD];

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
                    ParsedFont::from_bytes(bytes, 0, &mut warnings)
                        .ok_or_else(|| RenderError(tr!("render-pdf-font", name = name.to_string())))
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
        let sheets = layout(document, context.fonts);
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
        let mut marks = Vec::with_capacity(sheets.sheets.len());
        let mut first_sheet_of_page = Vec::new();
        for (i, sheet) in sheets.sheets.iter().enumerate() {
            if first_sheet_of_page.len() == sheet.page {
                first_sheet_of_page.push(i);
            }
            let mut ops = Vec::new();
            if let Some(mark) = &document.meta.draft_mark {
                draft_mark_ops(&mut ops, mark, &sheets, &document.setup.draft, context);
            }
            marks.push(sheet_ops(
                &mut ops,
                &sheet.items,
                sheets.height_pt,
                &document.setup.redline,
            ));
            pages.push(PdfPage::new(page_w, page_h, ops));
        }
        pdf.with_pages(pages);
        for (page, sheet) in document.pages.iter().zip(&first_sheet_of_page) {
            pdf.add_bookmark(&page.outline_entry, sheet + 1);
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
        let structure = pdfa::Structure {
            document,
            pages: &marks,
        };
        let bytes = pdfa::finish(lopdf_doc, structure, context, profile)?;
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

/// `BDC` with a property list `entries`.
fn begin_marked(ops: &mut Vec<Op>, tag: &str, entries: Vec<(&str, DictItem)>) {
    let map: BTreeMap<String, DictItem> = entries
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    ops.push(Op::BeginMarkedContentWithProperties {
        tag: tag.to_string(),
        properties: DictItem::Dict { map },
    });
}

fn name(n: &str) -> DictItem {
    DictItem::Name(n.as_bytes().to_vec())
}

/// The kinds of artifact (ISO 32000-1 §14.8.2.2.2) the annex has.
#[derive(Debug, Clone, Copy)]
enum Artifact {
    /// Borders and fills.
    Layout,
    /// The header band and a continued title on a further sheet.
    RepeatedHeader,
    /// The draft mark.
    Watermark,
}

fn begin_artifact(ops: &mut Vec<Op>, kind: Artifact) {
    let entries = match kind {
        Artifact::Layout => vec![("Type", name("Layout"))],
        Artifact::RepeatedHeader => vec![("Type", name("Pagination")), ("Subtype", name("Header"))],
        Artifact::Watermark => vec![("Type", name("Pagination")), ("Subtype", name("Watermark"))],
    };
    begin_marked(ops, "Artifact", entries);
}

/// Draws one sheet's items; `height` flips the top-down layout to PDF's bottom-up axis.
/// Returns what each MCID on the sheet belongs to.
fn sheet_ops(ops: &mut Vec<Op>, items: &[Item], height: f32, redline: &RedlineStyle) -> PageMarks {
    let black = rgb(0.0, 0.0, 0.0);
    if items.iter().any(|i| matches!(i, Item::Fill { .. })) {
        begin_artifact(ops, Artifact::Layout);
        fill_ops(ops, items, height);
        ops.push(Op::EndMarkedContent);
    }
    ops.push(Op::SetOutlineColor { col: black.clone() });
    if items.iter().any(|i| matches!(i, Item::Rule { .. })) {
        begin_artifact(ops, Artifact::Layout);
        rule_ops(ops, items, height);
        ops.push(Op::EndMarkedContent);
    }
    if items.iter().any(|i| matches!(i, Item::ChangeLine { .. })) {
        begin_artifact(ops, Artifact::Layout);
        change_line_ops(ops, items, height, redline);
        ops.push(Op::EndMarkedContent);
    }
    ops.push(Op::SetFillColor { col: black });
    ops.push(Op::StartTextSection);
    let marks = text_ops(ops, items, height, redline);
    ops.push(Op::EndTextSection);
    marks
}

fn fill_ops(ops: &mut Vec<Op>, items: &[Item], height: f32) {
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
}

fn rule_ops(ops: &mut Vec<Op>, items: &[Item], height: f32) {
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
}

fn color_of(color: Colour) -> Color {
    rgb(
        f32::from(color.0) / CHANNEL_MAX,
        f32::from(color.1) / CHANNEL_MAX,
        f32::from(color.2) / CHANNEL_MAX,
    )
}

/// The colour of text (and its line) with the change mark `change`: black when unchanged.
fn change_color(change: Option<Change>, redline: &RedlineStyle) -> Colour {
    match change {
        None => Colour(0, 0, 0),
        Some(Change::Deleted) => redline.deleted(),
        Some(Change::Inserted) => redline.inserted(),
    }
}

/// The strike lines through deleted text and the underlines of inserted text (a redline).
fn change_line_ops(ops: &mut Vec<Op>, items: &[Item], height: f32, redline: &RedlineStyle) {
    for item in items {
        if let Item::ChangeLine {
            x1,
            x2,
            y,
            width_pt,
            change,
        } = item
        {
            ops.push(Op::SetOutlineColor {
                col: color_of(change_color(Some(*change), redline)),
            });
            ops.push(Op::SetOutlineThickness { pt: Pt(*width_pt) });
            ops.push(Op::DrawLine {
                line: Line {
                    points: vec![point(*x1, height - y), point(*x2, height - y)],
                    is_closed: false,
                },
            });
        }
    }
}

/// The text items, each consecutive piece of one paragraph (or of a repeat) in one
/// marked-content sequence. Inserted and deleted text (a redline) is in its colour and in a
/// `Span` whose `/E` tells a screen reader what it is ("kustutatud: …").
fn text_ops(ops: &mut Vec<Op>, items: &[Item], height: f32, redline: &RedlineStyle) -> PageMarks {
    let mut marks = PageMarks::default();
    let mut color = Colour(0, 0, 0);
    let mut font: Option<(bool, f32)> = None;
    let mut open: Option<TextTag> = None;
    for item in items {
        let Item::Text {
            x,
            y,
            size_pt,
            bold,
            text,
            tag,
            break_hyphen,
            word_break_after,
            change,
            ..
        } = item
        else {
            continue;
        };
        if open != Some(*tag) {
            if open.is_some() {
                ops.push(Op::EndMarkedContent);
            }
            match *tag {
                TextTag::Content { key, role, term } => {
                    let mcid = marks.push(Mark { key, role, term });
                    let kind = tagging::structure_type(role, term);
                    begin_marked(ops, kind, vec![("MCID", DictItem::Int(mcid))]);
                }
                TextTag::Repeat => begin_artifact(ops, Artifact::RepeatedHeader),
            }
            open = Some(*tag);
        }
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
        let wanted = change_color(*change, redline);
        if wanted != color {
            ops.push(Op::SetFillColor {
                col: color_of(wanted),
            });
            color = wanted;
        }
        let is_content = matches!(tag, TextTag::Content { .. });
        let spoken = match change {
            Some(Change::Deleted) => Some(&redline.deleted_prefix),
            Some(Change::Inserted) => Some(&redline.inserted_prefix),
            None => None,
        };
        if let (Some(prefix), true) = (spoken, is_content) {
            begin_marked(
                ops,
                "Span",
                vec![(
                    "E",
                    DictItem::String {
                        data: utf16be(&format!("{prefix}{text}")),
                        literal: false,
                    },
                )],
            );
        }
        match text.strip_suffix(BREAK_HYPHEN) {
            Some(word) if *break_hyphen && is_content => {
                if !word.is_empty() {
                    show(ops, word);
                }
                begin_marked(
                    ops,
                    "Span",
                    vec![(
                        "ActualText",
                        DictItem::String {
                            data: SOFT_HYPHEN_UTF16BE.to_vec(),
                            literal: false,
                        },
                    )],
                );
                show(ops, &BREAK_HYPHEN.to_string());
                ops.push(Op::EndMarkedContent);
            }
            // The space the line was broken at is written (it draws nothing at the line's
            // end), so that extracted text has the word break (ISO 32000-1 §14.8.2.5).
            _ if *word_break_after => show(ops, &format!("{text} ")),
            _ => show(ops, text),
        }
        if spoken.is_some() && is_content {
            ops.push(Op::EndMarkedContent);
        }
    }
    if open.is_some() {
        ops.push(Op::EndMarkedContent);
    }
    marks
}

/// A PDF text string in UTF-16BE with its byte order mark.
fn utf16be(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    bytes
}

fn show(ops: &mut Vec<Op>, text: &str) {
    ops.push(Op::ShowText {
        items: vec![TextItem::Text(text.to_string())],
    });
}

/// The draft mark, large, light grey, across the middle of the sheet, under the content.
fn draft_mark_ops(
    ops: &mut Vec<Op>,
    mark: &str,
    sheets: &Layout,
    draft: &DraftLook,
    context: &RenderContext<'_>,
) {
    let face = &context.fonts.bold;
    let (w, h) = (sheets.width_pt, sheets.height_pt);
    let angle = h.atan2(w);
    let text_w = face.width_pt(mark, draft.size_pt);
    let cap = draft.size_pt * face.ascender / 1000.0;
    let (cos, sin) = (angle.cos(), angle.sin());
    // Start so that the text's centre lies on the page centre.
    let x = w / 2.0 - cos * text_w / 2.0 + sin * cap / 2.0;
    let y = h / 2.0 - sin * text_w / 2.0 - cos * cap / 2.0;
    begin_artifact(ops, Artifact::Watermark);
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
    ops.push(Op::EndMarkedContent);
}
