//! `rollikaart list`: the cards in annex order, as text or JSON.

use super::{Inputs, report};
use clap::Args;
use rollikaart::tr;
use serde::Serialize;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Entry<'a> {
    order: u32,
    id: &'a str,
    title: &'a str,
}

pub fn run(args: &ListArgs) -> ExitCode {
    let project = match args.inputs.load() {
        Ok(p) => p,
        Err(d) => return report(&d),
    };
    let entries: Vec<Entry> = project
        .source
        .cards
        .iter()
        .map(|c| Entry {
            order: c.order,
            id: &c.id,
            title: &c.title,
        })
        .collect();
    if args.json {
        match serde_json::to_string_pretty(&entries) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("{}", tr!("list-json-error", error = e.to_string()));
                return ExitCode::from(1);
            }
        }
    } else {
        let width = entries.iter().map(|e| e.id.len()).max().unwrap_or(0);
        for e in &entries {
            println!("{:>2}  {:<width$}  {}", e.order, e.id, e.title);
        }
    }
    ExitCode::SUCCESS
}
