//! `rollikaart completions` and `rollikaart man`: shell completions and the man page, both
//! generated from the same argument definitions as `--help`.

use super::help;
use clap::Args;
use clap_complete::Shell;
use rollikaart::{i18n, tr};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn completions(args: &CompletionsArgs) -> ExitCode {
    let mut cmd = help::command(i18n::language());
    clap_complete::generate(args.shell, &mut cmd, help::ROOT, &mut std::io::stdout());
    ExitCode::SUCCESS
}

pub fn man() -> ExitCode {
    let page = clap_mangen::Man::new(help::command(i18n::language()));
    match page.render(&mut std::io::stdout()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", tr!("man-error", error = e.to_string()));
            ExitCode::from(1)
        }
    }
}
