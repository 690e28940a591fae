//! Inputs the fuzzer (`fuzz/`, target `card_file`) found, replayed as tests.
//!
//! Every file in `tests/fuzz-regressions/` is one card file. It goes the fuzz target's way:
//! written as the only card next to the bundled `lisa.toml` and `sonaraamat.toml`, loaded and
//! validated, and, when it loads, built, laid out and rendered to PDF and DOCX. The library
//! must not panic; bad input must come back as located diagnostics, good input as a PDF and a
//! DOCX whose text stays inside its boxes.

#[path = "../fuzz/render_check.rs"]
mod render_check;

use rollikaart::Project;
use rollikaart::render::RenderContext;
use rollikaart::render::pdf::Pdf;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn project() -> Project {
    let root = root();
    rollikaart::load_project(&root.join("cards"), &root.join("templates/lisa.toml"))
        .unwrap_or_else(|d| panic!("the bundled project loads: {d:?}"))
}

/// What happened to one input.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// Refused with this many diagnostics.
    Refused(usize),
    /// Loaded and rendered; the sizes of the PDF and the DOCX.
    Rendered(usize, usize),
}

/// Runs one card file through the library as the fuzz target does.
fn run(project: &Project, pdf: &Pdf, bytes: &[u8]) -> Result<Outcome, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    for name in [
        rollikaart::cards::ANNEX_FILE,
        rollikaart::cards::GLOSSARY_FILE,
    ] {
        std::fs::copy(root().join("cards").join(name), dir.path().join(name))
            .map_err(|e| e.to_string())?;
    }
    std::fs::write(dir.path().join("01-fuzz.toml"), bytes).map_err(|e| e.to_string())?;
    let fonts = &project.fonts;
    let covers = |c: char| fonts.covers(c);
    let source = match rollikaart::cards::load(dir.path(), Some(&covers)) {
        Ok(source) => source,
        Err(d) if d.is_empty() => return Err("refused without a diagnostic".into()),
        Err(d) => return Ok(Outcome::Refused(d.len())),
    };
    let context = RenderContext {
        fonts,
        icc_profile: &project.icc_profile,
        timestamp: 1_700_000_000,
        producer: "rollikaart fuzz-regressions",
    };
    let mut sizes = (0, 0);
    for card in &source.cards {
        let (pdf, docx) =
            render_check::render_card(&source, &project.template, &context, pdf, card)?;
        sizes = (sizes.0 + pdf, sizes.1 + docx);
    }
    Ok(Outcome::Rendered(sizes.0, sizes.1))
}

fn regression_files() -> Vec<PathBuf> {
    let dir = root().join("tests/fuzz-regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    files
}

fn outcome_of(project: &Project, pdf: &Pdf, path: &Path) -> Result<Outcome, String> {
    let bytes = std::fs::read(path).unwrap();
    match catch_unwind(AssertUnwindSafe(|| run(project, pdf, &bytes))) {
        Ok(result) => result,
        Err(panic) => Err(format!(
            "panicked: {}",
            panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)")
        )),
    }
}

/// Every kept input ends in a clean refusal or a clean rendering.
#[test]
fn every_kept_input_is_handled_cleanly() {
    let project = project();
    let pdf = Pdf::default();
    let files = regression_files();
    assert!(
        !files.is_empty(),
        "tests/fuzz-regressions/ holds the inputs"
    );
    let mut failures = Vec::new();
    for path in &files {
        match outcome_of(&project, &pdf, path) {
            Ok(outcome) => eprintln!("{}: {outcome:?}", path.display()),
            Err(e) => failures.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The harness itself: a bundled card renders, a broken one is refused with diagnostics.
#[test]
fn the_harness_renders_a_bundled_card_and_refuses_garbage() {
    let project = project();
    let pdf = Pdf::default();
    let card = std::fs::read(root().join("cards/08-spetsialist.toml")).unwrap();
    assert!(matches!(
        run(&project, &pdf, &card),
        Ok(Outcome::Rendered(p, d)) if p > 0 && d > 0
    ));
    assert!(matches!(
        run(&project, &pdf, b"order = \"x\"\n[[["),
        Ok(Outcome::Refused(n)) if n > 0
    ));
}
