//! The interface in both languages: help pages and the build summary against committed
//! snapshots, how the language is chosen, no progress bar off a terminal, and no user text in
//! src/cli/ outside the Fluent files.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Output};

/// The binary with the given environment; `ROLLIKAART_LANG` and the locale come from `env`.
fn run_with(env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rollikaart"));
    cmd.args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("ROLLIKAART_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// The summary line with the build's time replaced, so that it can be compared.
fn without_time(summary: &str) -> String {
    let Some((before, after)) = summary.rsplit_once(' ').and_then(|(rest, unit)| {
        rest.rsplit_once(' ')
            .map(|(before, time)| (before.to_string(), (time, unit)))
    }) else {
        return summary.to_string();
    };
    let (time, unit) = after;
    assert!(
        time.chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.'),
        "no time at the end of {summary:?}"
    );
    format!("{before} [TIME] {unit}")
}

#[test]
fn help_pages_match_the_snapshots_in_both_languages() {
    for lang in ["et", "en"] {
        for args in [vec!["--help"], vec!["build", "--help"]] {
            let mut all = vec!["--lang", lang];
            all.extend(&args);
            let o = run_with(&[], &all);
            assert!(o.status.success(), "{}", stderr(&o));
            let name = format!("help_{lang}_{}", args.join("_").replace('-', ""));
            insta::assert_snapshot!(name, stdout(&o));
        }
    }
}

#[test]
fn the_build_summary_matches_the_snapshots_in_both_languages() {
    for lang in ["et", "en"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let o = run_with(
            &[("ROLLIKAART_LANG", lang)],
            &["build", "--out", out.to_str().unwrap()],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let summary = stdout(&o).replace(out.to_str().unwrap(), "[OUT]");
        insta::assert_snapshot!(
            format!("build_summary_{lang}"),
            without_time(summary.trim())
        );
    }
}

#[test]
fn estonian_seconds_have_a_decimal_comma() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = run_with(
        &[("LANG", "et_EE.UTF-8")],
        &["build", "--format", "pdf", "--out", out.to_str().unwrap()],
    );
    let summary = stdout(&o);
    let time = summary.trim().rsplit(' ').nth(1).unwrap_or_default();
    assert!(
        time.contains(',') && !time.contains('.'),
        "{time:?} in {summary}"
    );
}

/// Environment variables to set.
type Env<'a> = &'a [(&'a str, &'a str)];

#[test]
fn the_language_is_lang_option_then_variable_then_locale() {
    let about_et = "Koostab lisa";
    let about_en = "Build the annex";
    let first_line = |env: &[(&str, &str)], args: &[&str]| {
        let o = run_with(env, args);
        stdout(&o).lines().next().unwrap_or_default().to_string()
    };
    let cases: [(Env, &[&str], &str); 6] = [
        (&[], &["build", "--help"], about_en),
        (&[("LANG", "et_EE.UTF-8")], &["build", "--help"], about_et),
        (
            &[("LC_ALL", "et_EE.UTF-8"), ("LANG", "en_US")],
            &["build", "--help"],
            about_et,
        ),
        (
            &[("LANG", "et_EE.UTF-8"), ("ROLLIKAART_LANG", "en")],
            &["build", "--help"],
            about_en,
        ),
        (
            &[("ROLLIKAART_LANG", "en")],
            &["build", "--lang", "et", "--help"],
            about_et,
        ),
        (
            &[("ROLLIKAART_LANG", "et")],
            &["--lang=en", "build", "--help"],
            about_en,
        ),
    ];
    for (env, args, expected) in cases {
        let line = first_line(env, args);
        assert!(line.starts_with(expected), "{env:?} {args:?}: {line}");
    }
}

#[test]
fn usage_errors_are_estonian_and_exit_with_2() {
    let o = run_with(&[("ROLLIKAART_LANG", "et")], &["build", "--formaat", "pdf"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("viga: tundmatu valik '--formaat'"), "{err}");
    assert!(err.contains("'--format'"), "{err}");
}

#[test]
fn the_man_page_and_completions_are_in_the_chosen_language() {
    let man = stdout(&run_with(&[("ROLLIKAART_LANG", "et")], &["man"]));
    assert!(man.contains("Koostab Sotsiaalkindlustusameti"), "{man}");
    let fish = stdout(&run_with(
        &[("ROLLIKAART_LANG", "et")],
        &["completions", "fish"],
    ));
    assert!(fish.contains("Väljundkaust"), "{fish}");
}

/// A cards folder with `count` cards: the bundled ones and copies of the first.
fn many_cards(count: u32) -> CardsCopy {
    let copy = CardsCopy::new();
    let first = std::fs::read_to_string(copy.file("01-osakonna-juhataja.toml")).unwrap();
    for n in 15..=count {
        let text = first
            .replace("order = 1\n", &format!("order = {n}\n"))
            .replace(
                "id = \"osakonna-juhataja\"",
                &format!("id = \"osakonna-juhataja-{n}\""),
            )
            .replace(
                "title = \"OSAKONNA JUHATAJA\"",
                &format!("title = \"OSAKONNA JUHATAJA {n}\""),
            );
        copy.write(
            &format!("{n:02}-osakonna-juhataja-{n}.toml"),
            text.as_bytes(),
        );
    }
    copy
}

#[test]
fn no_progress_bar_when_standard_error_is_not_a_terminal() {
    let cards = many_cards(60);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = run_with(
        &[],
        &[
            "build",
            "--cards",
            cards.path().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // 60 cards and the annex, PDF and DOCX, and the manifest: well over the bar's threshold.
    assert!(stdout(&o).starts_with("wrote 123 files"), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.is_empty(), "something on standard error: {err:?}");
    assert!(!err.contains('\r') && !err.contains('\u{1b}'));
}

// ---- No user text in src/cli/ outside the Fluent files ----

/// Literals in src/cli/ that are not text for people: names, paths, codes, clap ids.
const NOT_TEXT: &[&str] = &[
    "--",
    "--lang",
    "--lang=",
    "help",
    "version",
    "cards",
    "templates",
    "fonts",
    "lp",
    "pdf",
    "out",
    "both",
    "et",
    "en",
    "DIR",
    "FILE",
    "NUMBER",
    "CARD",
    "LANG",
    "CI",
    "NO_COLOR",
    "SOURCE_DATE_EPOCH",
    "rollikaart",
    "help-arguments",
    "help-options",
    "{ROOT} --help",
    "$OUT_DIR/bundle/cards",
    "$OUT_DIR/bundle/templates",
    "$OUT_DIR/bundle/fonts",
];

/// The string literals of Rust source outside comments, attributes and test modules.
fn string_literals(source: &str) -> Vec<String> {
    let code: String = source
        .split("#[cfg(test)]")
        .next()
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim_start().starts_with("#["))
        .collect::<Vec<_>>()
        .join("\n");
    let chars: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = at(i);
        if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && at(i) != '\n' {
                i += 1;
            }
        } else if c == '\'' && (at(i + 2) == '\'' || at(i + 1) == '\\') {
            i += 2;
            while i < chars.len() && at(i) != '\'' {
                i += 1;
            }
            i += 1;
        } else if c == 'r'
            && (at(i + 1) == '"' || at(i + 1) == '#')
            && !(at(i.wrapping_sub(1)).is_alphanumeric() || at(i.wrapping_sub(1)) == '_')
        {
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            let start = i + 2 + hashes;
            let close: String = std::iter::once('"')
                .chain("#".repeat(hashes).chars())
                .collect();
            let rest: String = chars[start.min(chars.len())..].iter().collect();
            let len = rest.find(&close).unwrap_or(rest.len());
            found.push(rest[..len].to_string());
            i = start + rest[..len].chars().count() + close.chars().count();
        } else if c == '"' {
            let mut text = String::new();
            i += 1;
            while i < chars.len() && at(i) != '"' {
                if at(i) == '\\' {
                    text.push(at(i));
                    i += 1;
                }
                text.push(at(i));
                i += 1;
            }
            found.push(text);
            i += 1;
        } else {
            i += 1;
        }
    }
    found
}

/// Whether a literal holds words: two letters in a row once `{…}` placeholders and
/// escapes are taken out.
fn has_words(literal: &str) -> bool {
    let mut plain = String::new();
    let mut depth = 0;
    let mut chars = literal.chars();
    while let Some(c) = chars.next() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            '\\' => {
                chars.next();
                plain.push(' ');
            }
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let letters: Vec<bool> = plain.chars().map(char::is_alphabetic).collect();
    letters.windows(2).any(|w| w == [true, true])
}

/// The message ids and the variable names of the English files: the literals the code may
/// hold to name a message and fill it.
fn message_ids() -> Vec<String> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(root().join("src/locales/en")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ftl") {
            all.extend(ids_and_variables(&std::fs::read_to_string(&path).unwrap()));
        }
    }
    all
}

fn ids_and_variables(text: &str) -> Vec<String> {
    let ids = text
        .lines()
        .filter_map(|l| l.split_once(" ="))
        .map(|(id, _)| id.trim().to_string())
        .filter(|id| !id.starts_with('#') && !id.contains(' '));
    let variables = text.split('$').skip(1).map(|rest| {
        rest.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect::<String>()
    });
    ids.chain(variables).collect()
}

/// A message id put together from names, e.g. `{command}-arg-{name}`.
fn is_id_pattern(literal: &str) -> bool {
    literal.contains('{')
        && literal
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "{}-_".contains(c))
}

fn user_texts_in(source: &str, ids: &[String]) -> Vec<String> {
    string_literals(source)
        .into_iter()
        .filter(|l| has_words(l))
        .filter(|l| !NOT_TEXT.contains(&l.as_str()) && !ids.contains(l) && !is_id_pattern(l))
        .collect()
}

#[test]
fn the_scanner_finds_text_and_lets_ids_and_formats_through() {
    let ids = message_ids();
    let sample = r#"
        // println!("a comment is not output");
        println!("wrote {} files", n);
        eprintln!("{}", tr!("card-printed", file = f));
        let q = '"';
        format!("{step:<width$}{ms:>12}", "");
        cmd.help(r"raw text too");
        self.text(&[format!("{command}-arg-{name}")]);
        Diagnostic::new(None, "wrote {} to {out}");
    "#;
    assert_eq!(
        user_texts_in(sample, &ids),
        vec!["wrote {} files", "raw text too", "wrote {} to {out}"]
    );
}

#[test]
fn no_user_text_in_the_cli_code() {
    let ids = message_ids();
    let dir = root().join("src/cli");
    let mut problems = Vec::new();
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            files += 1;
            let source = std::fs::read_to_string(&path).unwrap();
            for text in user_texts_in(&source, &ids) {
                problems.push(format!("{}: {text:?}", relative(&path)));
            }
        }
    }
    assert!(files >= 8, "only {files} files in src/cli");
    assert!(
        problems.is_empty(),
        "put these in src/locales/*/cli.ftl (or, if they are not text, in NOT_TEXT):\n{}",
        problems.join("\n")
    );
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Literals of the library that are not text for people although they hold a space (the rules
/// in [`is_machine_name`] let the others through): fixed names and file formats.
const LIBRARY_NOT_TEXT: &[&str] = &[
    // The PDF producer and DOCX application name: the program's name and version.
    "rollikaart {}",
    // The ICC colour space signature (four bytes, with a space).
    "RGB ",
    // A TrueType table tag (four bytes, with a space): the font program pass drops it.
    "cvt ",
    // PDF syntax: an indirect object's header.
    "{number} {generation} obj",
    // The journal file format of an interrupted write, read back by the program.
    "rollikaart journal 1",
    "put {p}\\n",
    "remove {p}\\n",
    // Word style names: Word knows "heading 1" by this name; the others are style ids.
    "heading 1",
    "Row Label",
    "Bar Label",
    "Continuation Title",
    // serde's message for a missing key, recognised to say it in the user's language.
    "missing field ",
    // The layout's self-check for the property tests (a developer reads it, never a user).
    "sheet {n}: {text:?} at x {x}..{}, baseline {y}; box {b:?}",
    // `reason = "…"` of lint attributes that span several lines.
    "char positions bounded by the loop guards; rewrite with get() to remove",
    "lint switched on while render/ is rewritten: windows(2) gives two items",
    "the steps of one build, each its own option",
    // Document wording, not interface text: the redline marks of a template without a
    // [redline] section, the same as templates/lisa.toml writes.
    "kustutatud: ",
    "lisatud: ",
    "Muudatused võrreldes: {old}",
];

/// Lint reasons that continue on the next line start with this.
const LINT_REASON: &str = "lint switched on while render/ is rewritten:";

/// A literal that cannot be a sentence for people: one token without a space (a TOML key,
/// a path, an XML or PDF name, an id), or markup (XML, which the renderers write).
fn is_machine_name(literal: &str) -> bool {
    let markup = literal.trim_start().starts_with('<')
        || (literal.contains('<') && literal.contains('>'))
        || literal.contains("xmlns:");
    !literal.contains(' ') || markup
}

/// Every `.rs` file under `dir`, test files (`tests.rs`) left out.
fn rust_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            found.push(path);
        }
    }
}

#[test]
fn no_user_text_in_the_library_code() {
    let ids = message_ids();
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut problems = Vec::new();
    for path in &files {
        if path.starts_with(root().join("src/cli")) {
            continue; // checked by no_user_text_in_the_cli_code
        }
        let source = std::fs::read_to_string(path).unwrap();
        for text in user_texts_in(&source, &ids) {
            let allowed = LIBRARY_NOT_TEXT.contains(&text.as_str())
                || is_machine_name(&text)
                || text.starts_with(LINT_REASON);
            if !allowed {
                problems.push(format!("{}: {text:?}", relative(path)));
            }
        }
    }
    assert!(files.len() >= 30, "only {} files in src", files.len());
    assert!(
        problems.is_empty(),
        "put these in src/locales/*/<area>.ftl (or, if they are not text, in \
         LIBRARY_NOT_TEXT):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_library_rules_let_names_and_markup_through_but_not_sentences() {
    assert!(is_machine_name("page.width_mm"));
    assert!(is_machine_name("word/document.xml"));
    assert!(is_machine_name("<w:t xml:space=\"preserve\">{}</w:t>"));
    assert!(!is_machine_name("the file is not UTF-8 text"));
    assert!(!is_machine_name("cannot make {stem}.{}: {e}"));
    let ids = message_ids();
    let sample = r#"Diagnostic::new(None, "the glossary has no entries").field("entries");"#;
    assert_eq!(
        user_texts_in(sample, &ids),
        vec!["the glossary has no entries"]
    );
}

// ---- A failing `check` in both languages ----

/// A copy of the cards with three mistakes: a bad type, an unknown key, a duplicate title.
fn cards_with_three_mistakes() -> CardsCopy {
    let copy = CardsCopy::new();
    copy.edit(
        "02-talituse-juhataja.toml",
        "order = 2\n",
        "order = \"kaks\"\n",
    )
    .edit(
        "03-juhtivspetsialist.toml",
        "\nwhy = ",
        "\ntitel = \"JUHTIVSPETSIALIST\"\nwhy = ",
    )
    .edit(
        "05-teenuseomanik.toml",
        "title = \"TEENUSEOMANIK (IT vaates äriteenuse omanik)\"",
        "title = \"OSAKONNA JUHATAJA\"",
    );
    copy
}

#[test]
fn a_failing_check_matches_the_snapshots_in_both_languages() {
    let cards = cards_with_three_mistakes();
    for lang in ["et", "en"] {
        let o = run_with(
            &[("ROLLIKAART_LANG", lang)],
            &["check", "--cards", cards.path().to_str().unwrap()],
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        // The copy's folder differs per run: shown as [CARDS].
        let shown = stderr(&o).replace(cards.path().to_str().unwrap(), "[CARDS]");
        insta::assert_snapshot!(format!("check_failing_{lang}"), shown);
    }
}
