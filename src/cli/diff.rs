//! `rollikaart diff OLD_CARDS_DIR`: what changed between an older card set and `--cards`;
//! with `--out DIR`, the redline files too.
//!
//! Both folders are loaded and checked with the same template first; any problem in either is
//! reported (all of them, like `check`) and nothing else is printed or written. The files are
//! rendered in memory and written all or nothing, as `build` writes, under a manifest of
//! their own (`SHA256SUMS.muudatused`).

use super::{Inputs, report};
use clap::Args;
use rollikaart::diagnostics::{Diagnostic, Diagnostics};
use rollikaart::diff::redline::RedlineOptions;
use rollikaart::diff::{self, files, summary};
use rollikaart::document::{BuildOptions, Revision};
use rollikaart::export;
use rollikaart::registration::{Registration, parse_date};
use rollikaart::tr;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[arg(value_name = "OLD_CARDS_DIR")]
    pub old_cards: PathBuf,
    #[command(flatten)]
    pub inputs: Inputs,
    #[arg(long)]
    pub json: bool,
    #[arg(long)]
    pub exit_code: bool,
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[arg(long, value_name = "NAME", requires = "out")]
    pub author: Option<String>,
    #[arg(long, value_name = "DATE", requires = "out")]
    pub date: Option<String>,
    #[arg(long, requires = "out")]
    pub changed_only: bool,
    #[arg(long, value_name = "DATE")]
    pub reg_date: Option<String>,
    #[arg(long, value_name = "NUMBER")]
    pub reg_number: Option<String>,
}

pub fn run(args: &DiffArgs) -> ExitCode {
    let registration =
        match Registration::from_args(args.reg_date.as_deref(), args.reg_number.as_deref()) {
            Ok(r) => r,
            Err(d) => return report(&d.into()),
        };
    let new = args.inputs.load();
    let old = rollikaart::load_project(&args.old_cards, &args.inputs.template);
    let (old, new) = match (old, new) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => return report(&both_problems(old.err(), new.err())),
    };
    let written = match &args.out {
        Some(out) => match write_files(args, &old, &new, registration, out) {
            Ok(w) => Some(w),
            Err(d) => return report(&d),
        },
        None => None,
    };
    let changes = match &written {
        Some((_, export)) => export.diff.clone(),
        None => diff::compare(&old.source, &new.source, &new.template.glossary.separator),
    };
    let printed = if args.json {
        summary::json(&changes).map(|s| s + "\n")
    } else {
        let mut text = summary::text(&changes);
        if let Some((line, _)) = &written {
            text.push_str(line);
            text.push('\n');
        }
        Ok(text)
    };
    match printed {
        Ok(text) => print_out(&text),
        Err(e) => {
            eprintln!("{}", tr!("diff-json-error", error = e.to_string()));
            return ExitCode::from(1);
        }
    }
    if args.exit_code && changes.has_changes() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Renders the redline in memory and writes it into `out`, all or nothing; gives the line
/// to print and what was written.
fn write_files(
    args: &DiffArgs,
    old: &rollikaart::Project,
    new: &rollikaart::Project,
    registration: Registration,
    out: &std::path::Path,
) -> Result<(String, files::RedlineExport), Diagnostics> {
    let timestamp = export::timestamp(
        &registration,
        std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
    )?;
    let revision = Revision {
        author: args
            .author
            .clone()
            .unwrap_or_else(|| new.source.annex.authority.clone()),
        timestamp: match &args.date {
            Some(date) => change_date(date)?,
            None => timestamp,
        },
    };
    let options = BuildOptions {
        registration,
        draft: false,
    };
    let redline = RedlineOptions {
        revision,
        changed_only: args.changed_only,
        compared_with: Some(args.old_cards.display().to_string()),
    };
    let made = files::export(old, new, &options, &redline, timestamp)?;
    rollikaart::output::write_all(out, &made.files, Some(&made.manifest))?;
    let line = tr!(
        "diff-wrote",
        files = made.files.len(),
        pages = made.pages,
        out = out.display().to_string()
    );
    Ok((line, made))
}

/// `--date`: a day (15.03.2024 or 2024-03-15, midnight UTC) or an RFC 3339 time.
fn change_date(text: &str) -> Result<i64, Diagnostic> {
    if let Ok(time) = chrono::DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(time.timestamp());
    }
    parse_date(text)
        .map(|day| day.and_time(chrono::NaiveTime::MIN).and_utc().timestamp())
        .map_err(|_| {
            Diagnostic::new(None, tr!("diff-bad-date", value = text))
                .help(tr!("diff-bad-date-help"))
        })
}

/// Writes to standard output; a reader that stopped reading (`| head`) is not an error.
fn print_out(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("{}", tr!("diff-stdout-error", error = e.to_string()));
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
