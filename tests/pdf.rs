//! The PDF annex read back: pages, size, text of every page against its card, fonts,
//! PDF/A entries, reproducibility, and a too-long card flowing onto a second page with no text
//! outside its cell.

mod common;
use common::*;
use lopdf::{Document as Pdf, Object};
use rollikaart::Project;
use rollikaart::cards::{Card, CardField};
use rollikaart::document::{BuildOptions, Selection};
use rollikaart::layout::page::{Item, Layout};
use std::process::Command;

fn whole(project: &Project) -> (Vec<u8>, Layout) {
    render_pdf(project, &BuildOptions::default(), Selection::WholeAnnex)
}

/// Letters and digits only: hyphens added at line ends (read as soft hyphens), spaces and
/// line breaks drop out, so what remains must match the card character for character.
fn skeleton(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '\u{00AD}')
        .collect()
}

/// The text a card page must show, in drawing order, from the card and the template alone.
fn expected_card_text(project: &Project, card: &Card, header_reg: &str) -> String {
    let t = &project.template;
    let a = &project.source.annex;
    let l = &t.labels;
    let mut parts: Vec<String> = vec![a.title.clone()];
    parts.extend(t.header.right_lines.iter().cloned());
    parts.push(a.label.clone());
    parts.push(card.title.clone());
    parts.extend(card.subtitle.clone());
    for (label, text) in [
        (&l[CardField::Why], &card.fields[CardField::Why]),
        (&l[CardField::Roles], &card.fields[CardField::Roles]),
    ] {
        parts.push(label.get_ref().clone());
        parts.push(text.joined());
    }
    for (label, text) in [
        (&l[CardField::Purpose], &card.fields[CardField::Purpose]),
        (&l[CardField::Benefit], &card.fields[CardField::Benefit]),
    ] {
        parts.push(label.get_ref().clone());
        parts.push(text.joined());
    }
    parts.push(l[CardField::TargetGroups].get_ref().clone());
    parts.push(l[CardField::Competences].get_ref().clone());
    parts.push(card.fields[CardField::TargetGroups].joined());
    parts.push(card.fields[CardField::Competences].joined());
    parts.push(l[CardField::JobFamily].get_ref().clone());
    parts.push(card.fields[CardField::JobFamily].joined());
    let text = parts.join(" ");
    if header_reg.is_empty() {
        text
    } else {
        text.replace("{regDateTime}", "15.03.2024")
            .replace("{regNumber}", header_reg)
    }
}

/// pdftotext in content-stream order, one string per page.
fn pdftotext_pages(bytes: &[u8]) -> Option<Vec<String>> {
    let text = pdftotext(bytes)?;
    let mut pages: Vec<String> = text.split('\u{000C}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Some(pages)
}

#[test]
fn one_a4_landscape_page_per_card_and_a_glossary_page() {
    let p = bundled_project();
    let (bytes, layout) = whole(&p);
    let pdf = Pdf::load_mem(&bytes).unwrap();
    let pages = pdf.get_pages();
    assert_eq!(pages.len(), p.source.cards.len() + 1);
    assert_eq!(layout.sheets.len(), 15);
    for (_, id) in pages {
        let page = pdf.get_dictionary(id).unwrap();
        let mb: Vec<f32> = page
            .get(b"MediaBox")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_float().unwrap())
            .collect();
        assert!(
            (mb[2] - 841.89).abs() < 0.1 && (mb[3] - 595.28).abs() < 0.1,
            "{mb:?}"
        );
    }
}

#[test]
fn every_page_has_its_cards_text_in_order() {
    let p = bundled_project();
    for (options, number) in [
        (BuildOptions::default(), ""),
        (final_options(), "1-1/24/37"),
    ] {
        let (bytes, _) = render_pdf(&p, &options, Selection::WholeAnnex);
        let Some(pages) = pdftotext_pages(&bytes) else {
            return;
        };
        assert_eq!(pages.len(), 15);
        for (card, page) in p.source.cards.iter().zip(&pages) {
            assert_eq!(
                skeleton(page),
                skeleton(&expected_card_text(&p, card, number)),
                "card {}",
                card.id
            );
            for c in ['õ', 'ä', 'ö', 'ü'] {
                assert_eq!(
                    page.contains(c),
                    expected_card_text(&p, card, number).contains(c),
                    "{c} on {}",
                    card.id
                );
            }
        }
        let g = &p.source.glossary;
        let mut expected = vec![p.source.annex.title.clone()];
        expected.extend(p.template.header.right_lines.iter().cloned());
        expected.push(p.source.annex.label.clone());
        expected.push(g.title.clone());
        for e in &g.entries {
            expected.push(format!(
                "{}{}{}",
                e.term,
                e.separator
                    .as_deref()
                    .unwrap_or(&p.template.glossary.separator),
                e.definition.joined()
            ));
        }
        let mut expected = expected.join(" ");
        if !number.is_empty() {
            expected = expected
                .replace("{regDateTime}", "15.03.2024")
                .replace("{regNumber}", number);
            assert!(
                !pages.iter().any(|pg| pg.contains("{reg")),
                "a placeholder is left"
            );
        } else {
            assert!(
                pages
                    .iter()
                    .all(|pg| pg.contains("{regDateTime} käskkirjaga nr {regNumber}"))
            );
        }
        assert_eq!(skeleton(&pages[14]), skeleton(&expected));
    }
}

fn dict<'a>(pdf: &'a Pdf, o: &'a Object) -> &'a lopdf::Dictionary {
    match o {
        Object::Reference(r) => pdf.get_dictionary(*r).unwrap(),
        Object::Dictionary(d) => d,
        other => panic!("not a dictionary: {other:?}"),
    }
}

#[test]
fn fonts_are_embedded_subset_with_tounicode() {
    let p = bundled_project();
    let (bytes, _) = whole(&p);
    let pdf = Pdf::load_mem(&bytes).unwrap();
    let mut seen = 0;
    for (_, obj) in pdf.objects.iter() {
        let Ok(d) = obj.as_dict() else { continue };
        if d.get(b"Type").ok().and_then(|t| t.as_name().ok()) != Some(b"Font")
            || d.get(b"Subtype").unwrap().as_name().unwrap() != b"Type0"
        {
            continue;
        }
        seen += 1;
        let base =
            String::from_utf8(d.get(b"BaseFont").unwrap().as_name().unwrap().to_vec()).unwrap();
        let (tag, name) = base.split_once('+').expect("subset tag");
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "{base}"
        );
        assert!(name.starts_with("LiberationSans"), "{base}");
        assert!(d.has(b"ToUnicode"));
        let desc = d.get(b"DescendantFonts").unwrap().as_array().unwrap();
        let cid = dict(&pdf, &desc[0]);
        let fd = dict(&pdf, cid.get(b"FontDescriptor").unwrap());
        let file = fd.get(b"FontFile2").unwrap().as_reference().unwrap();
        let stream = pdf.get_object(file).unwrap().as_stream().unwrap();
        let program = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        assert!(
            program.len() < 120_000,
            "font not subset: {} bytes",
            program.len()
        );
    }
    assert_eq!(seen, 2);
    assert!(bytes.len() < 150_000, "{} bytes", bytes.len());
    if tool_available("pdffonts", "-v") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.pdf");
        std::fs::write(&path, &bytes).unwrap();
        let out = Command::new("pdffonts").arg(&path).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let rows: Vec<&str> = text.lines().skip(2).collect();
        assert_eq!(rows.len(), 2, "{text}");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            let n = cols.len();
            assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "{row}");
        }
    }
}

#[test]
fn pdfa_entries_present_and_consistent() {
    let p = bundled_project();
    let (bytes, _) = render_pdf(&p, &final_options(), Selection::WholeAnnex);
    let pdf = Pdf::load_mem(&bytes).unwrap();
    assert!(bytes.starts_with(b"%PDF-1.7"));
    assert!(!pdf.trailer.has(b"Encrypt"));
    let id = pdf.trailer.get(b"ID").unwrap().as_array().unwrap();
    let (a, b) = (id[0].as_str().unwrap(), id[1].as_str().unwrap());
    assert_eq!(a.len(), 16);
    assert_eq!(a, b);
    assert!(a.iter().any(|&x| x != 0));
    let catalog = pdf.catalog().unwrap();
    let xmp = xmp_packet(&pdf);
    assert!(
        xmp.contains("<pdfaid:part>2</pdfaid:part>")
            && xmp.contains("<pdfaid:conformance>A</pdfaid:conformance>")
            && xmp.contains("<pdfuaid:part>1</pdfuaid:part>")
    );
    assert!(bytes.ends_with(b"%%EOF\n"));
    assert!(catalog.has(b"StructTreeRoot") && catalog.has(b"MarkInfo"));
    assert!(xmp.contains(&format!(">{}<", p.source.annex.title)));
    assert!(
        xmp.contains("<xmp:CreateDate>2024-03-15T00:00:00+00:00</xmp:CreateDate>"),
        "{xmp}"
    );
    let intents = catalog.get(b"OutputIntents").unwrap().as_array().unwrap();
    let intent = dict(&pdf, &intents[0]);
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFA1");
    let icc = pdf
        .get_object(
            intent
                .get(b"DestOutputProfile")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .unwrap()
        .as_stream()
        .unwrap();
    assert_eq!(icc.dict.get(b"N").unwrap().as_i64().unwrap(), 3);
    assert!(catalog.has(b"Lang"));
    let info = dict(&pdf, pdf.trailer.get(b"Info").unwrap());
    let date = info.get(b"CreationDate").unwrap().as_str().unwrap();
    assert_eq!(date, b"D:20240315000000+00'00'");
    assert!(catalog.has(b"Outlines"), "no bookmarks");
    assert!(!String::from_utf8_lossy(&bytes).contains("/JavaScript"));
    if python_module_available("pikepdf") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.pdf");
        std::fs::write(&path, &bytes).unwrap();
        assert_pdfa_check(&path, "the final annex");
    }
    if tool_available("qpdf", "--version") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.pdf");
        std::fs::write(&path, &bytes).unwrap();
        assert_qpdf_check(&path, "the final annex");
    }
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let p = bundled_project();
    let (a, _) = render_pdf(&p, &final_options(), Selection::WholeAnnex);
    let (b, _) = render_pdf(&p, &final_options(), Selection::WholeAnnex);
    assert!(a == b, "two renders in one process differ");
    let (c, _) = whole(&p);
    assert!(a != c, "final and template mode must differ");
}

/// Every object reachable from the trailer, by following references.
fn reachable(pdf: &Pdf) -> std::collections::BTreeSet<lopdf::ObjectId> {
    fn walk(pdf: &Pdf, o: &Object, seen: &mut std::collections::BTreeSet<lopdf::ObjectId>) {
        match o {
            Object::Reference(id) if seen.insert(*id) => {
                walk(pdf, pdf.get_object(*id).unwrap(), seen);
            }
            Object::Array(items) => items.iter().for_each(|i| walk(pdf, i, seen)),
            Object::Dictionary(d) => d.iter().for_each(|(_, v)| walk(pdf, v, seen)),
            Object::Stream(s) => s.dict.iter().for_each(|(_, v)| walk(pdf, v, seen)),
            _ => {}
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    pdf.trailer
        .iter()
        .for_each(|(_, v)| walk(pdf, v, &mut seen));
    seen
}

/// Every page of the annex and of a card's file uses one resource dictionary that names the
/// two fonts and nothing else, no page repeats its MediaBox as a TrimBox or CropBox or has
/// an empty Annots array, and every object of the file is reached from its trailer.
#[test]
fn pages_share_one_resource_dictionary_and_no_object_is_left_over() {
    let p = bundled_project();
    let card = Selection::OneCard(&p.source.cards[0]);
    for selection in [Selection::WholeAnnex, card] {
        let (bytes, _) = render_pdf(&p, &final_options(), selection);
        let pdf = Pdf::load_mem(&bytes).unwrap();
        let pages = pdf.get_pages();
        assert!(!pages.is_empty());
        let mut resources = std::collections::BTreeSet::new();
        for page_id in pages.values() {
            let page = pdf.get_dictionary(*page_id).unwrap();
            resources.insert(page.get(b"Resources").unwrap().as_reference().unwrap());
            for key in [&b"TrimBox"[..], b"CropBox", b"Annots"] {
                assert!(page.get(key).is_err(), "{}", String::from_utf8_lossy(key));
            }
            assert_eq!(page.get(b"MediaBox").unwrap().as_array().unwrap().len(), 4);
        }
        assert_eq!(resources.len(), 1, "one resource dictionary for every page");
        let shared = pdf.get_dictionary(*resources.first().unwrap()).unwrap();
        let keys: Vec<&[u8]> = shared.iter().map(|(k, _)| k.as_slice()).collect();
        assert_eq!(keys, [&b"Font"[..]]);
        assert_eq!(dict(&pdf, shared.get(b"Font").unwrap()).len(), 2);
        let reached = reachable(&pdf);
        let left_over: Vec<_> = pdf
            .objects
            .iter()
            .filter(|(id, o)| {
                let structural = o.as_stream().is_ok_and(|s| {
                    matches!(
                        s.dict.get(b"Type").and_then(Object::as_name),
                        Ok(b"ObjStm" | b"XRef")
                    )
                });
                !reached.contains(id) && !structural
            })
            .collect();
        assert!(
            left_over.is_empty(),
            "objects nothing refers to: {left_over:?}"
        );
    }
}

/// One renderer that draws documents in turn (a card twice, so that the second render takes
/// the kept subsets, then the annex, the card again and another card) gives each the bytes a
/// fresh renderer gives: the subsets it keeps for a file of its own are used again only for
/// the same characters (that they are used again at all, `render::pdf`'s unit test).
#[test]
fn a_renderer_used_again_gives_each_document_its_own_subsets() {
    let p = bundled_project();
    let options = BuildOptions::default();
    let docs: Vec<_> = [
        Selection::OneCard(&p.source.cards[0]),
        Selection::OneCard(&p.source.cards[0]),
        Selection::WholeAnnex,
        Selection::OneCard(&p.source.cards[0]),
        Selection::OneCard(&p.source.cards[4]),
    ]
    .into_iter()
    .map(|selection| rollikaart::document::build(&p.source, &p.template, &options, selection))
    .collect();
    let context = rollikaart::render::RenderContext {
        fonts: &p.fonts,
        icc_profile: &p.icc_profile,
        timestamp: PDF_TEST_TIMESTAMP,
        producer: "rollikaart test",
    };
    use rollikaart::render::Renderer;
    let warm = rollikaart::render::pdf::Pdf::default();
    let mut fonts = Vec::new();
    for (n, doc) in docs.iter().enumerate() {
        let again = warm.render(doc, &context).unwrap();
        let fresh = rollikaart::render::pdf::Pdf::default()
            .render(doc, &context)
            .unwrap();
        assert!(
            again == fresh,
            "document {n}: the warm renderer's bytes differ"
        );
        fonts.push(base_fonts(&again));
    }
    assert_eq!(fonts[0], fonts[1], "the same characters, the same subsets");
    assert_eq!(fonts[0], fonts[3], "the same characters, the same subsets");
    assert_ne!(
        fonts[0], fonts[2],
        "the annex draws more characters than card 1"
    );
    assert_ne!(
        fonts[0], fonts[4],
        "cards 1 and 5 draw different characters"
    );
}

fn assert_text_inside_cells(layout: &Layout) {
    let misplaced = layout.misplaced_text();
    assert!(
        misplaced.is_empty(),
        "text outside its cell or the page: {misplaced:#?}"
    );
}

#[test]
fn no_text_leaves_its_cell_on_any_bundled_page() {
    let p = bundled_project();
    let (_, layout) = whole(&p);
    assert_text_inside_cells(&layout);
}

#[test]
fn a_card_ten_times_too_long_flows_over_pages_with_every_word() {
    let mut p = bundled_project();
    let mut card = p.source.cards[0].clone();
    let purpose = card.fields[CardField::Purpose].paragraphs[0].clone();
    card.fields[CardField::Purpose].paragraphs =
        (1..=10).map(|i| format!("{i}. {purpose}")).collect();
    card.fields[CardField::Competences].paragraphs.push(
        "Ülipikksõnapartnerorganisatsioonidevahelisteläbirääkimisteläbiviimisekohustus".repeat(3),
    );
    p.source.cards[0] = card.clone();
    let (bytes, layout) = render_pdf(&p, &BuildOptions::default(), Selection::OneCard(&card));
    assert!(layout.sheets.len() >= 2, "{} sheets", layout.sheets.len());
    assert_text_inside_cells(&layout);
    // The header band is repeated on every sheet.
    for sheet in &layout.sheets {
        assert!(
            sheet
                .items
                .iter()
                .any(|i| matches!(i, Item::Text { text, .. } if text.contains("KINNITATUD")))
        );
    }
    if let Some(pages) = pdftotext_pages(&bytes) {
        assert_eq!(pages.len(), layout.sheets.len());
        let all: String = pages.iter().map(|pg| skeleton(pg)).collect();
        let header = skeleton(&format!(
            "{} {} {}",
            p.source.annex.title,
            p.template.header.right_lines.join(" "),
            p.source.annex.label
        ));
        // Each further sheet repeats the title with the continuation mark.
        let continued = skeleton(&format!(
            "{} {}",
            card.title, p.template.title.continuation_mark
        ));
        assert_eq!(all.matches(&continued).count(), pages.len() - 1);
        let body = all.replace(&header, "").replace(&continued, "");
        let expected = skeleton(&expected_card_text(&p, &card, "")).replace(&header, "");
        assert_eq!(body, expected);
    }
}

#[test]
fn draft_mark_on_every_page_and_in_the_metadata() {
    let p = bundled_project();
    let options = BuildOptions {
        draft: true,
        ..BuildOptions::default()
    };
    let (bytes, _) = render_pdf(&p, &options, Selection::WholeAnnex);
    let Some(pages) = pdftotext_pages(&bytes) else {
        return;
    };
    let mark = &p.template.draft.mark;
    assert!(
        pages.iter().all(|pg| pg.contains(mark.as_str())),
        "the mark is missing on a page"
    );
    let pdf = Pdf::load_mem(&bytes).unwrap();
    let info = dict(&pdf, pdf.trailer.get(b"Info").unwrap());
    let title = info.get(b"Title").unwrap().as_str().unwrap();
    // The title fits PDFDocEncoding (Latin-1 for its letters), so it is written in it, not
    // in UTF-16.
    assert!(!title.starts_with(&[0xFE, 0xFF]), "the title is UTF-16");
    let title: String = title.iter().map(|&b| char::from(b)).collect();
    assert!(title.contains(mark.as_str()), "{title}");
    assert!(title.contains(&p.source.annex.title), "{title}");
}

/// The catalog's XMP metadata stream as text.
fn xmp_packet(pdf: &Pdf) -> String {
    let catalog = pdf.catalog().unwrap();
    let meta = pdf
        .get_object(catalog.get(b"Metadata").unwrap().as_reference().unwrap())
        .unwrap()
        .as_stream()
        .unwrap();
    String::from_utf8(meta.content.clone()).unwrap()
}

/// The text of the XMP packet's first `element`, its character data and entity references
/// resolved by an XML reader.
fn xmp_text(xmp: &str, element: &str) -> String {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xmp);
    reader.config_mut().trim_text(false);
    let (mut inside, mut text) = (false, String::new());
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().0 == element => inside = true,
            Event::End(e) if e.name().0 == element => return text,
            Event::Text(t) if inside => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if inside => {
                let name = r.xml10_content();
                let resolved = quick_xml::escape::resolve_predefined_entity(&name);
                text.push_str(resolved.unwrap_or_else(|| panic!("unknown entity &{name};")));
            }
            Event::Eof => panic!("no <{element}> in {xmp}"),
            _ => {}
        }
    }
}

#[test]
fn metadata_with_xml_special_characters_round_trips_through_the_xmp() {
    let mut p = bundled_project();
    let title = "Lisa & <rollid> \"A\" 'B'";
    p.source.annex.title = title.into();
    p.source.annex.authority = "Amet & Co 'x'".into();
    let (bytes, _) = render_pdf(&p, &final_options(), Selection::WholeAnnex);
    let pdf = Pdf::load_mem(&bytes).unwrap();
    let xmp = xmp_packet(&pdf);
    assert_eq!(xmp_text(&xmp, "dc:title"), title, "{xmp}");
    assert_eq!(xmp_text(&xmp, "dc:creator"), "Amet & Co 'x'", "{xmp}");
    let info = dict(&pdf, pdf.trailer.get(b"Info").unwrap());
    assert_eq!(
        info.get(b"Title").unwrap().as_str().unwrap(),
        title.as_bytes()
    );
}

/// The `/BaseFont` names of the fonts on a PDF's first page.
fn base_fonts(bytes: &[u8]) -> Vec<String> {
    let pdf = Pdf::load_mem(bytes).unwrap();
    let (_, page) = pdf.get_pages().into_iter().next().unwrap();
    let page = pdf.get_dictionary(page).unwrap();
    let resources = dict(&pdf, page.get(b"Resources").unwrap());
    let fonts = dict(&pdf, resources.get(b"Font").unwrap());
    fonts
        .iter()
        .map(|(_, f)| {
            let name = dict(&pdf, f).get(b"BaseFont").unwrap().as_name().unwrap();
            String::from_utf8(name.to_vec()).unwrap()
        })
        .collect()
}

#[test]
fn every_pdf_of_a_build_embeds_the_annexs_subsets_and_keeps_its_own_text() {
    let p = bundled_project();
    for extra in [
        &[][..],
        &[
            "--final",
            "--reg-date",
            "15.03.2024",
            "--reg-number",
            "1-1/24/37",
        ][..],
        &["--draft"][..],
    ] {
        let out = tempfile::tempdir().unwrap();
        let dir = out.path().join("out");
        let mut args = vec!["build", "--out", dir.to_str().unwrap(), "-q"];
        args.extend_from_slice(extra);
        let o = run(&args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let annex = std::fs::read(dir.join("lisa.pdf")).unwrap();
        let shared = base_fonts(&annex);
        assert_eq!(shared.len(), 2, "{shared:?}");
        for card in &p.source.cards {
            let name = format!("kaardid/{:02}-{}.pdf", card.order, card.id);
            let bytes = std::fs::read(dir.join(&name)).unwrap();
            // One subset for the whole build: a card file that drew a glyph the annex's
            // subsets lack would carry subsets (and tags) of its own.
            assert_eq!(base_fonts(&bytes), shared, "{args:?} {name}");
            assert!(bytes.len() <= 24 * 1024, "{name}: {} bytes", bytes.len());
            let Some(pages) = pdftotext_pages(&bytes) else {
                continue;
            };
            let number = if extra.contains(&"--final") {
                "1-1/24/37"
            } else {
                ""
            };
            // The draft mark is drawn first, across the page.
            let page = pages
                .first()
                .unwrap()
                .replacen(&p.template.draft.mark, "", 1);
            assert_eq!(
                skeleton(&page),
                skeleton(&expected_card_text(&p, card, number)),
                "{args:?} {name}"
            );
        }
    }
}
