//! The template's values, the page fit and the input paths: each bad value is a located
//! error with a hint, found by `check` and `build` before any layout, and nothing loops.

mod common;
#[path = "../fuzz/template_case.rs"]
mod template_case;

use common::*;
use proptest::prelude::*;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Longer than any of these runs takes (they finish in well under a second); reaching it
/// means the tool hangs.
const DEADLINE: Duration = Duration::from_secs(20);

/// Runs the binary in `dir`, killing it at the deadline (then the test fails).
fn run_bounded(dir: &Path, args: &[&str]) -> (Output, Duration) {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rollikaart"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > DEADLINE {
            child.kill().unwrap();
            panic!("rollikaart {args:?} still runs after {DEADLINE:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    (child.wait_with_output().unwrap(), started.elapsed())
}

fn all_output(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

/// A workspace copy (cards, fonts, templates) with `from` replaced by `to` in `file`.
fn workspace_with(file: &str, from: &str, to: &str) -> template_case::Workspace {
    let w = template_case::Workspace::new(&root());
    let path = w.dir.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} not in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    w
}

/// `check` and `build` in the workspace both fail with every text of `expected`, and write
/// nothing.
fn assert_refused(w: &template_case::Workspace, expected: &[&str]) {
    for command in ["check", "build"] {
        let (o, _) = run_bounded(w.dir.path(), &[command]);
        let all = all_output(&o);
        assert_eq!(o.status.code(), Some(1), "{command}:\n{all}");
        for e in expected {
            assert!(all.contains(e), "{command}: {e:?} missing in:\n{all}");
        }
        assert!(!w.dir.path().join("out").exists(), "{command} wrote output");
    }
}

fn line_col(w: &template_case::Workspace, file: &str, needle: &str) -> String {
    let text = std::fs::read_to_string(w.dir.path().join(file)).unwrap();
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let col = text[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    // The diagnostic renderer prints " --> file:line:column" on a line of its own.
    format!("{file}:{line}:{col}\n")
}

#[test]
fn an_annex_title_of_hundreds_of_words_is_a_located_error_not_a_hang() {
    let words: Vec<String> = (0..400)
        .map(|i| format!("teenuspõhise juhtimise {i}"))
        .collect();
    let title = format!("title = \"{}\"", words.join(" "));
    let annex = std::fs::read_to_string(root().join("cards/lisa.toml")).unwrap();
    let first = annex.lines().find(|l| l.starts_with("title = ")).unwrap();
    let w = workspace_with("cards/lisa.toml", first, &title);
    let at = line_col(&w, "cards/lisa.toml", "title = ");
    let value_at = at.replace(":1\n", ":9\n");
    assert_refused(&w, &[&value_at, "field `title`", "the page header is"]);
    let (_, took) = run_bounded(w.dir.path(), &["check"]);
    assert!(took < DEADLINE);
}

#[test]
fn a_card_title_taller_than_a_page_is_a_located_error() {
    let words = vec!["OSAKONNA JUHATAJA"; 600].join(" ");
    let w = workspace_with(
        "cards/01-osakonna-juhataja.toml",
        "title = \"OSAKONNA JUHATAJA\"",
        &format!("title = \"{words}\""),
    );
    let at = line_col(&w, "cards/01-osakonna-juhataja.toml", "\"OSAKONNA");
    assert_refused(
        &w,
        &[&at, "field `title`", "taller than the room on a page"],
    );
}

#[test]
fn a_letter_wider_than_its_column_is_a_located_error() {
    // 60 pt type in a 20 mm label column: "M" alone is wider than the 16.4 mm for text.
    let w = workspace_with("templates/lisa.toml", "body_pt = 11.0", "body_pt = 60.0");
    let text = std::fs::read_to_string(w.dir.path().join("templates/lisa.toml")).unwrap();
    std::fs::write(
        w.dir.path().join("templates/lisa.toml"),
        text.replace("label_column_mm = 52.0", "label_column_mm = 20.0"),
    )
    .unwrap();
    let at = line_col(&w, "templates/lisa.toml", "Miks on");
    assert_refused(
        &w,
        &[&at, "field `labels.why`", "cannot be cut to fit its column"],
    );
}

#[test]
fn line_spacing_tighter_than_single_is_refused() {
    // Found by the property test below: at 0.51 the last line of every cell reached below it.
    let w = workspace_with(
        "templates/lisa.toml",
        "line_spacing = 1.0",
        "line_spacing = 0.51",
    );
    let at = line_col(&w, "templates/lisa.toml", "0.51");
    assert_refused(&w, &[&at, "field `sizes.line_spacing`", "between 1 and 5"]);
}

#[cfg(unix)]
#[test]
fn a_font_path_that_is_a_named_pipe_is_named_so_and_never_opened() {
    let w = template_case::Workspace::new(&root());
    let fifo = w.dir.path().join("fonts/pipe.ttf");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let template = w.dir.path().join("templates/lisa.toml");
    let text = std::fs::read_to_string(&template).unwrap();
    std::fs::write(
        &template,
        text.replace("LiberationSans-Bold.ttf", "pipe.ttf"),
    )
    .unwrap();
    let at = line_col(&w, "templates/lisa.toml", "\"../fonts/pipe.ttf\"");
    assert_refused(
        &w,
        &[
            &at,
            "field `fonts.bold`",
            "is a named pipe (FIFO), not a file",
        ],
    );
}

#[cfg(unix)]
#[test]
fn a_template_that_is_a_device_is_named_so() {
    let (o, _) = run_bounded(&root(), &["check", "--template", "/dev/zero"]);
    let all = all_output(&o);
    assert_eq!(o.status.code(), Some(1), "{all}");
    assert!(all.contains("is a device, not a file"), "{all}");
}

#[test]
fn a_character_that_nfc_makes_and_the_fonts_lack_is_refused_where_it_was_typed() {
    // `<` + U+0338 is `≮` in NFC; Liberation Sans has both parts but not `≮`.
    let fonts = bundled_project().fonts;
    assert!(fonts.covers('<') && fonts.covers('\u{0338}') && !fonts.covers('\u{226E}'));
    let w = workspace_with(
        "cards/01-osakonna-juhataja.toml",
        "title = \"OSAKONNA JUHATAJA\"",
        "title = \"OSAKONNA <\u{0338} JUHATAJA\"",
    );
    let at = line_col(&w, "cards/01-osakonna-juhataja.toml", "<");
    assert_refused(&w, &[&at, "U+226E", "U+003C + U+0338", "field `title`"]);
    let w = workspace_with(
        "templates/lisa.toml",
        "why = \"Miks on ametikoha vaja?\"",
        "why = \"Miks on <\u{0338} vaja?\"",
    );
    let at = line_col(&w, "templates/lisa.toml", "<");
    assert_refused(&w, &[&at, "U+226E", "field `labels.why`"]);
}

#[test]
fn a_placeholder_typo_in_a_card_gets_a_suggestion() {
    let w = workspace_with(
        "cards/01-osakonna-juhataja.toml",
        "title = \"OSAKONNA JUHATAJA\"",
        "title = \"OSAKONNA JUHATAJA {regNumbr}\"",
    );
    let at = line_col(&w, "cards/01-osakonna-juhataja.toml", "{regNumbr}");
    assert_refused(&w, &[&at, "did you mean {regNumber}?"]);
}

/// The numeric keys of the template and values that break them.
const NUMBER_KEYS: [&str; 12] = [
    "width_mm = 297.0",
    "height_mm = 210.0",
    "margin_top_mm = 10.0",
    "margin_left_mm = 20.0",
    "header_pt = 11.0",
    "body_pt = 11.0",
    "line_spacing = 1.0",
    "column_gap_mm = 10.0",
    "label_column_mm = 52.0",
    "border_pt = 0.5",
    "cell_padding_mm = 1.8",
    "size_pt = 110.0",
];

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("-inf".to_string()),
        Just("1e30".to_string()),
        Just("-0.0".to_string()),
        (-500.0f32..3000.0).prop_map(|v| format!("{v:?}")),
        (0.0f32..5.0).prop_map(|v| format!("{v:?}")),
    ]
}

proptest! {
    // 24 cases unless PROPTEST_CASES asks for more (a longer run, like the fuzz target's).
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24),
        ..ProptestConfig::default()
    })]

    /// The template fuzz target's steps, bounded: random values in up to four numeric keys
    /// give a clean refusal or a layout with every text in its box, in bounded time.
    #[test]
    fn random_template_numbers_are_refused_or_laid_out(
        edits in proptest::collection::vec((0..NUMBER_KEYS.len(), number()), 1..4)
    ) {
        let bundled = std::fs::read_to_string(root().join("templates/lisa.toml")).unwrap();
        let mut text = bundled.clone();
        for (key, value) in &edits {
            let line = NUMBER_KEYS[*key];
            let name = line.split(" = ").next().unwrap();
            text = text.replacen(line, &format!("{name} = {value}"), 1);
        }
        let (done, result) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let w = template_case::Workspace::new(&root());
            let outcome = std::panic::catch_unwind(|| w.run(text.as_bytes()));
            let _ = done.send(outcome.is_ok());
        });
        let finished = result.recv_timeout(DEADLINE);
        prop_assert_eq!(finished, Ok(true), "the case hung or panicked: {:?}", edits);
    }
}
