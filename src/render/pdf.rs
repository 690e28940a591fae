//! PDF renderer: lays out the sheets, writes each sheet's content stream from the layout
//! ([`super::content_stream`], compressed at once), has printpdf build the document around
//! them (pages, bookmarks), adds the embedded subset fonts ([`super::font_kit`]: one kit for
//! every file of a build that it covers), then hands the file to the PDF/A and tagging pass.
//!
//! Every piece of real text is drawn inside `BDC /P <</MCID n>>` … `EMC` (the tag is its
//! structure type), and the MCID is recorded with the paragraph it belongs to, for the
//! structure tree; borders and fills are layout artifacts, the draft mark a watermark
//! artifact, repeats on further sheets (header band, continued title) pagination artifacts.
//! A hyphen printed at a line break is wrapped in a `Span` whose `/ActualText` is U+00AD, so
//! that copied and searched text holds the word whole; a typed hyphen stays U+002D. The space
//! a line was broken at is written at its end, so that extracted text keeps the word break.

use super::content_stream::{self, CharGlyphs, DraftMark, Face, FontNames, GlyphUse, SheetInput};
use super::font_kit::{self, FontKit, SharedText};
use super::pdfa;
use super::tagging::PageMarks;
use super::{RenderContext, RenderError, Renderer};
use crate::document::{Document, DraftLook};
use crate::layout::fonts::Fonts;
use crate::layout::page::{Layout, layout};
use crate::tr;
use crate::units::PT_PER_MM;
use printpdf::{Mm, ParsedFont, PdfDocument, PdfPage, PdfSaveOptions};
use std::sync::OnceLock;

/// The PDF format. Keeps the fonts parsed for printpdf, so that many files made in one process
/// parse each font once, and the fonts embedded in every file of a build
/// ([`Pdf::sharing_fonts_with`]).
#[derive(Default)]
pub struct Pdf {
    parsed: OnceLock<Result<(ParsedFont, ParsedFont), RenderError>>,
    profile: OnceLock<Result<pdfa::OutputProfile, RenderError>>,
    /// What the files of the build may draw; `None`: each file subsets its own fonts.
    shared_text: Option<SharedText>,
    shared_kit: OnceLock<Result<FontKit, RenderError>>,
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

    /// A renderer for the files of a build whose combined annex is `annex`: every file that
    /// draws only what the annex draws embeds the same font subsets, made once.
    pub fn sharing_fonts_with(annex: &Document) -> Pdf {
        Pdf {
            shared_text: Some(SharedText::of(annex)),
            ..Pdf::default()
        }
    }

    /// The kit of the build's shared text, made on first use.
    fn shared_kit(&self, context: &RenderContext<'_>) -> Result<Option<&FontKit>, RenderError> {
        let Some(text) = &self.shared_text else {
            return Ok(None);
        };
        let parsed = self.parsed_fonts(context.fonts)?;
        self.shared_kit
            .get_or_init(|| {
                FontKit::make(
                    text.usage(|face| face_of(parsed, face)),
                    parsed_pair(parsed),
                    context.fonts,
                )
            })
            .as_ref()
            .map(Some)
            .map_err(Clone::clone)
    }

    /// Lays out and draws `document`; the layout is returned too, for checks.
    pub fn render_with_layout(
        &self,
        document: &Document,
        context: &RenderContext<'_>,
    ) -> Result<(Vec<u8>, Layout), RenderError> {
        let sheets = layout(document, context.fonts);
        let drawn = self.draw(document, context, &sheets)?;
        Ok((self.finish(document, context, drawn)?, sheets))
    }

    /// The sheets' content streams in printpdf's document; what each MCID belongs to.
    fn draw(
        &self,
        document: &Document,
        context: &RenderContext<'_>,
        sheets: &Layout,
    ) -> Result<(lopdf::Document, Vec<PageMarks>), RenderError> {
        let parsed = self.parsed_fonts(context.fonts)?;
        let draft = document.meta.draft_mark.as_deref().map(|text| DraftMark {
            text,
            look: &document.setup.draft,
            matrix: draft_matrix(text, sheets, &document.setup.draft, context),
        });
        // The glyphs used: the build's shared fonts when they hold them all, else this
        // file's own subsets.
        let mut usage = GlyphUse::default();
        for sheet in &sheets.sheets {
            content_stream::for_each_text(
                &sheet.items,
                draft.as_ref().map(|d| d.text),
                |face, text, space_after| usage.add(face, text, space_after, face_of(parsed, face)),
            );
        }
        let own_kit;
        let kit = match self.shared_kit(context)? {
            Some(kit) if kit.covers(&usage) => kit,
            _ => {
                own_kit = FontKit::make(usage, parsed_pair(parsed), context.fonts)?;
                &own_kit
            }
        };
        // Each sheet's content stream, compressed as soon as it is written.
        let input = SheetInput {
            height: sheets.height_pt,
            redline: &document.setup.redline,
            fonts: FontNames {
                regular: font_kit::resource_name(Face::Regular),
                bold: font_kit::resource_name(Face::Bold),
            },
            glyphs: kit.glyphs(),
            draft,
        };
        let mut contents = Vec::with_capacity(sheets.sheets.len());
        let mut marks = Vec::with_capacity(sheets.sheets.len());
        let mut buffer = Vec::new();
        for sheet in &sheets.sheets {
            buffer.clear();
            marks.push(content_stream::write_sheet(
                &mut buffer,
                &sheet.items,
                &input,
            ));
            contents.push(pdfa::PageContent::compress(&buffer)?);
        }

        let mut lopdf_doc = printpdf_document(document, sheets);
        kit.install(&mut lopdf_doc)?;
        pdfa::set_page_contents(&mut lopdf_doc, contents)?;
        Ok((lopdf_doc, marks))
    }

    /// The PDF/A and tagging pass over the drawn document, and its bytes.
    fn finish(
        &self,
        document: &Document,
        context: &RenderContext<'_>,
        (lopdf_doc, marks): (lopdf::Document, Vec<PageMarks>),
    ) -> Result<Vec<u8>, RenderError> {
        let profile = self
            .profile
            .get_or_init(|| pdfa::OutputProfile::load(context))
            .as_ref()
            .map_err(Clone::clone)?;
        let structure = pdfa::Structure {
            document,
            pages: &marks,
        };
        pdfa::finish(lopdf_doc, structure, context, profile)
    }
}

impl CharGlyphs for ParsedFont {
    fn glyph(&self, c: char) -> Option<u16> {
        self.lookup_glyph_index(u32::from(c))
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
        // The layout is dropped before the PDF/A pass, whose structure tree is the largest
        // part of a large annex's memory.
        let sheets = layout(document, context.fonts);
        let drawn = self.draw(document, context, &sheets)?;
        drop(sheets);
        self.finish(document, context, drawn)
    }
}

/// The two faces as printpdf's fonts.
fn parsed_pair(parsed: &(ParsedFont, ParsedFont)) -> (&ParsedFont, &ParsedFont) {
    (&parsed.0, &parsed.1)
}

/// `face`'s character → glyph lookup.
fn face_of(parsed: &(ParsedFont, ParsedFont), face: Face) -> &dyn CharGlyphs {
    match face {
        Face::Regular => &parsed.0,
        Face::Bold => &parsed.1,
    }
}

/// printpdf writes the document around the content streams: the pages, whose content is
/// replaced afterwards and whose fonts a [`FontKit`] adds, and the bookmarks.
fn printpdf_document(document: &Document, sheets: &Layout) -> lopdf::Document {
    let mut pdf = PdfDocument::new(&document.meta.title);
    let page_w = Mm(sheets.width_pt / PT_PER_MM);
    let page_h = Mm(sheets.height_pt / PT_PER_MM);
    let mut first_sheet_of_page = Vec::new();
    let mut pages = Vec::with_capacity(sheets.sheets.len());
    for (i, sheet) in sheets.sheets.iter().enumerate() {
        if first_sheet_of_page.len() == sheet.page {
            first_sheet_of_page.push(i);
        }
        pages.push(PdfPage::new(page_w, page_h, Vec::new()));
    }
    pdf.with_pages(pages);
    for (page, sheet) in document.pages.iter().zip(&first_sheet_of_page) {
        pdf.add_bookmark(&page.outline_entry, sheet + 1);
    }
    as_lopdf(&pdf)
}

/// printpdf's document as lopdf objects, with the fonts subset and nothing optimised away
/// (the PDF/A pass decides what is compressed). The one place printpdf serialises.
pub(super) fn as_lopdf(pdf: &PdfDocument) -> lopdf::Document {
    let options = PdfSaveOptions {
        optimize: false,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    pdf.to_lopdf_document(&options, &mut warnings)
}

/// The text matrix of the draft mark: large, across the middle of the sheet, its centre on
/// the page centre.
fn draft_matrix(
    mark: &str,
    sheets: &Layout,
    draft: &DraftLook,
    context: &RenderContext<'_>,
) -> [f32; 6] {
    let face = &context.fonts.bold;
    let (w, h) = (sheets.width_pt, sheets.height_pt);
    let angle = h.atan2(w);
    let text_w = face.width_pt(mark, draft.size_pt);
    let cap = draft.size_pt * face.ascender / 1000.0;
    let (cos, sin) = (angle.cos(), angle.sin());
    // Start so that the text's centre lies on the page centre.
    let x = w / 2.0 - cos * text_w / 2.0 + sin * cap / 2.0;
    let y = h / 2.0 - sin * text_w / 2.0 - cos * cap / 2.0;
    [cos, sin, -sin, cos, x, y]
}
