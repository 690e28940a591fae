//! The DOCX post pass: what docx-rs cannot write, driven by the document model and the
//! template, then schema order and a reproducible ZIP.
//!
//! It replaces docx-rs's style set, settings and font table with ours (the styles of
//! [`super::styles`]; Word 2013 compatibility without the East-Asian layout flags; a 1.25 cm
//! default tab stop; only the template's font), drops the parts the document does not use
//! (the empty comments extension, the empty custom properties), puts the markup of
//! [`super::markup`] (each page's blocks, every header's paragraphs with the draft
//! watermark) in place of docx-rs's placeholder paragraphs, mends and numbers what docx-rs
//! wrote itself (the section ends) with the same counters, and writes the theme and the
//! core, application and (in final mode) custom properties.

use super::super::RenderContext;
use super::super::ooxml::{
    CompressedParts, DeflatedPart, Edited, Element, Node, OoxmlError, Package, W_NS, for_each_unit,
    is_property_element, splice_units_into,
};
use super::markup::{Ids, RevisionMark};
use super::{styles, twips_mm, watermark};
use crate::document::{Change, Document, RecordProperty};
use crate::tr;
use std::io::Write;

const CORE_PART: &str = "docProps/core.xml";
const APP_PART: &str = "docProps/app.xml";
const CUSTOM_PART: &str = "docProps/custom.xml";
const CORE_NS: &str = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
const APP_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties";
const CUSTOM_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties";
const VT_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes";
const CUSTOM_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.custom-properties+xml";
const CUSTOM_RELATIONSHIP: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties";
/// The format id Office gives user-defined document properties.
const USER_PROPERTIES_FMTID: &str = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}";
/// Property ids 0 and 1 are reserved; the custom properties are numbered from 2.
const FIRST_PROPERTY_ID: usize = 2;
const MAIN_PART: &str = "word/document.xml";
const STYLES_PART: &str = "word/styles.xml";
const SETTINGS_PART: &str = "word/settings.xml";
const FONT_TABLE_PART: &str = "word/fontTable.xml";
const THEME_PART: &str = "word/theme/theme1.xml";
/// The theme's place relative to the main document part.
const THEME_TARGET: &str = "theme/theme1.xml";
const THEME_CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.theme+xml";
const THEME_RELATIONSHIP: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme";
const DRAWINGML_NS: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
/// Keywords are one string in the core properties; Word shows and splits them at `;`.
const KEYWORD_SEPARATOR: &str = "; ";
/// The parts this pass writes whole, in schema order, in place of docx-rs's: the edits of
/// [`edit_word_parts`] have nothing to do in them.
const OWN_PARTS: [&str; 3] = [STYLES_PART, SETTINGS_PART, FONT_TABLE_PART];
/// Parts docx-rs writes that the document does not use: an empty comments extension and
/// empty custom properties (written again, filled, in final mode).
const UNUSED_PARTS: [&str; 2] = ["word/commentsExtended.xml", CUSTOM_PART];
/// The default tab stop of Estonian Word: 1.25 cm.
const DEFAULT_TAB_STOP_MM: f32 = 12.5;
/// Word's default view scale.
const ZOOM_PERCENT: u32 = 100;
/// The compatibility options Word 2013 and later write for a new document (layout as in
/// Word 2013), without the legacy East-Asian ones docx-rs adds.
const COMPAT_SETTINGS: [(&str, &str); 6] = [
    ("compatibilityMode", "15"),
    ("overrideTableStyleFontSizeAndJustification", "1"),
    ("enableOpenTypeFeatures", "1"),
    ("doNotFlipMirrorIndents", "1"),
    ("differentiateMultirowTableHeaders", "1"),
    ("useWord2013TrackBottomHyphenation", "0"),
];
const WORD_COMPAT_URI: &str = "http://schemas.microsoft.com/office/word";
/// The paragraph that only ends a section (after a card's table) is made as small as Word
/// allows, so it never pushes a full page onto a new sheet: a line of exactly 1 pt …
const SECTION_MARK_LINE_TWIPS: u32 = 20;
/// … and the smallest font size, 1 pt (in half-points).
const SECTION_MARK_HALF_POINTS: u32 = 2;
/// The attribute of a paragraph's id (Word 2010).
const PARAGRAPH_ID: &str = "w14:paraId";
/// The elements of a tracked change that carry an id, unique in the whole document.
const REVISION_ELEMENTS: [&str; 4] = ["ins", "del", "rPrChange", "pPrChange"];
/// The attribute of a tracked change's id.
const REVISION_ID: &str = "w:id";

/// The markup the placeholders of docx-rs's document stand for (see
/// [`super::page_placeholder`] and [`super::header_placeholder`]), written with the file's
/// `ids` when this pass reaches the placeholder.
pub(super) trait Placeholders {
    /// Page `index`'s blocks; an error for a page the document does not have.
    fn page(&self, index: usize, ids: &Ids) -> Result<String, OoxmlError>;
    /// The paragraphs of a page header: the band, with the continued title of `page` (the
    /// header of its further sheets) or alone (`None`, every first sheet's); `watermark`, the
    /// draft mark's run, in the first paragraph. An error for a page the document does not
    /// have.
    fn header(
        &self,
        page: Option<usize>,
        ids: &Ids,
        watermark: Option<&str>,
    ) -> Result<String, OoxmlError>;
}

/// docx-rs's package without the parts the document does not use ([`UNUSED_PARTS`]) and
/// those docx-rs writes without relating them: the first step of the pass, taken once for
/// every file with the same docx-rs package ([`super::Docx`] keeps the package of a
/// one-page document).
pub(super) fn trimmed(mut package: Package) -> Result<Package, OoxmlError> {
    package.remove_parts(&UNUSED_PARTS)?;
    Ok(package)
}

/// What docx-rs cannot write, then schema order and a reproducible ZIP, on docx-rs's
/// package [`trimmed`].
pub(super) fn post_process(
    mut package: Package,
    document: &Document,
    context: &RenderContext<'_>,
    placeholders: &dyn Placeholders,
    revision: Option<&RevisionMark>,
    shared: &CompressedParts,
) -> Result<Vec<u8>, OoxmlError> {
    for (name, xml) in OWN_PARTS.into_iter().zip(own_parts(document)) {
        package.set(name, xml);
    }
    let deflated = edit_word_parts(&mut package, document, context, placeholders, revision)?;
    add_parts(&mut package, document, context)?;
    package.write(context.timestamp, shared, &deflated)
}

/// The parts of [`OWN_PARTS`], in that order: our style set, settings and font table.
fn own_parts(document: &Document) -> [Vec<u8>; OWN_PARTS.len()] {
    [
        styles::styles_xml(document),
        settings_xml(&document.meta.language),
        font_table_xml(&document.setup.docx_font_family),
    ]
}

/// Every XML part under `word/` but [`OWN_PARTS`], streamed (see [`splice_units_into`]):
/// each page's blocks and header in place of their placeholders, with the watermark in
/// every header; docx-rs's own paragraphs (the section ends) repaired, shrunk (and marked in
/// a redline), numbered with the pages' paragraphs and tracked changes, and every section
/// referred to the first-sheet header. The main part, which holds every page, is compressed
/// as it is written and given back apart from the package ([`DeflatedPart`]).
fn edit_word_parts(
    package: &mut Package,
    document: &Document,
    context: &RenderContext<'_>,
    placeholders: &dyn Placeholders,
    revision: Option<&RevisionMark>,
) -> Result<Vec<DeflatedPart>, OoxmlError> {
    let setup = &document.setup;
    let mut deflated = Vec::new();
    // By place in the package, not by name: a large annex has a header part per page, and
    // finding each by name went through the whole list each time.
    let word_parts: Vec<(usize, String)> = package
        .names()
        .enumerate()
        .filter(|(_, n)| n.starts_with("word/") && n.ends_with(".xml") && !OWN_PARTS.contains(n))
        .map(|(index, name)| (index, name.to_string()))
        .collect();
    let mut compressed = Vec::new();
    let ids = Ids::default();
    let page_change_marks: Vec<Option<Change>> = document.pages.iter().map(|p| p.change).collect();
    let mut page_changes = page_change_marks.iter();
    let mut watermarks = 0;
    for (index, name) in &word_parts {
        let Some((_, xml)) = package.parts.get(*index) else {
            continue;
        };
        let main = name == MAIN_PART;
        let first_header = if main { first_sheet_header(xml)? } else { None };
        let watermark = match (is_header(name), &document.meta.draft_mark) {
            (true, Some(mark)) => {
                watermarks += 1;
                Some(watermark::watermark_run(mark, watermarks, setup, context))
            }
            _ => None,
        };
        let mut marked = false;
        let mut write_edited = |out: &mut dyn Write| {
            splice_units_into(xml, is_unit, out, |unit, parent| {
                let markup = match placeholder(unit)? {
                    Some(Placeholder::Page(index)) if main => placeholders.page(index, &ids)?,
                    Some(Placeholder::Header(page)) if !main => {
                        let mark = watermark.as_deref().filter(|_| !marked);
                        marked |= mark.is_some();
                        placeholders.header(page, &ids, mark)?
                    }
                    Some(_) => {
                        return Err(OoxmlError(tr!(
                            "render-docx-placeholder-misplaced",
                            name = name.to_string()
                        )));
                    }
                    None => {
                        edit_docx_rs_unit(unit, parent, &ids, |e| {
                            if !main {
                                return;
                            }
                            if let Some(properties) = section_end_properties(e) {
                                shrink_section_end(properties);
                                if let Some(revision) = revision {
                                    mark_section_end(properties, &mut page_changes, revision);
                                }
                            }
                            if let Some(first) = &first_header {
                                share_first_sheet_header(e, first);
                            }
                        });
                        return Ok(Edited::Keep);
                    }
                };
                Ok(Edited::Replace(markup.into_bytes()))
            })
            .map(drop)
        };
        let edited = if main {
            deflated.push(DeflatedPart::write(name, write_edited)?);
            None
        } else {
            let mut edited = Vec::with_capacity(xml.len() + xml.len() / 8);
            write_edited(&mut edited)?;
            Some(edited)
        };
        if watermark.is_some() && !marked {
            return Err(OoxmlError(format!(
                "{name}: {}",
                tr!("render-watermark-no-paragraph")
            )));
        }
        match (edited, package.parts.get_mut(*index)) {
            (Some(edited), Some((_, data))) => *data = edited,
            _ => compressed.push(*index),
        }
    }
    // The parts given back compressed leave the package.
    let mut index = 0;
    package.parts.retain(|_| {
        index += 1;
        !compressed.contains(&(index - 1))
    });
    Ok(deflated)
}

/// Edits a unit docx-rs wrote (not a placeholder) with one walk, parents before children:
/// its slips repaired, `part_edit` (the edits of its part), paragraphs and tracked changes
/// numbered with `ids`. Each edit changes only an element and what lies below it, so one
/// walk does what one walk per edit would.
fn edit_docx_rs_unit(
    unit: &mut Element,
    parent: Option<&str>,
    ids: &Ids,
    mut part_edit: impl FnMut(&mut Element),
) {
    unit.walk_mut_in(parent, &mut |e, parent| {
        repair_docx_rs(e, parent);
        part_edit(e);
        number_paragraph(e, ids);
        number_revision(e, ids);
    });
}

/// The parts docx-rs does not write: the theme and the core, application and (in final
/// mode) custom properties.
fn add_parts(
    package: &mut Package,
    document: &Document,
    context: &RenderContext<'_>,
) -> Result<(), OoxmlError> {
    package.add_part(
        THEME_PART,
        THEME_CONTENT_TYPE,
        theme(&document.setup.docx_font_family),
    )?;
    package.add_relationship(MAIN_PART, THEME_RELATIONSHIP, THEME_TARGET)?;
    package.set(CORE_PART, core_properties(document, context.timestamp)?);
    package.set(APP_PART, app_properties(document, context.producer));
    if let Some(custom) = custom_properties(&document.meta.record_properties) {
        package.add_part(CUSTOM_PART, CUSTOM_CONTENT_TYPE, custom)?;
        package.add_relationship("", CUSTOM_RELATIONSHIP, CUSTOM_PART)?;
    }
    Ok(())
}

/// A placeholder paragraph of docx-rs's document.
#[derive(Debug, PartialEq)]
enum Placeholder {
    /// In the main part: the blocks of the page of this index.
    Page(usize),
    /// In a header part: the band, with the continued title of the page of this index.
    Header(Option<usize>),
}

/// The placeholder `unit` is, by its paragraph style (see [`super::page_placeholder`],
/// [`super::header_placeholder`]); `None` for any other unit, an error for a placeholder's
/// style without a page index.
fn placeholder(unit: &Element) -> Result<Option<Placeholder>, OoxmlError> {
    if !unit.is_w("p") {
        return Ok(None);
    }
    let Some(style) = unit
        .elements()
        .find(|e| e.is_w("pPr"))
        .and_then(|properties| properties.elements().find(|e| e.is_w("pStyle")))
        .and_then(|style| style.attr("w:val"))
    else {
        return Ok(None);
    };
    if style == super::BAND_PLACEHOLDER {
        return Ok(Some(Placeholder::Header(None)));
    }
    let (index, kind): (&str, fn(usize) -> Placeholder) =
        if let Some(index) = style.strip_prefix(super::PAGE_PLACEHOLDER) {
            (index, Placeholder::Page)
        } else if let Some(index) = style.strip_prefix(super::HEADER_PLACEHOLDER) {
            (index, |index| Placeholder::Header(Some(index)))
        } else {
            return Ok(None);
        };
    index
        .parse()
        .map(|index| Some(kind(index)))
        .map_err(|_| OoxmlError(tr!("render-docx-placeholder-style", style = style.clone())))
}

/// Whether `name` is a page header part.
fn is_header(name: &str) -> bool {
    name.strip_prefix("word/")
        .is_some_and(|file| file.starts_with("header") && file.ends_with(".xml"))
}

/// The streamed part's units (see [`splice_units_into`]): paragraphs and the property
/// elements; everything the post pass edits lies inside one.
fn is_unit(local: &str) -> bool {
    local == "p" || is_property_element(local)
}

/// Whether `reference` is a section's reference to its first-sheet header.
fn is_first_sheet_reference(reference: &Node) -> bool {
    matches!(reference, Node::Element(r) if r.is_w("headerReference")
        && r.attr("w:type").as_deref() == Some("first"))
}

/// The first-sheet header reference of the last section (the body's own `w:sectPr`), the
/// only section docx-rs writes it for.
fn first_sheet_header(xml: &[u8]) -> Result<Option<Node>, OoxmlError> {
    let mut last = None;
    for_each_unit(
        xml,
        |local| local == "sectPr",
        |sect, parent| {
            if parent == Some("body") {
                last = sect.children.into_iter().find(is_first_sheet_reference);
            }
        },
    )?;
    Ok(last)
}

/// Refers a section's properties `e` to the first-sheet header `first` (see
/// [`first_sheet_header`]).
fn share_first_sheet_header(e: &mut Element, first: &Node) {
    if e.is_w("sectPr") && !e.children.iter().any(is_first_sheet_reference) {
        e.children.insert(0, first.clone());
    }
}

/// The paragraph properties of `e` if it is a paragraph that only ends a section (no runs,
/// a `w:sectPr` in its `w:pPr`), as docx-rs writes one after a section's last table.
fn section_end_properties(e: &mut Element) -> Option<&mut Element> {
    if !e.is_w("p") || e.elements().any(|c| c.is_w("r")) {
        return None;
    }
    e.children
        .iter_mut()
        .find_map(|n| match n {
            Node::Element(p) if p.is_w("pPr") => Some(p),
            _ => None,
        })
        .filter(|ppr| ppr.elements().any(|c| c.is_w("sectPr")))
}

/// Makes a paragraph that only carries a section's properties (docx-rs writes one after a
/// section's last table) one point high, through its properties `ppr` (see
/// [`section_end_properties`]).
fn shrink_section_end(ppr: &mut Element) {
    ppr.children
        .retain(|c| !matches!(c, Node::Element(x) if x.is_w("spacing") || x.is_w("rPr")));
    let line = SECTION_MARK_LINE_TWIPS.to_string();
    let spacing = ppr.new_child(
        "spacing",
        &[
            ("w:before", "0"),
            ("w:after", "0"),
            ("w:line", line.as_str()),
            ("w:lineRule", "exact"),
        ],
    );
    let size = SECTION_MARK_HALF_POINTS.to_string();
    let mut rpr = ppr.new_child("rPr", &[]);
    for local in ["sz", "szCs"] {
        let sz = rpr.new_child(local, &[("w:val", size.as_str())]);
        rpr.children.push(Node::Element(sz));
    }
    ppr.children.push(Node::Element(spacing));
    ppr.children.push(Node::Element(rpr));
}

/// In a redline, gives the paragraph that ends the section of a page inserted or deleted as a
/// whole (the `k`-th such paragraph ends page `k`) the same mark on its paragraph end,
/// through its properties `ppr` (see [`section_end_properties`]), so that accepting or
/// rejecting takes the section break with the page.
fn mark_section_end(
    ppr: &mut Element,
    pages: &mut std::slice::Iter<'_, Option<Change>>,
    revision: &RevisionMark,
) {
    let local = match pages.next() {
        Some(Some(Change::Inserted)) => "ins",
        Some(Some(Change::Deleted)) => "del",
        _ => return,
    };
    let mark = ppr.new_child(
        local,
        &[
            (REVISION_ID, "0"),
            ("w:author", revision.author.as_str()),
            ("w:date", revision.date.as_str()),
        ],
    );
    match ppr.children.iter_mut().find_map(|n| match n {
        Node::Element(r) if r.is_w("rPr") => Some(r),
        _ => None,
    }) {
        Some(rpr) => rpr.children.insert(0, Node::Element(mark)),
        None => {
            let mut rpr = ppr.new_child("rPr", &[]);
            rpr.children.push(Node::Element(mark));
            ppr.children.push(Node::Element(rpr));
        }
    }
}

/// Numbers the id of a tracked change (`w:ins`, `w:del`, …) `e`, met in document order,
/// with `ids`: docx-rs takes them from a global counter, which would make them depend on
/// what ran before (and the same id twice is an error).
fn number_revision(e: &mut Element, ids: &Ids) {
    if e.in_w() && REVISION_ELEMENTS.contains(&e.local_name()) && e.has_attr(REVISION_ID) {
        e.set_attr(REVISION_ID, &ids.next_revision().to_string());
    }
}

/// Numbers the paragraph id (`w14:paraId`) of a paragraph `e`, met in document order, with
/// `ids`. docx-rs takes them from a thread-local counter, so they would depend on what the
/// thread did before.
fn number_paragraph(e: &mut Element, ids: &Ids) {
    if e.is_w("p") && e.has_attr(PARAGRAPH_ID) {
        e.set_attr(PARAGRAPH_ID, &ids.next_paragraph());
    }
}

fn xml_declaration() -> String {
    String::from(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#)
}

/// `word/settings.xml`: view, default tab stop, compatibility, the language of theme fonts.
fn settings_xml(language: &str) -> Vec<u8> {
    let compat: String = COMPAT_SETTINGS
        .iter()
        .map(|(name, value)| {
            format!(
                r#"<w:compatSetting w:name="{name}" w:uri="{WORD_COMPAT_URI}" w:val="{value}"/>"#
            )
        })
        .collect();
    let mut xml = xml_declaration();
    xml.push_str(&format!(
        r#"<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="{ZOOM_PERCENT}"/><w:defaultTabStop w:val="{}"/><w:compat>{compat}</w:compat><w:themeFontLang w:val="{}"/></w:settings>"#,
        twips_mm(DEFAULT_TAB_STOP_MM),
        quick_xml::escape::escape(language)
    ));
    xml.into_bytes()
}

/// `word/fontTable.xml`: the one font the document uses.
fn font_table_xml(family: &str) -> Vec<u8> {
    let mut xml = xml_declaration();
    xml.push_str(&format!(
        r#"<w:fonts xmlns:w="{W_NS}"><w:font w:name="{}"/></w:fonts>"#,
        quick_xml::escape::escape(family)
    ));
    xml.into_bytes()
}

/// Corrects what docx-rs writes against the schema in element `e` (whose parent has the
/// local name `parent`): an empty `w:rPr` in every `w:pPr`, which only a paragraph's own
/// properties may have (not those of styles, numbering levels or the defaults); empty run
/// properties go too. (docx-rs draws no tables any more, so its `w:type` on `w:gridCol` no
/// longer needs removing.)
fn repair_docx_rs(e: &mut Element, parent: Option<&str>) {
    // An empty w:rPr says nothing; docx-rs writes one in every run and paragraph mark.
    if e.is_w("r") || e.is_w("pPr") {
        e.children
            .retain(|c| !matches!(c, Node::Element(r) if r.is_w("rPr") && r.children.is_empty()));
    }
    if e.is_w("pPr") && parent != Some("p") {
        e.children
            .retain(|c| !matches!(c, Node::Element(r) if r.is_w("rPr")));
    }
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
    let mut xml = xml_declaration();
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
pub(super) fn w3cdtf(timestamp: i64) -> Result<String, OoxmlError> {
    chrono::DateTime::from_timestamp(timestamp, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .ok_or_else(|| {
            OoxmlError(tr!(
                "render-timestamp-range",
                timestamp = timestamp.to_string()
            ))
        })
}

fn text_element(name: &str, text: &str) -> String {
    format!("<{name}>{}</{name}>", quick_xml::escape::escape(text))
}

/// `docProps/core.xml`: docx-rs sets neither title nor subject, keywords or language.
fn core_properties(document: &Document, timestamp: i64) -> Result<Vec<u8>, OoxmlError> {
    let meta = &document.meta;
    let date = w3cdtf(timestamp)?;
    let mut xml = xml_declaration();
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

/// `docProps/app.xml`: the application, the authority as the company, and the page count.
/// The count is the model's, one sheet per page; a card too long for one sheet makes Word
/// count more when it next saves the file.
fn app_properties(document: &Document, producer: &str) -> Vec<u8> {
    let mut xml = xml_declaration();
    xml.push_str(&format!(
        r#"<Properties xmlns="{APP_NS}" xmlns:vt="{VT_NS}">"#
    ));
    xml.push_str(&text_element("Application", producer));
    xml.push_str(&text_element("Company", &document.meta.author));
    xml.push_str(&text_element("Pages", &document.pages.len().to_string()));
    xml.push_str("</Properties>");
    xml.into_bytes()
}

/// `docProps/custom.xml` in final mode: the document's properties for records systems.
/// `None` in template mode (no such properties).
fn custom_properties(properties: &[RecordProperty]) -> Option<Vec<u8>> {
    if properties.is_empty() {
        return None;
    }
    let mut xml = xml_declaration();
    xml.push_str(&format!(
        r#"<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}">"#
    ));
    for (i, RecordProperty { name, value }) in properties.iter().enumerate() {
        xml.push_str(&format!(
            r#"<property fmtid="{USER_PROPERTIES_FMTID}" pid="{}" name="{}">{}</property>"#,
            FIRST_PROPERTY_ID + i,
            quick_xml::escape::escape(name.as_str()),
            text_element("vt:lpwstr", value)
        ));
    }
    xml.push_str("</Properties>");
    Some(xml.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::ooxml::edit_units;

    /// A placeholder paragraph names its page; a style of a placeholder's kind without a
    /// page index is an error, not a paragraph left in the document.
    #[test]
    fn a_placeholder_names_its_page_or_is_refused() {
        let found = |style: &str| {
            let xml = format!(
                r#"<w:document xmlns:w="{W_NS}"><w:body><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr></w:p></w:body></w:document>"#
            );
            let mut result = None;
            for_each_unit(xml.as_bytes(), is_unit, |unit, _| {
                result = Some(placeholder(&unit));
            })
            .unwrap();
            result.expect("the paragraph is a unit")
        };
        assert_eq!(
            found("rollikaart-header-12").unwrap(),
            Some(Placeholder::Header(Some(12)))
        );
        assert_eq!(
            found("rollikaart-band").unwrap(),
            Some(Placeholder::Header(None))
        );
        assert_eq!(
            found("rollikaart-page-3").unwrap(),
            Some(Placeholder::Page(3))
        );
        assert_eq!(found("Heading1").unwrap(), None);
        assert!(found("rollikaart-header-").is_err());
        assert!(found("rollikaart-page-x").is_err());
    }

    #[test]
    fn dates_are_w3cdtf_in_utc() {
        assert_eq!(w3cdtf(1_700_000_000).unwrap(), "2023-11-14T22:13:20Z");
        assert!(w3cdtf(i64::MAX).is_err());
    }

    #[test]
    fn header_parts() {
        assert!(is_header("word/header1.xml"));
        assert!(is_header("word/header12.xml"));
        assert!(!is_header("word/_rels/header1.xml.rels"));
        assert!(!is_header("word/document.xml"));
    }

    /// The parts written whole here skip the pass's edits ([`OWN_PARTS`]), so they must need
    /// none: the edits every part gets (docx-rs's slips repaired, schema order, paragraphs
    /// and tracked changes numbered) leave each one as it is.
    #[test]
    fn own_parts_need_none_of_the_pass_edits() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let p = crate::load_project(&root.join("cards"), &root.join("templates/lisa.toml"))
            .expect("the bundled project loads");
        let document = crate::document::build(
            &p.source,
            &p.template,
            &crate::document::BuildOptions::default(),
            crate::document::Selection::WholeAnnex,
        );
        for (name, xml) in OWN_PARTS.into_iter().zip(own_parts(&document)) {
            let ids = Ids::default();
            let edited = edit_units(&xml, is_unit, |unit, parent| {
                edit_docx_rs_unit(unit, parent, &ids, |_| {});
                Ok(true)
            })
            .unwrap();
            assert!(edited == xml, "{name} is changed by the pass");
        }
    }

    #[test]
    fn the_default_tab_stop_is_estonian_words() {
        assert_eq!(twips_mm(DEFAULT_TAB_STOP_MM), 709);
    }
}
