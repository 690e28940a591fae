//! `rollikaart watch`: rebuilds (the PDFs by default) whenever a card, the template or a font
//! changes, one line per rebuild, until Ctrl-C. Each rebuild is an ordinary `build` through
//! [`run_export`], whose all-or-nothing write keeps the last good output after an error.

use super::build::{ExportArgs, run_export, seconds};
use clap::Args;
use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{DebounceEventResult, DebouncedEvent, new_debouncer};
use rollikaart::export::Formats;
use rollikaart::template::Template;
use rollikaart::tr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the files must stay quiet before a rebuild: an editor's save is often several
/// writes and a rename.
const SETTLE: Duration = Duration::from_millis(300);

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub export: ExportArgs,
}

pub fn run(args: &WatchArgs) -> ExitCode {
    let mut export = args.export.clone();
    export.format = Some(export.format.unwrap_or(Formats::Pdf));
    // Each rebuild prints its own one line instead of the build summary.
    export.quiet = true;
    let (sender, events) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = match new_debouncer(SETTLE, sender) {
        Ok(d) => d,
        Err(e) => {
            let path = export.inputs.cards.display().to_string();
            eprintln!(
                "{}",
                tr!("watch-cannot-watch", path = path, error = e.to_string())
            );
            return ExitCode::from(1);
        }
    };
    let mut watched: Vec<PathBuf> = Vec::new();
    let out = export.out.display().to_string();
    println!(
        "{}",
        tr!(
            "watch-watching",
            cards = export.inputs.cards.display().to_string(),
            template = export.inputs.template.display().to_string(),
            out = out.clone(),
        )
    );
    loop {
        for folder in folders_to_watch(&export) {
            if watched.contains(&folder) {
                continue;
            }
            match debouncer.watcher().watch(&folder, RecursiveMode::Recursive) {
                Ok(()) => watched.push(folder),
                Err(e) => {
                    let path = folder.display().to_string();
                    eprintln!(
                        "{}",
                        tr!("watch-cannot-watch", path = path, error = e.to_string())
                    );
                }
            }
        }
        rebuild(&export, &out);
        if !wait_for_change(&events, &export.out) {
            return ExitCode::from(1);
        }
    }
}

/// One build and its one line: the time on standard output, or the located errors (already
/// reported by the build) and a reminder that the old output stays, on standard error.
fn rebuild(export: &ExportArgs, out: &str) {
    let started = Instant::now();
    match run_export(export, None) {
        Ok(_) => println!(
            "{}",
            tr!("watch-built", seconds = seconds(started.elapsed()))
        ),
        Err(_) => eprintln!("{}", tr!("watch-failed", out = out.to_string())),
    }
}

/// The cards folder, the template's folder and the fonts' folders (when the template reads).
/// Folders, not files: editors save by writing a new file and renaming it over the old one.
fn folders_to_watch(export: &ExportArgs) -> Vec<PathBuf> {
    let template = &export.inputs.template;
    let mut folders = vec![export.inputs.cards.clone(), parent(template)];
    if let Ok(t) = Template::load(template) {
        for font in [t.fonts.regular.get_ref(), t.fonts.bold.get_ref()] {
            folders.push(parent(&t.resolve(font)));
        }
    }
    let mut existing: Vec<PathBuf> = folders
        .into_iter()
        .filter_map(|f| f.canonicalize().ok())
        .collect();
    existing.sort();
    existing.dedup();
    existing
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Blocks until a change outside the output folder; `false` when the watcher stopped.
fn wait_for_change(events: &mpsc::Receiver<DebounceEventResult>, out: &Path) -> bool {
    let out = out.canonicalize().unwrap_or_else(|_| out.to_path_buf());
    loop {
        match events.recv() {
            Ok(Ok(batch)) if batch.iter().any(|e| !is_output(e, &out)) => return true,
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                eprintln!("{}", tr!("watch-stopped", error = e.to_string()));
                return false;
            }
            Err(_) => return false,
        }
    }
}

/// The build's own writes, when the output folder lies inside a watched folder.
fn is_output(event: &DebouncedEvent, out: &Path) -> bool {
    event.path.starts_with(out)
}
