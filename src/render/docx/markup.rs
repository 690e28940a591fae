//! The WordprocessingML of the model's pages and header bands, written straight from the
//! document in its final form: property elements in schema order, only what differs from a
//! paragraph's style, paragraph and tracked-change ids numbered through the file, every
//! table titled for screen readers.
//!
//! docx-rs builds the package around this markup ([`super`]): the sections, the header
//! parts, relationships and content types, with one placeholder paragraph where a page's
//! blocks or a header's paragraphs go. It drew the blocks too, at first, but it writes
//! property elements out of schema order, empty `w:rPr`s, direct table borders and ids from
//! counters that outlive a file, so the post pass read all of it back to mend it. For the
//! combined annex that round trip was three quarters of the time (callgrind: docx-rs
//! building the pages 24 %, reading back, editing and writing them 48 %). Written here, a
//! page is one pass over the model into bytes.
//!
//! Nothing is decided here: styles come from [`super::styles`], sizes from the setup and
//! the model; a paragraph says only what it has differently from its style.

use super::styles::{GRID_STYLE, ParagraphStyle, TERM_STYLE};
use super::{AUTO_COLOR, half_points, hex, twips_mm, twips_pt};
use crate::document::{
    Align, Block, Cell, CellRole, Change, HeaderBand, Page, Paragraph, ParagraphRole, Run, Setup,
    Table,
};
use crate::units::mm_to_pt;
use std::fmt::Write;

/// The ids that run through a whole file, numbered in document order from 1: paragraph ids
/// (`w14:paraId`, eight hex digits) and tracked-change ids (`w:id` of `w:ins`, `w:del`).
/// The post pass numbers those of docx-rs's own paragraphs (the section ends) between the
/// pages with the same counters.
#[derive(Default)]
pub(super) struct Ids {
    paragraph: std::cell::Cell<u32>,
    revision: std::cell::Cell<u32>,
}

impl Ids {
    /// The next paragraph id, as written: eight hexadecimal digits.
    pub(super) fn next_paragraph(&self) -> String {
        self.paragraph.set(self.paragraph.get() + 1);
        format!("{:08X}", self.paragraph.get())
    }

    /// The next tracked-change id.
    pub(super) fn next_revision(&self) -> u32 {
        self.revision.set(self.revision.get() + 1);
        self.revision.get()
    }
}

/// What every `w:ins` and `w:del` of a redline carries.
pub(super) struct RevisionMark {
    pub(super) author: String,
    /// W3CDTF.
    pub(super) date: String,
}

/// Writes pages and header bands of one file.
pub(super) struct Markup<'a> {
    pub(super) setup: &'a Setup,
    /// The author and date of the tracked changes, in a redline; `None` writes every change
    /// mark of the model as plain text.
    pub(super) revision: Option<&'a RevisionMark>,
    pub(super) ids: &'a Ids,
}

/// Appends `text` to `out` escaped for XML text and attribute values.
fn push_escaped(out: &mut String, text: &str) {
    out.push_str(&quick_xml::escape::escape(text));
}

impl Markup<'_> {
    /// A page's blocks, in the order the model has them.
    pub(super) fn page(&self, page: &Page) -> String {
        let mut out = String::new();
        for block in &page.blocks {
            match block {
                Block::Paragraph(p) => {
                    self.paragraph(&mut out, p, block_style(p.role), page.change)
                }
                Block::Table(table) => self.table(&mut out, table, page),
            }
        }
        out
    }

    /// The paragraphs of a page header: the band, and under it, on a page's further
    /// sheets, the page's `continued` title. `watermark`, the draft mark's run, goes at the
    /// end of the first paragraph.
    ///
    /// The band's first paragraph holds the left text and, at a right tab stop on the right
    /// edge of the text area, the first right line; the other right lines stand
    /// right-aligned under it. The last line keeps the template's space to the body below.
    pub(super) fn header(
        &self,
        band: &HeaderBand,
        continued: Option<&Paragraph>,
        watermark: Option<&str>,
    ) -> String {
        let mut out = String::new();
        let style = ParagraphStyle::HeaderLine;
        let gap_pt = mm_to_pt(self.setup.header_space_after_mm);
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
        let left = with_after(&band.left, first_after);
        let right_edge = twips_mm(self.setup.sheet.content_width_mm());
        let size = self.open_paragraph(&mut out, &left, style, Some(right_edge), None);
        self.runs(&mut out, &left, style, size);
        if let Some(r) = first_right {
            let size = self.size_differs(r, style);
            out.push_str("<w:r>");
            self.run_properties(&mut out, None, size);
            out.push_str("<w:tab /></w:r>");
            self.runs(&mut out, r, style, size);
        }
        out.push_str(watermark.unwrap_or_default());
        out.push_str("</w:p>");
        for (i, p) in rest.iter().enumerate() {
            let last = i + 1 == rest.len();
            self.paragraph(&mut out, &with_after(p, after(p, last)), style, None);
        }
        if let Some(title) = continued {
            self.paragraph(&mut out, title, ParagraphStyle::ContinuationTitle, None);
        }
        out
    }

    /// A paragraph of the model in `style`; `page_change` is the mark of a page inserted or
    /// deleted as a whole, which its paragraph ends carry too.
    fn paragraph(
        &self,
        out: &mut String,
        p: &Paragraph,
        style: ParagraphStyle,
        page_change: Option<Change>,
    ) {
        let size = self.open_paragraph(out, p, style, None, p.break_change.or(page_change));
        self.runs(out, p, style, size);
        out.push_str("</w:p>");
    }

    /// The paragraph's start tag and properties: its style, a right tab stop at `tab_stop`
    /// twips if any, and what the model has differently from the style (space below,
    /// alignment, size); the paragraph mark carries `end_change` (in a redline) and the
    /// size, so that an empty paragraph is as high as a line of its text. Returns the size
    /// when it differs from the style's, for the runs.
    fn open_paragraph(
        &self,
        out: &mut String,
        p: &Paragraph,
        style: ParagraphStyle,
        tab_stop: Option<usize>,
        end_change: Option<Change>,
    ) -> Option<f32> {
        let setup = self.setup;
        let _ = write!(
            out,
            r#"<w:p w14:paraId="{}"><w:pPr><w:pStyle w:val="{}" />"#,
            self.ids.next_paragraph(),
            style.id()
        );
        if let Some(position) = tab_stop {
            let _ = write!(
                out,
                r#"<w:tabs><w:tab w:val="right" w:pos="{position}" /></w:tabs>"#
            );
        }
        if twips_pt(p.space_after_pt) != twips_pt(style.space_after_pt(setup)) {
            let _ = write!(
                out,
                r#"<w:spacing w:after="{}" />"#,
                twips_pt(p.space_after_pt)
            );
        }
        if p.align == Align::Right {
            out.push_str(r#"<w:jc w:val="right" />"#);
        }
        let size = self.size_differs(p, style);
        if self.revision.and(end_change).is_some() || size.is_some() {
            out.push_str("<w:rPr>");
            self.change_mark(out, end_change, true);
            push_size(out, size);
            out.push_str("</w:rPr>");
        }
        out.push_str("</w:pPr>");
        size
    }

    /// The paragraph's size when it differs from `style`'s.
    fn size_differs(&self, p: &Paragraph, style: ParagraphStyle) -> Option<f32> {
        (half_points(p.size_pt) != half_points(style.size_pt(self.setup))).then_some(p.size_pt)
    }

    fn runs(&self, out: &mut String, p: &Paragraph, style: ParagraphStyle, size: Option<f32>) {
        for run in &p.runs {
            self.run(out, run, style, size, p.role);
        }
    }

    /// A run of `style`'s paragraph, one `w:r` with one `w:t` per model run, so that a
    /// placeholder (`{regDateTime}`) stays whole; inside `w:ins` or `w:del` when the model
    /// marks it inserted or deleted (a redline), deleted text as `w:delText`, so that Word
    /// shows it only as deleted. The bold runs of a glossary entry are its term, in the term
    /// style; otherwise only a boldness or size other than the style's is written.
    fn run(
        &self,
        out: &mut String,
        run: &Run,
        style: ParagraphStyle,
        size: Option<f32>,
        role: ParagraphRole,
    ) {
        let change = self.change_mark(out, run.change, false);
        out.push_str("<w:r>");
        let weight = if run.bold && !style.bold() {
            Some(if role == ParagraphRole::GlossaryEntry {
                RunWeight::Term
            } else {
                RunWeight::Bold
            })
        } else if !run.bold && style.bold() {
            Some(RunWeight::Regular)
        } else {
            None
        };
        self.run_properties(out, weight, size);
        let text = match change {
            Some(Change::Deleted) => "delText",
            _ => "t",
        };
        let _ = write!(out, r#"<w:{text} xml:space="preserve">"#);
        push_escaped(out, &run.text);
        let _ = write!(out, "</w:{text}></w:r>");
        if let Some(change) = change {
            out.push_str(match change {
                Change::Inserted => "</w:ins>",
                Change::Deleted => "</w:del>",
            });
        }
    }

    /// A run's properties, in schema order (`w:rStyle`, `w:b`, `w:bCs`, `w:sz`, `w:szCs`);
    /// nothing when the run has none.
    fn run_properties(&self, out: &mut String, weight: Option<RunWeight>, size: Option<f32>) {
        if weight.is_none() && size.is_none() {
            return;
        }
        out.push_str("<w:rPr>");
        match weight {
            Some(RunWeight::Term) => {
                let _ = write!(out, r#"<w:rStyle w:val="{TERM_STYLE}" />"#);
            }
            Some(RunWeight::Bold) => out.push_str("<w:b /><w:bCs />"),
            Some(RunWeight::Regular) => {
                out.push_str(r#"<w:b w:val="false" /><w:bCs w:val="false" />"#)
            }
            None => {}
        }
        push_size(out, size);
        out.push_str("</w:rPr>");
    }

    /// In a redline, the start of the tracked change `change` (`w:ins`, `w:del`) with the next
    /// id, or, as `empty`, the whole element (a paragraph mark's or a table row's); the change
    /// written, if any. Outside a redline nothing: the model's marks stay plain text.
    fn change_mark(&self, out: &mut String, change: Option<Change>, empty: bool) -> Option<Change> {
        let (Some(revision), Some(change)) = (self.revision, change) else {
            return None;
        };
        let name = match change {
            Change::Inserted => "ins",
            Change::Deleted => "del",
        };
        let _ = write!(
            out,
            r#"<w:{name} w:author="{}" w:date="{}" w:id="{}"{}>"#,
            quick_xml::escape::escape(&revision.author),
            quick_xml::escape::escape(&revision.date),
            self.ids.next_revision(),
            if empty { "/" } else { "" }
        );
        Some(change)
    }

    /// A card grid in the grid style (borders and cell margins), titled with the page's name
    /// (`w:tblCaption`, `w:tblDescription`) for screen readers; the geometry is the model's.
    /// A row moves whole to the next sheet rather than splitting, where it fits.
    fn table(&self, out: &mut String, table: &Table, page: &Page) {
        let grid: Vec<usize> = table.columns_mm.iter().map(|&mm| twips_mm(mm)).collect();
        let width: usize = grid.iter().sum();
        let _ = write!(
            out,
            r#"<w:tbl><w:tblPr><w:tblStyle w:val="{GRID_STYLE}" /><w:tblW w:w="{width}" w:type="dxa" /><w:jc w:val="left" /><w:tblLayout w:type="fixed" />"#
        );
        for label in ["tblCaption", "tblDescription"] {
            let _ = write!(out, r#"<w:{label} w:val=""#);
            push_escaped(out, &page.bookmark);
            out.push_str(r#""/>"#);
        }
        out.push_str("</w:tblPr><w:tblGrid>");
        for column in &grid {
            let _ = write!(out, r#"<w:gridCol w:w="{column}"/>"#);
        }
        out.push_str("</w:tblGrid>");
        for row in &table.rows {
            out.push_str("<w:tr><w:trPr><w:cantSplit />");
            self.change_mark(out, page.change, true);
            out.push_str("</w:trPr>");
            let mut column = 0;
            for cell in &row.cells {
                let end = (column + cell.span).min(grid.len());
                let cell_width = grid.get(column..end).map_or(0, |w| w.iter().sum());
                column = end;
                self.cell(out, cell, cell_width, page.change);
            }
            out.push_str("</w:tr>");
        }
        out.push_str("</w:tbl>");
    }

    fn cell(&self, out: &mut String, cell: &Cell, width: usize, page_change: Option<Change>) {
        let _ = write!(out, r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa" />"#);
        if cell.span > 1 {
            let _ = write!(out, r#"<w:gridSpan w:val="{}" />"#, cell.span);
        }
        if let Some(fill) = cell.fill {
            let _ = write!(
                out,
                r#"<w:shd w:val="clear" w:color="{AUTO_COLOR}" w:fill="{}" />"#,
                hex(fill)
            );
        }
        out.push_str("</w:tcPr>");
        let style = cell_style(cell);
        if cell.paragraphs.is_empty() {
            // A cell must hold at least one paragraph.
            let _ = write!(
                out,
                r#"<w:p w14:paraId="{}"><w:pPr><w:pStyle w:val="{}" /></w:pPr></w:p>"#,
                self.ids.next_paragraph(),
                style.id()
            );
        }
        for p in &cell.paragraphs {
            self.paragraph(out, p, style, page_change);
        }
        out.push_str("</w:tc>");
    }
}

/// How a run's weight differs from its paragraph style's.
#[derive(Clone, Copy)]
enum RunWeight {
    /// Bold text of a glossary entry: the term style.
    Term,
    Bold,
    Regular,
}

/// `w:sz` and `w:szCs` of a size other than the style's.
fn push_size(out: &mut String, size: Option<f32>) {
    if let Some(size) = size {
        let half_points = half_points(size);
        let _ = write!(
            out,
            r#"<w:sz w:val="{half_points}" /><w:szCs w:val="{half_points}" />"#
        );
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Document, Row};
    use crate::render::ooxml::{W_NS, edit_units, is_property_element};

    const W14_NS: &str = "http://schemas.microsoft.com/office/word/2010/wordml";

    fn bundled() -> Document {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let p = crate::load_project(&root.join("cards"), &root.join("templates/lisa.toml"))
            .expect("the bundled project loads");
        crate::document::build(
            &p.source,
            &p.template,
            &crate::document::BuildOptions::default(),
            crate::document::Selection::WholeAnnex,
        )
    }

    fn run(text: &str, bold: bool, change: Option<Change>) -> Run {
        Run {
            text: text.to_string(),
            bold,
            change,
        }
    }

    /// A page with everything the markup can say: a deleted and an inserted run, a bold
    /// run in a regular style and a regular one in a bold style, a size, space and alignment
    /// other than the style's, text to escape, an empty cell, a page inserted whole.
    fn every_case(document: &Document) -> Page {
        let mut page = document.pages[0].clone();
        page.change = Some(Change::Inserted);
        page.bookmark = "A & <B>".to_string();
        let Some(Block::Paragraph(title)) = page.blocks.first_mut() else {
            panic!("a card page starts with its title");
        };
        title.runs = vec![run("OSAKONNA ", true, None), run("JUHATAJA", false, None)];
        let Some(Block::Table(table)) = page.blocks.get_mut(1) else {
            panic!("a card page has its table second");
        };
        let body = &mut table.rows[0].cells[1].paragraphs[0];
        body.runs = vec![
            run("vana ", false, Some(Change::Deleted)),
            run("uus \"a\" & 'b'", false, Some(Change::Inserted)),
            run("rõhk", true, None),
        ];
        body.size_pt += 1.5;
        body.space_after_pt += 3.0;
        body.align = Align::Right;
        body.break_change = Some(Change::Deleted);
        let mut empty = table.rows[0].cells[0].clone();
        empty.paragraphs.clear();
        table.rows.push(Row { cells: vec![empty] });
        page
    }

    fn wrapped(markup: &str) -> String {
        format!(r#"<w:body xmlns:w="{W_NS}" xmlns:w14="{W14_NS}">{markup}</w:body>"#)
    }

    /// Written once, in final form: well-formed, already in schema order (the order pass
    /// changes nothing), ids numbered in document order through the whole file.
    #[test]
    fn pages_are_written_in_schema_order_with_ids_in_document_order() {
        let document = bundled();
        let page = every_case(&document);
        let revision = RevisionMark {
            author: "Õigus & Co".to_string(),
            date: "2024-03-15T00:00:00Z".to_string(),
        };
        let ids = Ids::default();
        let markup = Markup {
            setup: &document.setup,
            revision: Some(&revision),
            ids: &ids,
        };
        let first = wrapped(&markup.page(&page));
        let second = markup.page(&page);
        let ordered = edit_units(first.as_bytes(), is_property_element, |_, _| Ok(true))
            .expect("well-formed");
        assert_eq!(String::from_utf8(ordered).unwrap(), first);

        let Some(Block::Table(table)) = page.blocks.get(1) else {
            panic!("the table is second");
        };
        let size = half_points(table.rows[0].cells[1].paragraphs[0].size_pt);
        let sz = format!(r#"<w:sz w:val="{size}" /><w:szCs w:val="{size}" />"#);
        let by = r#"w:author="Õigus &amp; Co" w:date="2024-03-15T00:00:00Z""#;
        for expected in [
            r#"<w:tblCaption w:val="A &amp; &lt;B&gt;"/>"#.to_string(),
            r#"<w:r><w:rPr><w:b w:val="false" /><w:bCs w:val="false" /></w:rPr><w:t xml:space="preserve">JUHATAJA</w:t></w:r>"#.to_string(),
            format!(r#"<w:trPr><w:cantSplit /><w:ins {by} w:id="2"/></w:trPr>"#),
            format!(
                r#"<w:jc w:val="right" /><w:rPr><w:del {by} w:id="4"/>{sz}</w:rPr></w:pPr><w:del {by} w:id="5"><w:r><w:rPr>{sz}</w:rPr><w:delText xml:space="preserve">vana </w:delText></w:r></w:del><w:ins {by} w:id="6">"#
            ),
            r#"<w:t xml:space="preserve">uus &quot;a&quot; &amp; &apos;b&apos;</w:t>"#.to_string(),
            format!(r#"<w:rPr><w:b /><w:bCs />{sz}</w:rPr><w:t xml:space="preserve">rõhk</w:t>"#),
            // The empty cell's one paragraph, last.
            r#"<w:pPr><w:pStyle w:val="RowLabel" /></w:pPr></w:p></w:tc></w:tr></w:tbl></w:body>"#
                .to_string(),
        ] {
            assert!(first.contains(&expected), "{expected} in {first}");
        }
        let paragraph_ids: Vec<&str> = first
            .split(r#"<w:p w14:paraId=""#)
            .skip(1)
            .map(|rest| &rest[..8])
            .collect();
        let expected: Vec<String> = (1..=paragraph_ids.len())
            .map(|n| format!("{n:08X}"))
            .collect();
        assert_eq!(paragraph_ids, expected);
        let revision_ids: Vec<u32> = first
            .split(r#" w:id=""#)
            .skip(1)
            .map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap())
            .collect();
        assert_eq!(
            revision_ids,
            (1..=revision_ids.len() as u32).collect::<Vec<_>>()
        );
        assert!(
            second.contains(&format!(r#"w14:paraId="{:08X}""#, paragraph_ids.len() + 1)),
            "the count runs on through the file"
        );
    }

    /// Without a redline, the model's change marks are not written: the text stays, plain.
    #[test]
    fn change_marks_need_a_redline() {
        let document = bundled();
        let page = every_case(&document);
        let ids = Ids::default();
        let markup = Markup {
            setup: &document.setup,
            revision: None,
            ids: &ids,
        };
        let xml = markup.page(&page);
        assert!(!xml.contains("<w:ins") && !xml.contains("<w:del") && !xml.contains("delText"));
        assert!(xml.contains(r#"<w:t xml:space="preserve">vana </w:t>"#));
    }

    /// The band: the first right line at a right tab stop in the left paragraph, the draft
    /// mark in that paragraph, the continued title last.
    #[test]
    fn the_header_band_holds_the_watermark_and_the_continued_title() {
        let document = bundled();
        let ids = Ids::default();
        let markup = Markup {
            setup: &document.setup,
            revision: None,
            ids: &ids,
        };
        let title = document
            .pages
            .iter()
            .find_map(|p| p.continuation.as_ref())
            .expect("a bundled page runs onto a further sheet");
        let xml = markup.header(&document.header, Some(title), Some("<w:r>MARK</w:r>"));
        let ordered = edit_units(wrapped(&xml).as_bytes(), is_property_element, |_, _| {
            Ok(true)
        })
        .expect("well-formed");
        assert_eq!(String::from_utf8(ordered).unwrap(), wrapped(&xml));
        let first_end = xml.find("</w:p>").unwrap();
        let first = &xml[..first_end];
        assert!(first.contains(r#"<w:tabs><w:tab w:val="right" w:pos="#));
        assert!(first.contains("<w:tab /></w:r>"));
        assert!(first.ends_with("<w:r>MARK</w:r>"), "{first}");
        assert_eq!(xml.matches("MARK").count(), 1);
        assert!(xml.contains(r#"<w:pStyle w:val="ContinuationTitle" />"#));
        assert_eq!(
            xml.matches("<w:p ").count(),
            document.header.right.len() + 1,
            "the band's lines but the first right one, and the title"
        );
    }
}
