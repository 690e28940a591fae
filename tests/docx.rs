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
use std::collections::BTreeMap;
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
        template: &p.template,
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
    Docx.render(doc, &context(p)).expect("the DOCX renders")
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
    let table = doc.pages[0]
        .blocks
        .iter_mut()
        .find_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
        .expect("a card page has a table");
    table.rows[0].cells[1].paragraphs[0].runs[0].text = MARKUP_TEXT.to_string();
    doc
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
    let later = Docx
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
    let docx = render(&p, &whole(&p));
    let headers = headers(&docx);
    assert_eq!(headers.len(), 1, "one header");
    let runs = headers[0].all("w:r");
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
    for t in headers[0].all("w:t") {
        let text = t.text();
        if text.contains('{') || text.contains('}') {
            assert!(
                text == Field::RegDate.placeholder() || text == Field::RegNumber.placeholder(),
                "a split or foreign placeholder: {text:?}"
            );
        }
    }
}

#[test]
fn final_mode_writes_the_values_and_no_placeholder_remains() {
    let p = common::bundled_project();
    let doc = build(&p, &final_options(), Selection::WholeAnnex);
    let docx = render(&p, &doc);
    let header = &headers(&docx)[0];
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
    for (name, data) in parts(&docx) {
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

#[test]
fn paragraphs_and_runs_draw_the_model() {
    let p = common::bundled_project();
    let doc = whole(&p);
    let xml = part(&render(&p, &doc), "word/document.xml");
    let model: Vec<&document::Paragraph> =
        doc.pages.iter().flat_map(|pg| pg.paragraphs()).collect();
    let drawn = body(&xml).all("w:p");
    assert_eq!(drawn.len(), model.len(), "one w:p per model paragraph");
    let line = (240.0 * p.template.sizes.line_spacing).round() as i64;
    for (m, d) in model.iter().zip(&drawn) {
        let ppr = d.child("w:pPr").expect("w:pPr");
        let spacing = ppr.child("w:spacing").expect("w:spacing");
        assert_eq!(spacing.attr("w:line"), Some(line.to_string().as_str()));
        assert_eq!(spacing.attr("w:lineRule"), Some("auto"));
        assert_eq!(
            spacing.attr("w:after"),
            Some(
                ((m.space_after_pt * 20.0).round() as i64)
                    .to_string()
                    .as_str()
            ),
            "space after {:?}",
            m.plain_text()
        );
        let jc = match m.align {
            document::Align::Left => "left",
            document::Align::Right => "right",
        };
        assert_eq!(ppr.val("w:jc"), Some(jc));
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
            let rpr = dr.child("w:rPr").expect("w:rPr");
            assert_eq!(is_on(rpr.child("w:b")), mr.bold, "bold of {:?}", mr.text);
            let half_points = ((m.size_pt * 2.0).round() as i64).to_string();
            assert_eq!(rpr.val("w:sz"), Some(half_points.as_str()));
            assert_eq!(rpr.val("w:szCs"), Some(half_points.as_str()));
        }
    }
}

#[test]
fn every_page_but_the_first_starts_on_a_new_sheet() {
    let p = common::bundled_project();
    let doc = whole(&p);
    assert_eq!(
        doc.pages.len(),
        p.source.cards.len() + 1,
        "cards and the glossary"
    );
    let xml = part(&render(&p, &doc), "word/document.xml");
    let paragraphs = body(&xml).all("w:p");
    let breaks_before = |p: &El| {
        is_on(
            p.child("w:pPr")
                .and_then(|ppr| ppr.child("w:pageBreakBefore")),
        )
    };
    assert!(
        xml.all("w:br")
            .iter()
            .all(|b| b.attr("w:type") != Some("page")),
        "pages start with pageBreakBefore, not with break characters"
    );
    let glossary_at = paragraphs
        .iter()
        .position(|para| para.run_text() == p.source.glossary.title)
        .expect("the glossary title");
    let before_glossary = paragraphs[..=glossary_at]
        .iter()
        .filter(|para| breaks_before(para))
        .count();
    assert_eq!(
        before_glossary,
        doc.pages.len() - 1,
        "one break per page but the first"
    );
    assert_eq!(before_glossary, 14);
    let total = paragraphs.iter().filter(|para| breaks_before(para)).count();
    assert_eq!(total, before_glossary, "no break after the glossary title");
    // The breaks stand on the card titles (from the second) and the glossary title.
    assert!(!breaks_before(paragraphs[0]));
    for card in &p.source.cards[1..] {
        let title = paragraphs
            .iter()
            .find(|para| para.run_text() == card.title)
            .expect("card title");
        assert!(breaks_before(title), "{} starts a new sheet", card.title);
    }
    assert!(breaks_before(paragraphs[glossary_at]));
}

#[test]
fn runs_name_the_template_font_and_language() {
    let p = common::bundled_project();
    let family = p.template.fonts.docx_family.as_str();
    let language = p.template.fonts.language.as_str();
    let docx = render(&p, &whole(&p));
    let mut checked = 0;
    let mut parts_with_runs = vec![part(&docx, "word/document.xml")];
    parts_with_runs.extend(headers(&docx));
    for xml in &parts_with_runs {
        for run in xml.all("w:r") {
            let rpr = run.child("w:rPr").expect("every run has properties");
            let fonts = rpr.child("w:rFonts").expect("w:rFonts");
            for slot in ["w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"] {
                assert_eq!(fonts.attr(slot), Some(family), "{slot}");
            }
            assert_eq!(rpr.val("w:lang"), Some(language));
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} runs");
    // The document defaults carry the same font and language (spell checking, new text).
    let styles = part(&docx, "word/styles.xml");
    let defaults = styles
        .child("w:docDefaults")
        .and_then(|d| d.child("w:rPrDefault"))
        .and_then(|d| d.child("w:rPr"))
        .expect("default run properties");
    assert_eq!(
        defaults.child("w:rFonts").and_then(|f| f.attr("w:ascii")),
        Some(family)
    );
    assert_eq!(
        defaults.child("w:rFonts").and_then(|f| f.attr("w:hAnsi")),
        Some(family)
    );
    assert_eq!(defaults.val("w:lang"), Some(language));
}

#[test]
fn page_header_and_tables_take_their_geometry_from_the_template() {
    let p = common::bundled_project();
    let t = &p.template;
    let doc = whole(&p);
    let docx = render(&p, &doc);
    let xml = part(&docx, "word/document.xml");

    // One section: A4 landscape with the template's margins; the header at the top margin.
    let sections = xml.all("w:sectPr");
    assert_eq!(sections.len(), 1, "one section");
    let sect = sections[0];
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
    let header_ref = sect.child("w:headerReference").expect("a header");
    assert_eq!(header_ref.attr("w:type"), Some("default"));

    // The header band: title left, the first right line at a right tab on the right edge,
    // the other right lines right-aligned.
    let header = &headers(&docx)[0];
    let lines: Vec<&El> = header.all("w:p");
    let band = &doc.header;
    assert_eq!(lines.len(), band.right.len());
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
    for (line, model) in lines[1..].iter().zip(&band.right[1..]) {
        assert_eq!(line.run_text(), model.plain_text());
        assert_eq!(line.child("w:pPr").unwrap().val("w:jc"), Some("right"));
    }
    assert_eq!(
        header.all("w:r")[0].child("w:rPr").unwrap().val("w:sz"),
        Some(
            ((band.left.size_pt * 2.0).round() as i64)
                .to_string()
                .as_str()
        )
    );

    // Tables.
    let model: Vec<&document::Table> = doc
        .pages
        .iter()
        .flat_map(|pg| &pg.blocks)
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
        .collect();
    let drawn = body(&xml).all("w:tbl");
    assert_eq!(drawn.len(), model.len());
    let border = ((t.table.border_pt * 8.0).round() as i64).to_string();
    let pad = twips(t.table.cell_padding_mm);
    for (m, d) in model.iter().zip(&drawn) {
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
        let tbl_w = tbl_pr.child("w:tblW").unwrap();
        assert_eq!(tbl_w.attr("w:w"), Some(width.to_string().as_str()));
        assert_eq!(tbl_w.attr("w:type"), Some("dxa"));
        assert_eq!(
            tbl_pr.child("w:tblLayout").unwrap().attr("w:type"),
            Some("fixed")
        );
        let borders = tbl_pr.child("w:tblBorders").unwrap();
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
        let cell_margins = tbl_pr.child("w:tblCellMar").unwrap();
        for edge in ["w:top", "w:left", "w:bottom", "w:right"] {
            assert_eq!(
                cell_margins.child(edge).unwrap().attr("w:w"),
                Some(pad.as_str())
            );
        }
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

/// Writes the documents the outside tools look at into `dir`; returns (file, expected pages).
fn write_samples(p: &Project, dir: &Path) -> Vec<(PathBuf, usize)> {
    let mut files = Vec::new();
    let mut write = |name: &str, doc: &Document| {
        let path = dir.join(name);
        std::fs::write(&path, render(p, doc)).unwrap();
        files.push((path, doc.pages.len()));
    };
    write("annex.docx", &whole(p));
    write(
        "annex-final.docx",
        &build(p, &final_options(), Selection::WholeAnnex),
    );
    write("markup.docx", &markup_document(p));
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
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(files.iter().map(|(f, _)| f))
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "openxml-audit found problems:\n{}{}",
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

fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn libreoffice_lays_out_one_sheet_per_page() {
    let Some(office) = libreoffice() else {
        return;
    };
    if !common::tool_available("pdfinfo", "-v") || !common::tool_available("pdftotext", "-v") {
        return;
    }
    let p = common::bundled_project();
    let dir = tempfile::tempdir().unwrap();
    let files = write_samples(&p, dir.path());
    let out_dir = dir.path().join("pdf");
    // A profile of its own, so a LibreOffice already running (or another test) does not
    // take the job or lock the profile.
    let profile = dir.path().join("profile");
    let out = Command::new(office)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out_dir)
        .args(files.iter().map(|(f, _)| f))
        .output()
        .expect("LibreOffice runs");
    assert!(
        out.status.success(),
        "LibreOffice failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = |docx: &Path| out_dir.join(docx.with_extension("pdf").file_name().unwrap());
    let mut wrong = Vec::new();
    for (docx, pages) in &files {
        let got = pdf_pages(&pdf(docx));
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
    assert_eq!(
        pdf_pages(&pdf(&files[0].0)),
        15,
        "14 cards and the glossary"
    );

    let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    // The header lines as the model has them (template mode: placeholders; final: values).
    for (file, doc) in [
        (&files[0].0, whole(&p)),
        (
            &files[1].0,
            build(&p, &final_options(), Selection::WholeAnnex),
        ),
    ] {
        let text = squeeze(&pdf_text(&pdf(file)));
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
    let sheets: Vec<String> = pdf_text(&pdf(&files[0].0))
        .split('\u{c}')
        .map(str::to_string)
        .collect();
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
    let fin = squeeze(&pdf_text(&pdf(&files[1].0)));
    assert!(fin.contains(REG_DATE) && fin.contains(REG_NUMBER) && !fin.contains("{reg"));
    let markup = squeeze(&pdf_text(&pdf(&files[2].0)));
    assert!(
        markup.contains(&squeeze(MARKUP_TEXT)),
        "markup text in {markup}"
    );
}
