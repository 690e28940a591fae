//! `rollikaart card`: one card alone, PDF and DOCX, optionally sent to the printer.

use super::build::{ExportArgs, FormatArg, run_export};
use clap::Args;
use std::process::{Command, ExitCode};

#[derive(Debug, Args)]
pub struct CardArgs {
    /// The card: its id (osakonna-juhataja), number (1) or title ("OSAKONNA JUHATAJA").
    #[arg(value_name = "CARD")]
    pub card: String,
    #[command(flatten)]
    pub export: ExportArgs,
    /// Send the card's PDF to the default printer with `lp`.
    #[arg(long)]
    pub print: bool,
}

pub fn run(args: &CardArgs) -> ExitCode {
    if args.print && matches!(args.export.format, FormatArg::Docx) {
        eprintln!("error: --print needs the PDF; drop --format docx or use --format pdf or both");
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
                println!("sent {} to the printer", pdf.display());
            }
            ExitCode::SUCCESS
        }
        Ok(status) => {
            eprintln!(
                "error: the print system refused {} ({status}); the PDF is there to print by hand",
                pdf.display()
            );
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!(
                "error: no print system found (`lp`: {e}); install CUPS (e.g. `apt-get install cups-client`) or print {} by hand",
                pdf.display()
            );
            ExitCode::from(1)
        }
    }
}
