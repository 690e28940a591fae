//! `rollikaart check`: validate the cards and the template, write nothing.

use super::{Inputs, report};
use clap::Args;
use rollikaart::tr;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: Inputs,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    match args.inputs.load() {
        Ok(project) => {
            let ok = tr!(
                "check-ok",
                cards = project.source.cards.len(),
                entries = project.source.glossary.entries.len(),
                dir = args.inputs.cards.display().to_string(),
                template = args.inputs.template.display().to_string(),
            );
            println!("{ok}");
            ExitCode::SUCCESS
        }
        Err(d) => report(&d),
    }
}
