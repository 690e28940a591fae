//! `rollikaart init`: writes the bundled cards, template and fonts into a new folder, so an
//! office can start its own set.

use super::report;
use clap::Args;
use include_dir::{Dir, include_dir};
use rollikaart::diagnostics::Diagnostic;
use rollikaart::output::{OutputFile, write_all};
use rollikaart::tr;
use std::path::PathBuf;
use std::process::ExitCode;

static CARDS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/cards");
static TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static FONTS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/fonts");

#[derive(Debug, Args)]
pub struct InitArgs {
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

/// The bundled files, with paths relative to the new folder.
pub fn bundled_files() -> Vec<OutputFile> {
    let mut files = Vec::new();
    for (name, dir) in [
        ("cards", &CARDS),
        ("templates", &TEMPLATES),
        ("fonts", &FONTS),
    ] {
        for f in dir.files() {
            files.push(OutputFile {
                relative: format!("{name}/{}", f.path().display()),
                bytes: f.contents().to_vec(),
            });
        }
    }
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    files
}

pub fn run(args: &InitArgs) -> ExitCode {
    let non_empty = std::fs::read_dir(&args.dir).is_ok_and(|mut d| d.next().is_some());
    if non_empty || args.dir.is_file() {
        return report(
            &Diagnostic::new(Some(&args.dir), tr!("init-not-empty"))
                .help(tr!("init-not-empty-help"))
                .into(),
        );
    }
    let files = bundled_files();
    if let Err(d) = write_all(&args.dir, &files, None) {
        return report(&d.into());
    }
    let dir = args.dir.display().to_string();
    println!(
        "{}",
        tr!("init-wrote", files = files.len(), dir = dir.clone())
    );
    println!("{}", tr!("init-next", dir = dir));
    ExitCode::SUCCESS
}
