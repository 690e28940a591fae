//! `rollikaart build`: the whole annex and every card, PDF and DOCX, with a manifest.

use super::progress::ProgressBar;
use super::{Inputs, report};
use clap::Args;
use rollikaart::cards::Card;
use rollikaart::diagnostics::{Diagnostic, Diagnostics};
use rollikaart::document::{BuildOptions, Selection};
use rollikaart::export::{self, ExportOptions, Formats};
use rollikaart::i18n::{self, Value};
use rollikaart::registration::Registration;
use rollikaart::tr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Options shared by `build`, `card` and `watch`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    // No default here: `build` and `card` write both, `watch` only the PDFs.
    #[arg(long, value_enum)]
    pub format: Option<Formats>,
    #[arg(long, value_name = "DATE")]
    pub reg_date: Option<String>,
    #[arg(long, value_name = "NUMBER")]
    pub reg_number: Option<String>,
    #[arg(long = "final")]
    pub final_mode: bool,
    #[arg(long)]
    pub draft: bool,
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    #[arg(long, short)]
    pub verbose: bool,
    #[arg(long)]
    pub timings: bool,
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub export: ExportArgs,
}

pub fn run(args: &BuildArgs) -> ExitCode {
    match run_export(&args.export, None) {
        Ok(_) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

/// Validates, then renders each file straight into the output folder's staging area and
/// puts the set in place when all are made; `card` selects one card by id, number or title.
/// Gives the paths written, or the exit code after reporting the problem.
pub fn run_export(args: &ExportArgs, card: Option<&str>) -> Result<Vec<PathBuf>, ExitCode> {
    export_files(args, card).map_err(|d| report(&d))
}

/// With `--jobs N`, the threads that read and check the cards and draw a PDF's pages
/// ([`rollikaart::parallel`]) are N too, so that N bounds the whole build. Their pool is made
/// once per process: a later build of `watch` keeps the first size.
fn limit_threads(jobs: Option<std::num::NonZeroUsize>) {
    if let Some(n) = jobs {
        rollikaart::parallel::set_threads(n.get());
    }
}

/// Seconds with two decimals, as the summary and `watch` show them.
pub fn seconds(d: std::time::Duration) -> Value<'static> {
    i18n::decimal(d.as_secs_f64(), 2)
}

/// Indent of the steps inside another in the `--timings` table.
const TIMINGS_INDENT: usize = 2;
/// Room between the longest step name and the time column.
const TIMINGS_GAP: usize = 2;

/// The `--timings` table, one line a step: its name indented by `indent`, then its time in
/// milliseconds with one decimal; the times in one column after the longest name.
fn timing_lines(steps: &[(usize, String, std::time::Duration)]) -> Vec<String> {
    let chars = |indent: usize, name: &str| indent + name.chars().count();
    let names = steps
        .iter()
        .map(|(indent, name, _)| chars(*indent, name))
        .max()
        .unwrap_or(0)
        + TIMINGS_GAP;
    steps
        .iter()
        .map(|(indent, name, took)| {
            let ms = tr!(
                "timings-ms",
                ms = i18n::decimal(took.as_secs_f64() * 1000.0, 1)
            );
            let pad = names - chars(*indent, name);
            format!("{:indent$}{name}{:pad$}{ms:>12}", "", "")
        })
        .collect()
}

fn export_files(args: &ExportArgs, card: Option<&str>) -> Result<Vec<PathBuf>, Diagnostics> {
    let started = Instant::now();
    limit_threads(args.jobs);
    let registration = registration(args)?;
    let project = args.inputs.load()?;
    let loaded = started.elapsed();
    let selection = match card {
        None => Selection::WholeAnnex,
        Some(key) => Selection::OneCard(find_card(&project, key)?),
    };
    let options = ExportOptions {
        timestamp: export::timestamp(
            &registration,
            std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
        )?,
        document: BuildOptions {
            registration,
            draft: args.draft,
        },
        formats: args.format.unwrap_or_default(),
        selection,
        final_required: args.final_mode,
        jobs: export::Jobs(args.jobs),
    };
    let before_export = started.elapsed();
    let prepared = export::prepare(&project, &options)?;
    let writer = rollikaart::output::SetWriter::begin(
        &args.out,
        &prepared.file_names(),
        Some(prepared.manifest_name()),
        rollikaart::output::LOCK_WAIT,
    )?;
    let bar = ProgressBar::new(args.quiet);
    let rendered = prepared.render_into(&|done, total| bar.update(done, total), &|file| {
        writer.put(&file.relative, &file.bytes)
    });
    bar.finish();
    let result = rendered?;
    let exported = started.elapsed();
    writer.commit()?;
    if args.timings {
        let steps = [
            (tr!("timings-load"), loaded),
            (tr!("timings-render"), exported - before_export),
            (tr!("timings-write"), started.elapsed() - exported),
        ];
        print_timings(&steps, &result, started.elapsed());
    }
    let written: Vec<PathBuf> = prepared
        .file_names()
        .iter()
        .map(|name| args.out.join(name))
        .collect();
    if args.verbose {
        for path in &written {
            println!("{}", path.display());
        }
    }
    if !args.quiet {
        let summary = tr!(
            "build-summary",
            files = written.len(),
            pages = result.pages,
            out = args.out.display().to_string(),
            seconds = seconds(started.elapsed()),
        );
        println!("{summary}");
    }
    Ok(written)
}

/// The registration from `--reg-date` and `--reg-number`; `--final` requires it.
fn registration(args: &ExportArgs) -> Result<Registration, Diagnostics> {
    let registration =
        Registration::from_args(args.reg_date.as_deref(), args.reg_number.as_deref())?;
    if args.final_mode && !registration.is_final() {
        return Err(
            Diagnostic::new(None, tr!("build-final-without-registration"))
                .help(tr!("build-final-without-registration-help"))
                .into(),
        );
    }
    Ok(registration)
}

/// The card `key` names (id, number or title), or a message listing the cards.
fn find_card<'a>(project: &'a rollikaart::Project, key: &str) -> Result<&'a Card, Diagnostics> {
    project.source.find_card(key).ok_or_else(|| {
        let known: Vec<String> = project
            .source
            .cards
            .iter()
            .map(|c| format!("  {:>2}  {}", c.order, c.id))
            .collect();
        Diagnostic::new(None, tr!("build-no-such-card", key = key))
            .help(tr!("build-no-such-card-help", cards = known.join("\n")))
            .into()
    })
}

/// The `--timings` table: load, render (with each format's summed time below it, and in
/// final mode the read-back's), write, total.
fn print_timings(
    steps: &[(String, std::time::Duration); 3],
    rendered: &export::Rendered,
    total: std::time::Duration,
) {
    let [load, render, write] = steps;
    let mut lines = vec![(0, load.0.clone(), load.1), (0, render.0.clone(), render.1)];
    for (format, took) in &rendered.render_time {
        let step = tr!("timings-format", format = *format);
        lines.push((TIMINGS_INDENT, step, *took));
    }
    if let Some(took) = rendered.read_back_time {
        lines.push((TIMINGS_INDENT, tr!("timings-read-back"), took));
    }
    lines.push((0, write.0.clone(), write.1));
    lines.push((0, tr!("timings-total"), total));
    for line in timing_lines(&lines) {
        eprintln!("{line}");
    }
}
