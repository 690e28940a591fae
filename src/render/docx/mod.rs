//! DOCX renderer: draws the document model as a Word file.
//!
//! docx-rs builds the package: every page of the model is a section of its own (A4
//! landscape, starting on a new sheet) whose first sheet has the page header band and whose
//! further sheets, if Word needs any, repeat the band with the page's title and the
//! template's continuation mark ("OSAKONNA JUHATAJA (järg)"). A section's body and every
//! header are one placeholder paragraph each in docx-rs's document: the post pass in
//! [`package`] puts the markup [`markup`] writes from the model, one page at a time, in their
//! place, so that the whole annex never exists as elements at once, and compresses the main
//! part as it writes it, so that it is never held whole either. Paragraphs and runs name a
//! style of [`styles`] and carry no font or size of their own. The post pass also writes what
//! docx-rs cannot express (the style set, settings, font table, the draft watermark of
//! [`watermark`], the document properties), puts docx-rs's own property elements into schema
//! order and writes the ZIP reproducibly.
//!
//! Nothing about content is decided here: every size, the font and the language come from the
//! template or the model; the constants below are unit conversions of the file format.

mod markup;
mod package;
mod styles;
mod watermark;

use super::ooxml::{CompressedParts, OoxmlError, Package};
use super::{RenderContext, RenderError, Renderer};
use crate::document::{Document, Page, Rgb, Setup};
use crate::tr;
use crate::units::{SheetGeometry, mm_to_pt};
use docx_rs::{PageMargin, PageOrientationType, PageSize, Section};
use markup::{Ids, Markup, RevisionMark};
use std::sync::Mutex;

/// Lengths in WordprocessingML are mostly twentieths of a point ("twips", `dxa`).
const TWIPS_PER_PT: f32 = 20.0;
/// Font sizes (`w:sz`) are in half-points.
const HALF_POINTS_PER_PT: f32 = 2.0;
/// Border widths (`w:sz` of a border) are in eighths of a point.
const EIGHTHS_PER_PT: f32 = 8.0;
/// With `w:lineRule="auto"`, `w:spacing/@w:line` counts 240ths of a single line.
const AUTO_LINE_UNITS_PER_LINE: f32 = 240.0;
/// The colour value "automatic" (the text colour) for borders and the shading pattern.
const AUTO_COLOR: &str = "auto";

/// The DOCX format. Keeps the parts its packages share compressed, so that the files of a
/// build compress each shared part once ([`CompressedParts`]), and docx-rs's package of a
/// one-page document ([`Docx::package_of`]); one value per build.
#[derive(Default)]
pub struct Docx {
    shared_parts: CompressedParts,
    one_page_package: Mutex<Option<(SheetGeometry, Parts)>>,
}

/// The parts of a package, by name, in order.
type Parts = Vec<(String, Vec<u8>)>;

impl Docx {
    /// docx-rs's package around the placeholders of `document` ([`Skeleton`]). What docx-rs
    /// writes depends only on the sheet and the number of pages (its paragraph ids, which
    /// depend on what the thread did before, are numbered again by the post pass), so the
    /// package of a one-page document (a card's own file) is made once and copied for the
    /// next one on the same sheet (docx-rs's `Docx::build` was 5.7 % of a 1,000-card final
    /// build's CPU, perf).
    /// The package is [`package::trimmed`] before it is kept.
    fn package_of(&self, document: &Document) -> Result<Parts, OoxmlError> {
        let sheet = document.setup.sheet;
        let build = || {
            let docx = Skeleton {
                setup: &document.setup,
            }
            .docx(document)
            .build();
            package::trimmed(Package {
                parts: package_parts(docx),
            })
            .map(|package| package.parts)
        };
        if document.pages.len() != 1 {
            return build();
        }
        let Ok(mut kept) = self.one_page_package.lock() else {
            return build();
        };
        match &*kept {
            Some((kept_sheet, parts)) if *kept_sheet == sheet => Ok(parts.clone()),
            _ => {
                let parts = build()?;
                *kept = Some((sheet, parts.clone()));
                Ok(parts)
            }
        }
    }
}

impl Renderer for Docx {
    fn extension(&self) -> &'static str {
        "docx"
    }

    fn render(
        &self,
        document: &Document,
        context: &RenderContext<'_>,
    ) -> Result<Vec<u8>, RenderError> {
        let revision = match &document.meta.revision {
            Some(r) => Some(RevisionMark {
                author: r.author.clone(),
                date: package::w3cdtf(r.timestamp)
                    .map_err(|e| RenderError(tr!("render-change-date", error = e.to_string())))?,
            }),
            None => None,
        };
        let markup = PlaceholderMarkup {
            document,
            revision: revision.as_ref(),
        };
        self.package_of(document)
            .and_then(|parts| {
                package::post_process(
                    Package { parts },
                    document,
                    context,
                    &markup,
                    revision.as_ref(),
                    &self.shared_parts,
                )
            })
            .map_err(|e| RenderError(tr!("render-docx-unfinished", error = e.to_string())))
    }
}

/// The style name that marks a page's placeholder paragraph, before the page's index.
pub(super) const PAGE_PLACEHOLDER: &str = "rollikaart-page-";
/// The style name that marks the placeholder paragraph of the header of a page's further
/// sheets, before the page's index.
pub(super) const HEADER_PLACEHOLDER: &str = "rollikaart-header-";
/// The style name that marks the placeholder paragraph of the header of every section's
/// first sheet: the band alone.
pub(super) const BAND_PLACEHOLDER: &str = "rollikaart-band";

/// The paragraph that stands for page `index` in docx-rs's document: the post pass puts the
/// page's blocks in its place ([`package`]), so that the body never exists as elements all
/// at once.
fn page_placeholder(index: usize) -> docx_rs::Paragraph {
    docx_rs::Paragraph::new().style(&format!("{PAGE_PLACEHOLDER}{index}"))
}

/// A header in docx-rs's document: one placeholder paragraph of style `style`, in whose
/// place the post pass puts the band (and, for a page's further sheets, the page's
/// continued title), for the same reason as [`page_placeholder`].
fn header_placeholder(style: &str) -> docx_rs::Header {
    docx_rs::Header::new().add_paragraph(docx_rs::Paragraph::new().style(style))
}

/// The markup the placeholders stand for, written when the post pass reaches them.
struct PlaceholderMarkup<'a> {
    document: &'a Document,
    revision: Option<&'a RevisionMark>,
}

impl PlaceholderMarkup<'_> {
    fn page_at(&self, index: usize) -> Result<&Page, OoxmlError> {
        self.document.pages.get(index).ok_or_else(|| {
            OoxmlError(tr!(
                "render-docx-placeholder-page",
                page = (index + 1).to_string()
            ))
        })
    }

    fn markup<'a>(&'a self, ids: &'a Ids) -> Markup<'a> {
        Markup {
            setup: &self.document.setup,
            revision: self.revision,
            ids,
        }
    }
}

impl package::Placeholders for PlaceholderMarkup<'_> {
    fn page(&self, index: usize, ids: &Ids) -> Result<String, OoxmlError> {
        Ok(self.markup(ids).page(self.page_at(index)?))
    }

    fn header(
        &self,
        page: Option<usize>,
        ids: &Ids,
        watermark: Option<&str>,
    ) -> Result<String, OoxmlError> {
        let continued = match page {
            Some(index) => self.page_at(index)?.continuation.as_ref(),
            None => None,
        };
        Ok(self
            .markup(ids)
            .header(&self.document.header, continued, watermark))
    }
}

/// The parts of docx-rs's package under the names, and in the order, its own ZIP writer
/// gives them (docx-rs's `XMLDocx::pack`), without writing and reading back a ZIP: the post
/// pass takes the parts as they are. The document uses no images, footers, task panes or
/// custom XML, so those parts are never made.
fn package_parts(xml: docx_rs::XMLDocx) -> Parts {
    let mut parts: Vec<(String, Vec<u8>)> = [
        ("[Content_Types].xml", xml.content_type),
        ("_rels/.rels", xml.rels),
        ("docProps/app.xml", xml.doc_props.app),
        ("docProps/core.xml", xml.doc_props.core),
        ("docProps/custom.xml", xml.doc_props.custom),
        ("word/_rels/document.xml.rels", xml.document_rels),
        ("word/document.xml", xml.document),
        ("word/styles.xml", xml.styles),
        ("word/settings.xml", xml.settings),
        ("word/fontTable.xml", xml.font_table),
        ("word/comments.xml", xml.comments),
        ("word/numbering.xml", xml.numberings),
        ("word/commentsExtended.xml", xml.comments_extended),
        ("word/footnotes.xml", xml.footnotes),
    ]
    .into_iter()
    .map(|(name, bytes)| (name.to_string(), bytes))
    .collect();
    let headers = xml.headers.len();
    for (header, number) in xml.headers.into_iter().zip(header_numbers(headers)) {
        parts.push((format!("word/header{number}.xml"), header));
    }
    // docx-rs's relationships of up to three headers (images only: empty here), under the
    // names its `pack` gives them.
    for (i, rels) in xml.header_rels.into_iter().take(headers).enumerate() {
        let number = i + 1;
        parts.push((format!("word/_rels/header{number}.xml.rels"), rels));
    }
    parts
}

/// The number of each of docx-rs's `count` headers, in the order it gives them. Its main
/// part's relationships send `rIdHeaderN` to `headerN.xml`, but it gives the headers sorted by
/// those ids as text, `rIdHeader10` before `rIdHeader2` (its own `pack` numbers them in that
/// order, so that from the tenth header on each section showed another page's header).
fn header_numbers(count: usize) -> Vec<usize> {
    let mut numbers: Vec<usize> = (1..=count).collect();
    numbers.sort_by_cached_key(|&n| docx_rs::create_header_rid(n));
    numbers
}

/// A non-negative length in twips (negative lengths in the model would be errors; 0 keeps the
/// file valid).
fn twips_pt(pt: f32) -> u32 {
    (pt * TWIPS_PER_PT).round().max(0.0) as u32
}

/// [`twips_pt`] of a length in millimetres.
fn twips_mm(mm: f32) -> usize {
    twips_pt(mm_to_pt(mm)) as usize
}

fn half_points(pt: f32) -> usize {
    (pt * HALF_POINTS_PER_PT).round().max(0.0) as usize
}

fn eighths(pt: f32) -> usize {
    (pt * EIGHTHS_PER_PT).round().max(0.0) as usize
}

fn hex(Rgb(r, g, b): Rgb) -> String {
    format!("{r:02X}{g:02X}{b:02X}")
}

/// Builds docx-rs's document around the placeholders: the sections and their page setup.
struct Skeleton<'a> {
    setup: &'a Setup,
}

impl Skeleton<'_> {
    fn page_size(&self) -> PageSize {
        let page = &self.setup.sheet;
        PageSize::new()
            .size(
                twips_mm(page.width_mm) as u32,
                twips_mm(page.height_mm) as u32,
            )
            .orient(self.orientation())
    }

    fn orientation(&self) -> PageOrientationType {
        let page = &self.setup.sheet;
        if page.width_mm > page.height_mm {
            PageOrientationType::Landscape
        } else {
            PageOrientationType::Portrait
        }
    }

    fn page_margin(&self) -> PageMargin {
        let page = &self.setup.sheet;
        PageMargin::new()
            .top(twips_mm(page.margin_top_mm) as i32)
            .bottom(twips_mm(page.margin_bottom_mm) as i32)
            .left(twips_mm(page.margin_left_mm) as i32)
            .right(twips_mm(page.margin_right_mm) as i32)
            // The header band starts at the top margin; the body starts below it.
            .header(twips_mm(page.margin_top_mm) as i32)
            .footer(twips_mm(page.margin_bottom_mm) as i32)
            .gutter(0)
    }

    /// One section per page, each with its own header for its further sheets (the band and
    /// the continued title). The first sheet of every section has the band alone: docx-rs
    /// writes that header for the last section only (it loses a section's first-sheet header
    /// when the section has another), and the post pass refers every section to it.
    fn docx(&self, document: &Document) -> docx_rs::Docx {
        let page = &self.setup.sheet;
        let mut docx = docx_rs::Docx::new()
            .page_size(
                twips_mm(page.width_mm) as u32,
                twips_mm(page.height_mm) as u32,
            )
            .page_orient(self.orientation())
            .page_margin(self.page_margin())
            .first_header(header_placeholder(BAND_PLACEHOLDER))
            .title_pg();
        let Some(last) = document.pages.len().checked_sub(1) else {
            return docx.header(header_placeholder(BAND_PLACEHOLDER));
        };
        let further_sheets =
            |index: usize| header_placeholder(&format!("{HEADER_PLACEHOLDER}{index}"));
        for index in 0..last {
            let section = Section::new()
                .page_size(self.page_size())
                .page_margin(self.page_margin())
                .page_orient(self.orientation())
                .add_paragraph(page_placeholder(index));
            docx = docx.add_section(section.header(further_sheets(index)).title_pg());
        }
        docx.add_paragraph(page_placeholder(last))
            .header(further_sheets(last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A card's file made from the kept one-page package is the file a new renderer makes,
    /// whichever card came first; the combined annex, with many pages, is made afresh.
    #[test]
    fn a_kept_one_page_package_gives_the_bytes_of_a_new_one() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let p = crate::load_project(&root.join("cards"), &root.join("templates/lisa.toml"))
            .expect("the bundled project loads");
        let context = RenderContext {
            fonts: &p.fonts,
            icc_profile: &p.icc_profile,
            timestamp: 0,
            producer: "test",
        };
        let options = crate::document::BuildOptions::default();
        let build = |selection| crate::document::build(&p.source, &p.template, &options, selection);
        let mut documents: Vec<Document> = p
            .source
            .cards
            .iter()
            .map(|card| build(crate::document::Selection::OneCard(card)))
            .collect();
        documents.push(build(crate::document::Selection::WholeAnnex));
        let alone: Vec<Vec<u8>> = documents
            .iter()
            .map(|d| Docx::default().render(d, &context).unwrap())
            .collect();
        for order in [false, true] {
            let shared = Docx::default();
            let mut indices: Vec<usize> = (0..documents.len()).collect();
            if order {
                indices.reverse();
            }
            for i in indices {
                let made = shared.render(&documents[i], &context).unwrap();
                assert!(made == alone[i], "document {i} differs with a kept package");
            }
        }
    }

    #[test]
    fn headers_are_numbered_as_docx_rs_relates_them() {
        assert_eq!(header_numbers(3), [1, 2, 3]);
        assert_eq!(header_numbers(12), [1, 10, 11, 12, 2, 3, 4, 5, 6, 7, 8, 9]);
    }

    #[test]
    fn unit_conversions() {
        assert_eq!(twips_mm(crate::units::MM_PER_INCH), 1440);
        assert_eq!(twips_mm(297.0), 16838);
        assert_eq!(twips_mm(210.0), 11906);
        assert_eq!(twips_mm(-1.0), 0);
        assert_eq!(twips_pt(3.0), 60);
        assert_eq!(half_points(10.0), 20);
        assert_eq!(eighths(0.5), 4);
        assert_eq!(hex(Rgb(0xD9, 0x0A, 0xFF)), "D90AFF");
    }
}
