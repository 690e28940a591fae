//! Command-line interface: argument definitions and dispatch, one file per subcommand.

mod build;
mod card;
mod check;
mod completions;
mod diff;
mod help;
mod init;
mod list;
mod progress;
mod watch;

use clap::error::ErrorKind;
use clap::{Args, FromArgMatches, Parser, Subcommand};
use rollikaart::diagnostics::Diagnostics;
use rollikaart::i18n::{self, Lang};
use rollikaart::tr;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

// The texts of every command and option are in src/locales/*/cli.ftl; help.rs applies them.
#[derive(Debug, Parser)]
#[command(name = "rollikaart", version)]
pub struct Cli {
    #[arg(long, global = true, value_name = "LANG", value_parser = ["et", "en"], display_order = 900)]
    pub lang: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Build(build::BuildArgs),
    Card(card::CardArgs),
    Check(check::CheckArgs),
    Diff(diff::DiffArgs),
    List(list::ListArgs),
    Init(init::InitArgs),
    Watch(watch::WatchArgs),
    Completions(completions::CompletionsArgs),
    Man,
}

/// Where the cards and the template are.
#[derive(Debug, Clone, Args)]
pub struct Inputs {
    #[arg(long, value_name = "DIR", default_value = "cards")]
    pub cards: PathBuf,
    #[arg(long, value_name = "FILE", default_value = rollikaart::template::DEFAULT_TEMPLATE)]
    pub template: PathBuf,
}

impl Inputs {
    pub fn load(&self) -> Result<rollikaart::Project, Diagnostics> {
        rollikaart::load_project(&self.cards, &self.template)
    }
}

/// Prints diagnostics to standard error and gives exit code 1. The text is rendered with
/// colours; anstream's standard error keeps them only where they belong: `CLICOLOR_FORCE`
/// set forces them, `NO_COLOR` set or `CLICOLOR=0` turns them off, otherwise only on a
/// terminal.
pub fn report(diagnostics: &Diagnostics) -> ExitCode {
    anstream::eprint!("{}", diagnostics.render(true));
    ExitCode::from(1)
}

pub fn run() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let lang = i18n::init(lang_from_args(&args));
    std::panic::set_hook(Box::new(|info| {
        eprintln!("{}", tr!("internal-error", panic = info.to_string()));
    }));
    let cli = match parse(lang, args) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match cli.command {
        Command::Build(args) => build::run(&args),
        Command::Card(args) => card::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Watch(args) => watch::run(&args),
        Command::Completions(args) => completions::completions(&args),
        Command::Man => completions::man(),
        Command::List(args) => list::run(&args),
        Command::Diff(args) => diff::run(&args),
    }
}

/// Parses the arguments against the localised command tree; help, version and usage errors
/// are printed here (usage errors exit with 2).
fn parse(lang: Lang, args: Vec<OsString>) -> Result<Cli, ExitCode> {
    let matches = help::command(lang).try_get_matches_from(args);
    let error = match matches.map(|m| Cli::from_arg_matches(&m)) {
        Ok(Ok(cli)) => return Ok(cli),
        Ok(Err(e)) | Err(e) => e,
    };
    let code = ExitCode::from(if error.use_stderr() { 2 } else { 0 });
    let printed = match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => error.print(),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            error.print()
        }
        _ => match help::error_text(&error, lang) {
            Some(text) => {
                eprint!("{text}");
                Ok(())
            }
            None => error.print(),
        },
    };
    // Nothing more can be said when standard output or error is gone.
    let _ = printed;
    Err(code)
}

/// The `--lang` value, read before parsing so that the help texts can be in that language.
fn lang_from_args(args: &[OsString]) -> Option<Lang> {
    let mut args = args.iter().filter_map(|a| a.to_str());
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if let Some(code) = arg.strip_prefix("--lang=") {
            return Lang::from_code(code);
        }
        if arg == "--lang" {
            return args.next().and_then(Lang::from_code);
        }
    }
    None
}
