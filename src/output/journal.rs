//! The commit journal: the list of changes that turn the old set into the new one. Written
//! and flushed inside the staging folder after every new file is on disk, it is the commit
//! point; the changes are then applied one by one in a way that can be repeated after a
//! kill (roll forward) or undone after an error (rollback) from any point.

use super::staging::{self, Staging};
use super::tree::{self, FolderProblem, Folders, SetPath};
use crate::tr;
use rustix::fs::{AtFlags, FileType};
use std::io::{self, Read};
use std::os::fd::AsFd;

/// The journal's name inside the staging folder; present means committed.
pub const JOURNAL: &str = "JOURNAL";
/// The journal while it is being written (never read).
const JOURNAL_TMP: &str = "JOURNAL.tmp";
/// The first line, naming the format.
const HEADER: &str = "rollikaart journal 1";
/// The largest journal read back: a line of about 40 bytes a file, so room for over a
/// million files. A larger one is refused, not cut short: a journal read in part would
/// recover part of a set.
const MAX_JOURNAL_BYTES: u64 = 64 << 20;

/// One change, by its position in the journal (which names its staged and kept files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Put the staged `new-N` at this path, keeping what stood there as `old-N`.
    Put(String),
    /// Remove the file of the old set at this path, keeping it as `old-N`.
    Remove(String),
}

impl Op {
    fn path(&self) -> &str {
        match self {
            Op::Put(p) | Op::Remove(p) => p,
        }
    }
}

/// A failure while applying the journal, with the path it concerns.
#[derive(Debug)]
pub struct ApplyError {
    pub problem: FolderProblem,
}

fn at(path: &str, e: io::Error) -> ApplyError {
    ApplyError {
        problem: FolderProblem::Io(path.to_string(), e),
    }
}

/// Writes the journal, flushes it and gives it its final name: from here on the new set
/// is committed.
pub fn commit(staging: &Staging, ops: &[Op]) -> io::Result<()> {
    let mut text = format!("{HEADER}\n");
    for op in ops {
        match op {
            Op::Put(p) => text.push_str(&format!("put {p}\n")),
            Op::Remove(p) => text.push_str(&format!("remove {p}\n")),
        }
    }
    staging.write_file_flushed(JOURNAL_TMP, text.as_bytes())?;
    rustix::fs::renameat(&staging.dir, JOURNAL_TMP, &staging.dir, JOURNAL)?;
    rustix::fs::fsync(&staging.dir)?;
    Ok(())
}

/// The committed journal of a staging folder, `None` when it was never committed. A journal
/// that is not one this tool wrote is an error (the caller leaves the folder alone).
pub fn read(staging_dir: impl AsFd) -> io::Result<Option<Vec<Op>>> {
    let staging_dir = staging_dir.as_fd();
    if tree::kind_at(staging_dir, JOURNAL)? != Some(FileType::RegularFile) {
        return Ok(None);
    }
    let flags = rustix::fs::OFlags::RDONLY
        | rustix::fs::OFlags::NOFOLLOW
        | rustix::fs::OFlags::NONBLOCK
        | rustix::fs::OFlags::CLOEXEC;
    let fd = rustix::fs::openat(staging_dir, JOURNAL, flags, rustix::fs::Mode::empty())?;
    let mut text = String::new();
    std::fs::File::from(fd)
        .take(MAX_JOURNAL_BYTES + 1)
        .read_to_string(&mut text)?;
    (text.len() as u64 <= MAX_JOURNAL_BYTES)
        .then(|| parse(&text))
        .flatten()
        .map(Some)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, tr!("output-not-a-journal")))
}

/// The changes of a whole journal; one without its final line break was cut short.
fn parse(text: &str) -> Option<Vec<Op>> {
    if !text.ends_with('\n') {
        return None;
    }
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    lines
        .map(|line| {
            let op = match line.split_once(' ')? {
                ("put", p) => Op::Put(p.to_string()),
                ("remove", p) => Op::Remove(p.to_string()),
                _ => return None,
            };
            tree::split(op.path()).is_some().then_some(op)
        })
        .collect()
}

/// What has been done, for an exact rollback.
pub(super) enum Done {
    /// `new-N` is in place; `kept` says whether the old entry is kept as `old-N`.
    Put { index: usize, kept: bool },
    /// The old file was moved to `old-N`.
    Removed { index: usize },
}

/// Applies every change in order. On a failure everything done is undone in reverse (old
/// entries come back by rename, so they keep their mode, owner and link-ness) and the error
/// is returned; `Err` with `rolled_back == false` means the undo failed too and the
/// committed journal must stay for the next run to complete.
pub fn apply(
    folders: &mut Folders<'_>,
    staging: &Staging,
    ops: &[Op],
) -> Result<(), (ApplyError, bool)> {
    let mut done: Vec<Done> = Vec::with_capacity(ops.len());
    let mut outcome = Ok(());
    for (index, op) in ops.iter().enumerate() {
        if let Err(e) = apply_one(folders, staging, index, op, &mut done) {
            outcome = Err(e);
            break;
        }
    }
    let Err(error) = outcome else {
        return Ok(());
    };
    let rolled_back = rollback(folders, staging, ops, done).is_ok();
    if rolled_back {
        folders.remove_created();
    }
    Err((error, rolled_back))
}

pub(super) fn apply_one(
    folders: &mut Folders<'_>,
    staging: &Staging,
    index: usize,
    op: &Op,
    done: &mut Vec<Done>,
) -> Result<(), ApplyError> {
    let path = op.path();
    let set_path = tree::split(path).ok_or_else(|| at(path, invalid()))?;
    let parent = folders
        .parent(&set_path, matches!(op, Op::Put(_)))
        .map_err(|problem| ApplyError { problem })?;
    let Some(parent) = parent else {
        return Ok(());
    };
    let name = set_path.name;
    let old = staging::old_name(index);
    match op {
        Op::Put(_) => {
            let existing = tree::kind_at(parent, name).map_err(|e| at(path, e))?;
            if existing == Some(FileType::Directory) {
                // Never moved aside: a folder is not the tool's to replace.
                return Err(at(path, rustix::io::Errno::ISDIR.into()));
            }
            let kept = existing.is_some();
            if kept {
                keep_old(parent, name, staging, &old).map_err(|e| at(path, e))?;
                done.push(Done::Put { index, kept });
            }
            rustix::fs::renameat(&staging.dir, staging::new_name(index), parent, name)
                .map_err(|e| at(path, e.into()))?;
            if !kept {
                done.push(Done::Put { index, kept });
            }
        }
        Op::Remove(_) => {
            rustix::fs::renameat(parent, name, &staging.dir, old.as_str())
                .map_err(|e| at(path, e.into()))?;
            done.push(Done::Removed { index });
        }
    }
    Ok(())
}

/// Keeps the entry `name` as `old` in the staging folder: a second hard link, so the entry
/// stays in place until the new file replaces it in one rename; where the file system has
/// no hard links, by moving it there.
fn keep_old(
    parent: std::os::fd::BorrowedFd<'_>,
    name: &str,
    staging: &Staging,
    old: &str,
) -> io::Result<()> {
    match rustix::fs::linkat(parent, name, &staging.dir, old, AtFlags::empty()) {
        Ok(()) => Ok(()),
        Err(_) => Ok(rustix::fs::renameat(parent, name, &staging.dir, old)?),
    }
}

/// Undoes `done` in reverse. A put goes back to `new-N` first (so that the journal, still
/// committed, could be applied again from here), then the kept entry returns.
pub(super) fn rollback(
    folders: &mut Folders<'_>,
    staging: &Staging,
    ops: &[Op],
    done: Vec<Done>,
) -> io::Result<()> {
    for step in done.into_iter().rev() {
        let index = match step {
            Done::Put { index, .. } | Done::Removed { index } => index,
        };
        let Some(path) = ops.get(index).and_then(|op| tree::split(op.path())) else {
            return Err(invalid());
        };
        let Ok(Some(parent)) = folders.parent(&path, false) else {
            return Err(invalid());
        };
        let new = staging::new_name(index);
        let old = staging::old_name(index);
        if let Done::Put { .. } = step {
            rename_unless_same(parent, path.name, &staging.dir, &new)?;
        }
        if matches!(step, Done::Put { kept: true, .. } | Done::Removed { .. }) {
            rustix::fs::renameat(&staging.dir, old.as_str(), parent, path.name)?;
        }
    }
    Ok(())
}

/// Moves `name` back to the staging folder unless the new file never got there (the
/// rename of the failed step): then `name` is still the kept old entry and stays.
fn rename_unless_same(
    parent: std::os::fd::BorrowedFd<'_>,
    name: &str,
    staging_dir: impl AsFd,
    new: &str,
) -> io::Result<()> {
    if tree::kind_at(&staging_dir, new)?.is_some() {
        return Ok(());
    }
    Ok(rustix::fs::renameat(parent, name, staging_dir, new)?)
}

/// Completes a committed journal after a kill: every put whose `new-N` is still staged is
/// renamed into place, every file to remove that is still there is removed. Repeating it
/// is harmless, so a kill during roll forward is recovered the same way.
pub fn roll_forward(
    folders: &mut Folders<'_>,
    staging_dir: impl AsFd,
    ops: &[Op],
) -> Result<(), ApplyError> {
    let staging_dir = staging_dir.as_fd();
    for (index, op) in ops.iter().enumerate() {
        let path = op.path();
        let set_path: SetPath<'_> = tree::split(path).ok_or_else(|| at(path, invalid()))?;
        match op {
            Op::Put(_) => {
                let new = staging::new_name(index);
                if tree::kind_at(staging_dir, &new)
                    .map_err(|e| at(path, e))?
                    .is_none()
                {
                    continue;
                }
                let parent = folders
                    .parent(&set_path, true)
                    .map_err(|problem| ApplyError { problem })?
                    .ok_or_else(|| at(path, invalid()))?;
                rustix::fs::renameat(staging_dir, new.as_str(), parent, set_path.name)
                    .map_err(|e| at(path, e.into()))?;
            }
            Op::Remove(_) => {
                let Ok(Some(parent)) = folders.parent(&set_path, false) else {
                    continue;
                };
                if tree::kind_at(parent, set_path.name).map_err(|e| at(path, e))?
                    == Some(FileType::RegularFile)
                {
                    rustix::fs::unlinkat(parent, set_path.name, AtFlags::empty())
                        .map_err(|e| at(path, e.into()))?;
                }
            }
        }
    }
    Ok(())
}

fn invalid() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, tr!("output-not-in-the-set"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_reads_back_and_a_foreign_one_does_not() {
        let ops = vec![Op::Put("kaardid/a.pdf".into()), Op::Remove("b.pdf".into())];
        let text = format!("{HEADER}\nput kaardid/a.pdf\nremove b.pdf\n");
        assert_eq!(parse(&text), Some(ops));
        assert_eq!(parse("put a\n"), None);
        assert_eq!(parse(&format!("{HEADER}\nput ../etc/passwd\n")), None);
        assert_eq!(parse(&format!("{HEADER}\nmove a\n")), None);
        assert_eq!(
            parse(&format!("{HEADER}\nput kaardid/a.pdf\nput kaard")),
            None,
            "a journal cut short is refused, not recovered in part"
        );
    }
}
