//! `rollikaart card`: one card alone, PDF and DOCX, optionally sent to the printer.

use super::build::{ExportArgs, run_export};
use clap::Args;
use rollikaart::export::Formats;
use rollikaart::tr;
use std::process::{Command, ExitCode};

#[derive(Debug, Args)]
pub struct CardArgs {
    #[arg(value_name = "CARD")]
    pub card: String,
    #[command(flatten)]
    pub export: ExportArgs,
    #[arg(long)]
    pub print: bool,
}

pub fn run(args: &CardArgs) -> ExitCode {
    if args.print && matches!(args.export.format, Some(Formats::Docx)) {
        eprintln!("{}", tr!("card-print-needs-pdf"));
        return ExitCode::from(2);
    }
    let written = match run_export(&args.export, Some(&args.card)) {
        Ok(paths) => paths,
        Err(code) => return code,
    };
    let Some(pdf) = written
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .filter(|_| args.print)
    else {
        return ExitCode::SUCCESS;
    };
    match Command::new("lp").arg("--").arg(pdf).status() {
        Ok(status) if status.success() => {
            if !args.export.quiet {
                println!("{}", tr!("card-printed", file = pdf.display().to_string()));
            }
            ExitCode::SUCCESS
        }
        Ok(status) => {
            let file = pdf.display().to_string();
            let status = status.to_string();
            eprintln!(
                "{}",
                tr!("card-print-refused", file = file, status = status)
            );
            ExitCode::from(1)
        }
        Err(e) => {
            let file = pdf.display().to_string();
            let error = e.to_string();
            eprintln!(
                "{}",
                tr!("card-no-print-system", file = file, error = error)
            );
            ExitCode::from(1)
        }
    }
}
