//! DOCX renderer (docx-rs): draws the document model as a Word file.
//!
//! docx-rs builds the package from the model: one A4 landscape section, the header band in
//! the default page header, then every page of the model starting on a new sheet. The post
//! pass in [`super::ooxml`] adds what docx-rs cannot express (the language on every run and in
//! the document defaults, the complete core and application properties), puts the property
//! elements into schema order and writes the ZIP reproducibly.
//!
//! Nothing about content is decided here: every size, the font and the language come from the
//! template or the model; the constants below are unit conversions of the file format.

use super::ooxml::{Element, Node, OoxmlError, Package, reorder_element};
use super::{RenderContext, RenderError, Renderer};
use crate::document::{self, Align, Block, Cell, Document, HeaderBand, Paragraph, Table};
use crate::template::{Rgb, Template};
use crate::units::mm_to_pt;
use docx_rs::{
    AlignmentType, BorderType, LineSpacing, LineSpacingType, PageMargin, PageOrientationType,
    RunFonts, Shading, ShdType, Tab, TabValueType, TableBorder, TableBorderPosition, TableBorders,
    TableCell, TableCellMargins, TableLayoutType, TableRow, WidthType,
};
use std::cell::Cell as Counter;
use std::io::Cursor;

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

const CORE_PART: &str = "docProps/core.xml";
const APP_PART: &str = "docProps/app.xml";
const CORE_NS: &str = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
const APP_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties";
const VT_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes";
const MAIN_PART: &str = "word/document.xml";
const THEME_PART: &str = "word/theme/theme1.xml";
/// The theme's place relative to the main document part.
const THEME_TARGET: &str = "theme/theme1.xml";
const THEME_CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.theme+xml";
const THEME_RELATIONSHIP: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme";
const DRAWINGML_NS: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
/// Keywords are one string in the core properties; Word shows and splits them at `;`.
const KEYWORD_SEPARATOR: &str = "; ";

/// The DOCX format.
pub struct Docx;

impl Renderer for Docx {
    fn extension(&self) -> &'static str {
        "docx"
    }

    fn render(
        &self,
        document: &Document,
        context: &RenderContext<'_>,
    ) -> Result<Vec<u8>, RenderError> {
        let draw = Draw {
            template: context.template,
            last_paragraph_id: Counter::new(0),
        };
        let mut zipped = Cursor::new(Vec::new());
        draw.docx(document)
            .pack(&mut zipped)
            .map_err(|e| RenderError(format!("docx-rs could not write the DOCX: {e}")))?;
        post_process(&zipped.into_inner(), document, context)
            .map_err(|e| RenderError(format!("the DOCX could not be finished: {e}")))
    }
}

fn twips_from_mm(mm: f32) -> f32 {
    mm_to_pt(mm) * TWIPS_PER_PT
}

/// A non-negative length in twips (negative lengths in the model would be errors; 0 keeps the
/// file valid).
fn twips_mm(mm: f32) -> usize {
    twips_from_mm(mm).round().max(0.0) as usize
}

fn twips_pt(pt: f32) -> u32 {
    (pt * TWIPS_PER_PT).round().max(0.0) as u32
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

/// Draws the model with docx-rs.
struct Draw<'a> {
    template: &'a Template,
    /// The last paragraph id (`w14:paraId`) given. docx-rs numbers paragraphs from a
    /// thread-local counter that only resets when a document is packed; numbering them here
    /// keeps the output independent of what the thread did before.
    last_paragraph_id: Counter<u32>,
}

impl Draw<'_> {
    fn new_paragraph(&self) -> docx_rs::Paragraph {
        let id = self.last_paragraph_id.get() + 1;
        self.last_paragraph_id.set(id);
        docx_rs::Paragraph::new().id(format!("{id:08X}"))
    }

    fn docx(&self, document: &Document) -> docx_rs::Docx {
        let t = self.template;
        let page = &t.page;
        let mut docx = docx_rs::Docx::new()
            .page_size(
                twips_mm(page.width_mm) as u32,
                twips_mm(page.height_mm) as u32,
            )
            .page_orient(if page.width_mm > page.height_mm {
                PageOrientationType::Landscape
            } else {
                PageOrientationType::Portrait
            })
            .page_margin(
                PageMargin::new()
                    .top(twips_mm(page.margin_top_mm) as i32)
                    .bottom(twips_mm(page.margin_bottom_mm) as i32)
                    .left(twips_mm(page.margin_left_mm) as i32)
                    .right(twips_mm(page.margin_right_mm) as i32)
                    // The header band starts at the top margin; the body starts below it.
                    .header(twips_mm(page.margin_top_mm) as i32)
                    .footer(twips_mm(page.margin_bottom_mm) as i32)
                    .gutter(0),
            )
            .default_fonts(self.fonts())
            .default_size(half_points(t.sizes.body_pt))
            .default_line_spacing(self.spacing(0.0))
            .header(self.header(&document.header));
        for (i, page) in document.pages.iter().enumerate() {
            // Every page but the first starts on a new sheet.
            let mut break_before = i > 0;
            for block in &page.blocks {
                match block {
                    Block::Paragraph(p) => {
                        docx = docx.add_paragraph(
                            self.paragraph(p, p.space_after_pt)
                                .page_break_before(break_before),
                        );
                    }
                    Block::Table(table) => {
                        if break_before {
                            docx = docx.add_paragraph(self.break_paragraph());
                        }
                        docx = docx.add_table(self.table(table));
                    }
                }
                break_before = false;
            }
            if break_before {
                docx = docx.add_paragraph(self.break_paragraph());
            }
        }
        docx
    }

    /// The template's font in every slot, so no script falls back to a theme font.
    fn fonts(&self) -> RunFonts {
        let family = self.template.fonts.docx_family.as_str();
        RunFonts::new()
            .ascii(family)
            .hi_ansi(family)
            .cs(family)
            .east_asia(family)
    }

    /// The template's line distance with `after_pt` below the paragraph and nothing above.
    fn spacing(&self, after_pt: f32) -> LineSpacing {
        let line = AUTO_LINE_UNITS_PER_LINE * self.template.sizes.line_spacing;
        LineSpacing::new()
            .line_rule(LineSpacingType::Auto)
            .line(line.round() as i32)
            .before(0)
            .after(twips_pt(after_pt))
    }

    fn run(&self, run: &document::Run, size_pt: f32) -> docx_rs::Run {
        // One w:r with one w:t per model run: a placeholder ({regDateTime}) stays whole.
        let r = docx_rs::Run::new()
            .add_text(run.text.as_str())
            .fonts(self.fonts())
            .size(half_points(size_pt));
        if run.bold { r.bold() } else { r }
    }

    /// A paragraph's properties (no runs) with `after_pt` below it.
    fn paragraph_frame(&self, p: &Paragraph, after_pt: f32) -> docx_rs::Paragraph {
        self.new_paragraph()
            .align(match p.align {
                Align::Left => AlignmentType::Left,
                Align::Right => AlignmentType::Right,
            })
            .line_spacing(self.spacing(after_pt))
            // The paragraph mark has the paragraph's size, so an empty paragraph is as high as
            // a line of its text.
            .fonts(self.fonts())
            .size(half_points(p.size_pt))
    }

    fn paragraph(&self, p: &Paragraph, after_pt: f32) -> docx_rs::Paragraph {
        p.runs
            .iter()
            .fold(self.paragraph_frame(p, after_pt), |para, r| {
                para.add_run(self.run(r, p.size_pt))
            })
    }

    /// An empty paragraph that only starts a new sheet (for a page that begins with a table).
    fn break_paragraph(&self) -> docx_rs::Paragraph {
        self.new_paragraph()
            .line_spacing(self.spacing(0.0))
            .fonts(self.fonts())
            .size(half_points(self.template.sizes.body_pt))
            .page_break_before(true)
    }

    /// The header band: the left paragraph with the first right line at a right tab stop on
    /// the right edge of the text area, then the other right lines right-aligned under it.
    /// The last line keeps the template's space to the body below.
    fn header(&self, band: &HeaderBand) -> docx_rs::Header {
        let t = self.template;
        let right_edge = twips_mm(t.page.content_width_mm());
        let gap_pt = mm_to_pt(t.header.space_after_mm);
        let mut right = band.right.iter();
        let first_right = right.next();
        let rest: Vec<&Paragraph> = right.collect();
        let after = |p: &Paragraph, last: bool| p.space_after_pt + if last { gap_pt } else { 0.0 };

        let first_after = after(&band.left, rest.is_empty())
            .max(first_right.map_or(0.0, |r| after(r, rest.is_empty())));
        let mut first = self
            .paragraph(&band.left, first_after)
            .add_tab(Tab::new().val(TabValueType::Right).pos(right_edge));
        if let Some(r) = first_right {
            first = first.add_run(
                docx_rs::Run::new()
                    .add_tab()
                    .fonts(self.fonts())
                    .size(half_points(r.size_pt)),
            );
            first = r
                .runs
                .iter()
                .fold(first, |para, run| para.add_run(self.run(run, r.size_pt)));
        }
        let mut header = docx_rs::Header::new().add_paragraph(first);
        for (i, p) in rest.iter().enumerate() {
            header = header.add_paragraph(self.paragraph(p, after(p, i + 1 == rest.len())));
        }
        header
    }

    fn table(&self, table: &Table) -> docx_rs::Table {
        let t = &self.template.table;
        let grid: Vec<usize> = table.columns_mm.iter().map(|&mm| twips_mm(mm)).collect();
        let width: usize = grid.iter().sum();
        let border = |position| {
            TableBorder::new(position)
                .border_type(BorderType::Single)
                .size(eighths(t.border_pt))
                .color(AUTO_COLOR)
        };
        let borders = [
            TableBorderPosition::Top,
            TableBorderPosition::Left,
            TableBorderPosition::Bottom,
            TableBorderPosition::Right,
            TableBorderPosition::InsideH,
            TableBorderPosition::InsideV,
        ]
        .into_iter()
        .fold(TableBorders::new(), |b, p| b.set(border(p)));
        let pad = twips_mm(t.cell_padding_mm);
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
                        self.cell(cell, cell_width)
                    })
                    .collect();
                // A row moves whole to the next page rather than splitting, where it fits.
                TableRow::new(cells).cant_split()
            })
            .collect();
        docx_rs::Table::new(rows)
            .set_grid(grid)
            .width(width, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .set_borders(borders)
            .margins(TableCellMargins::new().margin(pad, pad, pad, pad))
    }

    fn cell(&self, cell: &Cell, width: usize) -> TableCell {
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
        if cell.paragraphs.is_empty() {
            // A cell must hold at least one paragraph.
            return c.add_paragraph(self.break_paragraph().page_break_before(false));
        }
        cell.paragraphs.iter().fold(c, |c, p| {
            c.add_paragraph(self.paragraph(p, p.space_after_pt))
        })
    }
}

/// What docx-rs cannot write, then schema order and a reproducible ZIP.
fn post_process(
    zipped: &[u8],
    document: &Document,
    context: &RenderContext<'_>,
) -> Result<Vec<u8>, OoxmlError> {
    let mut package = Package::read(zipped)?;
    package.prune_unreferenced()?;
    let language = context.template.fonts.language.as_str();
    let word_parts: Vec<String> = package
        .names()
        .filter(|n| n.starts_with("word/") && n.ends_with(".xml"))
        .map(str::to_string)
        .collect();
    for name in &word_parts {
        let text = is_text_part(name);
        package.edit_xml(name, |part| {
            for node in &mut part.nodes {
                if let Node::Element(root) = node {
                    repair_docx_rs(root);
                    if text {
                        set_language(root, language);
                    }
                    reorder_element(root);
                }
            }
        })?;
    }
    package.add_part(
        THEME_PART,
        THEME_CONTENT_TYPE,
        theme(&context.template.fonts.docx_family),
    )?;
    package.add_relationship(MAIN_PART, THEME_RELATIONSHIP, THEME_TARGET)?;
    package.set(CORE_PART, core_properties(document, context.timestamp)?);
    package.set(APP_PART, app_properties(context.producer));
    package.write(context.timestamp)
}

/// Corrects what docx-rs writes against the schema: a `w:type` on `w:gridCol` (which has
/// only `w:w`), and an empty `w:rPr` in every `w:pPr`, which only a paragraph's own
/// properties may have (not those of styles, numbering levels or the defaults).
fn repair_docx_rs(root: &mut Element) {
    root.walk_mut(&mut |e, parent| {
        if e.is_w("gridCol") {
            e.remove_attr("w:type");
        }
        if e.is_w("pPr") && parent != Some("p") {
            e.children
                .retain(|c| !matches!(c, Node::Element(r) if r.is_w("rPr")));
        }
    });
}

/// The parts whose run properties carry a language: the body, headers, footers, styles.
fn is_text_part(name: &str) -> bool {
    let Some(file) = name.strip_prefix("word/") else {
        return false;
    };
    file == "document.xml"
        || file == "styles.xml"
        || ((file.starts_with("header") || file.starts_with("footer")) && file.ends_with(".xml"))
}

/// Gives every `w:rPr` (runs, paragraph marks, styles) a `w:lang` with `language`, and makes
/// sure the document defaults have run properties to carry it, so Word spell-checks the text
/// in that language. docx-rs has no API for `w:lang`.
fn set_language(root: &mut Element, language: &str) {
    root.walk_mut(&mut |e, parent| {
        if e.is_w("rPrDefault") && !e.elements().any(|c| c.is_w("rPr")) {
            let rpr = e.new_child("rPr", &[]);
            e.children.push(Node::Element(rpr));
        }
        // w:rPr inside a change record (w:rPrChange) describes the old formatting: left alone.
        if e.is_w("rPr") && parent != Some("rPrChange") && !e.elements().any(|c| c.is_w("lang")) {
            let lang = e.new_child("lang", &[("w:val", language)]);
            e.children.push(Node::Element(lang));
        }
    });
}

/// `word/theme/theme1.xml`: the main document part must have a theme, and docx-rs writes
/// none. The smallest complete one: the template's font for headings and body, system
/// colours only (text colour for the dark and accent slots, window colour for the light
/// ones), plain fills and lines. Nothing in the document refers to it.
fn theme(family: &str) -> Vec<u8> {
    let family = quick_xml::escape::escape(family);
    let dark = r#"<a:sysClr val="windowText"/>"#;
    let light = r#"<a:sysClr val="window"/>"#;
    let colours: String = [
        ("dk1", dark),
        ("lt1", light),
        ("dk2", dark),
        ("lt2", light),
        ("accent1", dark),
        ("accent2", dark),
        ("accent3", dark),
        ("accent4", dark),
        ("accent5", dark),
        ("accent6", dark),
        ("hlink", dark),
        ("folHlink", dark),
    ]
    .iter()
    .map(|(slot, colour)| format!("<a:{slot}>{colour}</a:{slot}>"))
    .collect();
    let fonts = format!(r#"<a:latin typeface="{family}"/><a:ea typeface=""/><a:cs typeface=""/>"#);
    let fill = r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#;
    let three = |s: &str| s.repeat(3);
    let mut xml = String::from(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#);
    xml.push_str(&format!(
        r#"<a:theme xmlns:a="{DRAWINGML_NS}" name="{family}"><a:themeElements>"#
    ));
    xml.push_str(&format!(
        r#"<a:clrScheme name="{family}">{colours}</a:clrScheme>"#
    ));
    xml.push_str(&format!(
        r#"<a:fontScheme name="{family}"><a:majorFont>{fonts}</a:majorFont><a:minorFont>{fonts}</a:minorFont></a:fontScheme>"#
    ));
    xml.push_str(&format!(r#"<a:fmtScheme name="{family}">"#));
    xml.push_str(&format!("<a:fillStyleLst>{}</a:fillStyleLst>", three(fill)));
    xml.push_str(&format!(
        "<a:lnStyleLst>{}</a:lnStyleLst>",
        three(&format!("<a:ln>{fill}</a:ln>"))
    ));
    xml.push_str(&format!(
        "<a:effectStyleLst>{}</a:effectStyleLst>",
        three("<a:effectStyle><a:effectLst/></a:effectStyle>")
    ));
    xml.push_str(&format!(
        "<a:bgFillStyleLst>{}</a:bgFillStyleLst>",
        three(fill)
    ));
    xml.push_str("</a:fmtScheme></a:themeElements></a:theme>");
    xml.into_bytes()
}

/// W3CDTF (ISO 8601, UTC) for `timestamp`.
fn w3cdtf(timestamp: i64) -> Result<String, OoxmlError> {
    chrono::DateTime::from_timestamp(timestamp, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .ok_or_else(|| OoxmlError(format!("the timestamp {timestamp} is out of range")))
}

fn text_element(name: &str, text: &str) -> String {
    format!("<{name}>{}</{name}>", quick_xml::escape::escape(text))
}

/// `docProps/core.xml`: docx-rs sets neither title nor subject, keywords or language.
fn core_properties(document: &Document, timestamp: i64) -> Result<Vec<u8>, OoxmlError> {
    let meta = &document.meta;
    let date = w3cdtf(timestamp)?;
    let mut xml = String::from(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#);
    xml.push_str(&format!(
        r#"<cp:coreProperties xmlns:cp="{CORE_NS}" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
    ));
    xml.push_str(&text_element("dc:title", &meta.title));
    xml.push_str(&text_element("dc:subject", &meta.subject));
    xml.push_str(&text_element("dc:creator", &meta.author));
    xml.push_str(&text_element(
        "cp:keywords",
        &meta.keywords.join(KEYWORD_SEPARATOR),
    ));
    xml.push_str(&text_element("dc:language", &meta.language));
    xml.push_str(&text_element("cp:lastModifiedBy", &meta.author));
    xml.push_str(&text_element("cp:revision", "1"));
    for name in ["dcterms:created", "dcterms:modified"] {
        xml.push_str(&format!(
            r#"<{name} xsi:type="dcterms:W3CDTF">{date}</{name}>"#
        ));
    }
    xml.push_str("</cp:coreProperties>");
    Ok(xml.into_bytes())
}

/// `docProps/app.xml`: the application that made the file.
fn app_properties(producer: &str) -> Vec<u8> {
    let mut xml = String::from(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#);
    xml.push_str(&format!(
        r#"<Properties xmlns="{APP_NS}" xmlns:vt="{VT_NS}">"#
    ));
    xml.push_str(&text_element("Application", producer));
    xml.push_str("</Properties>");
    xml.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn dates_are_w3cdtf_in_utc() {
        assert_eq!(w3cdtf(1_700_000_000).unwrap(), "2023-11-14T22:13:20Z");
        assert!(w3cdtf(i64::MAX).is_err());
    }

    #[test]
    fn text_parts() {
        assert!(is_text_part("word/document.xml"));
        assert!(is_text_part("word/header1.xml"));
        assert!(is_text_part("word/styles.xml"));
        assert!(!is_text_part("word/_rels/header1.xml.rels"));
        assert!(!is_text_part("word/settings.xml"));
        assert!(!is_text_part("docProps/core.xml"));
    }

    #[test]
    fn language_goes_on_every_run_property_once() {
        let w = super::super::ooxml::W_NS;
        let xml = format!(
            r#"<w:document xmlns:w="{w}"><w:docDefaults><w:rPrDefault/></w:docDefaults><w:r><w:rPr><w:b/></w:rPr></w:r><w:r><w:rPr><w:lang w:val="en-GB"/></w:rPr></w:r><w:rPr><w:rPrChange><w:rPr/></w:rPrChange></w:rPr></w:document>"#
        );
        let mut part = super::super::ooxml::XmlPart::parse(xml.as_bytes()).unwrap();
        set_language(part.root_mut().unwrap(), "et-EE");
        let out = String::from_utf8(part.to_bytes().unwrap()).unwrap();
        assert_eq!(
            out,
            format!(
                r#"<w:document xmlns:w="{w}"><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="et-EE"/></w:rPr></w:rPrDefault></w:docDefaults><w:r><w:rPr><w:b/><w:lang w:val="et-EE"/></w:rPr></w:r><w:r><w:rPr><w:lang w:val="en-GB"/></w:rPr></w:r><w:rPr><w:rPrChange><w:rPr/></w:rPrChange><w:lang w:val="et-EE"/></w:rPr></w:document>"#
            )
        );
    }
}
