//! The corpus of bad inputs under tests/bad-input/: one folder per case, each with
//! `expect.toml` (exit code and the texts the output must hold) and the card or template files
//! that replace the bundled ones. Every case runs `rollikaart build` through the real binary:
//! no panic, the expected exit code and message, and after a failure no output at all.

mod common;
use common::*;
use std::path::Path;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    description: String,
    exit: i32,
    /// Texts that must appear in stdout + stderr.
    output: Vec<String>,
    /// Bundled card files to delete first ("*" for all).
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    pdf_pages_at_least: Option<PagesAtLeast>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PagesAtLeast {
    file: String,
    pages: usize,
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        if e.file_name() != ".keep" {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn run_case(case: &Path) {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let expect: Expect =
        toml::from_str(&std::fs::read_to_string(case.join("expect.toml")).unwrap()).unwrap();
    let work = tempfile::tempdir().unwrap();
    let (cards, templates, fonts) = (
        work.path().join("cards"),
        work.path().join("templates"),
        work.path().join("fonts"),
    );
    copy_dir(&root().join("cards"), &cards);
    copy_dir(&root().join("templates"), &templates);
    copy_dir(&root().join("fonts"), &fonts);
    for r in &expect.remove {
        if r == "*" {
            std::fs::remove_dir_all(&cards).unwrap();
            std::fs::create_dir(&cards).unwrap();
        } else {
            std::fs::remove_file(cards.join(r)).unwrap();
        }
    }
    copy_dir(&case.join("cards"), &cards);
    if case.join("templates").is_dir() {
        copy_dir(&case.join("templates"), &templates);
    }
    let out = work.path().join("out");
    let o = run(&[
        "build",
        "--cards",
        cards.to_str().unwrap(),
        "--template",
        templates.join("lisa.toml").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(
        o.status.code(),
        Some(expect.exit),
        "{name} ({}):\n{all}",
        expect.description
    );
    assert!(
        !all.contains("panicked") && !all.contains("internal error"),
        "{name}: {all}"
    );
    for text in &expect.output {
        assert!(
            all.contains(text.as_str()),
            "{name}: expected {text:?} in:\n{all}"
        );
    }
    if expect.exit != 0 {
        assert!(all.contains("= help:"), "{name}: no hint:\n{all}");
        assert!(
            !out.exists(),
            "{name}: a failed build wrote {}",
            out.display()
        );
    }
    if let Some(p) = expect.pdf_pages_at_least {
        let pdf = lopdf::Document::load(out.join(&p.file)).unwrap();
        assert!(
            pdf.get_pages().len() >= p.pages,
            "{name}: {} pages",
            pdf.get_pages().len()
        );
    }
}

#[test]
fn every_bad_input_case_gives_its_message() {
    let mut cases: Vec<_> = std::fs::read_dir(root().join("tests/bad-input"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 19, "the corpus lost cases");
    for case in cases {
        run_case(&case);
    }
}

#[test]
fn five_thousand_cards_check_and_list() {
    let cards = CardsCopy::new();
    let base = std::fs::read_to_string(cards.file("01-osakonna-juhataja.toml")).unwrap();
    for n in 15..=5000 {
        let text = base
            .replace("order = 1", &format!("order = {n}"))
            .replace("id = \"osakonna-juhataja\"", &format!("id = \"kaart-{n}\""))
            .replace(
                "title = \"OSAKONNA JUHATAJA\"",
                &format!("title = \"KAART {n}\""),
            );
        std::fs::write(cards.file(&format!("{n:04}-kaart.toml")), text).unwrap();
    }
    let o = cards.check();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("5000 cards"), "{}", stdout(&o));
}
