//! The `rollikaart` command: parses arguments, runs one subcommand, maps errors to exit codes
//! (0 success, 1 problems in the input or output, 2 usage errors, 101 a bug).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
