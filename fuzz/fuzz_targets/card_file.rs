//! Fuzz target: arbitrary bytes as one card file, through validation, document building,
//! page layout and both renderers.
//!
//! The bytes are written as `01-fuzz.toml` into a temporary cards folder that holds only the
//! bundled `lisa.toml` and `sonaraamat.toml`, and the folder is loaded with the fonts of the
//! bundled template, as `rollikaart::load_project` does. Invalid input must come back as
//! diagnostics; a card that loads must render to PDF and DOCX without error, with every
//! text item inside its box and inside the page. Anything else (panic, render error, text
//! outside its box, a hang) is a finding.

#![no_main]

#[path = "../render_check.rs"]
mod render_check;

use libfuzzer_sys::fuzz_target;
use rollikaart::Project;
use rollikaart::render::RenderContext;
use rollikaart::render::pdf::Pdf;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

struct Env {
    project: Project,
    dir: tempfile::TempDir,
    pdf: Pdf,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let root = root();
        let project =
            rollikaart::load_project(&root.join("cards"), &root.join("templates/lisa.toml"))
                .expect("the bundled project loads");
        let dir = tempfile::tempdir().expect("a temporary folder");
        for name in [
            rollikaart::cards::ANNEX_FILE,
            rollikaart::cards::GLOSSARY_FILE,
        ] {
            std::fs::copy(root.join("cards").join(name), dir.path().join(name))
                .expect("copy the annex and glossary files");
        }
        Env {
            project,
            dir,
            pdf: Pdf::default(),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let env = env();
    std::fs::write(env.dir.path().join("01-fuzz.toml"), data).expect("write the card file");
    let fonts = &env.project.fonts;
    let covers = |c: char| fonts.covers(c);
    let Ok(source) = rollikaart::cards::load(env.dir.path(), Some(&covers)) else {
        return;
    };
    let context = RenderContext {
        fonts,
        icc_profile: &env.project.icc_profile,
        timestamp: 1_700_000_000,
        producer: "rollikaart fuzz",
    };
    for card in &source.cards {
        let rendered =
            render_check::render_card(&source, &env.project.template, &context, &env.pdf, card);
        if let Err(why) = rendered {
            panic!("a valid card: {why}");
        }
    }
});
