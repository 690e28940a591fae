//! The DOCX renderer on the bundled cards: the package, the text, the layout values, the
//! placeholders, reproducibility, and (when installed) the openxml-audit validator and
//! LibreOffice's page count.

mod common;

use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use rollikaart::Project;
use rollikaart::document::{self, Block, BuildOptions, Document, Selection};
use rollikaart::registration::{Field, Registration};
use rollikaart::render::docx::Docx;
use rollikaart::render::{RenderContext, Renderer};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

const TIMESTAMP: i64 = 1_700_000_000;
const PRODUCER: &str = "rollikaart test";
const REG_DATE: &str = "15.03.2024";
const REG_NUMBER: &str = "1-1/24/37";
/// Text that must be escaped in XML, with spaces at both edges.
const MARKUP_TEXT: &str = "  Tom & Jerry <b>\"quoted\" 'single' > end  ";

// ---------------------------------------------------------------------------------------------
// Rendering and reading back
// ---------------------------------------------------------------------------------------------

fn context(p: &Project) -> RenderContext<'_> {
    RenderContext {
        fonts: &p.fonts,
        icc_profile: &p.icc_profile,
        timestamp: TIMESTAMP,
        producer: PRODUCER,
    }
}

fn final_options() -> BuildOptions {
    BuildOptions {
        registration: Registration::from_args(Some(REG_DATE), Some(REG_NUMBER)).unwrap(),
        draft: false,
    }
}

fn build(p: &Project, options: &BuildOptions, selection: Selection<'_>) -> Document {
    document::build(&p.source, &p.template, options, selection)
}

fn whole(p: &Project) -> Document {
    build(p, &BuildOptions::default(), Selection::WholeAnnex)
}

fn render(p: &Project, doc: &Document) -> Vec<u8> {
    Docx::default()
        .render(doc, &context(p))
        .expect("the DOCX renders")
}

/// A single-card document whose title and first table cell hold [`MARKUP_TEXT`].
fn markup_document(p: &Project) -> Document {
    let mut doc = build(
        p,
        &BuildOptions::default(),
        Selection::OneCard(&p.source.cards[0]),
    );
    let Block::Paragraph(title) = &mut doc.pages[0].blocks[0] else {
        panic!("a card page starts with its title");
    };
    title.runs[0].text = MARKUP_TEXT.to_string();
    first_table(&mut doc).rows[0].cells[1].paragraphs[0].runs[0].text = MARKUP_TEXT.to_string();
    doc
}

/// The first table of a document's first page.
fn first_table(doc: &mut Document) -> &mut document::Table {
    doc.pages[0]
        .blocks
        .iter_mut()
        .find_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
        .expect("a card page has a table")
}

/// Every entry of the archive, in archive order.
fn entries(docx: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).expect("the DOCX is a ZIP archive");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            (file.name().unwrap().into_owned(), data)
        })
        .collect()
}

fn parts(docx: &[u8]) -> BTreeMap<String, Vec<u8>> {
    entries(docx).into_iter().collect()
}

fn part(docx: &[u8], name: &str) -> El {
    let parts = parts(docx);
    let data = parts.get(name).unwrap_or_else(|| panic!("no part {name}"));
    parse(data)
}

/// The header parts (`word/header*.xml`), parsed.
fn headers(docx: &[u8]) -> Vec<El> {
    parts(docx)
        .iter()
        .filter(|(n, _)| n.starts_with("word/header") && n.ends_with(".xml"))
        .map(|(_, d)| parse(d))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// A small XML tree, independent of the renderer's own
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Nd>,
}

#[derive(Debug, Clone)]
enum Nd {
    El(El),
    Text(String),
}

/// Parses a whole part; any XML error fails the test.
fn parse(xml: &[u8]) -> El {
    let text = std::str::from_utf8(xml).expect("XML parts are UTF-8");
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<El> = vec![El {
        name: String::new(),
        attrs: Vec::new(),
        children: Vec::new(),
    }];
    let start = |e: &quick_xml::events::BytesStart<'_>| El {
        name: e.name().0.to_string(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                let value = a
                    .normalized_value(XmlVersion::Implicit1_0)
                    .expect("attribute value");
                (a.key.0.to_string(), value.into_owned())
            })
            .collect(),
        children: Vec::new(),
    };
    let push_text = |stack: &mut Vec<El>, s: &str| {
        let top = stack.last_mut().unwrap();
        match top.children.last_mut() {
            Some(Nd::Text(t)) => t.push_str(s),
            _ => top.children.push(Nd::Text(s.to_string())),
        }
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(start(&e)),
            Event::Empty(e) => {
                let el = start(&e);
                stack.last_mut().unwrap().children.push(Nd::El(el));
            }
            Event::End(e) => {
                let el = stack.pop().unwrap();
                assert_eq!(el.name, e.name().0, "end tag matches");
                stack.last_mut().unwrap().children.push(Nd::El(el));
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()),
            Event::CData(t) => push_text(&mut stack, &t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().expect("valid character reference") {
                    Some(c) => c.to_string(),
                    None => resolve_predefined_entity(&r.xml10_content())
                        .expect("only predefined entities")
                        .to_string(),
                };
                push_text(&mut stack, &resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "every element is closed");
    let mut top = stack.pop().unwrap();
    let root = top.children.drain(..).find_map(|n| match n {
        Nd::El(e) => Some(e),
        Nd::Text(_) => None,
    });
    root.expect("a root element")
}

impl El {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn elements(&self) -> impl Iterator<Item = &El> {
        self.children.iter().filter_map(|n| match n {
            Nd::El(e) => Some(e),
            Nd::Text(_) => None,
        })
    }

    fn child(&self, name: &str) -> Option<&El> {
        self.elements().find(|e| e.name == name)
    }

    /// Every element named `name` below this one, in document order (not descending into
    /// matches).
    fn find_all<'a>(&'a self, name: &str, out: &mut Vec<&'a El>) {
        for e in self.elements() {
            if e.name == name {
                out.push(e);
            } else {
                e.find_all(name, out);
            }
        }
    }

    fn all(&self, name: &str) -> Vec<&El> {
        let mut out = Vec::new();
        self.find_all(name, &mut out);
        out
    }

    fn text(&self) -> String {
        self.children
            .iter()
            .map(|n| match n {
                Nd::Text(t) => t.clone(),
                Nd::El(_) => String::new(),
            })
            .collect()
    }

    /// The visible text of a paragraph or run: its `w:t` texts, `w:tab` as a tab.
    fn run_text(&self) -> String {
        let mut s = String::new();
        for e in self.elements() {
            match e.name.as_str() {
                "w:t" => s.push_str(&e.text()),
                "w:tab" if self.name == "w:r" => s.push('\t'),
                "w:pPr" | "w:rPr" => {}
                _ => s.push_str(&e.run_text()),
            }
        }
        s
    }

    /// `w:val` of the child `name`, if present.
    fn val(&self, name: &str) -> Option<&str> {
        self.child(name).and_then(|c| c.attr("w:val"))
    }
}

/// An on/off property is on when present without `w:val`, or with a true value.
fn is_on(e: Option<&El>) -> bool {
    e.is_some_and(|e| !matches!(e.attr("w:val"), Some("0" | "false" | "off")))
}

fn twips(mm: f32) -> String {
    ((mm / 25.4 * 1440.0).round() as i64).to_string()
}

fn hex(rgb: rollikaart::template::Rgb) -> String {
    format!("{:02X}{:02X}{:02X}", rgb.0, rgb.1, rgb.2)
}

fn body(document_xml: &El) -> &El {
    document_xml.child("w:body").expect("w:body")
}

// ---------------------------------------------------------------------------------------------
// The package
// ---------------------------------------------------------------------------------------------

#[test]
fn every_part_is_well_formed_declared_and_related() {
    let p = common::bundled_project();
    let docx = render(&p, &whole(&p));
    let entries = entries(&docx);
    assert_eq!(
        entries[0].0, "[Content_Types].xml",
        "the content types come first"
    );
    for (name, data) in &entries {
        assert!(!name.ends_with('/'), "no folder entries: {name}");
        if name.ends_with(".xml") || name.ends_with(".rels") {
            parse(data);
        }
    }
    let types = parse(&entries[0].1);
    let overrides: Vec<&str> = types
        .elements()
        .filter(|e| e.name == "Override")
        .filter_map(|e| e.attr("PartName"))
        .collect();
    let defaults: Vec<&str> = types
        .elements()
        .filter(|e| e.name == "Default")
        .filter_map(|e| e.attr("Extension"))
        .collect();
    for (name, _) in entries.iter().skip(1) {
        let declared = overrides.contains(&format!("/{name}").as_str())
            || defaults
                .iter()
                .any(|ext| name.ends_with(&format!(".{ext}")));
        assert!(declared, "{name} has no content type");
    }
    for o in &overrides {
        assert!(
            entries.iter().any(|(n, _)| format!("/{n}") == *o),
            "content type for a missing part {o}"
        );
    }
    // Every internal relationship leads to a part that is there.
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    for (name, data) in &entries {
        let Some(rest) = name.strip_suffix(".rels") else {
            continue;
        };
        let folder = rest
            .rsplit_once("_rels/")
            .map(|(folder, _)| folder)
            .unwrap_or("");
        for rel in parse(data).elements() {
            if rel.attr("TargetMode") == Some("External") {
                continue;
            }
            let target = rel.attr("Target").unwrap();
            let full = format!("{folder}{}", target.trim_start_matches('/'));
            assert!(
                names.contains(&full.as_str()),
                "{name}: {target} is missing"
            );
        }
    }
    let main = parse(&parts(&docx)["word/_rels/document.xml.rels"]);
    let types_of: Vec<&str> = main.elements().filter_map(|r| r.attr("Type")).collect();
    for needed in ["/styles", "/header", "/theme", "/settings"] {
        assert!(
            types_of.iter().any(|t| t.ends_with(needed)),
            "the main part relates to {needed}"
        );
    }
}

#[test]
fn output_is_reproducible() {
    let p = common::bundled_project();
    let doc = whole(&p);
    let first = render(&p, &doc);
    // Rendering something else in between, or on a fresh thread, changes nothing.
    render(
        &p,
        &build(
            &p,
            &BuildOptions::default(),
            Selection::OneCard(&p.source.cards[1]),
        ),
    );
    let second = render(&p, &doc);
    let on_thread = std::thread::scope(|s| s.spawn(|| render(&p, &doc)).join().unwrap());
    assert!(first == second, "two renders differ");
    assert!(first == on_thread, "a render on another thread differs");
    let later = Docx::default()
        .render(
            &doc,
            &RenderContext {
                timestamp: TIMESTAMP + 86_400,
                ..context(&p)
            },
        )
        .unwrap();
    assert!(first != later, "the timestamp is part of the file");

    let mut archive = zip::ZipArchive::new(Cursor::new(&first)).unwrap();
    let when = chrono::DateTime::from_timestamp(TIMESTAMP, 0)
        .unwrap()
        .naive_utc();
    use chrono::{Datelike, Timelike};
    for i in 0..archive.len() {
        let file = archive.by_index(i).unwrap();
        assert_eq!(file.compression(), zip::CompressionMethod::Deflated);
        assert!(
            file.extra_data().is_none_or(|d| d.is_empty()),
            "extra field in {:?}",
            file.name()
        );
        let t = file.last_modified().unwrap();
        assert_eq!(
            (
                t.year() as i32,
                t.month() as u32,
                t.day() as u32,
                t.hour() as u32,
                t.minute() as u32
            ),
            (
                when.year(),
                when.month(),
                when.day(),
                when.hour(),
                when.minute()
            ),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Placeholders
// ---------------------------------------------------------------------------------------------

#[test]
fn placeholders_stay_whole_in_the_header_in_template_mode() {
    let p = common::bundled_project();
    let doc = whole(&p);
    let docx = render(&p, &doc);
    let headers = headers(&docx);
    assert_eq!(
        headers.len(),
        doc.pages.len() + 1,
        "a first-sheet header and one for the further sheets of each page"
    );
    for header in &headers {
        let runs = header.all("w:r");
        for field in [Field::RegDate, Field::RegNumber] {
            let placeholder = field.placeholder();
            let holding: Vec<&&El> = runs
                .iter()
                .filter(|r| r.run_text().contains(placeholder))
                .collect();
            assert_eq!(holding.len(), 1, "{placeholder} stands in one run");
            let texts = holding[0].all("w:t");
            assert_eq!(texts.len(), 1, "{placeholder} is one w:t");
            assert_eq!(
                texts[0].text(),
                placeholder,
                "the w:t holds exactly the placeholder"
            );
        }
        // No w:t holds a piece of a placeholder.
        for t in header.all("w:t") {
            let text = t.text();
            if text.contains('{') || text.contains('}') {
                assert!(
                    text == Field::RegDate.placeholder() || text == Field::RegNumber.placeholder(),
                    "a split or foreign placeholder: {text:?}"
                );
            }
        }
    }
}

#[test]
fn final_mode_writes_the_values_and_no_placeholder_remains() {
    let p = common::bundled_project();
    let doc = build(&p, &final_options(), Selection::WholeAnnex);
    let docx = render(&p, &doc);
    for header in &headers(&docx) {
        for value in [REG_DATE, REG_NUMBER] {
            let runs: Vec<&El> = header
                .all("w:r")
                .into_iter()
                .filter(|r| r.run_text().contains(value))
                .collect();
            assert_eq!(runs.len(), 1, "{value} stands in one run");
            let texts = runs[0].all("w:t");
            assert_eq!(texts.len(), 1);
            assert_eq!(texts[0].text(), value);
        }
    }
    // The custom properties name the fields; no other part does.
    for (name, data) in parts(&docx)
        .into_iter()
        .filter(|(n, _)| n != "docProps/custom.xml")
    {
        let text = String::from_utf8_lossy(&data);
        assert!(!text.contains("{reg"), "a placeholder is left in {name}");
        assert!(
            !text.contains("regDateTime") && !text.contains("regNumber"),
            "{name}"
        );
    }
    let single = build(&p, &final_options(), Selection::OneCard(&p.source.cards[0]));
    for (name, data) in parts(&render(&p, &single)) {
        assert!(!String::from_utf8_lossy(&data).contains("{reg"), "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// Text and structure
// ---------------------------------------------------------------------------------------------

/// The card text from the loaded cards, in reading order.
fn paragraph_texts(document_xml: &El) -> Vec<String> {
    body(document_xml)
        .all("w:p")
        .iter()
        .map(|p| p.run_text())
        .collect()
}

/// What the next matching paragraph must look like.
enum Expect {
    /// The whole paragraph.
    Whole(String),
    /// A paragraph starting with the first text and ending with the second (a glossary
    /// term, its separator and the definition's first paragraph).
    StartEnd(String, String),
}

/// Each expectation is met by a paragraph after the one meeting the previous expectation.
fn assert_in_order(paragraphs: &[String], expected: &[Expect]) {
    let mut at = 0;
    for e in expected {
        let found = paragraphs[at..].iter().position(|p| match e {
            Expect::Whole(t) => p == t,
            Expect::StartEnd(start, end) => {
                p.len() > start.len() + end.len() && p.starts_with(start) && p.ends_with(end)
            }
        });
        match found {
            Some(i) => at += i + 1,
            None => {
                let what = match e {
                    Expect::Whole(t) => format!("{t:?}"),
                    Expect::StartEnd(s, e) => format!("{s:?} … {e:?}"),
                };
                panic!(
                    "{what} is not a paragraph after paragraph {at} ({:?})",
                    paragraphs.get(at.saturating_sub(1))
                )
            }
        }
    }
}

#[test]
fn the_text_of_every_card_and_the_glossary_stands_in_order() {
    let p = common::bundled_project();
    for options in [BuildOptions::default(), final_options()] {
        let docx = render(&p, &build(&p, &options, Selection::WholeAnnex));
        let paragraphs = paragraph_texts(&part(&docx, "word/document.xml"));
        let mut expected: Vec<Expect> = p
            .source
            .cards
            .iter()
            .flat_map(common::card_texts)
            .map(Expect::Whole)
            .collect();
        expected.push(Expect::Whole(p.source.glossary.title.clone()));
        for entry in &p.source.glossary.entries {
            let mut definition = entry.definition.paragraphs.iter();
            let first = definition.next().cloned().unwrap_or_default();
            expected.push(Expect::StartEnd(entry.term.clone(), first));
            expected.extend(definition.cloned().map(Expect::Whole));
        }
        assert_in_order(&paragraphs, &expected);
    }
}

/// The styles of `word/styles.xml`, to find what a paragraph or run takes from its style.
struct Styles {
    root: El,
}

impl Styles {
    fn read(docx: &[u8]) -> Styles {
        Styles {
            root: part(docx, "word/styles.xml"),
        }
    }

    fn style(&self, id: &str) -> &El {
        self.root
            .elements()
            .find(|s| s.name == "w:style" && s.attr("w:styleId") == Some(id))
            .unwrap_or_else(|| panic!("no style {id}"))
    }

    /// Property `name` inside `container` (`w:pPr`, `w:rPr`, `w:tblPr`) of style `id` or
    /// the styles it is based on.
    fn prop(&self, id: &str, container: &str, name: &str) -> Option<&El> {
        let mut at = Some(id.to_string());
        while let Some(id) = at {
            let style = self.style(&id);
            if let Some(found) = style.child(container).and_then(|c| c.child(name)) {
                return Some(found);
            }
            at = style.val("w:basedOn").map(str::to_string);
        }
        None
    }

    fn default_run(&self) -> &El {
        self.root
            .child("w:docDefaults")
            .and_then(|d| d.child("w:rPrDefault"))
            .and_then(|d| d.child("w:rPr"))
            .expect("default run properties")
    }
}

/// The style of a paragraph (`Normal` when it names none).
fn paragraph_style(p: &El) -> &str {
    p.child("w:pPr")
        .and_then(|ppr| ppr.val("w:pStyle"))
        .unwrap_or("Normal")
}

/// Whether a paragraph only carries a section's properties (no text).
fn is_section_end(p: &El) -> bool {
    p.child("w:pPr")
        .is_some_and(|ppr| ppr.child("w:sectPr").is_some())
        && p.child("w:r").is_none()
}

/// The body's paragraphs that stand for model paragraphs (not the section ends).
fn text_paragraphs(document_xml: &El) -> Vec<&El> {
    body(document_xml)
        .all("w:p")
        .into_iter()
        .filter(|p| !is_section_end(p))
        .collect()
}

/// Space below a paragraph, in twips: its own, else its style's.
fn space_after(styles: &Styles, p: &El) -> String {
    p.child("w:pPr")
        .and_then(|ppr| ppr.child("w:spacing"))
        .and_then(|s| s.attr("w:after"))
        .or_else(|| {
            styles
                .prop(paragraph_style(p), "w:pPr", "w:spacing")
                .and_then(|s| s.attr("w:after"))
        })
        .unwrap_or("0")
        .to_string()
}

/// Whether a run of paragraph `p` is bold: its own property, its character style's, its
/// paragraph style's.
fn run_is_bold(styles: &Styles, p: &El, run: &El) -> bool {
    let rpr = run.child("w:rPr");
    if let Some(b) = rpr.and_then(|r| r.child("w:b")) {
        return is_on(Some(b));
    }
    if let Some(b) = rpr
        .and_then(|r| r.val("w:rStyle"))
        .and_then(|id| styles.prop(id, "w:rPr", "w:b"))
    {
        return is_on(Some(b));
    }
    is_on(styles.prop(paragraph_style(p), "w:rPr", "w:b"))
}

/// The size of a run of paragraph `p` in half-points: its own, else its paragraph style's.
fn run_size(styles: &Styles, p: &El, run: &El) -> String {
    run.child("w:rPr")
        .and_then(|r| r.val("w:sz"))
        .or_else(|| {
            styles
                .prop(paragraph_style(p), "w:rPr", "w:sz")
                .and_then(|s| s.attr("w:val"))
        })
        .or_else(|| styles.default_run().val("w:sz"))
        .expect("a size")
        .to_string()
}

fn half_points(pt: f32) -> String {
    ((pt * 2.0).round() as i64).to_string()
}

#[test]
fn paragraphs_and_runs_draw_the_model() {
    let p = common::bundled_project();
    let doc = whole(&p);
    let docx = render(&p, &doc);
    let styles = Styles::read(&docx);
    let xml = part(&docx, "word/document.xml");
    let model: Vec<&document::Paragraph> =
        doc.pages.iter().flat_map(|pg| pg.paragraphs()).collect();
    let drawn = text_paragraphs(&xml);
    assert_eq!(drawn.len(), model.len(), "one w:p per model paragraph");
    let line = (240.0 * p.template.sizes.line_spacing).round() as i64;
    for (m, d) in model.iter().zip(&drawn) {
        let style = paragraph_style(d);
        let spacing = styles
            .prop(style, "w:pPr", "w:spacing")
            .expect("the style's spacing");
        assert_eq!(spacing.attr("w:line"), Some(line.to_string().as_str()));
        assert_eq!(spacing.attr("w:lineRule"), Some("auto"));
        assert_eq!(
            space_after(&styles, d),
            ((m.space_after_pt * 20.0).round() as i64).to_string(),
            "space after {:?}",
            m.plain_text()
        );
        let jc = match m.align {
            document::Align::Left => "left",
            document::Align::Right => "right",
        };
        let drawn_jc = d
            .child("w:pPr")
            .and_then(|ppr| ppr.val("w:jc"))
            .or_else(|| {
                styles
                    .prop(style, "w:pPr", "w:jc")
                    .and_then(|j| j.attr("w:val"))
            });
        assert_eq!(drawn_jc, Some(jc));
        let runs: Vec<&El> = d.elements().filter(|e| e.name == "w:r").collect();
        assert_eq!(
            runs.len(),
            m.runs.len(),
            "one w:r per model run in {:?}",
            m.plain_text()
        );
        for (mr, dr) in m.runs.iter().zip(&runs) {
            assert_eq!(dr.all("w:t").len(), 1, "one w:t per run");
            assert_eq!(dr.run_text(), mr.text);
            assert_eq!(
                run_is_bold(&styles, d, dr),
                mr.bold,
                "bold of {:?}",
                mr.text
            );
            assert_eq!(run_size(&styles, d, dr), half_points(m.size_pt));
        }
    }
}

#[test]
fn every_page_is_a_section_on_a_new_sheet() {
    let p = common::bundled_project();
    let doc = whole(&p);
    assert_eq!(
        doc.pages.len(),
        p.source.cards.len() + 1,
        "cards and the glossary"
    );
    let xml = part(&render(&p, &doc), "word/document.xml");
    assert!(
        xml.all("w:br")
            .iter()
            .all(|b| b.attr("w:type") != Some("page")),
        "pages start with sections, not with break characters"
    );
    assert!(
        xml.all("w:pageBreakBefore").is_empty(),
        "a new section already starts a new sheet"
    );
    let sections = xml.all("w:sectPr");
    assert_eq!(sections.len(), doc.pages.len(), "one section per page");
    for s in &sections {
        assert!(
            s.val("w:type").is_none_or(|t| t == "nextPage"),
            "each section starts on a new sheet"
        );
    }
    // After each section's end comes the next page's title.
    let titles: Vec<&String> = p
        .source
        .cards
        .iter()
        .map(|c| &c.title)
        .chain(std::iter::once(&p.source.glossary.title))
        .collect();
    let paragraphs = body(&xml).all("w:p");
    assert_eq!(paragraphs[0].run_text(), *titles[0]);
    let after_ends: Vec<String> = paragraphs
        .windows(2)
        .filter(|w| is_section_end(w[0]))
        .map(|w| w[1].run_text())
        .collect();
    let later: Vec<String> = titles[1..].iter().map(|t| t.to_string()).collect();
    assert_eq!(after_ends, later);
    // A section end is one point high, so a full page never spills onto a new sheet.
    for end in paragraphs.iter().filter(|p| is_section_end(p)) {
        let ppr = end.child("w:pPr").unwrap();
        let spacing = ppr.child("w:spacing").unwrap();
        assert_eq!(spacing.attr("w:lineRule"), Some("exact"));
        assert_eq!(spacing.attr("w:line"), Some("20"));
    }
}

/// The header of each section's further sheets holds the band and that page's own title with
/// the continuation mark, from the first section to the last (docx-rs's numbering sent the
/// tenth and later headers to other pages; the renderer puts each header in place of a
/// placeholder, page by page), and no placeholder is left in any part.
#[test]
fn each_section_repeats_its_own_title_on_further_sheets() {
    let p = common::bundled_project();
    let doc = whole(&p);
    let docx = render(&p, &doc);
    for (name, data) in parts(&docx) {
        let text = String::from_utf8_lossy(&data);
        assert!(!text.contains("rollikaart-page-"), "{name}");
        assert!(!text.contains("rollikaart-header-"), "{name}");
    }
    let rels = part(&docx, "word/_rels/document.xml.rels");
    let target = |id: &str| -> String {
        let found = rels.all("Relationship");
        let rel = found.iter().find(|r| r.attr("Id") == Some(id));
        rel.and_then(|r| r.attr("Target"))
            .unwrap_or_else(|| panic!("no relationship {id}"))
            .to_string()
    };
    let xml = part(&docx, "word/document.xml");
    let sections = xml.all("w:sectPr");
    assert_eq!(sections.len(), doc.pages.len());
    let mut seen = Vec::new();
    for (section, page) in sections.iter().zip(&doc.pages) {
        let references = section.all("w:headerReference");
        let further = references
            .iter()
            .find(|r| r.attr("w:type") == Some("default"))
            .expect("a header for further sheets");
        let name = target(further.attr("r:id").unwrap());
        let header = part(&docx, &format!("word/{name}"));
        let lines: Vec<String> = header.all("w:p").iter().map(|p| p.run_text()).collect();
        let continued = page.continuation.as_ref().expect("a continued title");
        assert_eq!(lines.last(), Some(&continued.plain_text()), "{name}");
        assert!(
            lines[0].starts_with(&doc.header.left.plain_text()),
            "{name}: {lines:?}"
        );
        assert!(lines.iter().any(|l| l.contains("KINNITATUD")), "{name}");
        seen.push(name);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen.len(),
        doc.pages.len(),
        "a header of its own per section"
    );
}

#[test]
fn styles_carry_the_formatting_and_runs_carry_none() {
    let p = common::bundled_project();
    let t = &p.template;
    let family = t.fonts.docx_family.as_str();
    let language = t.fonts.language.as_str();
    let docx = render(&p, &whole(&p));
    let mut checked = 0;
    let mut parts_with_runs = vec![part(&docx, "word/document.xml")];
    parts_with_runs.extend(headers(&docx));
    for xml in &parts_with_runs {
        for run in xml.all("w:r") {
            if let Some(rpr) = run.child("w:rPr") {
                for own in ["w:rFonts", "w:sz", "w:szCs", "w:lang", "w:color"] {
                    assert!(rpr.child(own).is_none(), "a run with its own {own}");
                }
            }
            checked += 1;
        }
        for ppr in xml.all("w:pPr") {
            assert!(ppr.child("w:pStyle").is_some() || ppr.child("w:sectPr").is_some());
        }
    }
    assert!(checked > 100, "only {checked} runs");
    let styles = Styles::read(&docx);
    // The document defaults and Normal carry the font and the language.
    for rpr in [
        styles.default_run(),
        styles.style("Normal").child("w:rPr").unwrap(),
    ] {
        let fonts = rpr.child("w:rFonts").expect("w:rFonts");
        for slot in ["w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"] {
            assert_eq!(fonts.attr(slot), Some(family), "{slot}");
        }
        assert_eq!(rpr.val("w:lang"), Some(language));
        assert_eq!(rpr.val("w:sz"), Some(half_points(t.sizes.body_pt).as_str()));
    }
    let normal = styles.style("Normal");
    assert_eq!(normal.attr("w:default"), Some("1"));
    assert_eq!(normal.attr("w:type"), Some("paragraph"));
    for (id, kind, name) in [
        (
            "DefaultParagraphFont",
            "character",
            "Default Paragraph Font",
        ),
        ("TableNormal", "table", "Normal Table"),
    ] {
        let s = styles.style(id);
        assert_eq!(s.attr("w:default"), Some("1"), "{id}");
        assert_eq!(s.attr("w:type"), Some(kind), "{id}");
        assert_eq!(s.val("w:name"), Some(name), "{id}");
    }
    // The titles: Word's built-in "heading 1", outline level 1, the template's size, bold.
    let heading = styles.style("Heading1");
    assert_eq!(heading.val("w:name"), Some("heading 1"));
    assert_eq!(
        heading.child("w:pPr").and_then(|p| p.val("w:outlineLvl")),
        Some("0")
    );
    assert_eq!(
        heading.child("w:rPr").and_then(|r| r.val("w:sz")),
        Some(half_points(t.sizes.title_pt).as_str())
    );
    assert!(is_on(heading.child("w:rPr").and_then(|r| r.child("w:b"))));
    // The repeated title follows "heading 1" but is no outline entry.
    let continued = styles.style("ContinuationTitle");
    assert_eq!(continued.val("w:basedOn"), Some("Heading1"));
    assert_eq!(
        continued.child("w:pPr").and_then(|p| p.val("w:outlineLvl")),
        Some("9")
    );
    for (id, pt) in [
        ("Subtitle", t.sizes.subtitle_pt),
        ("Header", t.sizes.header_pt),
        ("RowLabel", t.sizes.body_pt),
        ("BarLabel", t.sizes.body_pt),
    ] {
        assert_eq!(
            styles
                .prop(id, "w:rPr", "w:sz")
                .and_then(|s| s.attr("w:val")),
            Some(half_points(pt).as_str()),
            "{id}"
        );
    }
    let term = styles.style("GlossaryTerm");
    assert_eq!(term.attr("w:type"), Some("character"));
    // Every style a paragraph, run or table names is defined.
    let xml = part(&docx, "word/document.xml");
    for element in ["w:pStyle", "w:rStyle", "w:tblStyle"] {
        for named in xml.all(element) {
            styles.style(named.attr("w:val").unwrap());
        }
    }
    // Each title is a heading: the 14 cards and the glossary.
    let headings = text_paragraphs(&xml)
        .into_iter()
        .filter(|p| paragraph_style(p) == "Heading1")
        .count();
    assert_eq!(headings, 15);
}

#[test]
fn page_header_and_tables_take_their_geometry_from_the_template() {
    let p = common::bundled_project();
    let t = &p.template;
    let doc = whole(&p);
    let docx = render(&p, &doc);
    let xml = part(&docx, "word/document.xml");
    let styles = Styles::read(&docx);

    // One section per page: A4 landscape with the template's margins; the header at the top
    // margin; the first sheet of every section has the same header, the further sheets one
    // of their own.
    let sections = xml.all("w:sectPr");
    assert_eq!(sections.len(), doc.pages.len());
    let mut first_ids = Vec::new();
    let mut further_ids = Vec::new();
    for sect in &sections {
        let size = sect.child("w:pgSz").unwrap();
        assert_eq!(size.attr("w:w"), Some(twips(t.page.width_mm).as_str()));
        assert_eq!(size.attr("w:h"), Some(twips(t.page.height_mm).as_str()));
        assert_eq!(size.attr("w:orient"), Some("landscape"));
        let margins = sect.child("w:pgMar").unwrap();
        for (attr, mm) in [
            ("w:top", t.page.margin_top_mm),
            ("w:bottom", t.page.margin_bottom_mm),
            ("w:left", t.page.margin_left_mm),
            ("w:right", t.page.margin_right_mm),
            ("w:header", t.page.margin_top_mm),
        ] {
            assert_eq!(margins.attr(attr), Some(twips(mm).as_str()), "{attr}");
        }
        assert!(is_on(sect.child("w:titlePg")), "a first sheet of its own");
        for r in sect.all("w:headerReference") {
            match r.attr("w:type") {
                Some("first") => first_ids.push(r.attr("r:id").unwrap().to_string()),
                Some("default") => further_ids.push(r.attr("r:id").unwrap().to_string()),
                other => panic!("header type {other:?}"),
            }
        }
    }
    assert_eq!(first_ids.len(), sections.len());
    first_ids.dedup();
    assert_eq!(first_ids.len(), 1, "one first-sheet header");
    assert_eq!(further_ids.len(), sections.len());
    further_ids.sort();
    further_ids.dedup();
    assert_eq!(
        further_ids.len(),
        sections.len(),
        "one further-sheet header each"
    );

    // The header band: title left, the first right line at a right tab on the right edge,
    // the other right lines right-aligned; the further sheets' headers add the page's title
    // with the continuation mark.
    let band = &doc.header;
    let mut continued: Vec<String> = Vec::new();
    for header in headers(&docx) {
        let lines: Vec<&El> = header.all("w:p");
        assert_eq!(
            lines[0].run_text(),
            format!("{}\t{}", band.left.plain_text(), band.right[0].plain_text())
        );
        let tab = lines[0]
            .child("w:pPr")
            .unwrap()
            .child("w:tabs")
            .unwrap()
            .child("w:tab")
            .unwrap();
        assert_eq!(tab.attr("w:val"), Some("right"));
        assert_eq!(
            tab.attr("w:pos"),
            Some(twips(t.page.content_width_mm()).as_str())
        );
        for (line, model) in lines[1..band.right.len()].iter().zip(&band.right[1..]) {
            assert_eq!(line.run_text(), model.plain_text());
            assert_eq!(line.child("w:pPr").unwrap().val("w:jc"), Some("right"));
        }
        for line in &lines[..band.right.len()] {
            assert_eq!(paragraph_style(line), "Header");
            for run in line.all("w:r") {
                assert_eq!(run_size(&styles, line, run), half_points(band.left.size_pt));
            }
        }
        match &lines[band.right.len()..] {
            [] => {}
            [title] => {
                assert_eq!(paragraph_style(title), "ContinuationTitle");
                continued.push(title.run_text());
            }
            more => panic!("{} lines after the band", more.len()),
        }
    }
    let expected: Vec<String> = doc
        .pages
        .iter()
        .map(|pg| format!("{} {}", pg.bookmark, t.title.continuation_mark))
        .collect();
    continued.sort();
    let mut sorted = expected.clone();
    sorted.sort();
    assert_eq!(continued, sorted, "each page's title, continued");

    // Tables: the grid style has the borders and cell margins, the table its geometry, its
    // title and its description.
    let grid_style = styles.style("RoleCardGrid");
    assert_eq!(grid_style.attr("w:type"), Some("table"));
    let style_pr = grid_style.child("w:tblPr").unwrap();
    let border = ((t.table.border_pt * 8.0).round() as i64).to_string();
    let borders = style_pr.child("w:tblBorders").unwrap();
    for edge in [
        "w:top",
        "w:left",
        "w:bottom",
        "w:right",
        "w:insideH",
        "w:insideV",
    ] {
        let b = borders
            .child(edge)
            .unwrap_or_else(|| panic!("{edge} border"));
        assert_eq!(b.attr("w:val"), Some("single"), "{edge}");
        assert_eq!(b.attr("w:sz"), Some(border.as_str()), "{edge}");
    }
    let pad = twips(t.table.cell_padding_mm);
    let cell_margins = style_pr.child("w:tblCellMar").unwrap();
    for edge in ["w:top", "w:left", "w:bottom", "w:right"] {
        assert_eq!(
            cell_margins.child(edge).unwrap().attr("w:w"),
            Some(pad.as_str())
        );
    }
    let model: Vec<(&document::Table, &String)> = doc
        .pages
        .iter()
        .flat_map(|pg| pg.blocks.iter().map(move |b| (b, &pg.bookmark)))
        .filter_map(|(b, title)| match b {
            Block::Table(t) => Some((t, title)),
            Block::Paragraph(_) => None,
        })
        .collect();
    let drawn = body(&xml).all("w:tbl");
    assert_eq!(drawn.len(), model.len());
    for ((m, title), d) in model.iter().zip(&drawn) {
        let grid: Vec<String> = m.columns_mm.iter().map(|&mm| twips(mm)).collect();
        let drawn_grid: Vec<&str> = d
            .child("w:tblGrid")
            .unwrap()
            .elements()
            .map(|c| c.attr("w:w").unwrap())
            .collect();
        assert_eq!(drawn_grid, grid);
        let width: i64 = grid.iter().map(|w| w.parse::<i64>().unwrap()).sum();
        let tbl_pr = d.child("w:tblPr").unwrap();
        assert_eq!(tbl_pr.val("w:tblStyle"), Some("RoleCardGrid"));
        assert!(
            tbl_pr.child("w:tblBorders").is_none(),
            "borders from the style"
        );
        assert_eq!(tbl_pr.val("w:tblCaption"), Some(title.as_str()));
        assert_eq!(tbl_pr.val("w:tblDescription"), Some(title.as_str()));
        let tbl_w = tbl_pr.child("w:tblW").unwrap();
        assert_eq!(tbl_w.attr("w:w"), Some(width.to_string().as_str()));
        assert_eq!(tbl_w.attr("w:type"), Some("dxa"));
        assert_eq!(
            tbl_pr.child("w:tblLayout").unwrap().attr("w:type"),
            Some("fixed")
        );
        let rows: Vec<&El> = d.elements().filter(|e| e.name == "w:tr").collect();
        assert_eq!(rows.len(), m.rows.len());
        let mut shaded = 0;
        for (mr, dr) in m.rows.iter().zip(&rows) {
            assert!(is_on(
                dr.child("w:trPr").and_then(|pr| pr.child("w:cantSplit"))
            ));
            let cells: Vec<&El> = dr.elements().filter(|e| e.name == "w:tc").collect();
            assert_eq!(cells.len(), mr.cells.len());
            let mut column = 0;
            for (mc, dc) in mr.cells.iter().zip(&cells) {
                let tc_pr = dc.child("w:tcPr").unwrap();
                let span: usize = tc_pr.val("w:gridSpan").map_or(1, |s| s.parse().unwrap());
                assert_eq!(span, mc.span);
                let cell_width: i64 = grid[column..column + span]
                    .iter()
                    .map(|w| w.parse::<i64>().unwrap())
                    .sum();
                column += span;
                assert_eq!(
                    tc_pr.child("w:tcW").unwrap().attr("w:w"),
                    Some(cell_width.to_string().as_str())
                );
                let fill = tc_pr.child("w:shd").and_then(|s| s.attr("w:fill"));
                assert_eq!(fill.map(str::to_string), mc.fill.map(hex));
                shaded += usize::from(fill.is_some());
                let texts: Vec<String> = dc.all("w:p").iter().map(|p| p.run_text()).collect();
                let model_texts: Vec<String> =
                    mc.paragraphs.iter().map(|p| p.plain_text()).collect();
                assert_eq!(texts, model_texts);
                // Grey bars and row labels have styles of their own.
                let style = paragraph_style(dc.all("w:p")[0]);
                if mc.fill.is_some() {
                    assert_eq!(style, "BarLabel");
                } else if mc.paragraphs.iter().flat_map(|p| &p.runs).all(|r| r.bold) {
                    assert_eq!(style, "RowLabel");
                } else {
                    assert_eq!(style, "Normal");
                }
            }
        }
        assert!(shaded > 0, "the heading rows are shaded");
    }
}

#[test]
fn core_and_app_properties_describe_the_document() {
    let p = common::bundled_project();
    for selection in [
        Selection::WholeAnnex,
        Selection::OneCard(&p.source.cards[0]),
    ] {
        let doc = build(&p, &BuildOptions::default(), selection);
        let docx = render(&p, &doc);
        let core = part(&docx, "docProps/core.xml");
        let text_of = |name: &str| core.child(name).map(El::text);
        let meta = &doc.meta;
        assert_eq!(text_of("dc:title"), Some(meta.title.clone()));
        assert_eq!(text_of("dc:creator"), Some(meta.author.clone()));
        assert_eq!(text_of("dc:subject"), Some(meta.subject.clone()));
        assert_eq!(text_of("dc:language"), Some(meta.language.clone()));
        let keywords = text_of("cp:keywords").unwrap();
        assert!(!meta.keywords.is_empty());
        for k in &meta.keywords {
            assert!(keywords.contains(k.as_str()), "{k} in {keywords}");
        }
        let date = chrono::DateTime::from_timestamp(TIMESTAMP, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        for name in ["dcterms:created", "dcterms:modified"] {
            let e = core.child(name).unwrap();
            assert_eq!(e.text(), date);
            assert_eq!(e.attr("xsi:type"), Some("dcterms:W3CDTF"));
        }
        let app = part(&docx, "docProps/app.xml");
        assert_eq!(
            app.child("Application").map(El::text),
            Some(PRODUCER.to_string())
        );
    }
}

#[test]
fn markup_characters_and_edge_spaces_survive() {
    let p = common::bundled_project();
    let docx = render(&p, &markup_document(&p));
    let raw = String::from_utf8(parts(&docx)["word/document.xml"].clone()).unwrap();
    assert!(
        !raw.contains("&amp;amp;") && !raw.contains("&amp;lt;"),
        "escaped twice"
    );
    let xml = parse(raw.as_bytes());
    let holding: Vec<&El> = xml
        .all("w:t")
        .into_iter()
        .filter(|t| t.text() == MARKUP_TEXT)
        .collect();
    assert_eq!(
        holding.len(),
        2,
        "the title and the cell keep the text exactly"
    );
    for t in holding {
        assert_eq!(t.attr("xml:space"), Some("preserve"));
    }
}

#[test]
fn a_single_card_document_is_one_card() {
    let p = common::bundled_project();
    let card = p.source.cards.last().unwrap();
    let doc = build(&p, &BuildOptions::default(), Selection::OneCard(card));
    let docx = render(&p, &doc);
    let xml = part(&docx, "word/document.xml");
    let paragraphs = paragraph_texts(&xml);
    assert_eq!(paragraphs[0], card.title);
    assert_eq!(body(&xml).all("w:tbl").len(), 1);
    assert!(
        body(&xml)
            .all("w:pageBreakBefore")
            .iter()
            .all(|b| !is_on(Some(b))),
        "no page break in a one-page document"
    );
    let expected: Vec<Expect> = common::card_texts(card)
        .into_iter()
        .map(Expect::Whole)
        .collect();
    assert_in_order(&paragraphs, &expected);
    for other in p.source.cards.iter().filter(|c| c.id != card.id) {
        assert!(
            !paragraphs.contains(&other.title),
            "{} is not in it",
            other.title
        );
    }
    assert!(!paragraphs.contains(&p.source.glossary.title));
}

// ---------------------------------------------------------------------------------------------
// Outside tools
// ---------------------------------------------------------------------------------------------

/// Renders `doc` into `dir/name`; returns the file.
fn write_docx(p: &Project, dir: &Path, name: &str, doc: &Document) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, render(p, doc)).unwrap();
    path
}

/// Writes the documents the outside tools look at into `dir`; returns (file, expected pages).
fn write_samples(p: &Project, dir: &Path) -> Vec<(PathBuf, usize)> {
    let mut files = Vec::new();
    let mut write =
        |name: &str, doc: &Document| files.push((write_docx(p, dir, name, doc), doc.pages.len()));
    write("annex.docx", &whole(p));
    write(
        "annex-final.docx",
        &build(p, &final_options(), Selection::WholeAnnex),
    );
    write("markup.docx", &markup_document(p));
    write(
        "annex-draft.docx",
        &build(p, &draft_options(), Selection::WholeAnnex),
    );
    for card in &p.source.cards {
        write(
            &format!("card-{:02}.docx", card.order),
            &build(p, &BuildOptions::default(), Selection::OneCard(card)),
        );
    }
    files
}

#[test]
fn openxml_audit_reports_nothing() {
    if !common::python_module_available("openxml_audit") {
        return;
    }
    let p = common::bundled_project();
    let dir = tempfile::tempdir().unwrap();
    let files = write_samples(&p, dir.path());
    let script = r#"
import sys
from openxml_audit import OpenXmlValidator
bad = 0
for path in sys.argv[1:]:
    result = OpenXmlValidator(max_errors=0).validate(path)
    findings = list(result.errors)
    if findings or result.error_count or result.warning_count or not result.is_valid:
        bad += 1
        print(f"{path}: {result.error_count} errors, {result.warning_count} warnings")
        for f in findings:
            print(f"  {f}")
sys.exit(1 if bad else 0)
"#;
    let files: Vec<&PathBuf> = files.iter().map(|(f, _)| f).collect();
    assert_python_passes("openxml-audit found problems", script, &files);
}

/// Runs a Python `script` on `files`; unless it succeeds, fails with `what` and its output.
fn assert_python_passes(what: &str, script: &str, files: &[impl AsRef<Path>]) {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(files.iter().map(AsRef::as_ref))
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{what}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The LibreOffice program, if installed (`soffice`, else `libreoffice`).
fn libreoffice() -> Option<&'static str> {
    let runs = |program: &str| {
        Command::new(program)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if runs("soffice") {
        return Some("soffice");
    }
    common::tool_available("libreoffice", "--version").then_some("libreoffice")
}

/// LibreOffice, if installed together with the poppler `tools` a test reads its PDFs with.
fn libreoffice_with(tools: &[&str]) -> Option<&'static str> {
    let office = libreoffice()?;
    tools
        .iter()
        .all(|tool| common::tool_available(tool, "-v"))
        .then_some(office)
}

fn pdf_pages(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo gives no page count for {}", pdf.display()))
}

/// The text `pdftotext` reads from a PDF with `options`; sheets end with a form feed.
fn pdftotext(options: &[&str], pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(options)
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pdf_text(pdf: &Path) -> String {
    pdftotext(&[], pdf)
}

/// The text of each sheet of a PDF.
fn pdf_sheets(pdf: &Path) -> Vec<String> {
    pdf_text(pdf).split('\u{c}').map(str::to_string).collect()
}

/// Runs of white space as one space, none at the edges.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn libreoffice_lays_out_one_sheet_per_page() {
    let Some(office) = libreoffice_with(&["pdfinfo", "pdftotext"]) else {
        return;
    };
    let p = common::bundled_project();
    let dir = tempfile::tempdir().unwrap();
    let files = write_samples(&p, dir.path());
    let docx: Vec<PathBuf> = files.iter().map(|(f, _)| f.clone()).collect();
    let pdfs = convert_to_pdf(office, dir.path(), &docx);
    let mut wrong = Vec::new();
    for ((docx, pages), pdf) in files.iter().zip(&pdfs) {
        let got = pdf_pages(pdf);
        if got != *pages {
            wrong.push(format!(
                "{}: {got} pages, {pages} expected",
                docx.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "a page does not fit on one sheet:\n{}",
        wrong.join("\n")
    );
    assert_eq!(pdf_pages(&pdfs[0]), 15, "14 cards and the glossary");

    // The header lines as the model has them (template mode: placeholders; final: values).
    for (file, doc) in [
        (&pdfs[0], whole(&p)),
        (&pdfs[1], build(&p, &final_options(), Selection::WholeAnnex)),
    ] {
        let text = squeeze(&pdf_text(file));
        for line in std::iter::once(&doc.header.left).chain(&doc.header.right) {
            assert!(
                text.contains(&squeeze(&line.plain_text())),
                "{:?}",
                line.plain_text()
            );
        }
        assert!(text.contains(&squeeze(&p.source.glossary.title)));
        assert!(text.contains(&squeeze(&p.source.cards.last().unwrap().title)));
    }
    // Each card's title, and the glossary's, stands on its own sheet, in order.
    let sheets = pdf_sheets(&pdfs[0]);
    let titles = p
        .source
        .cards
        .iter()
        .map(|c| &c.title)
        .chain(std::iter::once(&p.source.glossary.title));
    for (k, title) in titles.enumerate() {
        let on: Vec<usize> = sheets
            .iter()
            .enumerate()
            .filter(|(_, sheet)| sheet.lines().any(|l| squeeze(l) == squeeze(title)))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(on, [k], "{title:?} is on sheet {} only", k + 1);
    }
    let fin = squeeze(&pdf_text(&pdfs[1]));
    assert!(fin.contains(REG_DATE) && fin.contains(REG_NUMBER) && !fin.contains("{reg"));
    let markup = squeeze(&pdf_text(&pdfs[2]));
    assert!(
        markup.contains(&squeeze(MARKUP_TEXT)),
        "markup text in {markup}"
    );
}

// ---------------------------------------------------------------------------------------------
// Word's view: package hygiene, the draft mark, python-docx, LibreOffice's PDF export
// ---------------------------------------------------------------------------------------------

fn draft_options() -> BuildOptions {
    BuildOptions {
        draft: true,
        ..BuildOptions::default()
    }
}

#[test]
fn the_package_holds_only_what_the_document_uses() {
    let p = common::bundled_project();
    let t = &p.template;
    for (options, is_final) in [(BuildOptions::default(), false), (final_options(), true)] {
        let doc = build(&p, &options, Selection::WholeAnnex);
        let docx = render(&p, &doc);
        let names: Vec<String> = parts(&docx).into_keys().collect();
        for gone in [
            "word/commentsExtended.xml",
            "word/comments.xml",
            "word/numbering.xml",
            "word/footnotes.xml",
        ] {
            assert!(!names.iter().any(|n| n == gone), "{gone} is in the package");
        }
        for (name, data) in parts(&docx) {
            assert!(!data.is_empty(), "{name} is empty");
        }
        let settings = part(&docx, "word/settings.xml");
        assert_eq!(settings.val("w:defaultTabStop"), Some("709"), "1.25 cm");
        let compat = settings.child("w:compat").expect("w:compat");
        for east_asian in [
            "w:useFELayout",
            "w:balanceSingleByteDoubleByteWidth",
            "w:spaceForUL",
            "w:ulTrailSpace",
            "w:doNotLeaveBackslashAlone",
            "w:doNotExpandShiftReturn",
        ] {
            assert!(compat.child(east_asian).is_none(), "{east_asian}");
        }
        assert!(compat.elements().any(
            |c| c.attr("w:name") == Some("compatibilityMode") && c.attr("w:val") == Some("15")
        ));
        let font_table = part(&docx, "word/fontTable.xml");
        let fonts: Vec<&str> = font_table
            .elements()
            .filter_map(|f| f.attr("w:name"))
            .collect();
        assert_eq!(fonts, [t.fonts.docx_family.as_str()], "only the used font");
        let app = part(&docx, "docProps/app.xml");
        assert_eq!(
            app.child("Company").map(El::text),
            Some(p.source.annex.authority.clone())
        );
        assert_eq!(
            app.child("Pages").map(El::text),
            Some(doc.pages.len().to_string())
        );
        let custom = names.iter().any(|n| n == "docProps/custom.xml");
        assert_eq!(custom, is_final, "custom properties only in final mode");
        if is_final {
            let custom = part(&docx, "docProps/custom.xml");
            let props: BTreeMap<&str, String> = custom
                .elements()
                .map(|e| {
                    (
                        e.attr("name").unwrap(),
                        e.child("vt:lpwstr").map(El::text).unwrap(),
                    )
                })
                .collect();
            assert_eq!(
                props,
                BTreeMap::from([
                    ("regDateTime", REG_DATE.to_string()),
                    ("regNumber", REG_NUMBER.to_string())
                ])
            );
        }
    }
}

#[test]
fn a_draft_has_a_watermark_in_every_header_and_a_final_document_none() {
    let p = common::bundled_project();
    let t = &p.template;
    let draft = render(&p, &build(&p, &draft_options(), Selection::WholeAnnex));
    let drafts = headers(&draft);
    assert_eq!(drafts.len(), p.source.cards.len() + 2);
    let grey = (t.draft.gray * 255.0).round() as u8;
    let mut ids = Vec::new();
    for header in &drafts {
        let shapes = header.all("v:shape");
        assert_eq!(shapes.len(), 1, "one watermark per header");
        let shape = shapes[0];
        ids.push(shape.attr("id").unwrap().to_string());
        assert!(
            shape
                .attr("id")
                .unwrap()
                .starts_with("PowerPlusWaterMarkObject")
        );
        assert_eq!(
            shape.attr("fillcolor"),
            Some(format!("#{grey:02X}{grey:02X}{grey:02X}").as_str())
        );
        let style = shape.attr("style").unwrap();
        assert!(
            style.contains("rotation:") && style.contains("z-index:-"),
            "{style}"
        );
        let path = shape.child("v:textpath").unwrap();
        assert_eq!(path.attr("string"), Some(t.draft.mark.as_str()));
        assert!(path.attr("style").unwrap().contains(&t.fonts.docx_family));
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), drafts.len(), "shape ids are unique");
    for options in [BuildOptions::default(), final_options()] {
        let docx = render(&p, &build(&p, &options, Selection::WholeAnnex));
        for header in headers(&docx) {
            assert!(
                header.all("w:pict").is_empty(),
                "a watermark without --draft"
            );
        }
    }
}

#[test]
fn python_docx_sees_headings_a_default_style_and_no_direct_formatting() {
    if !common::python_module_available("docx") {
        return;
    }
    let p = common::bundled_project();
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = [
        ("template.docx", BuildOptions::default()),
        ("final.docx", final_options()),
        ("draft.docx", draft_options()),
    ]
    .iter()
    .map(|(name, options)| {
        let doc = build(&p, options, Selection::WholeAnnex);
        write_docx(&p, dir.path(), name, &doc)
    })
    .collect();
    let script = r#"
import sys
import docx
from docx.enum.style import WD_STYLE_TYPE
for path in sys.argv[1:]:
    d = docx.Document(path)
    default = d.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    assert default is not None and default.name == "Normal", (path, default)
    headings = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert len(headings) == 15, (path, headings)
    paragraphs = list(d.paragraphs)
    for table in d.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    runs = [r for p in paragraphs for r in p.runs]
    assert len(runs) > 100, (path, len(runs))
    for r in runs:
        assert r.font.name is None and r.font.size is None, (path, r.text, r.font.name, r.font.size)
    assert d.core_properties.title, path
    print(path, "ok", len(headings), len(runs))
"#;
    assert_python_passes("python-docx", script, &files);
}

/// Converts `files` to PDF with LibreOffice into `dir/pdf`; returns the PDF of each file.
fn convert_to_pdf(office: &str, dir: &Path, files: &[PathBuf]) -> Vec<PathBuf> {
    let out_dir = dir.join("pdf");
    // A profile of its own, so a LibreOffice already running (or another test) does not
    // take the job or lock the profile.
    let profile = dir.join("profile");
    let out = Command::new(office)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out_dir)
        .args(files)
        .output()
        .expect("LibreOffice runs");
    assert!(
        out.status.success(),
        "LibreOffice failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    files
        .iter()
        .map(|f| out_dir.join(f.with_extension("pdf").file_name().unwrap()))
        .collect()
}

/// The number of entries in a PDF's outline (bookmarks), at every level.
fn outline_entries(pdf: &Path) -> usize {
    let doc = lopdf::Document::load(pdf).expect("a PDF");
    let catalog = doc.catalog().expect("a catalog");
    let Ok(outlines) = catalog.get(b"Outlines") else {
        return 0;
    };
    let dict_of = |o: &lopdf::Object| -> Option<lopdf::Dictionary> {
        match o {
            lopdf::Object::Reference(r) => doc.get_dictionary(*r).ok().cloned(),
            lopdf::Object::Dictionary(d) => Some(d.clone()),
            _ => None,
        }
    };
    let mut count = 0;
    let mut stack: Vec<lopdf::Dictionary> = dict_of(outlines)
        .and_then(|o| o.get(b"First").ok().and_then(dict_of))
        .into_iter()
        .collect();
    while let Some(item) = stack.pop() {
        count += 1;
        assert!(count < 10_000, "an outline loop");
        for key in [b"Next".as_slice(), b"First".as_slice()] {
            if let Some(next) = item.get(key).ok().and_then(dict_of) {
                stack.push(next);
            }
        }
    }
    count
}

/// The pages of a PDF as grey images (width, height, pixels), by `pdftoppm`.
fn grey_pages(pdf: &Path, dir: &Path, name: &str) -> Vec<(usize, usize, Vec<u8>)> {
    let prefix = dir.join(name);
    let out = Command::new("pdftoppm")
        .args(["-gray", "-r", "20"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .expect("pdftoppm runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&format!("{name}-"))
        })
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let data = std::fs::read(f).unwrap();
            // P5 <width> <height> <max>\n<pixels>
            let mut fields = Vec::new();
            let mut at = 0;
            while fields.len() < 4 {
                while data[at].is_ascii_whitespace() {
                    at += 1;
                }
                let start = at;
                while !data[at].is_ascii_whitespace() {
                    at += 1;
                }
                fields.push(String::from_utf8_lossy(&data[start..at]).into_owned());
            }
            assert_eq!(fields[0], "P5");
            let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
            let pixels = data[at + 1..].to_vec();
            assert_eq!(pixels.len(), w * h);
            (w, h, pixels)
        })
        .collect()
}

#[test]
fn libreoffice_exports_bookmarks_the_watermark_and_continued_titles() {
    let Some(office) = libreoffice_with(&["pdftoppm", "pdftotext"]) else {
        return;
    };
    let p = common::bundled_project();
    let dir = tempfile::tempdir().unwrap();
    // A card too long for one sheet: its first text cell holds its text many times over.
    let card = &p.source.cards[0];
    let mut long = build(&p, &draft_options(), Selection::OneCard(card));
    let cell = &mut first_table(&mut long).rows[0].cells[1];
    let once = cell.paragraphs.clone();
    for _ in 0..40 {
        cell.paragraphs.extend(once.iter().cloned());
    }
    let files: Vec<PathBuf> = [
        ("annex.docx", whole(&p)),
        (
            "draft.docx",
            build(&p, &draft_options(), Selection::WholeAnnex),
        ),
        ("long.docx", long),
    ]
    .iter()
    .map(|(name, doc)| write_docx(&p, dir.path(), name, doc))
    .collect();
    let pdfs = convert_to_pdf(office, dir.path(), &files);

    // Fifteen headings, fifteen bookmarks.
    assert_eq!(outline_entries(&pdfs[0]), 15, "bookmarks of the annex");
    assert_eq!(outline_entries(&pdfs[1]), 15, "bookmarks of the draft");

    // The draft differs from the same document without the mark on every page, around the
    // middle of the sheet.
    let plain = grey_pages(&pdfs[0], dir.path(), "plain");
    let marked = grey_pages(&pdfs[1], dir.path(), "marked");
    assert_eq!(plain.len(), 15);
    assert_eq!(marked.len(), 15);
    for (i, ((w, h, a), (_, _, b))) in plain.iter().zip(&marked).enumerate() {
        let (mut n, mut sx, mut sy) = (0usize, 0usize, 0usize);
        for (k, (pa, pb)) in a.iter().zip(b).enumerate() {
            if pa.abs_diff(*pb) > 8 {
                n += 1;
                sx += k % w;
                sy += k / w;
            }
        }
        assert!(
            n * 50 > w * h,
            "page {}: the watermark covers only {n} of {} pixels",
            i + 1,
            w * h
        );
        let (cx, cy) = (sx / n, sy / n);
        assert!(
            cx.abs_diff(w / 2) * 5 < *w && cy.abs_diff(h / 2) * 5 < *h,
            "page {}: the mark is centred at {cx},{cy} of {w}x{h}",
            i + 1
        );
    }

    // LibreOffice breaks every line where the PDF does: the same lines on each of the 15
    // sheets.
    let ours = dir.path().join("ours.pdf");
    let pdf = rollikaart::render::pdf::Pdf::default()
        .render(&whole(&p), &context(&p))
        .expect("the PDF renders");
    std::fs::write(&ours, pdf).unwrap();
    let line_sets = |pdf: &Path| -> Vec<BTreeSet<String>> {
        pdftotext(&["-raw"], pdf)
            .split('\u{c}')
            .map(|sheet| {
                sheet
                    .lines()
                    .map(squeeze)
                    .filter(|l| !l.is_empty())
                    .collect()
            })
            .filter(|lines: &BTreeSet<String>| !lines.is_empty())
            .collect()
    };
    let (expected, drawn) = (line_sets(&ours), line_sets(&pdfs[0]));
    assert_eq!(expected.len(), 15);
    assert_eq!(drawn.len(), 15);
    for (i, (e, d)) in expected.iter().zip(&drawn).enumerate() {
        assert_eq!(
            e,
            d,
            "sheet {}: lines only in the PDF {:?}, only in LibreOffice's {:?}",
            i + 1,
            e.difference(d).collect::<Vec<_>>(),
            d.difference(e).collect::<Vec<_>>()
        );
    }

    // The long card: its plain title on the first sheet, continued on the next.
    let sheets = pdf_sheets(&pdfs[2]);
    assert!(sheets.len() >= 3, "the long card takes more than one sheet");
    let continued = squeeze(&format!(
        "{} {}",
        card.title, p.template.title.continuation_mark
    ));
    let lines = |sheet: &str| -> Vec<String> { sheet.lines().map(squeeze).collect() };
    assert!(lines(&sheets[0]).contains(&squeeze(&card.title)));
    assert!(
        !lines(&sheets[0]).contains(&continued),
        "no (järg) on the first sheet"
    );
    assert!(
        lines(&sheets[1]).contains(&continued),
        "{continued:?} on the second sheet:\n{}",
        sheets[1]
    );
}
