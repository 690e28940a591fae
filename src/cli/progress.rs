//! The progress bar of long builds: documents done of the total, on standard error, only
//! where a person watches (a terminal, not `--quiet`, not CI) and only when the work is large
//! enough to take more than about a second.

use std::io::IsTerminal;
use std::sync::OnceLock;

/// From this many files to render on, a build takes about a second or more.
const FILES_WORTH_A_BAR: usize = 100;

/// Created empty; the bar itself appears on the first update of a large enough build.
pub struct ProgressBar {
    allowed: bool,
    bar: OnceLock<Option<indicatif::ProgressBar>>,
}

impl ProgressBar {
    /// `quiet`: the user asked for silence.
    pub fn new(quiet: bool) -> ProgressBar {
        let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
        ProgressBar {
            allowed: !quiet && !in_ci && std::io::stderr().is_terminal(),
            bar: OnceLock::new(),
        }
    }

    /// `done` of `total` files are rendered (called from any thread).
    pub fn update(&self, done: usize, total: usize) {
        if !self.allowed {
            return;
        }
        let bar = self.bar.get_or_init(|| {
            (total > FILES_WORTH_A_BAR).then(|| {
                let bar = indicatif::ProgressBar::new(total as u64);
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                bar
            })
        });
        if let Some(bar) = bar {
            bar.set_position(done as u64);
        }
    }

    /// Removes the bar, so the summary line stands alone.
    pub fn finish(&self) {
        if let Some(Some(bar)) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}
