//! Command-line interface: argument definitions and dispatch, one file per subcommand.

mod build;
mod card;
mod check;
mod completions;
mod diff;
mod init;
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
    /// Build the annex: out/lisa.pdf, out/lisa.docx, out/kaardid/NN-id.pdf and .docx, out/SHA256SUMS.
    #[command(
        after_help = "Examples:\n  rollikaart build\n  rollikaart build --reg-date 15.03.2024 --reg-number 1-1/24/37 --final\n  rollikaart build --draft --format pdf --out drafts"
    )]
    Build(build::BuildArgs),
    /// Write one card alone (PDF and DOCX), optionally print it.
    #[command(
        after_help = "Examples:\n  rollikaart card osakonna-juhataja\n  rollikaart card 7 --format pdf --print\n  rollikaart card \"TEENUSE DISAINER\" --out single"
    )]
    Card(card::CardArgs),
    /// Check the cards and the template; report every problem with file, line and column.
    #[command(
        after_help = "Examples:\n  rollikaart check\n  rollikaart check --cards my-cards --template my-template/lisa.toml"
    )]
    Check(check::CheckArgs),
    /// Compare the cards with an older set: cards added, removed, renamed, moved, changed, word by word.
    #[command(
        after_help = "Examples:\n  rollikaart diff old-cards\n  rollikaart diff old-cards --cards cards --json\n  rollikaart diff old-cards --exit-code || echo \"the cards changed\""
    )]
    Diff(diff::DiffArgs),
    /// List the cards in annex order: number, id and title.
    #[command(after_help = "Examples:\n  rollikaart list\n  rollikaart list --json")]
    List(list::ListArgs),
    /// Start a new set: write the bundled cards, template and fonts into a new folder.
    #[command(after_help = "Example:\n  rollikaart init meie-kaardid")]
    Init(init::InitArgs),
    /// Print shell completions.
    #[command(
        after_help = "Example:\n  rollikaart completions bash > /etc/bash_completion.d/rollikaart"
    )]
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff).
    #[command(after_help = "Example:\n  rollikaart man > rollikaart.1 && man ./rollikaart.1")]
    Man,
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
        Command::Build(args) => build::run(&args),
        Command::Card(args) => card::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Completions(args) => completions::completions(&args),
        Command::Man => completions::man(),
        Command::List(args) => list::run(&args),
        Command::Diff(args) => diff::run(&args),
    }
}
