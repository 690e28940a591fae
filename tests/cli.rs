//! The three jobs through the real binary: build everything, one card, final and draft mode,
//! and every failure path leaving the output folder exactly as it was.

mod common;
use common::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

fn out_arg(dir: &Path) -> String {
    dir.to_str().unwrap().to_string()
}

/// Every file under `dir` with its bytes, for before/after comparisons.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return files;
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            if p.is_dir() {
                files.insert(format!("{rel}/"), Vec::new());
                stack.push(p);
            } else {
                files.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    files
}

#[test]
fn build_writes_the_annex_every_card_and_a_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = run(&["build", "--out", &out_arg(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = stdout(&o);
    assert_eq!(summary.lines().count(), 1, "{summary}");
    assert!(
        summary.starts_with("wrote 31 files (29 pages) to "),
        "{summary}"
    );
    let files = snapshot(&out);
    let p = bundled_project();
    let mut expected = vec![
        "SHA256SUMS".to_string(),
        "kaardid/".into(),
        "lisa.docx".into(),
        "lisa.pdf".into(),
    ];
    for c in &p.source.cards {
        expected.push(format!("kaardid/{:02}-{}.pdf", c.order, c.id));
        expected.push(format!("kaardid/{:02}-{}.docx", c.order, c.id));
    }
    expected.sort();
    assert_eq!(files.keys().cloned().collect::<Vec<_>>(), expected);
    for name in files.keys() {
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b)),
            "{name}"
        );
    }
    // SHA256SUMS lists every other file with its real hash, in sha256sum format.
    let sums = String::from_utf8(files["SHA256SUMS"].clone()).unwrap();
    assert_eq!(sums.lines().count(), 30);
    for line in sums.lines() {
        let (hash, name) = line.split_once("  ").unwrap();
        let actual: String = Sha256::digest(&files[name])
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hash, actual, "{name}");
    }
    if tool_available("sha256sum", "--version") {
        let c = std::process::Command::new("sha256sum")
            .args(["-c", "--quiet", "SHA256SUMS"])
            .current_dir(&out)
            .output()
            .unwrap();
        assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stdout));
    }
    // Reproducible across processes.
    let out2 = tmp.path().join("out2");
    assert!(
        run(&["build", "-q", "--out", &out_arg(&out2)])
            .status
            .success()
    );
    assert_eq!(snapshot(&out2), files);
}

#[test]
fn format_quiet_and_verbose() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(&[
        "build",
        "--format",
        "pdf",
        "-q",
        "--out",
        &out_arg(tmp.path()),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty() && o.stderr.is_empty());
    let files = snapshot(tmp.path());
    assert!(files.keys().all(|k| !k.ends_with(".docx")));
    assert!(files.contains_key("lisa.pdf"));
    let tmp = tempfile::tempdir().unwrap();
    let o = run(&[
        "card",
        "1",
        "--format",
        "docx",
        "--verbose",
        "--out",
        &out_arg(tmp.path()),
    ]);
    let text = stdout(&o);
    assert!(
        text.contains("01-osakonna-juhataja.docx") && text.contains("SHA256SUMS"),
        "{text}"
    );
    assert_eq!(run(&["build", "--format", "odt"]).status.code(), Some(2));
}

#[test]
fn one_card_by_id_number_or_title() {
    for key in ["peadirektori-nounik", "7", "PEADIREKTORI NÕUNIK"] {
        let tmp = tempfile::tempdir().unwrap();
        let o = run(&["card", key, "--out", &out_arg(tmp.path())]);
        assert!(o.status.success(), "{key}: {}", stderr(&o));
        let names: Vec<String> = snapshot(tmp.path()).into_keys().collect();
        assert_eq!(
            names,
            [
                "07-peadirektori-nounik.docx",
                "07-peadirektori-nounik.pdf",
                "SHA256SUMS.card-07"
            ]
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    let o = run(&["card", "direktor", "--out", &out_arg(tmp.path())]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("there is no card `direktor`"));
    assert!(stderr(&o).contains("teenuse-disainer"), "{}", stderr(&o));
    assert!(snapshot(tmp.path()).is_empty());
}

#[test]
fn print_without_a_print_system_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let empty_path = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_rollikaart"))
        .args(["card", "3", "--print", "--out", &out_arg(tmp.path())])
        .current_dir(root())
        .env("PATH", empty_path.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no print system found"),
        "{}",
        stderr(&o)
    );
    assert!(snapshot(tmp.path()).contains_key("03-juhtivspetsialist.pdf"));
}

fn pdf_info_date(path: &Path) -> String {
    let pdf = lopdf::Document::load(path).unwrap();
    let info = pdf.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let d = pdf.get_dictionary(info).unwrap();
    String::from_utf8(d.get(b"CreationDate").unwrap().as_str().unwrap().to_vec()).unwrap()
}

fn docx_header_text(path: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().is_ok_and(|n| n.starts_with("word/header")) {
            std::io::Read::read_to_string(&mut f, &mut all).unwrap();
        }
    }
    all
}

#[test]
fn final_mode_fills_the_placeholders_in_both_forms_of_date() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let o = run(&[
        "card",
        "1",
        "--final",
        "--reg-date",
        "15.03.2024",
        "--reg-number",
        "1-1/24/37",
        "--out",
        &out_arg(a.path()),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&[
        "card",
        "1",
        "--reg-date",
        "2024-03-15",
        "--reg-number",
        "1-1/24/37",
        "--out",
        &out_arg(b.path()),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(snapshot(a.path()), snapshot(b.path()));
    let pdf = a.path().join("01-osakonna-juhataja.pdf");
    assert_eq!(pdf_info_date(&pdf), "D:20240315000000+00'00'");
    let header = docx_header_text(&a.path().join("01-osakonna-juhataja.docx"));
    assert!(
        header.contains("15.03.2024") && header.contains("1-1/24/37"),
        "{header}"
    );
    assert!(!header.contains("{reg"), "{header}");
    if tool_available("pdftotext", "-v") {
        let t = std::process::Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8(t.stdout).unwrap();
        assert!(
            text.contains("15.03.2024 käskkirjaga nr 1-1/24/37"),
            "{text}"
        );
        assert!(!text.contains("{reg"));
    }
}

#[test]
fn template_mode_keeps_placeholders_and_honours_source_date_epoch() {
    let tmp = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_rollikaart"))
        .args(["card", "2", "--out", &out_arg(tmp.path())])
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(
        pdf_info_date(&tmp.path().join("02-talituse-juhataja.pdf")),
        "D:20231114221320+00'00'"
    );
    let header = docx_header_text(&tmp.path().join("02-talituse-juhataja.docx"));
    assert!(header.contains("{regDateTime}") && header.contains("{regNumber}"));
}

#[test]
fn bad_registration_data_is_refused_and_nothing_written() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["--reg-date", "31.02.2024", "--reg-number", "1"],
            "not a valid registration date",
        ),
        (
            &["--reg-date", "15.03.2024"],
            "--reg-date was given without --reg-number",
        ),
        (
            &["--reg-number", "1-1/24/37"],
            "--reg-number was given without --reg-date",
        ),
        (
            &["--reg-date", "15.03.2024", "--reg-number", "1\n2"],
            "not a valid directive number",
        ),
        (
            &["--reg-date", "15.03.2024", "--reg-number", &"7".repeat(65)],
            "at most 64",
        ),
        (&["--final"], "--final was given without registration data"),
    ];
    for (args, message) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let mut all = vec!["build", "--out", out.to_str().unwrap()];
        all.extend_from_slice(args);
        let o = run(&all);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(stderr(&o).contains(message), "{args:?}: {}", stderr(&o));
        assert!(!out.exists(), "{args:?} created the output folder");
    }
}

#[test]
fn final_refuses_a_placeholder_left_in_a_card_only_in_template_mode_it_passes() {
    // Known placeholders typed into a card are filled in final mode, so --final passes;
    // without registration data --final refuses before writing.
    let cards = CardsCopy::new();
    cards.edit(
        "03-juhtivspetsialist.toml",
        "Teenusepõhise eestvedajana",
        "Teenusepõhise {regNumber} eestvedajana",
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let c = out_arg(cards.path());
    let o = run(&["build", "--cards", &c, "--final", "--out", &out_arg(&out)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists());
    let o = run(&[
        "build",
        "--cards",
        &c,
        "--final",
        "--reg-date",
        "1.1.2024",
        "--reg-number",
        "5",
        "--out",
        &out_arg(&out),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    if tool_available("pdftotext", "-v") {
        let t = std::process::Command::new("pdftotext")
            .arg(out.join("kaardid/03-juhtivspetsialist.pdf"))
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8(t.stdout).unwrap();
        assert!(text.contains("Teenusepõhise 5 eestvedajana"), "{text}");
    }
}

#[test]
fn draft_mark_on_every_page() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(&[
        "build",
        "--draft",
        "--format",
        "pdf",
        "--out",
        &out_arg(tmp.path()),
    ]);
    assert!(o.status.success());
    if tool_available("pdftotext", "-v") {
        // -raw: the mark is drawn diagonally, which the default mode leaves out.
        let t = std::process::Command::new("pdftotext")
            .arg("-raw")
            .arg(tmp.path().join("lisa.pdf"))
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8(t.stdout).unwrap();
        assert_eq!(text.matches("KAVAND").count(), 15, "{text}");
    }
}

#[test]
fn output_path_that_is_a_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("out");
    std::fs::write(&file, "keep me").unwrap();
    let o = run(&["build", "--out", &out_arg(&file)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is a file, not a folder"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
}

#[test]
fn a_failed_build_leaves_the_output_folder_byte_for_byte_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert!(
        run(&["build", "-q", "--out", &out_arg(&out)])
            .status
            .success()
    );
    // Something in the way of one of the files: a folder where a card PDF goes.
    std::fs::remove_file(out.join("kaardid/14-teenuse-disainer.pdf")).unwrap();
    std::fs::create_dir(out.join("kaardid/14-teenuse-disainer.pdf")).unwrap();
    let before = snapshot(&out);
    let o = run(&[
        "build",
        "--reg-date",
        "15.03.2024",
        "--reg-number",
        "1",
        "--out",
        &out_arg(&out),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("14-teenuse-disainer.pdf"),
        "{}",
        stderr(&o)
    );
    assert_eq!(snapshot(&out), before);
    // Bad input: nothing is touched either.
    let cards = CardsCopy::new();
    cards.edit("01-osakonna-juhataja.toml", "order = 1", "order = \"üks\"");
    let o = run(&[
        "build",
        "--cards",
        &out_arg(cards.path()),
        "--out",
        &out_arg(&out),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(snapshot(&out), before);
}

#[test]
fn an_unwritable_output_folder_is_a_clear_error() {
    let o = run(&["build", "--out", "/proc/rollikaart-out"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("cannot create the folder"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("--out DIR"));
}

#[test]
fn help_version_completions_and_man_page() {
    for cmd in [
        "build",
        "card",
        "check",
        "list",
        "init",
        "completions",
        "man",
    ] {
        let o = run(&[cmd, "--help"]);
        assert!(o.status.success());
        assert!(
            stdout(&o).contains("Example"),
            "{cmd} --help has no examples"
        );
    }
    let v = stdout(&run(&["--version"]));
    assert_eq!(
        v.trim(),
        format!("rollikaart {}", env!("CARGO_PKG_VERSION"))
    );
    let bash = stdout(&run(&["completions", "bash"]));
    assert!(bash.contains("rollikaart") && bash.contains("--reg-date"));
    let man = stdout(&run(&["man"]));
    assert!(
        man.contains(".TH rollikaart") && man.contains("build"),
        "{man}"
    );
}

#[test]
fn init_writes_a_working_set_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("meie");
    let o = run(&["init", &out_arg(&dir)]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in [
        "cards/lisa.toml",
        "cards/sonaraamat.toml",
        "cards/14-teenuse-disainer.toml",
        "templates/lisa.toml",
        "templates/sRGB.icc",
        "fonts/LiberationSans-Bold.ttf",
        "fonts/LICENSE",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    // The bundle is stored deflated in the binary: every file comes out as the repository has it.
    for folder in ["cards", "templates", "fonts"] {
        for f in std::fs::read_dir(root().join(folder)).unwrap().flatten() {
            assert_eq!(
                std::fs::read(f.path()).unwrap(),
                std::fs::read(dir.join(folder).join(f.file_name())).unwrap(),
                "{folder}/{}",
                f.file_name().display()
            );
        }
    }
    let o = run_in(&dir, &["build", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.join("out/lisa.pdf").is_file());
    let o = run(&["init", &out_arg(&dir)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not empty"));
}

#[test]
fn errors_have_no_colour_codes_when_not_on_a_terminal() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_rollikaart"))
        .args(["check", "--cards", "nowhere"])
        .current_dir(root())
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(!stderr(&o).contains('\x1b'));
    assert!(o.stdout.is_empty());
}

#[test]
fn clicolor_force_colours_errors_and_no_color_wins() {
    let check = |envs: &[(&str, &str)]| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_rollikaart"));
        c.args(["check", "--cards", "nowhere"])
            .current_dir(root())
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR")
            .env_remove("CLICOLOR_FORCE");
        for (k, v) in envs {
            c.env(k, v);
        }
        let o = c.output().unwrap();
        assert_eq!(o.status.code(), Some(1));
        stderr(&o)
    };
    let forced = check(&[("CLICOLOR_FORCE", "1")]);
    assert!(forced.contains('\x1b'), "{forced:?}");
    assert!(forced.contains("cannot read the cards folder"), "{forced}");
    let both = check(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!both.contains('\x1b'), "{both:?}");
    assert!(!check(&[("CLICOLOR", "0")]).contains('\x1b'));
}

#[test]
fn jobs_bounds_the_threads_and_never_changes_the_bytes() {
    let one = tempfile::tempdir().unwrap();
    let three = tempfile::tempdir().unwrap();
    for (dir, jobs) in [(&one, "1"), (&three, "3")] {
        let o = run(&["build", "-q", "--jobs", jobs, "--out", &out_arg(dir.path())]);
        assert!(o.status.success(), "--jobs {jobs}: {}", stderr(&o));
    }
    assert_eq!(
        snapshot(one.path()),
        snapshot(three.path()),
        "the same files whatever the number of threads"
    );
    let o = run(&["card", "2", "-j", "2", "--out", &out_arg(one.path())]);
    assert!(o.status.success(), "{}", stderr(&o));
    for bad in ["0", "-1", "many"] {
        let o = run(&["build", "--jobs", bad, "--out", &out_arg(three.path())]);
        assert_eq!(o.status.code(), Some(2), "--jobs {bad}: {}", stderr(&o));
    }
}

#[test]
fn an_older_annex_file_with_a_language_still_loads_and_a_wrong_type_is_refused() {
    // `language` was once required in lisa.toml and never used: the document language is the
    // template's fonts.language. An older file that has it must still load.
    let cards = CardsCopy::new();
    let annex = std::fs::read_to_string(cards.file("lisa.toml")).unwrap();
    assert!(
        !annex.contains("language"),
        "the bundled annex file no longer has it"
    );
    cards.write(
        "lisa.toml",
        format!("{annex}language = \"et\"\n").as_bytes(),
    );
    let o = cards.check();
    assert!(o.status.success(), "{}", stderr(&o));
    cards.write("lisa.toml", format!("{annex}language = 3\n").as_bytes());
    let o = cards.check();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("language"), "{}", stderr(&o));
}

/// `--timings`: every step with its time in one column, each format's render time and, in
/// final mode only, the read-back's, in English and Estonian.
#[test]
fn timings_show_each_step_and_the_final_read_back() {
    let out = tempfile::tempdir().unwrap();
    let final_mode = [
        "--reg-date",
        "15.03.2024",
        "--reg-number",
        "1-1/24/37",
        "--final",
    ];
    for (lang, read_back, pdf) in [
        (
            "en",
            "final read-back (summed over threads)",
            "pdf (summed over threads)",
        ),
        (
            "et",
            "lõplik tagasilugemine (lõimede aegade summa)",
            "pdf (lõimede aegade summa)",
        ),
    ] {
        for final_build in [false, true] {
            let mut args = vec!["--lang", lang, "build", "-q", "--timings"];
            let dir = out_arg(out.path());
            args.extend(["--out", dir.as_str()]);
            if final_build {
                args.extend(final_mode);
            }
            let o = run(&args);
            assert!(o.status.success(), "{}", stderr(&o));
            let err = stderr(&o);
            let lines: Vec<&str> = err.lines().collect();
            assert!(
                lines.iter().any(|l| l.trim_start().starts_with(pdf)),
                "{err}"
            );
            assert_eq!(
                lines.iter().any(|l| l.trim_start().starts_with(read_back)),
                final_build,
                "{err}"
            );
            let widths: Vec<usize> = lines.iter().map(|l| l.chars().count()).collect();
            assert!(
                widths.windows(2).all(|w| w[0] == w[1]),
                "not one column:\n{err}"
            );
        }
    }
}
