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

/// Parses the arguments; help, version and usage errors are printed here in the user's
/// language (usage errors exit with 2).
///
/// Arguments that parse are parsed against clap's plain tree: setting every help text from
/// the messages took a millisecond and a half of every run. Only when they do not parse
/// (help, version, a mistake) is the localised tree built, to parse them again and say why
/// in the user's language. Both trees accept the same arguments (a test holds it).
fn parse(lang: Lang, args: Vec<OsString>) -> Result<Cli, ExitCode> {
    if let Some(cli) = parse_plain(&args) {
        return Ok(cli);
    }
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

/// The command line parsed against clap's plain tree, or `None` if it does not parse there
/// (including `--help` and `--version`, which clap reports as errors).
fn parse_plain(args: &[OsString]) -> Option<Cli> {
    let matches = <Cli as clap::CommandFactory>::command()
        .try_get_matches_from(args)
        .ok()?;
    Cli::from_arg_matches(&matches).ok()
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// The localised tree's reading of `args`, as the plain tree's is compared with it.
    fn parse_localised(lang: Lang, args: &[OsString]) -> Option<Cli> {
        let matches = help::command(lang).try_get_matches_from(args).ok()?;
        Cli::from_arg_matches(&matches).ok()
    }

    /// Command lines that name every subcommand with each of its options in turn (with a
    /// value it accepts where it takes one), and some that must not parse.
    fn command_lines() -> Vec<Vec<String>> {
        let root = Cli::command();
        let mut lines: Vec<Vec<String>> = [
            "",
            "help",
            "help build",
            "--help",
            "-h",
            "-V",
            "--version",
            "build --help",
            "build -h",
            "--lang et build",
            "--lang=en check",
            "--lang xx build",
            "build --reg-dat 1",
            "bild",
            "build -- --final",
        ]
        .iter()
        .map(|l| l.split_whitespace().map(String::from).collect())
        .collect();
        for sub in root.get_subcommands() {
            let name = sub.get_name().to_string();
            lines.push(vec![name.clone()]);
            for arg in sub.get_arguments() {
                let value = arg
                    .get_possible_values()
                    .first()
                    .map_or_else(|| "1".to_string(), |p| p.get_name().to_string());
                let takes = arg.get_action().takes_values();
                let mut words = vec![name.clone()];
                if let Some(long) = arg.get_long() {
                    words.push(format!("--{long}"));
                }
                if takes || arg.is_positional() {
                    words.push(value);
                }
                lines.push(words);
            }
        }
        lines
    }

    #[test]
    fn the_plain_and_the_localised_tree_accept_the_same_command_lines() {
        let lines = command_lines();
        assert!(lines.len() > 40, "only {} command lines", lines.len());
        let mut parsed = 0;
        for line in &lines {
            let args: Vec<OsString> = std::iter::once("rollikaart")
                .chain(line.iter().map(String::as_str))
                .map(OsString::from)
                .collect();
            let plain = parse_plain(&args).map(|c| format!("{c:?}"));
            parsed += usize::from(plain.is_some());
            for lang in Lang::ALL {
                let localised = parse_localised(lang, &args).map(|c| format!("{c:?}"));
                assert_eq!(plain, localised, "{line:?} in {}", lang.code());
            }
        }
        assert!(parsed > 20, "only {parsed} of the command lines parsed");
    }
}
