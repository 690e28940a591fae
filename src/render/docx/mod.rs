//! DOCX renderer (docx-rs): draws the document model as a Word file.
//!
//! docx-rs builds the package from the model: every page of the model is a section of its
//! own (A4 landscape, starting on a new sheet) whose first sheet has the page header band and
//! whose further sheets, if Word needs any, repeat the band with the page's title and the
//! template's continuation mark ("OSAKONNA JUHATAJA (järg)"). A section's body, and the
//! header of its further sheets, are at first one placeholder paragraph each: the post pass
//! puts the page's blocks and header, built by docx-rs one page at a time, in their place, so
//! that the whole annex never exists as docx-rs elements at once, and compresses the main
//! part as it writes it, so that it is never held whole either. Paragraphs and runs name a style of [`styles`] and carry no font or size of their
//! own. The post pass in [`package`] writes what docx-rs cannot express (the style set,
//! settings, font table, the draft watermark of [`watermark`], table titles, the document
//! properties), puts the property elements into schema order and writes the ZIP
//! reproducibly.
//!
//! Nothing about content is decided here: every size, the font and the language come from the
//! template or the model; the constants below are unit conversions of the file format.

mod package;
mod shared_pages;
mod styles;
mod watermark;

use super::ooxml::{CompressedParts, OoxmlError, Package};
use super::{RenderContext, RenderError, Renderer};
use crate::document::{
    self, Align, Block, Cell, CellRole, Change, Document, HeaderBand, Page, Paragraph,
    ParagraphRole, Rgb, Setup, Table,
};
use crate::tr;
use crate::units::mm_to_pt;
use docx_rs::{
    AlignmentType, BuildXML, LineSpacing, PageMargin, PageOrientationType, PageSize, Section,
    Shading, ShdType, Tab, TabValueType, TableCell, TableLayoutType, TableRow, WidthType,
};
use shared_pages::SharedPages;
use styles::{GRID_STYLE, ParagraphStyle, TERM_STYLE};

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
/// build compress each shared part once ([`CompressedParts`]), and, for a build with a
/// combined annex ([`Docx::sharing_pages_with`]), the markup of its pages, so that a card's
/// own file does not build its page again ([`shared_pages`]); one value per build.
#[derive(Default)]
pub struct Docx<'a> {
    shared_parts: CompressedParts,
    shared_pages: Option<SharedPages<'a>>,
}

impl<'a> Docx<'a> {
    /// A renderer for the files of a build whose combined annex is `annex`.
    pub fn sharing_pages_with(annex: &'a Document) -> Docx<'a> {
        Docx {
            shared_pages: Some(SharedPages::of(annex)),
            ..Docx::default()
        }
    }
}

impl Renderer for Docx<'_> {
    fn extension(&self) -> &'static str {
        "docx"
    }

    fn render(
        &self,
        document: &Document,
        context: &RenderContext<'_>,
    ) -> Result<Vec<u8>, RenderError> {
        let draw = Draw {
            setup: &document.setup,
            revision: match &document.meta.revision {
                Some(r) => Some(RevisionMark {
                    author: r.author.clone(),
                    date: package::w3cdtf(r.timestamp).map_err(|e| {
                        RenderError(tr!("render-change-date", error = e.to_string()))
                    })?,
                }),
                None => None,
            },
        };
        let parts = package_parts(draw.docx(document).build());
        let markup = PlaceholderMarkup {
            band: draw.header_markup(&document.header, None),
            draw: &draw,
            document,
            shared_pages: self.shared_pages.as_ref().filter(|s| s.serves(document)),
        };
        package::post_process(
            Package { parts },
            document,
            context,
            &markup,
            &self.shared_parts,
        )
        .map_err(|e| RenderError(tr!("render-docx-unfinished", error = e.to_string())))
    }
}

/// The style name that marks a page's placeholder paragraph, before the page's index.
pub(super) const PAGE_PLACEHOLDER: &str = "rollikaart-page-";
/// The style name that marks the placeholder paragraph of the header of a page's further
/// sheets, before the page's index.
pub(super) const HEADER_PLACEHOLDER: &str = "rollikaart-header-";

/// The paragraph that stands for page `index` in docx-rs's document: the post pass puts the
/// page's blocks in its place ([`package`]), so that the body never exists as docx-rs
/// elements all at once (1,000 cards took about 90 MB that way).
fn page_placeholder(index: usize) -> docx_rs::Paragraph {
    docx_rs::Paragraph::new().style(&format!("{PAGE_PLACEHOLDER}{index}"))
}

/// The header of page `index`'s further sheets in docx-rs's document: one placeholder
/// paragraph, in whose place the post pass puts the band and the page's continued title, for
/// the same reason as [`page_placeholder`] (a header per page as docx-rs elements was most
/// of a 1,000-card DOCX's peak memory).
fn header_placeholder(index: usize) -> docx_rs::Header {
    docx_rs::Header::new()
        .add_paragraph(docx_rs::Paragraph::new().style(&format!("{HEADER_PLACEHOLDER}{index}")))
}

/// What the placeholders stand for, built one page at a time when the post pass reaches
/// them; the header band's markup, the same in every header, is built once.
struct PlaceholderMarkup<'a> {
    draw: &'a Draw<'a>,
    document: &'a Document,
    band: Vec<u8>,
    /// Page markup shared with the other files of the build, where it serves this document.
    shared_pages: Option<&'a SharedPages<'a>>,
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
}

impl package::Placeholders for PlaceholderMarkup<'_> {
    fn page(
        &self,
        index: usize,
        edit: &mut package::PageEdit<'_>,
    ) -> Result<package::PageMarkup, OoxmlError> {
        let page = self.page_at(index)?;
        let mut make = || edit(&self.draw.page_markup(page));
        match self.shared_pages {
            Some(shared) => shared.markup(page, make),
            None => make().map(package::PageMarkup::Edited),
        }
    }

    fn header(&self, index: usize) -> Result<Vec<u8>, OoxmlError> {
        let mut markup = self.band.clone();
        if let Some(title) = &self.page_at(index)?.continuation {
            markup.extend(self.draw.continued_title(title).build());
        }
        Ok(markup)
    }
}

/// The parts of docx-rs's package under the names, and in the order, its own ZIP writer
/// gives them (docx-rs's `XMLDocx::pack`), without writing and reading back a ZIP: the post
/// pass takes the parts as they are. The document uses no images, footers, task panes or
/// custom XML, so those parts are never made.
fn package_parts(xml: docx_rs::XMLDocx) -> Vec<(String, Vec<u8>)> {
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

/// The style of a paragraph outside a table, from its role.
fn block_style(role: ParagraphRole) -> ParagraphStyle {
    match role {
        ParagraphRole::Title => ParagraphStyle::Title,
        ParagraphRole::Subtitle => ParagraphStyle::Subtitle,
        ParagraphRole::HeaderLine | ParagraphRole::Legend => ParagraphStyle::HeaderLine,
        ParagraphRole::Label => ParagraphStyle::RowLabel,
        ParagraphRole::Body | ParagraphRole::GlossaryEntry => ParagraphStyle::Normal,
    }
}

/// The style of the paragraphs of a table cell, from the cell's role: a column heading is
/// a grey bar, a row heading a row label, data card text.
fn cell_style(cell: &Cell) -> ParagraphStyle {
    match cell.role {
        CellRole::ColumnHeader => ParagraphStyle::Bar,
        CellRole::RowHeader => ParagraphStyle::RowLabel,
        CellRole::Data => ParagraphStyle::Normal,
    }
}

/// Draws the model with docx-rs.
struct Draw<'a> {
    setup: &'a Setup,
    /// The author and date (W3CDTF) of the tracked changes, in a redline.
    revision: Option<RevisionMark>,
}

/// What every `w:ins` and `w:del` carries. Their `w:id`s are numbered by the post pass.
struct RevisionMark {
    author: String,
    date: String,
}

/// A block of a section as docx-rs has it.
enum Drawn {
    Paragraph(Box<docx_rs::Paragraph>),
    Table(Box<docx_rs::Table>),
}

impl Draw<'_> {
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
    /// the continued title; a placeholder until the post pass). The first sheet of every
    /// section has the band alone: docx-rs writes that header for the last section only (it
    /// loses a section's first-sheet header when the section has another), and the post pass
    /// refers every section to it.
    fn docx(&self, document: &Document) -> docx_rs::Docx {
        let page = &self.setup.sheet;
        let mut docx = docx_rs::Docx::new()
            .page_size(
                twips_mm(page.width_mm) as u32,
                twips_mm(page.height_mm) as u32,
            )
            .page_orient(self.orientation())
            .page_margin(self.page_margin())
            .first_header(self.header(&document.header, None))
            .title_pg();
        let Some(last) = document.pages.len().checked_sub(1) else {
            return docx.header(self.header(&document.header, None));
        };
        for index in 0..last {
            let section = Section::new()
                .page_size(self.page_size())
                .page_margin(self.page_margin())
                .page_orient(self.orientation())
                .add_paragraph(page_placeholder(index));
            docx = docx.add_section(section.header(header_placeholder(index)).title_pg());
        }
        docx.add_paragraph(page_placeholder(last))
            .header(header_placeholder(last))
    }

    /// The markup of page `index`'s blocks (what its placeholder stands for, see
    /// [`page_placeholder`]): built from docx-rs's elements one page at a time and dropped
    /// once written, so that docx-rs never holds the whole annex.
    fn page_markup(&self, page: &Page) -> Vec<u8> {
        let mut markup = Vec::new();
        for block in self.blocks(page) {
            markup.extend(match block {
                Drawn::Paragraph(p) => p.build(),
                Drawn::Table(t) => t.build(),
            });
        }
        markup
    }

    fn blocks(&self, page: &Page) -> Vec<Drawn> {
        page.blocks
            .iter()
            .map(|block| match block {
                Block::Paragraph(p) => Drawn::Paragraph(Box::new(self.paragraph(
                    p,
                    block_style(p.role),
                    page.change,
                ))),
                Block::Table(table) => Drawn::Table(Box::new(self.table(table, page.change))),
            })
            .collect()
    }

    /// A run of `style`'s paragraph: only what differs from the style is written on it. The
    /// bold runs of a glossary entry are its term, in the term style. Deleted text (in a
    /// redline) is `w:delText`, so that Word shows it only as deleted.
    fn run(
        &self,
        run: &document::Run,
        style: ParagraphStyle,
        size_pt: Option<f32>,
        role: ParagraphRole,
    ) -> docx_rs::Run {
        // One w:r with one w:t per model run: a placeholder ({regDateTime}) stays whole.
        let mut r = match (run.change, &self.revision) {
            (Some(Change::Deleted), Some(_)) => {
                docx_rs::Run::new().add_delete_text(run.text.as_str())
            }
            _ => docx_rs::Run::new().add_text(run.text.as_str()),
        };
        if run.bold && !style.bold() {
            r = if role == ParagraphRole::GlossaryEntry {
                r.style(TERM_STYLE)
            } else {
                r.bold()
            };
        } else if !run.bold && style.bold() {
            r = r.disable_bold();
        }
        if let Some(size) = size_pt {
            r = r.size(half_points(size));
        }
        r
    }

    /// The paragraph's properties (no runs) in `style`, with what the model has differently
    /// from the style (alignment, space below, size) written on it; returns the size too
    /// when it differs from the style's.
    fn paragraph_frame(
        &self,
        p: &Paragraph,
        style: ParagraphStyle,
    ) -> (docx_rs::Paragraph, Option<f32>) {
        let t = self.setup;
        let mut para = docx_rs::Paragraph::new().style(style.id());
        if p.align == Align::Right {
            para = para.align(AlignmentType::Right);
        }
        if twips_pt(p.space_after_pt) != twips_pt(style.space_after_pt(t)) {
            para = para.line_spacing(LineSpacing::new().after(twips_pt(p.space_after_pt)));
        }
        let size = (half_points(p.size_pt) != half_points(style.size_pt(t))).then_some(p.size_pt);
        if let Some(size) = size {
            // The paragraph mark has the paragraph's size, so an empty paragraph is as high
            // as a line of its text.
            para = para.size(half_points(size));
        }
        (para, size)
    }

    /// A paragraph of the model; `page_change` is the mark of a page inserted or deleted as
    /// a whole, which its paragraph ends carry too.
    fn paragraph(
        &self,
        p: &Paragraph,
        style: ParagraphStyle,
        page_change: Option<Change>,
    ) -> docx_rs::Paragraph {
        let (frame, size) = self.paragraph_frame(p, style);
        let frame = self.mark_paragraph_end(frame, p.break_change.or(page_change));
        p.runs.iter().fold(frame, |para, r| {
            self.add_run(para, r, self.run(r, style, size, p.role))
        })
    }

    /// Adds `drawn` (the drawing of `run`) to `para`: inside `w:ins` or `w:del` when the model
    /// marks the run inserted or deleted (a redline), else as it is.
    fn add_run(
        &self,
        para: docx_rs::Paragraph,
        run: &document::Run,
        drawn: docx_rs::Run,
    ) -> docx_rs::Paragraph {
        match (run.change, &self.revision) {
            (Some(Change::Inserted), Some(rev)) => para.add_insert(
                docx_rs::Insert::new(drawn)
                    .author(rev.author.as_str())
                    .date(rev.date.as_str()),
            ),
            (Some(Change::Deleted), Some(rev)) => para.add_delete(
                docx_rs::Delete::new()
                    .add_run(drawn)
                    .author(rev.author.as_str())
                    .date(rev.date.as_str()),
            ),
            _ => para.add_run(drawn),
        }
    }

    /// Marks the paragraph's end (its mark, `w:pPr/w:rPr/w:ins` or `w:del`) inserted or
    /// deleted, in a redline.
    fn mark_paragraph_end(
        &self,
        para: docx_rs::Paragraph,
        change: Option<Change>,
    ) -> docx_rs::Paragraph {
        match (change, &self.revision) {
            (Some(Change::Inserted), Some(rev)) => {
                para.insert(rev.author.as_str(), rev.date.as_str())
            }
            (Some(Change::Deleted), Some(rev)) => {
                para.delete(rev.author.as_str(), rev.date.as_str())
            }
            _ => para,
        }
    }

    /// Marks a table row inserted or deleted (`w:trPr/w:ins`, `w:del`), in a redline.
    fn mark_row(&self, row: TableRow, change: Option<Change>) -> TableRow {
        match (change, &self.revision) {
            (Some(Change::Inserted), Some(rev)) => row.insert(
                docx_rs::Insert::new_with_empty()
                    .author(rev.author.as_str())
                    .date(rev.date.as_str()),
            ),
            (Some(Change::Deleted), Some(rev)) => row.delete(
                docx_rs::Delete::new()
                    .author(rev.author.as_str())
                    .date(rev.date.as_str()),
            ),
            _ => row,
        }
    }

    /// The header of [`Self::header_paragraphs`].
    fn header(&self, band: &HeaderBand, continued: Option<&Paragraph>) -> docx_rs::Header {
        self.header_paragraphs(band, continued)
            .into_iter()
            .fold(docx_rs::Header::new(), docx_rs::Header::add_paragraph)
    }

    /// The markup of [`Self::header`]'s paragraphs, without the header part around them.
    fn header_markup(&self, band: &HeaderBand, continued: Option<&Paragraph>) -> Vec<u8> {
        let mut markup = Vec::new();
        for paragraph in self.header_paragraphs(band, continued) {
            markup.extend(paragraph.build());
        }
        markup
    }

    /// The continued title under the band in the header of a page's further sheets.
    fn continued_title(&self, title: &Paragraph) -> docx_rs::Paragraph {
        self.paragraph(title, ParagraphStyle::ContinuationTitle, None)
    }

    /// The header band: the left paragraph with the first right line at a right tab stop on
    /// the right edge of the text area, then the other right lines right-aligned under it.
    /// The last line keeps the template's space to the body below; the continued title, if
    /// any, stands under the band.
    fn header_paragraphs(
        &self,
        band: &HeaderBand,
        continued: Option<&Paragraph>,
    ) -> Vec<docx_rs::Paragraph> {
        let t = self.setup;
        let style = ParagraphStyle::HeaderLine;
        let right_edge = twips_mm(t.sheet.content_width_mm());
        let gap_pt = mm_to_pt(t.header_space_after_mm);
        let mut right = band.right.iter();
        let first_right = right.next();
        let rest: Vec<&Paragraph> = right.collect();
        let after = |p: &Paragraph, last: bool| p.space_after_pt + if last { gap_pt } else { 0.0 };
        let with_after = |p: &Paragraph, after_pt: f32| Paragraph {
            space_after_pt: after_pt,
            ..p.clone()
        };

        let first_after = after(&band.left, rest.is_empty())
            .max(first_right.map_or(0.0, |r| after(r, rest.is_empty())));
        let mut first = self
            .paragraph(&with_after(&band.left, first_after), style, None)
            .add_tab(Tab::new().val(TabValueType::Right).pos(right_edge));
        if let Some(r) = first_right {
            let (_, size) = self.paragraph_frame(r, style);
            let mut tab = docx_rs::Run::new().add_tab();
            if let Some(size) = size {
                tab = tab.size(half_points(size));
            }
            first = first.add_run(tab);
            first = r.runs.iter().fold(first, |para, run| {
                self.add_run(para, run, self.run(run, style, size, r.role))
            });
        }
        let mut paragraphs = vec![first];
        for (i, p) in rest.iter().enumerate() {
            let last = i + 1 == rest.len();
            paragraphs.push(self.paragraph(&with_after(p, after(p, last)), style, None));
        }
        paragraphs.extend(continued.map(|title| self.continued_title(title)));
        paragraphs
    }

    /// A card grid in the grid style (borders and cell margins); the geometry is the model's.
    fn table(&self, table: &Table, page_change: Option<Change>) -> docx_rs::Table {
        let grid: Vec<usize> = table.columns_mm.iter().map(|&mm| twips_mm(mm)).collect();
        let width: usize = grid.iter().sum();
        let rows = table
            .rows
            .iter()
            .map(|row| {
                let mut column = 0;
                let cells = row
                    .cells
                    .iter()
                    .map(|cell| {
                        let end = (column + cell.span).min(grid.len());
                        let cell_width = grid.get(column..end).map_or(0, |w| w.iter().sum());
                        column = end;
                        self.cell(cell, cell_width, page_change)
                    })
                    .collect();
                // A row moves whole to the next page rather than splitting, where it fits.
                self.mark_row(TableRow::new(cells).cant_split(), page_change)
            })
            .collect();
        docx_rs::Table::new(rows)
            .style(GRID_STYLE)
            .set_grid(grid)
            .width(width, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
    }

    fn cell(&self, cell: &Cell, width: usize, page_change: Option<Change>) -> TableCell {
        let mut c = TableCell::new().width(width, WidthType::Dxa);
        if cell.span > 1 {
            c = c.grid_span(cell.span);
        }
        if let Some(fill) = cell.fill {
            c = c.shading(
                Shading::new()
                    .shd_type(ShdType::Clear)
                    .color(AUTO_COLOR)
                    .fill(hex(fill)),
            );
        }
        let style = cell_style(cell);
        if cell.paragraphs.is_empty() {
            // A cell must hold at least one paragraph.
            return c.add_paragraph(docx_rs::Paragraph::new().style(style.id()));
        }
        cell.paragraphs.iter().fold(c, |c, p| {
            c.add_paragraph(self.paragraph(p, style, page_change))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
