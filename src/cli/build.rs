//! `rollikaart build`: the whole annex and every card, PDF and DOCX, with a manifest.

use super::{Inputs, report};
use clap::{Args, ValueEnum};
use rollikaart::diagnostics::{Diagnostic, Diagnostics};
use rollikaart::document::BuildOptions;
use rollikaart::export::{self, Formats, Scope};
use rollikaart::registration::Registration;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Pdf,
    Docx,
    Both,
}

/// Options shared by `build` and `card`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Output folder (created if missing).
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Which formats to write.
    #[arg(long, value_enum, default_value = "both")]
    pub format: FormatArg,
    /// Registration date of the directive: 15.03.2024 or 2024-03-15 (final mode, with --reg-number).
    #[arg(long, value_name = "DATE")]
    pub reg_date: Option<String>,
    /// Directive number as registered, e.g. 1-1/24/37 (final mode, with --reg-date).
    #[arg(long, value_name = "NUMBER")]
    pub reg_number: Option<String>,
    /// Refuse to write anything while any placeholder would stay unfilled.
    #[arg(long = "final")]
    pub final_mode: bool,
    /// Mark every PDF page with the draft mark ("KAVAND") and say so in the metadata.
    #[arg(long)]
    pub draft: bool,
    /// Print nothing on success.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// List every file written.
    #[arg(long, short)]
    pub verbose: bool,
    /// Show where the time of the build went (on standard error).
    #[arg(long)]
    pub timings: bool,
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

/// Validates, renders in memory, then writes; `card` selects one card by id, number or title.
/// Gives the paths written, or the exit code after reporting the problem.
pub fn run_export(args: &ExportArgs, card: Option<&str>) -> Result<Vec<PathBuf>, ExitCode> {
    export_files(args, card).map_err(|d| report(&d))
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn export_files(args: &ExportArgs, card: Option<&str>) -> Result<Vec<PathBuf>, Diagnostics> {
    let started = Instant::now();
    let registration =
        Registration::from_args(args.reg_date.as_deref(), args.reg_number.as_deref())?;
    if args.final_mode && !registration.is_final() {
        return Err(
            Diagnostic::new(None, "--final was given without registration data")
                .help("give --reg-date and --reg-number to fill {regDateTime} and {regNumber}")
                .into(),
        );
    }
    let project = args.inputs.load()?;
    let loaded = started.elapsed();
    let scope = match card {
        None => Scope::Everything,
        Some(key) => match project.source.find_card(key) {
            Some(c) => Scope::Card(c),
            None => {
                let known: Vec<String> = project
                    .source
                    .cards
                    .iter()
                    .map(|c| format!("  {:>2}  {}", c.order, c.id))
                    .collect();
                return Err(Diagnostic::new(None, format!("there is no card `{key}`"))
                    .help(format!(
                        "give a card's id, number or title; the cards are:\n{}",
                        known.join("\n")
                    ))
                    .into());
            }
        },
    };
    let timestamp = export::timestamp(
        &registration,
        std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
    )?;
    let formats = match args.format {
        FormatArg::Pdf => Formats::Pdf,
        FormatArg::Docx => Formats::Docx,
        FormatArg::Both => Formats::Both,
    };
    let options = BuildOptions {
        registration,
        draft: args.draft,
    };
    let before_export = started.elapsed();
    let result = export::export(
        &project,
        &options,
        formats,
        scope,
        args.final_mode,
        timestamp,
    )?;
    let exported = started.elapsed();
    rollikaart::output::write_all(&args.out, &result.files, Some(&result.manifest))?;
    if args.timings {
        eprintln!("{:<28}{:>9.1} ms", "load and check", ms(loaded));
        eprintln!(
            "{:<28}{:>9.1} ms",
            "render (wall)",
            ms(exported - before_export)
        );
        for (format, took) in &result.render_time {
            eprintln!(
                "  {:<26}{:>9.1} ms",
                format!("{format} (summed over threads)"),
                ms(*took)
            );
        }
        eprintln!(
            "{:<28}{:>9.1} ms",
            "write and sync",
            ms(started.elapsed() - exported)
        );
        eprintln!("{:<28}{:>9.1} ms", "total", ms(started.elapsed()));
    }
    if args.verbose {
        for f in &result.files {
            println!("{}", args.out.join(&f.relative).display());
        }
    }
    if !args.quiet {
        println!(
            "wrote {} files ({} pages) to {} in {:.2} s",
            result.files.len(),
            result.pages,
            args.out.display(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(result
        .files
        .iter()
        .map(|f| args.out.join(&f.relative))
        .collect())
}
