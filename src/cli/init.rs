//! `rollikaart init`: writes the bundled cards, template and fonts into a new folder, so an
//! office can start its own set.

use super::report;
use clap::Args;
use flate2::read::DeflateDecoder;
use include_dir::{Dir, include_dir};
use rollikaart::diagnostics::Diagnostic;
use rollikaart::output::{OutputFile, write_all};
use rollikaart::tr;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

// The bundled folders, each file deflated by `build.rs`.
static CARDS: Dir<'_> = include_dir!("$OUT_DIR/bundle/cards");
static TEMPLATES: Dir<'_> = include_dir!("$OUT_DIR/bundle/templates");
static FONTS: Dir<'_> = include_dir!("$OUT_DIR/bundle/fonts");

#[derive(Debug, Args)]
pub struct InitArgs {
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

/// The bundled files, inflated, with paths relative to the new folder.
pub fn bundled_files() -> std::io::Result<Vec<OutputFile>> {
    let mut files = Vec::new();
    for (name, dir) in [
        ("cards", &CARDS),
        ("templates", &TEMPLATES),
        ("fonts", &FONTS),
    ] {
        for f in dir.files() {
            let mut bytes = Vec::new();
            DeflateDecoder::new(f.contents()).read_to_end(&mut bytes)?;
            files.push(OutputFile {
                relative: format!("{name}/{}", f.path().display()),
                bytes,
            });
        }
    }
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(files)
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
    let files = match bundled_files() {
        Ok(files) => files,
        Err(e) => {
            let error = e.to_string();
            return report(
                &Diagnostic::new(None, tr!("init-bundle-broken", error = error))
                    .help(tr!("init-bundle-broken-help"))
                    .into(),
            );
        }
    };
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
