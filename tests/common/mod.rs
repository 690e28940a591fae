//! Shared helpers for the integration tests: running the real binary on copies of the cards.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the `rollikaart` binary in the repository root.
pub fn run(args: &[&str]) -> Output {
    run_in(&root(), args)
}

pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rollikaart"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        // The tests read the English messages unless they ask for Estonian (tests/i18n.rs).
        .env("ROLLIKAART_LANG", "en")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("the binary runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A copy of the bundled cards folder in a temporary folder.
pub struct CardsCopy {
    pub dir: tempfile::TempDir,
}

impl CardsCopy {
    pub fn new() -> CardsCopy {
        let dir = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir(root().join("cards")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
        CardsCopy { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Replaces `from` by `to` in one file; the text must be there.
    pub fn edit(&self, name: &str, from: &str, to: &str) -> &Self {
        let path = self.file(name);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from:?} not in {name}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        self
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> &Self {
        std::fs::write(self.file(name), bytes).unwrap();
        self
    }

    /// `rollikaart check` on this folder with the bundled template.
    pub fn check(&self) -> Output {
        let template = root().join("templates/lisa.toml");
        run(&[
            "check",
            "--cards",
            self.path().to_str().unwrap(),
            "--template",
            template.to_str().unwrap(),
        ])
    }
}

/// The 1-based line in `name` (inside the copy) holding `needle`.
pub fn line_of(copy: &CardsCopy, name: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(copy.file(name)).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle present")
        + 1
}

/// Whether the outside program `program` can be run (`program --version` or `-v` succeeds).
/// When it cannot, says so loudly on stderr; with ROLLIKAART_REQUIRE_TOOLS=1 (CI) a missing
/// program fails the test instead of skipping it.
pub fn tool_available(program: &str, version_arg: &str) -> bool {
    let ok = Command::new(program)
        .arg(version_arg)
        .output()
        .is_ok_and(|o| o.status.success() || !o.stdout.is_empty() || !o.stderr.is_empty());
    if !ok {
        skip_or_fail(&format!("the program `{program}` is not installed"));
    }
    ok
}

/// Whether Python can import `module` (e.g. pikepdf); same skip rules as [`tool_available`].
pub fn python_module_available(module: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        skip_or_fail(&format!("the Python module `{module}` is not installed"));
    }
    ok
}

fn skip_or_fail(why: &str) {
    if std::env::var("ROLLIKAART_REQUIRE_TOOLS").is_ok_and(|v| v == "1") {
        panic!("{why}, and ROLLIKAART_REQUIRE_TOOLS=1 forbids skipping; run .ci/run or install it");
    }
    eprintln!(
        "\n*** SKIPPED: {why}; this check did not run. Install it (see .ci/run) to run it. ***\n"
    );
}

/// The bundled project, loaded through the library.
pub fn bundled_project() -> rollikaart::Project {
    let root = root();
    rollikaart::load_project(&root.join("cards"), &root.join("templates/lisa.toml"))
        .expect("bundled cards load")
}

/// The text of a PDF as `pdftotext -raw` gives it (content-stream order, pages separated by
/// form feeds), or `None` (after the loud skip) when poppler is not installed.
pub fn pdftotext(bytes: &[u8]) -> Option<String> {
    if !tool_available("pdftotext", "-v") {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = stdout_of_success(
        Command::new("pdftotext")
            .args(["-raw", "-enc", "UTF-8"])
            .arg(&path)
            .arg("-"),
    );
    Some(String::from_utf8(out).unwrap())
}

/// A card's title, subtitle and every paragraph of its fields, in annex order.
pub fn card_texts(card: &rollikaart::cards::Card) -> Vec<String> {
    let mut texts = vec![card.title.clone()];
    texts.extend(card.subtitle.clone());
    for field in card.fields.values() {
        texts.extend(field.paragraphs.iter().cloned());
    }
    texts
}

/// Runs `command` on a file and asserts that it succeeds, showing what it printed when not
/// (`what` names the file in the message).
pub fn assert_succeeds(command: &mut Command, what: &str) {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The project's PDF/A structure checks (`tests/pdfa_check.py`, pikepdf) pass on `path`.
pub fn assert_pdfa_check(path: &Path, what: &str) {
    assert_succeeds(
        Command::new("python3")
            .arg(root().join("tests/pdfa_check.py"))
            .arg(path),
        what,
    );
}

/// `qpdf --check` passes on `path`.
pub fn assert_qpdf_check(path: &Path, what: &str) {
    assert_succeeds(Command::new("qpdf").arg("--check").arg(path), what);
}

/// The date the library-level PDF tests write into their files: 2024-03-15T00:00:00Z.
pub const PDF_TEST_TIMESTAMP: i64 = 1_710_460_800;

/// Final mode with the registration of the examples: 15.03.2024, 1-1/24/37.
pub fn final_options() -> rollikaart::document::BuildOptions {
    rollikaart::document::BuildOptions {
        registration: rollikaart::registration::Registration::from_args(
            Some("15.03.2024"),
            Some("1-1/24/37"),
        )
        .unwrap(),
        draft: false,
    }
}

/// The PDF of `selection` rendered through the library at [`PDF_TEST_TIMESTAMP`], and its
/// layout.
pub fn render_pdf(
    project: &rollikaart::Project,
    options: &rollikaart::document::BuildOptions,
    selection: rollikaart::document::Selection<'_>,
) -> (Vec<u8>, rollikaart::layout::page::Layout) {
    let doc = rollikaart::document::build(&project.source, &project.template, options, selection);
    let context = rollikaart::render::RenderContext {
        fonts: &project.fonts,
        icc_profile: &project.icc_profile,
        timestamp: PDF_TEST_TIMESTAMP,
        producer: "rollikaart test",
    };
    rollikaart::render::pdf::Pdf::default()
        .render_with_layout(&doc, &context)
        .expect("renders")
}

/// Runs `command`, asserts that it succeeds (showing its standard error when not) and gives
/// what it printed.
pub fn stdout_of_success(command: &mut Command) -> Vec<u8> {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}
