//! `rollikaart check`: validate the cards and the template, write nothing.

use super::{Inputs, report};
use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: Inputs,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    match args.inputs.load() {
        Ok(project) => {
            println!(
                "ok: {} cards and a glossary of {} entries in {}; template {}",
                project.source.cards.len(),
                project.source.glossary.entries.len(),
                args.inputs.cards.display(),
                args.inputs.template.display()
            );
            ExitCode::SUCCESS
        }
        Err(d) => report(&d),
    }
}
