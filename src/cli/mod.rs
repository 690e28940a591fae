//! Command-line interface: argument definitions and dispatch, one file per subcommand.

mod check;
mod list;

use clap::{Args, Parser, Subcommand};
use rollikaart::diagnostics::Diagnostics;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Builds the Social Insurance Board's role-card annex (PDF and DOCX) from TOML cards.
#[derive(Debug, Parser)]
#[command(name = "rollikaart", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the cards and the template; report every problem with file, line and column.
    #[command(
        after_help = "Examples:\n  rollikaart check\n  rollikaart check --cards my-cards --template my-template/lisa.toml"
    )]
    Check(check::CheckArgs),
    /// List the cards in annex order: number, id and title.
    #[command(after_help = "Examples:\n  rollikaart list\n  rollikaart list --json")]
    List(list::ListArgs),
}

/// Where the cards and the template are.
#[derive(Debug, Clone, Args)]
pub struct Inputs {
    /// Folder with lisa.toml, sonaraamat.toml and one file per card.
    #[arg(long, value_name = "DIR", default_value = "cards")]
    pub cards: PathBuf,
    /// The annex template.
    #[arg(long, value_name = "FILE", default_value = rollikaart::template::DEFAULT_TEMPLATE)]
    pub template: PathBuf,
}

impl Inputs {
    pub fn load(&self) -> Result<rollikaart::Project, Diagnostics> {
        rollikaart::load_project(&self.cards, &self.template)
    }
}

/// Whether standard error gets colours: a terminal, and NO_COLOR unset.
pub fn color_stderr() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Prints diagnostics to standard error and gives exit code 1.
pub fn report(diagnostics: &Diagnostics) -> ExitCode {
    eprint!("{}", diagnostics.render(color_stderr()));
    ExitCode::from(1)
}

pub fn run() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "rollikaart: internal error (this is a bug, please report it with the command you ran): {info}"
        );
    }));
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::List(args) => list::run(&args),
    }
}
