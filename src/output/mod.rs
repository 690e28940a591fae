//! Writing output: one set of files and its manifest replace the previous set in the
//! output folder, all or nothing, even against concurrent builds and `kill -9`.
//!
//! The protocol (Linux; every step under an exclusive `flock` on the output folder):
//! 1. Recover: a staging folder left by a killed run is completed if its journal was
//!    committed, else deleted; stray temp files of the tool are removed.
//! 2. Check: every folder of the set must be a real folder (a symbolic link is refused, so
//!    nothing is ever written outside `--out`); no folder may stand where a file goes. The
//!    previous manifest of the same name tells which files the tool wrote before: those no
//!    longer in the set are removed, anything else is left alone. Existing files are never
//!    opened (a FIFO or a link to `/dev/zero` costs nothing); only the manifest is read, and
//!    only when it is a regular file.
//! 3. Stage: every new file goes into one folder `--out/.rollikaart-staging-PID/` as soon as
//!    it is rendered (so a build holds only the files it is rendering in memory); then all
//!    of them are flushed to disk at once (`syncfs`), and the folder itself.
//! 4. Commit: the journal (the list of puts and removals) is written, flushed and renamed
//!    to `JOURNAL` in the staging folder. Before this point the output is the old set.
//! 5. Apply: each file is renamed into place (one atomic rename per file, replacing a link
//!    or FIFO as an entry, never following it); what stood there is kept as a hard link in
//!    the staging folder; the manifest comes last. On an error everything is undone by
//!    rename, so old files come back with their mode, owner and link-ness.
//! 6. Done: the folders are flushed, the journal is removed (from here on the output is
//!    the new set) and the staging folder is deleted.
//!
//! What that guarantees after a kill at any moment: with no committed journal in the
//! output folder, the set (every file outside the staging folder) is byte for byte the old
//! one or the new one; with one, [`recover`] (which every build and card run does first)
//! completes it to the new one. POSIX has no way to replace several names in one step, so
//! the short window between commit and done exists; it is closed by roll forward, not by
//! the file system.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

mod journal;
mod lock;
pub mod manifest;
mod staging;
mod tree;

use crate::diagnostics::Diagnostic;
use crate::tr;
use journal::Op;
use rustix::fs::{AtFlags, FileType};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tree::{FolderProblem, Folders};

pub use staging::STAGING_PREFIX;

/// The manifest's file name for a build.
pub const MANIFEST: &str = "SHA256SUMS";
/// How long a build waits for another one writing to the same folder before giving up.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

/// One file to write, relative to the output folder (always with `/` separators).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub relative: String,
    pub bytes: Vec<u8>,
}

/// What [`recover`] found and did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recovery {
    /// Committed writes completed to their new set.
    pub completed: usize,
    /// Staging folders of writes that never committed, deleted.
    pub discarded: usize,
    /// Stray temporary files removed.
    pub temp_files: usize,
}

/// The manifest named `name` over `files`, in `sha256sum` format, sorted by path.
pub fn manifest(name: &str, files: &[OutputFile]) -> OutputFile {
    manifest::make(name, files)
}

pub(crate) fn io_error(path: &Path, what: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(Some(path), format!("{what}: {e}")).help(tr!("output-io-help"))
}

/// Writes the set `files` under `out_dir`, all or nothing. With a manifest name (the file
/// among `files` that lists the others), the set replaces the set of the previous manifest
/// of that name: its files that are not in the new set are removed.
pub fn write_all(
    out_dir: &Path,
    files: &[OutputFile],
    manifest_name: Option<&str>,
) -> Result<(), Diagnostic> {
    write_all_waiting(out_dir, files, manifest_name, LOCK_WAIT)
}

/// [`write_all`], waiting at most `lock_wait` for another build writing to `out_dir`.
pub fn write_all_waiting(
    out_dir: &Path,
    files: &[OutputFile],
    manifest_name: Option<&str>,
    lock_wait: Duration,
) -> Result<(), Diagnostic> {
    let names: Vec<&str> = files.iter().map(|f| f.relative.as_str()).collect();
    let writer = SetWriter::begin(out_dir, &names, manifest_name, lock_wait)?;
    for file in files {
        writer.put(&file.relative, &file.bytes)?;
    }
    writer.commit()
}

/// A set being written, file by file. [`SetWriter::begin`] takes the lock, does steps 1
/// and 2 of the protocol for the set's names and makes the staging folder;
/// [`SetWriter::put`] stages one file (from any thread, as soon as it is made, so that a
/// build never holds more files in memory than it is rendering at once);
/// [`SetWriter::commit`] flushes them and does steps 4 to 6. A writer dropped without a
/// successful commit deletes its staging folder (and an output folder it created): the
/// output folder is the old set.
pub struct SetWriter {
    out_dir: PathBuf,
    locked: lock::Locked,
    staging: staging::Staging,
    ops: Vec<Op>,
    /// The operation (and so the staged name) of each file of the set.
    slots: HashMap<String, usize>,
    /// Which operations' files are staged.
    staged: Vec<AtomicBool>,
    /// Folders made for `out_dir` itself, removed again unless the set is written.
    created: Vec<PathBuf>,
    /// Set when the commit failed after the journal was committed and could not be undone:
    /// the staging folder stays for the next run to complete.
    keep_staging: bool,
    /// Set once the set is in place.
    written: bool,
}

impl SetWriter {
    /// Locks `out_dir` (creating it if missing), recovers what a killed run left, checks
    /// the set's paths `names` against the folder and makes the staging folder. With a
    /// manifest name (one of `names`), the set replaces the set of the previous manifest
    /// of that name: its files that are not in the new set are removed at the commit.
    pub fn begin(
        out_dir: &Path,
        names: &[&str],
        manifest_name: Option<&str>,
        lock_wait: Duration,
    ) -> Result<SetWriter, Diagnostic> {
        if out_dir.exists() && !out_dir.is_dir() {
            return Err(Diagnostic::new(Some(out_dir), tr!("output-path-is-file"))
                .help(tr!("output-path-is-file-help")));
        }
        let mut created: Vec<PathBuf> = Vec::new();
        let opened = create_dirs(out_dir, &mut created)
            .and_then(|()| Self::open(out_dir, names, manifest_name, lock_wait));
        match opened {
            Ok((locked, staging, ops)) => {
                let slots = ops
                    .iter()
                    .enumerate()
                    .filter_map(|(i, op)| match op {
                        Op::Put(path) => Some((path.clone(), i)),
                        Op::Remove(_) => None,
                    })
                    .collect();
                let staged = ops.iter().map(|_| AtomicBool::new(false)).collect();
                Ok(SetWriter {
                    out_dir: out_dir.to_path_buf(),
                    locked,
                    staging,
                    ops,
                    slots,
                    staged,
                    created,
                    keep_staging: false,
                    written: false,
                })
            }
            Err(d) => {
                remove_created(&created);
                Err(d)
            }
        }
    }

    fn open(
        out_dir: &Path,
        names: &[&str],
        manifest_name: Option<&str>,
        lock_wait: Duration,
    ) -> Result<(lock::Locked, staging::Staging, Vec<Op>), Diagnostic> {
        let locked = lock::lock(out_dir, lock_wait)?;
        recover_locked(out_dir, &locked.dir)?;
        let ops = plan(
            out_dir,
            &mut Folders::new(&locked.dir),
            names,
            manifest_name,
        )?;
        let staging = staging::Staging::create(&locked.dir)
            .map_err(|e| io_error(out_dir, &tr!("output-cannot-write-in-folder"), &e))?;
        Ok((locked, staging, ops))
    }

    /// Stages the set's file `relative` (not yet flushed to disk: [`SetWriter::commit`]
    /// flushes them all at once).
    pub fn put(&self, relative: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.out_dir.join(relative);
        let slot = self.slots.get(relative).copied();
        let Some((index, staged)) = slot.and_then(|i| Some((i, self.staged.get(i)?))) else {
            return Err(Diagnostic::new(Some(&path), tr!("output-not-in-the-set"))
                .help(tr!("output-bug-help")));
        };
        self.staging
            .write_file(&staging::new_name(index), bytes)
            .map_err(|e| io_error(&path, &tr!("output-cannot-write-file"), &e))?;
        staged.store(true, Ordering::Release);
        Ok(())
    }

    /// Flushes the staged files, commits the journal and puts the set in place (steps 4
    /// to 6). Every file of the set must have been staged.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        if let Some(missing) = self.unstaged() {
            return Err(Diagnostic::new(Some(&missing), tr!("output-not-staged"))
                .help(tr!("output-bug-help")));
        }
        let mut folders = Folders::new(&self.locked.dir);
        let committed = flush_and_commit(&self.out_dir, &self.staging, &self.ops);
        let applied =
            committed.and_then(|()| apply(&self.out_dir, &mut folders, &self.staging, &self.ops));
        match applied {
            Err(Undone::No(d)) => {
                self.keep_staging = true;
                Err(d)
            }
            Err(Undone::Yes(d)) => {
                // The undone renames on disk before the journal goes (a power cut must not
                // keep the removal of the journal but lose the undo).
                let _ = folders.sync();
                Err(d)
            }
            Ok(()) => {
                self.written = true;
                Ok(())
            }
        }
    }

    /// The first file of the set that was never staged.
    fn unstaged(&self) -> Option<PathBuf> {
        self.ops
            .iter()
            .zip(&self.staged)
            .find_map(|(op, staged)| match op {
                Op::Put(path) if !staged.load(Ordering::Acquire) => Some(self.out_dir.join(path)),
                _ => None,
            })
    }
}

impl Drop for SetWriter {
    fn drop(&mut self) {
        if !self.keep_staging {
            discard(&self.locked.dir, &self.staging);
        }
        if !self.written {
            remove_created(&self.created);
        }
    }
}

/// Removes the folders `begin` created for the output folder, innermost first (only
/// empty ones go).
fn remove_created(created: &[PathBuf]) {
    for dir in created.iter().rev() {
        let _ = std::fs::remove_dir(dir);
    }
}

/// Completes or discards what a killed run left in `out_dir` and removes stray temp files,
/// under the lock. Every write does this first; tests and tools can call it alone.
pub fn recover(out_dir: &Path) -> Result<Recovery, Diagnostic> {
    let locked = lock::lock(out_dir, LOCK_WAIT)?;
    recover_locked(out_dir, &locked.dir)
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
        match std::fs::create_dir(&m) {
            Ok(()) => created.push(m),
            // Another run made it meanwhile (two builds started at once): it is not ours to
            // remove again. Whether it is a folder we may use is checked when it is opened.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io_error(&m, &tr!("output-cannot-create-folder"), &e)),
        }
    }
    Ok(())
}

/// An error, and whether the output folder is back to the old set.
enum Undone {
    Yes(Diagnostic),
    /// The committed journal stays for the next run to complete.
    No(Diagnostic),
}

/// Flushes every staged file and the staging folder to disk, then commits the journal.
fn flush_and_commit(out_dir: &Path, staging: &staging::Staging, ops: &[Op]) -> Result<(), Undone> {
    staging
        .flush()
        .map_err(|e| Undone::Yes(io_error(out_dir, &tr!("output-cannot-flush"), &e)))?;
    journal::commit(staging, ops)
        .map_err(|e| Undone::Yes(io_error(out_dir, &tr!("output-cannot-write-in-folder"), &e)))
}

fn apply(
    out_dir: &Path,
    folders: &mut Folders<'_>,
    staging: &staging::Staging,
    ops: &[Op],
) -> Result<(), Undone> {
    match journal::apply(folders, staging, ops) {
        // The replaced files go while the folders are flushed: removing a file can wait
        // for the disk (see `tree::remove_entries`), and nothing needs them any more. A
        // file left behind (or all of them, where the system refuses a thread) goes with
        // the staging folder.
        Ok(()) => std::thread::scope(|scope| {
            let _removing =
                std::thread::Builder::new().spawn_scoped(scope, || staging.remove_replaced());
            folders.sync()
        })
        .map_err(|e| {
            Undone::No(
                io_error(out_dir, &tr!("output-cannot-flush"), &e)
                    .help(tr!("output-run-again-completes")),
            )
        }),
        Err((error, true)) => Err(Undone::Yes(
            folder_problem(out_dir, error.problem).help(tr!("output-nothing-changed-help")),
        )),
        Err((error, false)) => Err(Undone::No(
            folder_problem(out_dir, error.problem).help(tr!("output-not-put-back-help")),
        )),
    }
}

/// Un-commits and deletes the staging folder (best effort: a leftover is removed by the
/// next run). The journal goes first, so a kill meanwhile never leaves a journal whose
/// staged files are partly gone.
fn discard(root: &std::fs::File, staging: &staging::Staging) {
    if rustix::fs::unlinkat(&staging.dir, journal::JOURNAL, AtFlags::empty()).is_ok() {
        let _ = rustix::fs::fsync(&staging.dir);
    }
    let _ = tree::remove_flat_folder(root, &staging.name);
}

/// The changes from the old set to the new one, checked against what is in the folder.
fn plan(
    out_dir: &Path,
    folders: &mut Folders<'_>,
    names: &[&str],
    manifest_name: Option<&str>,
) -> Result<Vec<Op>, Diagnostic> {
    let mut puts = Vec::with_capacity(names.len());
    for &relative in names {
        let path = tree::split(relative).ok_or_else(|| {
            Diagnostic::new(Some(&out_dir.join(relative)), tr!("output-not-plain-path"))
                .help(tr!("output-bug-help"))
        })?;
        let parent = folders
            .parent(&path, false)
            .map_err(|p| folder_problem(out_dir, p))?;
        let kind = match parent {
            Some(parent) => tree::kind_at(parent, path.name)
                .map_err(|e| io_error(&out_dir.join(relative), &tr!("output-cannot-look"), &e))?,
            None => None,
        };
        if kind == Some(FileType::Directory) {
            return Err(Diagnostic::new(
                Some(&out_dir.join(relative)),
                tr!("output-folder-in-the-way"),
            )
            .help(tr!("output-folder-in-the-way-help")));
        }
        if Some(relative) != manifest_name {
            puts.push(Op::Put(relative.to_string()));
        }
    }
    let Some(manifest_name) = manifest_name else {
        return Ok(puts);
    };
    let new: BTreeSet<&str> = names.iter().copied().collect();
    let mut ops = puts;
    for old in manifest::previous(folders, manifest_name) {
        if new.contains(old.as_str()) || !is_regular_file(folders, &old) {
            continue;
        }
        ops.push(Op::Remove(old));
    }
    if new.contains(manifest_name) {
        ops.push(Op::Put(manifest_name.to_string()));
    }
    Ok(ops)
}

/// Is `relative` a regular file reached through real folders (a link or anything else
/// standing there now was not written by the tool, and stays)?
fn is_regular_file(folders: &mut Folders<'_>, relative: &str) -> bool {
    let Some(path) = tree::split(relative) else {
        return false;
    };
    match folders.parent(&path, false) {
        Ok(Some(parent)) => {
            matches!(
                tree::kind_at(parent, path.name),
                Ok(Some(FileType::RegularFile))
            )
        }
        _ => false,
    }
}

fn folder_problem(out_dir: &Path, problem: FolderProblem) -> Diagnostic {
    match problem {
        FolderProblem::Link(folder) => {
            Diagnostic::new(Some(&out_dir.join(folder)), tr!("output-symlink"))
                .help(tr!("output-symlink-help"))
        }
        FolderProblem::NotAFolder(folder) => {
            Diagnostic::new(Some(&out_dir.join(folder)), tr!("output-file-in-the-way"))
                .help(tr!("output-file-in-the-way-help"))
        }
        FolderProblem::Io(path, e) => {
            io_error(&out_dir.join(path), &tr!("output-cannot-put-in-place"), &e)
        }
    }
}

/// Step 1 of the protocol, with the lock held.
fn recover_locked(out_dir: &Path, root: &std::fs::File) -> Result<Recovery, Diagnostic> {
    let listing = |e: std::io::Error| io_error(out_dir, &tr!("output-cannot-read-folder"), &e);
    let mut recovery = Recovery::default();
    for (name, kind) in tree::names(root).map_err(listing)? {
        if name.starts_with(STAGING_PREFIX) {
            if kind == FileType::Directory && complete(out_dir, root, &name)? {
                recovery.completed += 1;
            } else {
                recovery.discarded += 1;
            }
            tree::remove_flat_folder(root, &name).map_err(|e| {
                io_error(
                    &out_dir.join(&name),
                    &tr!("output-cannot-remove-staging"),
                    &e,
                )
                .help(tr!("output-cannot-remove-staging-help"))
            })?;
        } else if staging::is_temp_name(&name) {
            recovery.temp_files += remove_temp(root, &name);
        } else if kind == FileType::Directory {
            let Ok(folder) = tree::open_folder(root, &name) else {
                continue;
            };
            for (inner, _) in tree::names(&folder).map_err(listing)? {
                if staging::is_temp_name(&inner) {
                    recovery.temp_files += remove_temp(&folder, &inner);
                }
            }
        }
    }
    Ok(recovery)
}

/// Rolls a committed staging folder forward; `false` when it was never committed.
fn complete(out_dir: &Path, root: &std::fs::File, name: &str) -> Result<bool, Diagnostic> {
    let unreadable = |e: std::io::Error| {
        io_error(&out_dir.join(name), &tr!("output-cannot-read-journal"), &e)
            .help(tr!("output-cannot-read-journal-help"))
    };
    let staging_dir = tree::open_folder(root, name).map_err(unreadable)?;
    let Some(ops) = journal::read(&staging_dir).map_err(unreadable)? else {
        return Ok(false);
    };
    let mut folders = Folders::new(root);
    journal::roll_forward(&mut folders, &staging_dir, &ops)
        .map_err(|e| folder_problem(out_dir, e.problem).help(tr!("output-roll-forward-help")))?;
    folders
        .sync()
        .map_err(|e| io_error(out_dir, &tr!("output-cannot-flush"), &e))?;
    Ok(true)
}

fn remove_temp(dir: impl std::os::fd::AsFd, name: &str) -> usize {
    usize::from(rustix::fs::unlinkat(dir, name, AtFlags::empty()).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::os::unix::fs::PermissionsExt;

    /// A file `name` holding `text`, for the tests here and in `manifest`.
    pub(super) fn file(name: &str, text: &str) -> OutputFile {
        OutputFile {
            relative: name.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    /// The set `names` (contents = name) with its manifest `SUMS`.
    fn set(names: &[&str]) -> Vec<OutputFile> {
        let mut files: Vec<OutputFile> = names.iter().map(|n| file(n, n)).collect();
        let m = manifest("SUMS", &files);
        files.push(m);
        files
    }

    /// Every entry under `dir` (folders end in `/`), sorted.
    fn entries(dir: &Path) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                if e.file_type().unwrap().is_dir() {
                    out.push(format!("{rel}/"));
                    stack.push(p);
                } else {
                    out.push(rel);
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn writes_files_and_manifest_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_all(&out, &set(&["b.txt", "kaardid/a.txt"]), Some("SUMS")).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("kaardid/a.txt")).unwrap(),
            "kaardid/a.txt"
        );
        assert_eq!(
            entries(&out),
            ["SUMS", "b.txt", "kaardid/", "kaardid/a.txt"]
        );
        let mode = std::fs::metadata(out.join("b.txt"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }

    #[test]
    fn a_file_as_output_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::write(&out, "x").unwrap();
        let e = write_all(&out, &[file("a.txt", "a")], None).unwrap_err();
        assert!(e.message.contains("is a file"));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "x");
    }

    #[test]
    fn a_folder_in_the_way_leaves_the_folder_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("c.txt")).unwrap();
        let before = entries(&out);
        let e = write_all(&out, &[file("new/a.txt", "a"), file("c.txt", "c")], None).unwrap_err();
        assert!(e.message.contains("folder stands"));
        assert_eq!(entries(&out), before);
    }

    #[test]
    fn files_of_the_previous_set_are_removed_and_foreign_files_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_all(
            &out,
            &set(&["a.pdf", "kaardid/1.pdf", "kaardid/2.pdf"]),
            Some("SUMS"),
        )
        .unwrap();
        std::fs::write(out.join("kaardid/notes.txt"), "mine").unwrap();
        write_all(&out, &set(&["a.pdf", "kaardid/1.pdf"]), Some("SUMS")).unwrap();
        assert_eq!(
            entries(&out),
            [
                "SUMS",
                "a.pdf",
                "kaardid/",
                "kaardid/1.pdf",
                "kaardid/notes.txt"
            ]
        );
        // Another manifest's set is not touched by this one.
        write_all(
            &out,
            &[
                file("c.pdf", "c"),
                manifest("SUMS.card-03", &[file("c.pdf", "c")]),
            ],
            Some("SUMS.card-03"),
        )
        .unwrap();
        write_all(&out, &set(&["a.pdf"]), Some("SUMS")).unwrap();
        assert_eq!(
            entries(&out),
            [
                "SUMS",
                "SUMS.card-03",
                "a.pdf",
                "c.pdf",
                "kaardid/",
                "kaardid/notes.txt"
            ]
        );
    }

    #[test]
    fn a_symlinked_subfolder_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("kaardid")).unwrap();
        let e = write_all(&out, &set(&["a.pdf", "kaardid/1.pdf"]), Some("SUMS")).unwrap_err();
        assert!(e.message.contains("symbolic link"), "{e}");
        assert_eq!(e.file.as_deref(), Some(out.join("kaardid").as_path()));
        assert!(entries(&elsewhere).is_empty());
        assert_eq!(entries(&out), ["kaardid"]);
    }

    #[test]
    fn links_fifos_and_devices_are_replaced_as_entries_never_opened() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        let outside = dir.path().join("outside.pdf");
        std::fs::write(&outside, "keep").unwrap();
        std::os::unix::fs::symlink(&outside, out.join("a.pdf")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", out.join("b.pdf")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", out.join("SUMS")).unwrap();
        rustix::fs::mknodat(
            rustix::fs::CWD,
            out.join("c.pdf").as_path(),
            FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o644),
            0,
        )
        .unwrap();
        write_all(&out, &set(&["a.pdf", "b.pdf", "c.pdf"]), Some("SUMS")).unwrap();
        for name in ["a.pdf", "b.pdf", "c.pdf", "SUMS"] {
            let meta = std::fs::symlink_metadata(out.join(name)).unwrap();
            assert!(meta.file_type().is_file(), "{name}");
        }
        assert_eq!(std::fs::read_to_string(out.join("a.pdf")).unwrap(), "a.pdf");
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep");
    }

    #[test]
    fn a_failed_rename_puts_back_links_and_modes_as_they_were() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("kaardid")).unwrap();
        std::os::unix::fs::symlink("elsewhere.pdf", out.join("a.pdf")).unwrap();
        let private = out.join("kaardid/1.pdf");
        std::fs::write(&private, "old").unwrap();
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
        let before = entries(&out);
        // Too long a name fails only at its rename (its folder does not exist yet, so
        // nothing looks at it before): after the other two were put in place.
        let long = format!("zz/{}", "x".repeat(300));
        let e = write_all(
            &out,
            &[
                file("a.pdf", "new"),
                file("kaardid/1.pdf", "new"),
                file(&long, "new"),
            ],
            None,
        )
        .unwrap_err();
        assert!(e.message.contains("cannot put the file in place"), "{e}");
        assert_eq!(entries(&out), before);
        assert_eq!(
            std::fs::read_link(out.join("a.pdf")).unwrap(),
            Path::new("elsewhere.pdf")
        );
        let meta = std::fs::metadata(&private).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_to_string(&private).unwrap(), "old");
    }

    /// A writer of the set `files` (manifest `SUMS`) into `out`.
    fn writer_for(out: &Path, files: &[OutputFile]) -> SetWriter {
        let names: Vec<&str> = files.iter().map(|f| f.relative.as_str()).collect();
        SetWriter::begin(out, &names, Some("SUMS"), Duration::ZERO).unwrap()
    }

    #[test]
    fn files_are_staged_one_by_one_and_appear_only_at_the_commit() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_all(&out, &set(&["a.pdf"]), Some("SUMS")).unwrap();
        let before = contents(&out);
        let files = set(&["a.pdf", "kaardid/1.pdf"]);
        let writer = writer_for(&out, &files);
        for f in &files {
            writer.put(&f.relative, &f.bytes).unwrap();
            let staged: Vec<String> = entries(&out)
                .into_iter()
                .filter(|e| !e.starts_with(STAGING_PREFIX))
                .collect();
            assert_eq!(
                staged,
                ["SUMS", "a.pdf"],
                "nothing is in place before the commit"
            );
        }
        assert_eq!(
            contents(&out)
                .into_iter()
                .filter(|(e, _)| !e.starts_with(STAGING_PREFIX))
                .collect::<Contents>(),
            before
        );
        writer.commit().unwrap();
        assert_eq!(
            entries(&out),
            ["SUMS", "a.pdf", "kaardid/", "kaardid/1.pdf"]
        );
        assert_eq!(
            std::fs::read(out.join("kaardid/1.pdf")).unwrap(),
            b"kaardid/1.pdf"
        );
    }

    #[test]
    fn a_writer_given_up_or_missing_a_file_leaves_the_folder_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_all(&out, &set(&["a.pdf"]), Some("SUMS")).unwrap();
        let before = contents(&out);
        let files = set(&["a.pdf", "b.pdf"]);
        // Dropped after one file (a render failed): the staging folder goes.
        let writer = writer_for(&out, &files);
        writer.put("a.pdf", b"new").unwrap();
        drop(writer);
        assert_eq!(contents(&out), before);
        // A name outside the set is refused; a commit with a file never staged too.
        let writer = writer_for(&out, &files);
        let e = writer.put("c.pdf", b"x").unwrap_err();
        assert!(e.message.contains("not a path of the set"), "{e}");
        writer.put("a.pdf", b"new").unwrap();
        writer.put("SUMS", b"sums").unwrap();
        let e = writer.commit().unwrap_err();
        assert!(e.message.contains("never written"), "{e}");
        assert!(e.to_string().contains("b.pdf"), "{e}");
        assert_eq!(contents(&out), before);
        // A fresh output folder that never got its set is removed again.
        let fresh = dir.path().join("fresh/out");
        let writer = writer_for(&fresh, &files);
        assert!(fresh.is_dir());
        drop(writer);
        assert!(!dir.path().join("fresh").exists());
    }

    #[test]
    fn a_held_lock_is_reported_as_another_build() {
        let dir = tempfile::tempdir().unwrap();
        let held = std::fs::File::open(dir.path()).unwrap();
        held.lock().unwrap();
        let e = write_all_waiting(dir.path(), &set(&["a.pdf"]), Some("SUMS"), Duration::ZERO)
            .unwrap_err();
        assert!(e.message.contains("another build is writing to"), "{e}");
        assert!(entries(dir.path()).is_empty());
        held.unlock().unwrap();
        write_all_waiting(dir.path(), &set(&["a.pdf"]), Some("SUMS"), Duration::ZERO).unwrap();
    }

    /// Every file under a folder with its bytes (folders end in `/`).
    type Contents = BTreeMap<String, Vec<u8>>;

    fn contents(dir: &Path) -> Contents {
        entries(dir)
            .into_iter()
            .map(|e| {
                let bytes = if e.ends_with('/') {
                    Vec::new()
                } else {
                    std::fs::read(dir.join(&e)).unwrap()
                };
                (e, bytes)
            })
            .collect()
    }

    /// A kill is simulated by stopping after `steps` renames (of the apply, or of the
    /// apply and then of its undo) and dropping everything; `recover` must then give the
    /// new set, whatever the step.
    fn killed_after(steps: usize, undo: bool) -> (Contents, Contents, usize) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        write_all(
            out,
            &set(&["a.pdf", "kaardid/1.pdf", "kaardid/2.pdf"]),
            Some("SUMS"),
        )
        .unwrap();
        let mut files: Vec<OutputFile> = ["a.pdf", "kaardid/1.pdf", "kaardid/3.pdf", "uus/4.pdf"]
            .iter()
            .map(|n| file(n, &format!("new {n}")))
            .collect();
        let m = manifest("SUMS", &files);
        files.push(m);
        let expected = {
            let fresh = tempfile::tempdir().unwrap();
            write_all(fresh.path(), &files, None).unwrap();
            contents(fresh.path())
        };
        let locked = lock::lock(out, Duration::ZERO).unwrap();
        let mut folders = Folders::new(&locked.dir);
        let names: Vec<&str> = files.iter().map(|f| f.relative.as_str()).collect();
        let ops = plan(out, &mut folders, &names, Some("SUMS")).unwrap();
        let staging = staging::Staging::create(&locked.dir).unwrap();
        for (i, op) in ops.iter().enumerate() {
            if let Op::Put(path) = op {
                let staged = files.iter().find(|f| &f.relative == path).unwrap();
                staging
                    .write_file(&staging::new_name(i), &staged.bytes)
                    .unwrap();
            }
        }
        staging.flush().unwrap();
        journal::commit(&staging, &ops).unwrap();
        let mut done = Vec::new();
        let applied = if undo {
            ops.len()
        } else {
            steps.min(ops.len())
        };
        for (i, op) in ops.iter().enumerate().take(applied) {
            journal::apply_one(&mut folders, &staging, i, op, &mut done).unwrap();
        }
        if undo {
            let keep = done.len().saturating_sub(steps);
            let undone = done.split_off(keep);
            journal::rollback(&mut folders, &staging, &ops, undone).unwrap();
        }
        let count = ops.len();
        drop(staging);
        drop(folders);
        drop(locked);
        let r = recover(out).unwrap();
        assert_eq!(r.completed, 1);
        (contents(out), expected, count)
    }

    #[test]
    fn a_kill_after_any_rename_of_the_apply_or_its_undo_is_completed_by_recover() {
        let (_, _, ops) = killed_after(0, false);
        for steps in 0..=ops {
            for undo in [false, true] {
                let (after, expected, _) = killed_after(steps, undo);
                assert_eq!(after, expected, "killed after {steps} steps (undo: {undo})");
            }
        }
    }

    #[test]
    fn leftovers_are_removed_and_a_committed_journal_completed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        write_all(out, &set(&["a.pdf"]), Some("SUMS")).unwrap();
        // An interrupted write that never committed, one that did, and old temp files.
        let stale = out.join(format!("{STAGING_PREFIX}1"));
        std::fs::create_dir(&stale).unwrap();
        std::fs::write(stale.join("new-0"), "half").unwrap();
        let committed = out.join(format!("{STAGING_PREFIX}2"));
        std::fs::create_dir(&committed).unwrap();
        std::fs::write(committed.join("new-0"), "b.pdf").unwrap();
        std::fs::write(
            committed.join("JOURNAL"),
            "rollikaart journal 1\nput b.pdf\nremove a.pdf\n",
        )
        .unwrap();
        std::fs::create_dir(out.join("kaardid")).unwrap();
        std::fs::write(out.join(".rollikaart-abc123.tmp"), "x").unwrap();
        std::fs::write(out.join("kaardid/.rollikaart-def456.tmp"), "x").unwrap();
        let r = recover(out).unwrap();
        assert_eq!(
            r,
            Recovery {
                completed: 1,
                discarded: 1,
                temp_files: 2
            }
        );
        assert_eq!(entries(out), ["SUMS", "b.pdf", "kaardid/"]);
        assert_eq!(recover(out).unwrap(), Recovery::default());
    }
}
