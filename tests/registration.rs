//! Final mode is right or not written: the registration date and number are checked, a
//! final document is read back for placeholders before anything is written, and the summary
//! line counts the sheets the PDFs have.

mod common;
use common::*;
use rollikaart::document::{BuildOptions, Selection};
use rollikaart::export::{self, ExportOptions};
use rollikaart::registration::Registration;

fn build_in(out: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

fn refused(extra: &[&str], expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = build_in(&out, extra);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{extra:?}:\n{all}");
    for e in expected {
        assert!(all.contains(e), "{extra:?}: {e:?} missing in:\n{all}");
    }
    assert!(!out.exists(), "{extra:?} wrote output");
}

#[test]
fn a_two_digit_year_is_refused_with_the_four_digit_form() {
    refused(
        &[
            "--reg-date",
            "15.03.24",
            "--reg-number",
            "1-1/24/37",
            "--final",
        ],
        &["--reg-date", "write the year with four digits: 15.03.2024"],
    );
    for date in ["15.03.4", "0001-03-15", "15.03.0024"] {
        refused(
            &["--reg-date", date, "--reg-number", "1-1/24/37"],
            &["--reg-date"],
        );
    }
}

#[test]
fn digits_of_other_scripts_in_the_number_are_refused() {
    refused(
        &["--reg-date", "15.03.2024", "--reg-number", "１-1/24/37"],
        &["--reg-number", "U+FF11", "digit of another script"],
    );
    refused(
        &["--reg-date", "15.03.2024", "--reg-number", "١-١/٢٤/٣٧"],
        &["U+0661", "digits 0-9"],
    );
}

#[test]
fn a_final_build_shows_the_values_and_no_placeholder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = build_in(
        &out,
        &[
            "--reg-date",
            "15.03.2024",
            "--reg-number",
            "2-3/24/123-A",
            "--final",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = std::fs::read(out.join("lisa.pdf")).unwrap();
    assert_eq!(rollikaart::verify::pdf_placeholder(&pdf), Ok(None));
    let text = lopdf::Document::load_mem(&pdf)
        .unwrap()
        .extract_text(&[1])
        .unwrap();
    assert!(text.contains("15.03.2024"), "{text}");
    assert!(text.contains("2-3/24/123-A"), "{text}");
    let docx = std::fs::read(out.join("lisa.docx")).unwrap();
    assert_eq!(rollikaart::verify::docx_placeholder(&docx), Ok(None));
}

#[test]
fn the_read_back_finds_a_placeholder_left_in_the_pdf_and_the_docx() {
    // Template mode keeps the placeholders: the final check must see them in both formats.
    let project = bundled_project();
    let options = ExportOptions {
        document: BuildOptions {
            registration: Registration::Template,
            draft: false,
        },
        selection: Selection::OneCard(&project.source.cards[0]),
        timestamp: 0,
        ..ExportOptions::default()
    };
    let e = export::export(&project, &options).unwrap();
    let file = |ext: &str| {
        e.files
            .iter()
            .find(|f| f.relative.ends_with(ext))
            .unwrap()
            .bytes
            .clone()
    };
    let in_pdf = rollikaart::verify::pdf_placeholder(&file(".pdf")).unwrap();
    assert!(in_pdf.unwrap().contains("{regDateTime}"));
    let in_docx = rollikaart::verify::docx_placeholder(&file(".docx")).unwrap();
    assert!(in_docx.unwrap().contains("{regDateTime}"));
}

#[test]
fn a_placeholder_typo_in_the_template_is_refused_in_both_modes() {
    let w = tempfile::tempdir().unwrap();
    for sub in ["fonts", "templates"] {
        std::fs::create_dir(w.path().join(sub)).unwrap();
        for f in std::fs::read_dir(root().join(sub)).unwrap().flatten() {
            std::fs::copy(f.path(), w.path().join(sub).join(f.file_name())).unwrap();
        }
    }
    let template = w.path().join("templates/lisa.toml");
    let text = std::fs::read_to_string(&template).unwrap();
    std::fs::write(
        &template,
        text.replace("{regDateTime} käskk", "{regDatetime} käskk"),
    )
    .unwrap();
    let t = template.to_str().unwrap();
    refused(
        &["--template", t],
        &["did you mean {regDateTime}?", "header.right_lines[1]"],
    );
    refused(
        &[
            "--template",
            t,
            "--reg-date",
            "15.03.2024",
            "--reg-number",
            "1-1/24/37",
            "--final",
        ],
        &["did you mean {regDateTime}?"],
    );
}

#[test]
fn the_summary_counts_the_sheets_of_a_card_that_overflows() {
    let cards = CardsCopy::new();
    let name = "01-osakonna-juhataja.toml";
    let text = std::fs::read_to_string(cards.file(name)).unwrap();
    let why_start = text.find("why = \"\"\"").unwrap() + "why = \"\"\"".len();
    let long = "Pikk lause, mis kordub ja täidab lehe. ".repeat(400);
    let text = format!("{}{long}{}", &text[..why_start], &text[why_start..]);
    cards.write(name, text.as_bytes());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = run(&[
        "card",
        "1",
        "--format",
        "pdf",
        "--cards",
        cards.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = lopdf::Document::load(out.join("01-osakonna-juhataja.pdf")).unwrap();
    let sheets = pdf.get_pages().len();
    assert!(sheets >= 2, "the card should overflow: {sheets} sheets");
    assert!(
        stdout(&o).contains(&format!("({sheets} pages)")),
        "{}",
        stdout(&o)
    );
}
