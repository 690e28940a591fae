//! The staging folder: one flat folder inside the output folder that holds the new files
//! (`new-N`), the old files kept for a rollback (`old-N`) and, once everything is on disk,
//! the commit journal.

use super::tree::{self, RESERVED_PREFIX};
use rustix::fs::{Mode, OFlags};
use std::io::{self, Write};
use std::os::fd::{AsFd, OwnedFd};

/// The start of every staging folder's name; the rest is the writing process's id.
pub const STAGING_PREFIX: &str = ".rollikaart-staging-";

/// rwx------: the staging folder is the tool's private workspace.
const STAGING_MODE: u32 = 0o700;
/// rw-r--r--: output files are ordinary documents, as a plain `cp` would leave them.
const FILE_MODE: u32 = 0o644;

/// The staged copy of the set's file number `index`.
pub fn new_name(index: usize) -> String {
    format!("new-{index}")
}

/// Where the file replaced (or removed) by operation `index` is kept until the set is done.
pub fn old_name(index: usize) -> String {
    format!("{OLD_PREFIX}{index}")
}

/// The start of the name of a file kept for a rollback ([`old_name`]).
const OLD_PREFIX: &str = "old-";

/// Is `name` (in the output folder or one of its folders) a temporary file of this tool,
/// from this version or an older one (`.rollikaart-XXXXXX.tmp`)?
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with(RESERVED_PREFIX) && name.ends_with(".tmp")
}

/// An open staging folder.
pub struct Staging {
    pub name: String,
    pub dir: OwnedFd,
}

impl Staging {
    /// Creates this process's staging folder in `root` (stale ones were removed before).
    pub fn create(root: impl AsFd) -> io::Result<Staging> {
        let root = root.as_fd();
        let name = format!("{STAGING_PREFIX}{}", std::process::id());
        rustix::fs::mkdirat(root, name.as_str(), Mode::from_raw_mode(STAGING_MODE))?;
        let dir = tree::open_folder(root, &name)?;
        Ok(Staging { name, dir })
    }

    /// Creates `name` here (never an existing entry) and writes `bytes`, without flushing
    /// them: [`Staging::flush`] flushes every staged file at once.
    pub fn write_file(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        self.new_file(name)?.write_all(bytes)
    }

    /// [`Staging::write_file`], flushing the file's bytes to disk before it returns.
    pub fn write_file_flushed(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        let mut file = self.new_file(name)?;
        file.write_all(bytes)?;
        file.sync_all()
    }

    /// Flushes everything staged, and the folder itself, to disk: one `syncfs` of the file
    /// system the staging folder is on instead of a flush per file (a 10,000-card build
    /// stages 20,003 files; `syncfs` waits for them all in one pass and, since Linux 5.8,
    /// reports a failed write-back of any of them).
    pub fn flush(&self) -> io::Result<()> {
        rustix::fs::syncfs(&self.dir)?;
        rustix::fs::fsync(&self.dir)?;
        Ok(())
    }

    /// Removes the files the set replaced (`old-N`), kept here for a rollback: once every
    /// rename of a committed set is done they are not needed (a committed journal is only
    /// ever completed, never undone).
    pub fn remove_replaced(&self) -> io::Result<()> {
        let replaced: Vec<_> = tree::names(&self.dir)?
            .into_iter()
            .filter(|(name, _)| name.starts_with(OLD_PREFIX))
            .collect();
        tree::remove_entries(&self.dir, &replaced)
    }

    fn new_file(&self, name: &str) -> io::Result<std::fs::File> {
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW;
        let fd = rustix::fs::openat(
            &self.dir,
            name,
            flags | OFlags::CLOEXEC,
            Mode::from_raw_mode(FILE_MODE),
        )?;
        // The umask may have taken bits away; documents are readable by everyone.
        rustix::fs::fchmod(&fd, Mode::from_raw_mode(FILE_MODE))?;
        Ok(std::fs::File::from(fd))
    }
}
