//! `rollikaart diff OLD_CARDS_DIR`: what changed between an older card set and `--cards`.
//!
//! Both folders are loaded and checked with the same template first; any problem in either is
//! reported (all of them, like `check`) and nothing else is printed. Writing the redline files
//! (`--out DIR`, with `--author`, `--date`, `--changed-only`) is to come: the comparison and the
//! redline document it would render are already in `rollikaart::diff`.

use super::{Inputs, report};
use clap::Args;
use rollikaart::diagnostics::Diagnostics;
use rollikaart::diff::{self, summary};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older cards folder to compare `--cards` with.
    #[arg(value_name = "OLD_CARDS_DIR")]
    pub old_cards: PathBuf,
    #[command(flatten)]
    pub inputs: Inputs,
    /// Print the changes as JSON (field names in the README, "Comparing two card sets").
    #[arg(long)]
    pub json: bool,
    /// Exit with 1 when anything changed, 0 when nothing did (as `git diff --exit-code`).
    #[arg(long)]
    pub exit_code: bool,
}

pub fn run(args: &DiffArgs) -> ExitCode {
    let new = args.inputs.load();
    let old = rollikaart::load_project(&args.old_cards, &args.inputs.template);
    let (old, new) = match (old, new) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => return report(&both_problems(old.err(), new.err())),
    };
    let changes = diff::compare(&old.source, &new.source, &new.template.glossary.separator);
    let printed = if args.json {
        summary::json(&changes).map(|s| s + "\n")
    } else {
        Ok(summary::text(&changes))
    };
    match printed {
        Ok(text) => print_out(&text),
        Err(e) => {
            eprintln!("rollikaart: cannot write JSON: {e}");
            return ExitCode::from(1);
        }
    }
    if args.exit_code && changes.has_changes() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes to standard output; a reader that stopped reading (`| head`) is not an error.
fn print_out(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("rollikaart: cannot write to standard output: {e}");
    }
}

/// The problems of both folders in one list; a problem of the shared template is listed once.
fn both_problems(old: Option<Diagnostics>, new: Option<Diagnostics>) -> Diagnostics {
    let mut all = Diagnostics::default();
    for d in old.into_iter().chain(new).flat_map(|d| d.0) {
        if !all.0.contains(&d) {
            all.push(d);
        }
    }
    all
}
