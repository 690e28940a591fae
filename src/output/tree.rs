//! Folders and entries inside the output folder, reached from its open descriptor without
//! ever following a symbolic link: a link where a folder should be is refused, a link where a
//! file should be is an entry like any other (replaced or kept as the link itself).

use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use std::collections::BTreeMap;
use std::io;
use std::os::fd::{AsFd, OwnedFd};

/// Names the tool keeps for itself inside the output folder (staging folders, temp files).
pub(super) const RESERVED_PREFIX: &str = ".rollikaart-";

/// rwxr-xr-x: a folder the tool creates for the set, as `mkdir` would leave it.
const FOLDER_MODE: u32 = 0o755;

/// A path of the set, split into its folders and its file name, every part a plain name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SetPath<'a> {
    pub folders: Vec<&'a str>,
    pub name: &'a str,
}

/// Splits a `/`-separated relative path; `None` when any part is empty, `.`, `..`, holds a
/// NUL byte, backslash or line break, or uses the tool's reserved prefix (so that a path read from a hand-edited
/// manifest or journal can never reach outside the output folder).
pub(super) fn split(relative: &str) -> Option<SetPath<'_>> {
    let mut parts: Vec<&str> = relative.split('/').collect();
    let name = parts.pop()?;
    let plain = |p: &&str| {
        !p.is_empty()
            && *p != "."
            && *p != ".."
            && !p.starts_with(RESERVED_PREFIX)
            && !p.contains(['\0', '\\', '\n', '\r'])
    };
    (parts.iter().all(plain) && plain(&name)).then_some(SetPath {
        folders: parts,
        name,
    })
}

/// The type of the entry `name` in `dir`, without following a link; `None` if there is none.
pub(super) fn kind_at(dir: impl AsFd, name: &str) -> io::Result<Option<FileType>> {
    match rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(stat) => Ok(Some(FileType::from_raw_mode(stat.st_mode))),
        Err(rustix::io::Errno::NOENT) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Opens the folder `name` in `dir`; a symbolic link there fails (`ELOOP`), never followed.
pub(super) fn open_folder(dir: impl AsFd, name: &str) -> io::Result<OwnedFd> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    Ok(rustix::fs::openat(dir, name, flags, Mode::empty())?)
}

/// Why a folder of the set cannot be used.
#[derive(Debug)]
pub(super) enum FolderProblem {
    /// The folder (given as its path inside the output folder) is a symbolic link.
    Link(String),
    /// Something other than a folder stands there.
    NotAFolder(String),
    Io(String, io::Error),
}

/// The set's folders, opened once each from the output folder's descriptor.
pub(super) struct Folders<'a> {
    root: &'a std::fs::File,
    open: BTreeMap<String, OwnedFd>,
    /// Folders this run created, in creation order (paths inside the output folder).
    pub created: Vec<String>,
}

impl<'a> Folders<'a> {
    pub fn new(root: &'a std::fs::File) -> Self {
        Folders {
            root,
            open: BTreeMap::new(),
            created: Vec::new(),
        }
    }

    /// The folder holding `path`: `Ok(None)` when part of it is missing and `create` is
    /// false; missing parts are created (and remembered) when `create` is true.
    pub fn parent(
        &mut self,
        path: &SetPath<'_>,
        create: bool,
    ) -> Result<Option<std::os::fd::BorrowedFd<'_>>, FolderProblem> {
        let mut walked = String::new();
        for folder in &path.folders {
            let parent_key = walked.clone();
            if !walked.is_empty() {
                walked.push('/');
            }
            walked.push_str(folder);
            if self.open.contains_key(&walked) {
                continue;
            }
            let opened = {
                let parent = match self.open.get(&parent_key) {
                    Some(fd) => fd.as_fd(),
                    None => self.root.as_fd(),
                };
                let io = |e: io::Error| FolderProblem::Io(walked.clone(), e);
                match kind_at(parent, folder).map_err(io)? {
                    Some(FileType::Directory) => open_folder(parent, folder).map_err(io)?,
                    Some(FileType::Symlink) => return Err(FolderProblem::Link(walked)),
                    Some(_) => return Err(FolderProblem::NotAFolder(walked)),
                    None if !create => return Ok(None),
                    None => {
                        rustix::fs::mkdirat(parent, *folder, Mode::from_raw_mode(FOLDER_MODE))
                            .map_err(|e| io(e.into()))?;
                        self.created.push(walked.clone());
                        open_folder(parent, folder).map_err(io)?
                    }
                }
            };
            self.open.insert(walked.clone(), opened);
        }
        Ok(Some(match self.open.get(&walked) {
            Some(fd) => fd.as_fd(),
            None => self.root.as_fd(),
        }))
    }

    /// Flushes every folder touched (and the output folder) to disk, so that the renames
    /// done in them survive a power cut.
    pub fn sync(&self) -> io::Result<()> {
        for fd in self.open.values() {
            rustix::fs::fsync(fd)?;
        }
        rustix::fs::fsync(self.root)?;
        Ok(())
    }

    /// Removes the folders this run created again (they are empty after a rollback).
    pub fn remove_created(&mut self) {
        self.open.clear();
        for folder in self.created.drain(..).rev() {
            let _ = rustix::fs::unlinkat(self.root, folder.as_str(), AtFlags::REMOVEDIR);
        }
    }
}

/// The names in `dir` (not `.` and `..`; names that are not UTF-8 are never the tool's and
/// are skipped).
pub(super) fn names(dir: impl AsFd) -> io::Result<Vec<(String, FileType)>> {
    let mut out = Vec::new();
    for entry in rustix::fs::Dir::read_from(dir)? {
        let entry = entry?;
        let Ok(name) = entry.file_name().to_str() else {
            continue;
        };
        if name != "." && name != ".." {
            out.push((name.to_string(), entry.file_type()));
        }
    }
    Ok(out)
}

/// Threads that remove files at once ([`remove_entries`]). On a file system that discards
/// freed blocks at once (`mount -o discard`), removing a file waits for the disk: the 31
/// files a rebuild of the bundled set replaces took 3.8 ms one after another and 2.2 ms on
/// four threads (2026-12-07).
const REMOVING_THREADS: usize = 4;
/// Fewer entries than this are removed on the calling thread alone.
const REMOVE_ALONE_BELOW: usize = 8;

/// Removes the flat folder `name` in `dir` with everything in it; a link is removed as a link.
pub(super) fn remove_flat_folder(dir: impl AsFd, name: &str) -> io::Result<()> {
    let dir = dir.as_fd();
    let folder = match open_folder(dir, name) {
        Ok(folder) => folder,
        Err(e) if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) => {
            return Ok(rustix::fs::unlinkat(dir, name, AtFlags::empty())?);
        }
        Err(e) if e.raw_os_error() == Some(rustix::io::Errno::NOTDIR.raw_os_error()) => {
            return Ok(rustix::fs::unlinkat(dir, name, AtFlags::empty())?);
        }
        Err(e) => return Err(e),
    };
    remove_entries(&folder, &names(&folder)?)?;
    rustix::fs::unlinkat(dir, name, AtFlags::REMOVEDIR)?;
    Ok(())
}

/// Removes `entries` (names in `dir` with their kinds; a folder must be empty) on up to
/// [`REMOVING_THREADS`] threads. Every entry is tried; the first error is returned.
pub(super) fn remove_entries(dir: impl AsFd, entries: &[(String, FileType)]) -> io::Result<()> {
    let dir = dir.as_fd();
    let remove_share = |first: usize, step: usize| -> io::Result<()> {
        let mut outcome = Ok(());
        for (entry, kind) in entries.iter().skip(first).step_by(step) {
            let flags = if *kind == FileType::Directory {
                AtFlags::REMOVEDIR
            } else {
                AtFlags::empty()
            };
            if let Err(e) = rustix::fs::unlinkat(dir, entry.as_str(), flags) {
                outcome = outcome.and(Err(e.into()));
            }
        }
        outcome
    };
    if entries.len() < REMOVE_ALONE_BELOW {
        return remove_share(0, 1);
    }
    let threads = REMOVING_THREADS.min(entries.len());
    std::thread::scope(|scope| {
        let mut outcome = Ok(());
        let mut helpers = Vec::with_capacity(threads);
        for first in 1..threads {
            let helper = std::thread::Builder::new()
                .spawn_scoped(scope, move || remove_share(first, threads));
            match helper {
                Ok(helper) => helpers.push(helper),
                // The system refuses threads (a low process limit): this one does it.
                Err(_) => outcome = outcome.and(remove_share(first, threads)),
            }
        }
        outcome = outcome.and(remove_share(0, threads));
        for helper in helpers {
            let result = helper
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            outcome = outcome.and(result);
        }
        outcome
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_pass() {
        assert_eq!(
            split("kaardid/01-a.pdf"),
            Some(SetPath {
                folders: vec!["kaardid"],
                name: "01-a.pdf"
            })
        );
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "./a",
            "a/",
            ".rollikaart-staging-1/x",
            "a\\b",
            "kaardid/.rollikaart-x.tmp",
            "a\nput b",
        ] {
            assert_eq!(split(bad), None, "{bad}");
        }
    }
}
