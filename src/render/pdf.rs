//! PDF renderer: lays out the sheets, writes each sheet's content streams from the layout
//! ([`super::content_stream`], compressed at once), has printpdf build the document around
//! them (pages, bookmarks), adds the embedded subset fonts ([`super::font_kit`]: one kit for
//! every file of a build that it covers), then hands the file to the PDF/A and tagging pass.
//!
//! A sheet is two content streams: its header band (with the draft mark) and its body. The
//! body is the same in the combined annex and in a card's own file that lays its page out
//! alike, where only the band is marked otherwise (a repeat in one, real content in the
//! other), so such a card page's body is laid out, drawn and compressed once per build
//! ([`super::shared_bodies`]).
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
use super::pdfa::{self, PageContent, SheetContents};
use super::shared_bodies::{Body, SharedBodies};
use super::tagging::PageMarks;
use super::{RenderContext, RenderError, Renderer};
use crate::document::{Document, DraftLook, Page};
use crate::layout::fonts::Fonts;
use crate::layout::page::{Item, Layout, PageLayout, Sheet, layout, sheet_size_pt};
use crate::tr;
use crate::units::PT_PER_MM;
use printpdf::{Mm, ParsedFont, PdfDocument, PdfPage, PdfSaveOptions};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// The PDF format. Keeps the fonts parsed for printpdf, so that many files made in one process
/// parse each font once, the fonts embedded in every file of a build
/// and the sheet bodies they share with the combined annex ([`Pdf::sharing_with`]), and the
/// last subsets it made for a file of its own.
#[derive(Default)]
pub struct Pdf {
    parsed: OnceLock<Result<(ParsedFont, ParsedFont), RenderError>>,
    profile: OnceLock<Result<pdfa::OutputProfile, RenderError>>,
    /// What the files of the build may draw; `None`: each file subsets its own fonts.
    shared_text: Option<SharedText>,
    shared_kit: OnceLock<Result<FontKit, RenderError>>,
    /// The last kit made for a file of its own, with the characters it was made for: a
    /// renderer that draws the same characters again (the same document, an edited one
    /// that adds no character) embeds the same subsets, so it makes them once.
    own_kit: Mutex<Option<(SharedText, Arc<FontKit>)>>,
    /// The sheet bodies of the build's files drawn with the shared fonts; `None`: each file
    /// draws its own.
    shared_bodies: Option<SharedBodies>,
}

impl Pdf {
    fn parsed_fonts(&self, fonts: &Fonts) -> Result<&(ParsedFont, ParsedFont), RenderError> {
        self.parsed
            .get_or_init(|| {
                let parse = |bytes: std::sync::Arc<[u8]>, name: &str| {
                    let mut warnings = Vec::new();
                    let shared = std::sync::Arc::new(rust_fontconfig::FontBytes::Owned(bytes));
                    printpdf::AzulParsedFont::from_bytes_shared(shared, 0, &mut warnings)
                        .map(ParsedFont::from_azul)
                        .ok_or_else(|| RenderError(tr!("render-pdf-font", name = name.to_string())))
                };
                Ok((
                    parse(fonts.regular.bytes.clone(), &fonts.regular.name)?,
                    parse(fonts.bold.bytes.clone(), &fonts.bold.name)?,
                ))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// A renderer for the files of a build whose combined annex is `annex`: every file that
    /// draws only what the annex draws embeds the same font subsets, made once, and a card's
    /// file has the bodies of its sheets from the annex's page, or gives them to it.
    pub fn sharing_with(annex: &Arc<Document>) -> Pdf {
        Pdf {
            shared_text: Some(SharedText::of(annex)),
            shared_bodies: Some(SharedBodies::new(Arc::clone(annex))),
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

    /// The kit of a file of its own that may draw `text`: the last one made, if it was made
    /// for the same characters (it holds the same subsets), else a new one.
    fn own_kit(
        &self,
        text: SharedText,
        parsed: &(ParsedFont, ParsedFont),
        fonts: &Fonts,
    ) -> Result<Arc<FontKit>, RenderError> {
        let last = || self.own_kit.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((made_for, kit)) = &*last()
            && *made_for == text
        {
            return Ok(Arc::clone(kit));
        }
        let usage = text.usage(|face| face_of(parsed, face));
        let kit = Arc::new(FontKit::make(usage, parsed_pair(parsed), fonts)?);
        *last() = Some((text, Arc::clone(&kit)));
        Ok(kit)
    }

    /// Lays out and draws `document`; the layout is returned too, for checks (laid out once
    /// more: the render itself holds one page's layout at a time).
    pub fn render_with_layout(
        &self,
        document: &Document,
        context: &RenderContext<'_>,
    ) -> Result<(Vec<u8>, Layout), RenderError> {
        let bytes = self.render(document, context)?;
        Ok((bytes, layout(document, context.fonts)))
    }

    /// The sheets' content streams in printpdf's document; what each MCID belongs to.
    fn draw(
        &self,
        document: &Document,
        context: &RenderContext<'_>,
    ) -> Result<(lopdf::Document, Vec<PageMarks>), RenderError> {
        let parsed = self.parsed_fonts(context.fonts)?;
        let (width, height) = sheet_size_pt(&document.setup);
        // `checked`: whether every sheet's glyphs are checked against `kit` (see below).
        let draw_with = |kit: &FontKit, checked: bool| {
            let draft = document.meta.draft_mark.as_deref().map(|text| DraftMark {
                text,
                look: &document.setup.draft,
                matrix: draft_matrix(text, (width, height), &document.setup.draft, context),
            });
            let draft_text = draft.as_ref().map(|d| d.text);
            let input = SheetInput {
                height,
                redline: &document.setup.redline,
                fonts: FontNames {
                    regular: font_kit::resource_name(Face::Regular),
                    bold: font_kit::resource_name(Face::Bold),
                },
                glyphs: kit.glyphs(),
                draft,
            };
            // Bodies are shared only among files drawn with the shared subsets.
            let shared = (self.shared_bodies.as_ref())
                .filter(|shared| checked && shared.lays_out_as_annex(document, context.fonts));
            let in_kit = |items: &[Item]| {
                if !checked {
                    return true;
                }
                let mut used = GlyphUse::default();
                content_stream::for_each_text(items, draft_text, |face, text, space_after| {
                    used.add(face, text, space_after, face_of(parsed, face));
                });
                kit.covers(&used)
            };
            draw_pages(document, context, &input, in_kit, shared)
        };
        // The fonts: the build's shared subsets, unless a sheet draws a glyph they lack or
        // maps differently; then (and for a file of its own) subsets of the characters this
        // document may draw, which hold every glyph it draws, so its sheets are not checked
        // again (where the font gives two of its characters one glyph, the text extracts as
        // one of them, as it would with any subset).
        let shared = match self.shared_kit(context)? {
            Some(kit) => match draw_with(kit, true) {
                Ok(drawn) => Some((kit, drawn)),
                Err(SheetProblem::OutsideKit(_)) => None,
                Err(SheetProblem::Failed(e)) => return Err(e),
            },
            None => None,
        };
        let own_kit;
        let (kit, drawn) = match shared {
            Some(drawn) => drawn,
            None => {
                own_kit = self.own_kit(SharedText::of(document), parsed, context.fonts)?;
                let drawn = draw_with(&own_kit, false).map_err(|problem| match problem {
                    SheetProblem::OutsideKit(page) => RenderError(tr!(
                        "render-pdf-glyph-outside-kit",
                        page = (page + 1).to_string()
                    )),
                    SheetProblem::Failed(e) => e,
                })?;
                (&*own_kit, drawn)
            }
        };
        let sheets_per_page: Vec<usize> = drawn.iter().map(Vec::len).collect();
        let (contents, marks): (Vec<SheetContents>, Vec<PageMarks>) =
            drawn.into_iter().flatten().unzip();
        let mut lopdf_doc = printpdf_document(document, (width, height), &sheets_per_page);
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
        let drawn = self.draw(document, context)?;
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

/// Why a sheet was not drawn.
enum SheetProblem {
    /// A sheet of page `.0` (0-based) draws a glyph the embedded subsets lack.
    OutsideKit(usize),
    Failed(RenderError),
}

/// Every page of `document` laid out, and each of its sheets drawn and compressed, page by
/// page on several threads ([`crate::parallel`]: the pool of the render that calls this, else
/// the shared one): pages are independent, and only the pages being drawn are held laid out.
/// In page order, each page's sheets with what their MCIDs belong to. `in_kit` says whether a
/// sheet's glyphs are all in the fonts the file embeds; a sheet whose are not is never drawn
/// with a wrong glyph. A page of the build's combined annex (`shared`) has the bodies of its
/// sheets from the other file that shows it, or draws them and keeps them for it; then only
/// the header bands are drawn here.
fn draw_pages(
    document: &Document,
    context: &RenderContext<'_>,
    input: &SheetInput<'_>,
    in_kit: impl Fn(&[Item]) -> bool + Sync,
    shared: Option<&SharedBodies>,
) -> Result<Vec<Vec<(SheetContents, PageMarks)>>, SheetProblem> {
    let draw_page = |(pages, buffer): &mut (PageLayout<'_>, Vec<u8>), index: usize, page: &Page| {
        let place = shared.and_then(|shared| Some((shared, shared.place(page)?)));
        let taken = place.and_then(|(shared, at)| shared.take(at, index));
        let (bodies, bands) = match taken {
            Some(bodies) => {
                let bands = (0..bodies.len()).map(|k| pages.band(index, k)).collect();
                (bodies, bands)
            }
            None => {
                let (bodies, bands) = draw_bodies(pages.page(index, page), buffer, input, &in_kit)?;
                if let Some((shared, at)) = place {
                    shared.keep(at, &bodies);
                }
                (bodies, bands)
            }
        };
        bodies
            .into_iter()
            .zip(bands)
            .map(|(body, band)| {
                if !in_kit(&band) {
                    return Err(SheetProblem::OutsideKit(index));
                }
                let mut marks = body.marks;
                buffer.clear();
                content_stream::write_band(buffer, &band, input, &mut marks);
                let band = PageContent::compress(buffer).map_err(SheetProblem::Failed)?;
                Ok((
                    SheetContents {
                        band,
                        body: body.content,
                    },
                    marks,
                ))
            })
            .collect()
    };
    crate::parallel::map_in_order(
        &document.pages,
        || (PageLayout::new(document, context.fonts), Vec::new()),
        draw_page,
    )
    .into_iter()
    .collect()
}

/// The bodies of `sheets` drawn and compressed, and their header bands' items.
fn draw_bodies(
    sheets: Vec<Sheet>,
    buffer: &mut Vec<u8>,
    input: &SheetInput<'_>,
    in_kit: &impl Fn(&[Item]) -> bool,
) -> Result<(Vec<Body>, Vec<Vec<Item>>), SheetProblem> {
    let mut bodies = Vec::with_capacity(sheets.len());
    let mut bands = Vec::with_capacity(sheets.len());
    for mut sheet in sheets {
        if !in_kit(sheet.body_items()) {
            return Err(SheetProblem::OutsideKit(sheet.page));
        }
        buffer.clear();
        let marks = content_stream::write_body(buffer, sheet.body_items(), input);
        let content = PageContent::compress(buffer).map_err(SheetProblem::Failed)?;
        bodies.push(Body {
            content: Arc::new(content),
            marks,
        });
        sheet.items.truncate(sheet.band);
        bands.push(sheet.items);
    }
    Ok((bodies, bands))
}

/// printpdf writes the document around the content streams: the pages, whose content is
/// replaced afterwards and whose fonts a [`FontKit`] adds, and the bookmarks.
fn printpdf_document(
    document: &Document,
    (width, height): (f32, f32),
    sheets_per_page: &[usize],
) -> lopdf::Document {
    let mut pdf = PdfDocument::new(&document.meta.title);
    let page_w = Mm(width / PT_PER_MM);
    let page_h = Mm(height / PT_PER_MM);
    let mut first_sheet_of_page = Vec::with_capacity(sheets_per_page.len());
    let mut pages = Vec::new();
    for sheets in sheets_per_page {
        first_sheet_of_page.push(pages.len());
        pages.extend((0..*sheets).map(|_| PdfPage::new(page_w, page_h, Vec::new())));
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
    (w, h): (f32, f32),
    draft: &DraftLook,
    context: &RenderContext<'_>,
) -> [f32; 6] {
    let face = &context.fonts.bold;
    let angle = h.atan2(w);
    let text_w = face.width_pt(mark, draft.size_pt);
    let cap = draft.size_pt * face.ascender / 1000.0;
    let (cos, sin) = (angle.cos(), angle.sin());
    // Start so that the text's centre lies on the page centre.
    let x = w / 2.0 - cos * text_w / 2.0 + sin * cap / 2.0;
    let y = h / 2.0 - sin * text_w / 2.0 - cos * cap / 2.0;
    [cos, sin, -sin, cos, x, y]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{BuildOptions, Selection, build};

    /// The kept kit is handed out again for the same characters (the same kit, not a new
    /// one with the same bytes), and a new one is made for other characters.
    #[test]
    fn the_kept_kit_serves_the_same_characters_only() {
        let project = crate::load_project(
            std::path::Path::new("cards"),
            std::path::Path::new("templates/lisa.toml"),
        )
        .unwrap();
        let text = |card: usize| {
            let selection = Selection::OneCard(&project.source.cards[card]);
            let options = BuildOptions::default();
            SharedText::of(&build(
                &project.source,
                &project.template,
                &options,
                selection,
            ))
        };
        let pdf = Pdf::default();
        let parsed = pdf.parsed_fonts(&project.fonts).unwrap();
        let kit = |card: usize| pdf.own_kit(text(card), parsed, &project.fonts).unwrap();
        let first = kit(0);
        assert!(Arc::ptr_eq(&first, &kit(0)), "the same characters");
        let other = kit(4);
        assert!(!Arc::ptr_eq(&first, &other), "other characters");
        assert!(Arc::ptr_eq(&other, &kit(4)));
        assert!(!Arc::ptr_eq(&first, &kit(0)), "only the last kit is kept");
    }
}
