//! Writing output files: all or nothing, atomically, with a SHA256SUMS manifest.
//!
//! Every file is first written to a temporary name in its destination folder, then all are
//! renamed into place. If anything fails, temporary files are removed, files already renamed
//! get their old content back, and folders this run created are removed again: the output
//! folder is left exactly as it was.

use crate::diagnostics::Diagnostic;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The manifest's file name.
pub const MANIFEST: &str = "SHA256SUMS";

/// One file to write, relative to the output folder (always with `/` separators).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub relative: String,
    pub bytes: Vec<u8>,
}

/// The manifest over `files`, in `sha256sum` format, sorted by path.
pub fn manifest(files: &[OutputFile]) -> OutputFile {
    let mut lines: Vec<String> = files
        .iter()
        .map(|f| {
            let hex: String = Sha256::digest(&f.bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            format!("{hex}  {}\n", f.relative)
        })
        .collect();
    lines.sort_by(|a, b| a[66..].cmp(&b[66..]));
    OutputFile {
        relative: MANIFEST.to_string(),
        bytes: lines.concat().into_bytes(),
    }
}

fn io_error(path: &Path, what: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(Some(path), format!("{what}: {e}"))
        .help("choose an output folder you can write to with --out DIR; nothing was written")
}

/// A file renamed into place (or not), with what stood there before.
type Renamed = (PathBuf, Option<Vec<u8>>, std::io::Result<()>);

/// Writes `files` under `out_dir`, all or nothing.
pub fn write_all(out_dir: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    if out_dir.exists() && !out_dir.is_dir() {
        return Err(
            Diagnostic::new(Some(out_dir), "the output path is a file, not a folder").help(
                "give a folder with --out DIR (it is created if missing); nothing was written",
            ),
        );
    }
    let mut created: Vec<PathBuf> = Vec::new();
    let result = write_inner(out_dir, files, &mut created);
    if result.is_err() {
        for dir in created.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
    result
}

fn create_dirs(dir: &Path, created: &mut Vec<PathBuf>) -> Result<(), Diagnostic> {
    let mut missing = Vec::new();
    let mut d = dir.to_path_buf();
    while !d.as_os_str().is_empty() && !d.exists() {
        missing.push(d.clone());
        if !d.pop() {
            break;
        }
    }
    for m in missing.into_iter().rev() {
        std::fs::create_dir(&m).map_err(|e| io_error(&m, "cannot create the folder", &e))?;
        created.push(m);
    }
    Ok(())
}

fn write_inner(
    out_dir: &Path,
    files: &[OutputFile],
    created: &mut Vec<PathBuf>,
) -> Result<(), Diagnostic> {
    // 1. Everything into temporary files next to its destination.
    let mut staged = Vec::with_capacity(files.len());
    for f in files {
        let target = out_dir.join(&f.relative);
        let parent = target.parent().unwrap_or(out_dir).to_path_buf();
        create_dirs(&parent, created)?;
        if target.is_dir() {
            return Err(Diagnostic::new(
                Some(&target),
                "a folder stands where this file should be written",
            )
            .help("move that folder away or choose another --out DIR; nothing was written"));
        }
        let mut tmp = tempfile::Builder::new()
            .prefix(".rollikaart-")
            .suffix(".tmp")
            .tempfile_in(&parent)
            .map_err(|e| io_error(&parent, "cannot write in the output folder", &e))?;
        tmp.write_all(&f.bytes)
            .and_then(|()| set_readable(tmp.as_file()))
            .map_err(|e| io_error(&target, "cannot write the file", &e))?;
        let previous = std::fs::read(&target).ok();
        staged.push((tmp, target, previous));
    }
    // 2. On disk before any rename, so that a crash never leaves a short file in place.
    let files_only: Vec<&std::fs::File> = staged.iter().map(|(tmp, _, _)| tmp.as_file()).collect();
    flush(&files_only).map_err(|e| io_error(out_dir, "cannot flush the files to disk", &e))?;
    let parents: std::collections::BTreeSet<PathBuf> = staged
        .iter()
        .filter_map(|(_, target, _)| target.parent().map(Path::to_path_buf))
        .collect();
    // 3. Rename into place, all at once (replacing a file frees the old one's blocks, which
    //    some file systems do slowly); on any failure put back what was there.
    let outcomes: Vec<Renamed> = each_at_once(staged, |(tmp, target, previous)| {
        let result = tmp.persist(&target).map(|_| ()).map_err(|e| e.error);
        (target, previous, result)
    });
    if let Some((failed, _, Err(e))) = outcomes.iter().find(|(_, _, r)| r.is_err()) {
        let error = io_error(failed, "cannot put the file in place", e);
        for (path, old, result) in &outcomes {
            if result.is_ok() {
                let _ = match old {
                    Some(bytes) => std::fs::write(path, bytes),
                    None => std::fs::remove_file(path),
                };
            }
        }
        return Err(error);
    }
    // 4. The renames themselves on disk.
    for dir in parents {
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// Flushes the staged files to disk, all at once: the disk handles many flushes together
/// about as fast as one, while one after the other they cost more than rendering the annex.
fn flush(files: &[&std::fs::File]) -> std::io::Result<()> {
    each_at_once(files.to_vec(), |f| f.sync_all())
        .into_iter()
        .collect()
}

/// Runs `f` on every item, each in its own thread (the work is waiting on the disk, not
/// computing), and gives the results in the items' order. A panic is passed on, never turned
/// into a missing result.
fn each_at_once<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = items
            .into_iter()
            .map(|item| scope.spawn(move || f(item)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Output files are ordinary documents: readable by everyone, as a plain `cp` would leave
/// them (temporary files start private).
#[cfg(unix)]
fn set_readable(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    /// rw-r--r--
    const MODE: u32 = 0o644;
    file.set_permissions(std::fs::Permissions::from_mode(MODE))
}

#[cfg(not(unix))]
fn set_readable(_file: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> OutputFile {
        OutputFile {
            relative: name.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn writes_files_and_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let files = vec![file("b.txt", "b"), file("kaardid/a.txt", "a")];
        let m = manifest(&files);
        let text = String::from_utf8(m.bytes.clone()).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert!(text.lines().next().unwrap().ends_with("  b.txt"));
        write_all(&out, &[files, vec![m]].concat()).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("kaardid/a.txt")).unwrap(),
            "a"
        );
        let leftovers: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn a_file_as_output_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::write(&out, "x").unwrap();
        let e = write_all(&out, &[file("a.txt", "a")]).unwrap_err();
        assert!(e.message.contains("is a file"));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "x");
    }

    #[test]
    fn failure_leaves_the_folder_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("c.txt")).unwrap();
        let before: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        let e = write_all(&out, &[file("new/a.txt", "a"), file("c.txt", "c")]).unwrap_err();
        assert!(e.message.contains("folder stands"));
        let after: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(before, after);
    }
}
