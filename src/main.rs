//! The `rollikaart` command: parses arguments, runs one subcommand, maps errors to exit codes
//! (0 success, 1 problems in the input or output, 2 usage errors, 101 a bug).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod cli;

/// The process allocates and frees many short-lived blocks on two or more render threads
/// (text runs, XML events, compressor states); mimalloc keeps them in thread-local pages
/// where glibc's malloc spent a fifth of a build's CPU time in malloc, free and page faults.
/// The library leaves the allocator to whoever embeds it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
