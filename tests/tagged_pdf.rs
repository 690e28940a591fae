//! The tagged PDF read back as a screen reader, a signing office and a merging tool would:
//! two PDF/UA checkers find nothing; the structure tree, walked from its root, reads each card
//! exactly, labels before their values, with every MCID reachable and nothing but artifacts
//! unmarked; a card that flows onto a second sheet repeats its title there as an artifact and
//! continues the same table; a hyphen printed at a line break reads as a soft hyphen; two
//! pyHanko signatures validate and keep the file PDF/A; Ghostscript merges the card files
//! without garbling their text.

mod common;
use common::*;
use rollikaart::Project;
use rollikaart::cards::{Card, CardField};
use rollikaart::document::{BuildOptions, Selection};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const SOFT_HYPHEN: char = '\u{00AD}';

fn render(project: &Project, options: &BuildOptions, selection: Selection<'_>) -> Vec<u8> {
    render_pdf(project, options, selection).0
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The bundled first card, made long enough to flow over onto further sheets: its purpose
/// ten times, and a word wider than its cell (broken with a hyphen) in the competences.
fn long_card(project: &mut Project) -> Card {
    let mut card = project.source.cards[0].clone();
    let purpose = card.fields[CardField::Purpose].paragraphs[0].clone();
    card.fields[CardField::Purpose].paragraphs =
        (1..=10).map(|i| format!("{i}. {purpose}")).collect();
    card.fields[CardField::Competences]
        .paragraphs
        .push(format!("{} maa-amet", "klassifikaatorikirjeldus".repeat(6)));
    project.source.cards[0] = card.clone();
    card
}

/// The files every check below runs on: the final annex, every card, a draft, a template-mode
/// build and the long card, each with a short name.
fn sample_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut p = bundled_project();
    let mut files = vec![(
        "annex".to_string(),
        write(
            dir,
            "annex.pdf",
            &render(&p, &final_options(), Selection::WholeAnnex),
        ),
    )];
    for card in &p.source.cards {
        let bytes = render(&p, &final_options(), Selection::OneCard(card));
        files.push((
            card.id.clone(),
            write(dir, &format!("{}.pdf", card.id), &bytes),
        ));
    }
    let draft = BuildOptions {
        draft: true,
        ..final_options()
    };
    files.push((
        "draft".into(),
        write(dir, "draft.pdf", &render(&p, &draft, Selection::WholeAnnex)),
    ));
    files.push((
        "template mode".into(),
        write(
            dir,
            "template.pdf",
            &render(&p, &BuildOptions::default(), Selection::WholeAnnex),
        ),
    ));
    let card = long_card(&mut p);
    files.push((
        "long card".into(),
        write(
            dir,
            "long.pdf",
            &render(&p, &final_options(), Selection::OneCard(&card)),
        ),
    ));
    files
}

fn run_checker(program: &str, args: &[&str], paths: &[&PathBuf]) -> (bool, String) {
    let out = Command::new(program)
        .args(args)
        .args(paths)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn both_pdf_ua_checkers_find_nothing() {
    let pdfua = python_module_available("pdfua");
    let outloud = tool_available("outloud", "--version");
    if !pdfua && !outloud {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let files = sample_files(dir.path());
    let all: Vec<&PathBuf> = files.iter().map(|(_, path)| path).collect();
    if pdfua {
        let (ok, report) = run_checker("python3", &["-m", "pdfua", "check"], &all);
        assert!(ok, "pdfua: {report}");
        assert_eq!(report.matches("no findings").count(), all.len(), "{report}");
        assert!(!report.contains("not evaluated"), "pdfua: {report}");
    }
    if outloud {
        // TBL-014 looks for a table only on the page its element names as its first; the
        // README says why that warning does not apply to a card's table continued on a
        // further sheet. Every other file is checked with every rule.
        let (long, short): (Vec<_>, Vec<_>) =
            files.iter().partition(|(name, _)| name == "long card");
        let short: Vec<&PathBuf> = short.iter().map(|(_, path)| path).collect();
        let long: Vec<&PathBuf> = long.iter().map(|(_, path)| path).collect();
        let (ok, report) = run_checker("outloud", &["--fail-on", "warning", "-q"], &short);
        assert!(ok, "outloud: {report}");
        let args = ["--fail-on", "warning", "-q", "--skip", "TBL-014"];
        let (ok, report) = run_checker("outloud", &args, &long);
        assert!(ok, "outloud on the long card: {report}");
    }
}

/// The structure tree, walked by tests/pdf_structure.py: elements in order, and problems.
fn structure(path: &Path) -> Option<(Vec<Value>, Vec<String>)> {
    if !python_module_available("pikepdf") {
        return None;
    }
    let out = stdout_of_success(
        Command::new("python3")
            .arg(root().join("tests/pdf_structure.py"))
            .arg(path),
    );
    let v: Value = serde_json::from_slice(&out).unwrap();
    let elements = v["elements"].as_array().unwrap().clone();
    let problems = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    Some((elements, problems))
}

/// The text of every element that holds text, in tree order, soft hyphens dropped.
fn read_aloud(elements: &[Value]) -> Vec<String> {
    elements
        .iter()
        .map(|e| e["text"].as_str().unwrap().replace(SOFT_HYPHEN, ""))
        .filter(|t| !t.is_empty())
        .collect()
}

fn kinds(elements: &[Value]) -> Vec<String> {
    elements
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_string())
        .collect()
}

/// What a card reads as, paragraph by paragraph: the header band, the title, each label
/// before its text.
fn expected_reading(p: &Project, card: &Card) -> Vec<String> {
    let l = &p.template.labels;
    let mut parts = vec![p.source.annex.title.clone()];
    parts.extend(p.template.header.right_lines.iter().map(|line| {
        line.replace("{regDateTime}", "15.03.2024")
            .replace("{regNumber}", "1-1/24/37")
    }));
    parts.push(p.source.annex.label.clone());
    parts.push(card.title.clone());
    parts.extend(card.subtitle.clone());
    let labelled = [
        (&l[CardField::Why], &card.fields[CardField::Why]),
        (&l[CardField::Roles], &card.fields[CardField::Roles]),
        (&l[CardField::Purpose], &card.fields[CardField::Purpose]),
        (&l[CardField::Benefit], &card.fields[CardField::Benefit]),
    ];
    for (label, text) in labelled {
        parts.push(label.get_ref().clone());
        parts.extend(text.paragraphs.iter().cloned());
    }
    parts.push(l[CardField::TargetGroups].get_ref().clone());
    parts.push(l[CardField::Competences].get_ref().clone());
    parts.extend(
        card.fields[CardField::TargetGroups]
            .paragraphs
            .iter()
            .cloned(),
    );
    parts.extend(
        card.fields[CardField::Competences]
            .paragraphs
            .iter()
            .cloned(),
    );
    parts.push(l[CardField::JobFamily].get_ref().clone());
    parts.extend(card.fields[CardField::JobFamily].paragraphs.iter().cloned());
    parts
        .into_iter()
        .map(|s| s.replace(SOFT_HYPHEN, ""))
        .collect()
}

#[test]
fn the_structure_tree_reads_each_card_exactly() {
    let p = bundled_project();
    let dir = tempfile::tempdir().unwrap();
    for card in &p.source.cards {
        let bytes = render(&p, &final_options(), Selection::OneCard(card));
        let path = write(dir.path(), "card.pdf", &bytes);
        let Some((elements, problems)) = structure(&path) else {
            return;
        };
        assert!(problems.is_empty(), "{}: {problems:#?}", card.id);
        assert_eq!(
            read_aloud(&elements),
            expected_reading(&p, card),
            "{}",
            card.id
        );
        let k = kinds(&elements);
        assert_eq!(k.iter().filter(|t| *t == "H1").count(), 1);
        assert_eq!(k.iter().filter(|t| *t == "Table").count(), 1);
        assert_eq!(k.iter().filter(|t| *t == "Sect").count(), 1);
        // The cells in order, each with its scope and span.
        let cells: Vec<String> = elements
            .iter()
            .filter(|e| matches!(e["type"].as_str(), Some("TH" | "TD")))
            .map(|e| {
                let a = &e["attributes"];
                format!(
                    "{} {} {}",
                    e["type"].as_str().unwrap(),
                    a["Scope"].as_str().unwrap_or("-"),
                    a["ColSpan"].as_i64().unwrap_or(1)
                )
            })
            .collect();
        let row = ["TH Row 1", "TD - 1"];
        let bar = ["TH Column 2", "TD - 2"];
        let columns = ["TH Column 1", "TH Column 1", "TD - 1", "TD - 1"];
        let want: Vec<&str> = [&row[..], &row, &bar, &bar, &columns, &row].concat();
        assert_eq!(cells, want, "{}", card.id);
    }
}

#[test]
fn the_glossary_is_a_list_of_terms_and_definitions() {
    let p = bundled_project();
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "annex.pdf",
        &render(&p, &final_options(), Selection::WholeAnnex),
    );
    let Some((elements, problems)) = structure(&path) else {
        return;
    };
    assert!(problems.is_empty(), "{problems:#?}");
    let k = kinds(&elements);
    assert_eq!(
        k.iter().filter(|t| *t == "Sect").count(),
        p.source.cards.len() + 1
    );
    assert_eq!(
        k.iter().filter(|t| *t == "H1").count(),
        p.source.cards.len() + 1
    );
    let glossary = &p.source.glossary;
    let start = elements.iter().rposition(|e| e["type"] == "H1").unwrap();
    assert_eq!(elements[start]["text"], glossary.title.as_str());
    let labels: Vec<&str> = elements[start..]
        .iter()
        .filter(|e| e["type"] == "Lbl")
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    let terms: Vec<&str> = glossary.entries.iter().map(|e| e.term.as_str()).collect();
    assert_eq!(labels, terms);
    assert_eq!(
        k[start..].iter().filter(|t| *t == "LI").count(),
        glossary.entries.len()
    );
    // Each term, then its separator and definition, in the tree's order.
    let mut expected = Vec::new();
    for e in &glossary.entries {
        expected.push(e.term.clone());
        let separator = e
            .separator
            .as_deref()
            .unwrap_or(&p.template.glossary.separator);
        let mut paragraphs = e.definition.paragraphs.iter();
        expected.push(format!(
            "{separator}{}",
            paragraphs.next().cloned().unwrap_or_default()
        ));
        expected.extend(paragraphs.cloned());
    }
    assert_eq!(read_aloud(&elements[start + 1..]), expected);
}

#[test]
fn a_long_card_repeats_its_title_as_an_artifact_and_continues_its_table() {
    let mut p = bundled_project();
    let card = long_card(&mut p);
    let bytes = render(&p, &final_options(), Selection::OneCard(&card));
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "long.pdf", &bytes);
    let mark = &p.template.title.continuation_mark;
    let continued = format!("{} {mark}", card.title);
    if let Some(text) = pdftotext(&bytes) {
        let pages: Vec<&str> = text
            .split('\u{000C}')
            .filter(|s| !s.trim().is_empty())
            .collect();
        assert!(pages.len() >= 2, "{} pages", pages.len());
        assert!(!pages[0].contains(mark.as_str()));
        for page in &pages[1..] {
            // The header band, then the continued title, before the rows.
            let title_at = page.find(&continued).expect("continued title on the page");
            let label_at = page.find(&p.source.annex.label).unwrap();
            assert!(label_at < title_at, "{page}");
        }
    }
    let Some((elements, problems)) = structure(&path) else {
        return;
    };
    assert!(problems.is_empty(), "{problems:#?}");
    let reading = read_aloud(&elements);
    assert_eq!(reading, expected_reading(&p, &card));
    assert!(!reading.iter().any(|t| t.contains(mark.as_str())));
    let k = kinds(&elements);
    assert_eq!(k.iter().filter(|t| *t == "Table").count(), 1);
    assert_eq!(k.iter().filter(|t| *t == "H1").count(), 1);
}

#[test]
fn a_hyphen_at_a_line_break_reads_as_a_soft_hyphen_and_a_typed_one_stays() {
    let mut p = bundled_project();
    let card = long_card(&mut p);
    let bytes = render(&p, &final_options(), Selection::OneCard(&card));
    let word = "klassifikaatorikirjeldus".repeat(6);
    if let Some(text) = pdftotext(&bytes) {
        assert!(text.contains(SOFT_HYPHEN), "no soft hyphen at the break");
        // What a soft hyphen at a line end means: the word goes on.
        let joined = text.replace(&format!("{SOFT_HYPHEN}\n"), "");
        assert!(joined.contains(&format!("{word} maa-amet")), "{joined}");
        assert!(
            !text.contains("klassifi-\n"),
            "a break hyphen reads as U+002D"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "long.pdf", &bytes);
    let Some((elements, _)) = structure(&path) else {
        return;
    };
    let all: String = elements
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert!(all.contains(SOFT_HYPHEN));
    assert!(
        all.replace(SOFT_HYPHEN, "")
            .contains(&format!("{word} maa-amet"))
    );
}

#[test]
fn two_pyhanko_signatures_validate_and_keep_the_file_pdfa() {
    if !python_module_available("pyhanko") || !python_module_available("pikepdf") {
        return;
    }
    let p = bundled_project();
    let bytes = render(&p, &final_options(), Selection::WholeAnnex);
    assert!(
        bytes.ends_with(b"%%EOF\n"),
        "the file does not end with %%EOF and EOL"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "lisa.pdf", &bytes);
    let out = Command::new("python3")
        .arg(root().join("tests/sign_check.py"))
        .arg(&path)
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for name in ["signed1.pdf", "signed2.pdf"] {
        let signed_path = dir.path().join(name);
        let signed = std::fs::read(&signed_path).unwrap();
        // Appended, not rewritten: the signed revision starts on a line of its own.
        assert!(signed.starts_with(&bytes), "{name} rewrote the original");
        assert_pdfa_check(&signed_path, name);
        if tool_available("qpdf", "--version") {
            assert_qpdf_check(&signed_path, name);
        }
    }
}

#[test]
fn a_ghostscript_merge_of_the_card_files_keeps_their_text() {
    if !tool_available("gs", "--version") || !tool_available("pdftotext", "-v") {
        return;
    }
    let p = bundled_project();
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut concatenated = String::new();
    for card in &p.source.cards {
        let bytes = render(&p, &final_options(), Selection::OneCard(card));
        concatenated.push_str(&pdftotext(&bytes).unwrap());
        files.push(write(dir.path(), &format!("{}.pdf", card.id), &bytes));
    }
    let merged = dir.path().join("merged.pdf");
    stdout_of_success(
        Command::new("gs")
            .args(["-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite"])
            .arg(format!("-sOutputFile={}", merged.display()))
            .args(&files),
    );
    let text = pdftotext(&std::fs::read(&merged).unwrap()).unwrap();
    assert!(text == concatenated, "the merge changed the text");
    assert_eq!(text.matches("KINNITATUD").count(), p.source.cards.len());
}

#[test]
fn subset_tags_differ_between_different_subsets() {
    let p = bundled_project();
    let mut tags = std::collections::BTreeMap::new();
    for card in &p.source.cards {
        let bytes = render(&p, &final_options(), Selection::OneCard(card));
        let pdf = lopdf::Document::load_mem(&bytes).unwrap();
        for (_, obj) in pdf.objects.iter() {
            let Ok(d) = obj.as_dict() else { continue };
            let Ok(name) = d.get(b"FontName").and_then(lopdf::Object::as_name) else {
                continue;
            };
            let name = String::from_utf8(name.to_vec()).unwrap();
            let (tag, face) = name.split_once('+').unwrap();
            assert!(tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()));
            assert_ne!(tag, "RKBOLD");
            assert_ne!(tag, "RKREGU");
            // The cap height is the font's own (OS/2), not its ascent.
            let cap = d.get(b"CapHeight").unwrap().as_i64().unwrap();
            let ascent = d.get(b"Ascent").unwrap().as_i64().unwrap();
            assert!(cap < ascent, "{cap} {ascent}");
            let file = d.get(b"FontFile2").unwrap().as_reference().unwrap();
            let program = pdf.get_object(file).unwrap().as_stream().unwrap();
            let content = program
                .decompressed_content()
                .unwrap_or_else(|_| program.content.clone());
            let previous = tags.insert((tag.to_string(), face.to_string()), content.clone());
            if let Some(previous) = previous {
                assert_eq!(
                    previous, content,
                    "two different subsets share the tag {tag}"
                );
            }
        }
    }
    assert!(tags.len() > 2, "every card has the same subsets");
}
