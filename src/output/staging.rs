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
/// Flushes waiting on the disk overlap well, so a few per core; never one thread per file.
const WRITERS_PER_CORE: usize = 4;

/// The staged copy of the set's file number `index`.
pub fn new_name(index: usize) -> String {
    format!("new-{index}")
}

/// Where the file replaced (or removed) by operation `index` is kept until the set is done.
pub fn old_name(index: usize) -> String {
    format!("old-{index}")
}

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

    /// Writes every present `contents[N]` as `new-N` and flushes it to disk, a bounded number
    /// at once; then flushes the folder itself. The first failure is returned with its index.
    pub fn stage(&self, contents: &[Option<&[u8]>]) -> Result<(), (usize, io::Error)> {
        let results = bounded_map(contents.len(), |i| match contents.get(i) {
            Some(Some(bytes)) => self.write_file(&new_name(i), bytes),
            _ => Ok(()),
        });
        if let Some((i, Err(e))) = results.into_iter().enumerate().find(|(_, r)| r.is_err()) {
            return Err((i, e));
        }
        rustix::fs::fsync(&self.dir).map_err(|e| (0, e.into()))
    }

    /// Creates `name` here (never an existing entry), writes `bytes` and flushes them.
    pub fn write_file(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW;
        let fd = rustix::fs::openat(
            &self.dir,
            name,
            flags | OFlags::CLOEXEC,
            Mode::from_raw_mode(FILE_MODE),
        )?;
        // The umask may have taken bits away; documents are readable by everyone.
        rustix::fs::fchmod(&fd, Mode::from_raw_mode(FILE_MODE))?;
        let mut file = std::fs::File::from(fd);
        file.write_all(bytes)?;
        file.sync_all()
    }
}

/// The cores the flush pool is sized for, as `--jobs` gives them; 0 (the default): all.
static JOBS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Sizes the flush pool of every later write for `jobs` cores (`--jobs N`) instead of the
/// number of cores the system has.
pub fn set_jobs(jobs: std::num::NonZeroUsize) {
    JOBS.store(jobs.get(), std::sync::atomic::Ordering::Relaxed);
}

/// The cores the flush pool is sized for: [`set_jobs`], else the system's.
fn jobs() -> usize {
    match JOBS.load(std::sync::atomic::Ordering::Relaxed) {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

/// Runs `work(0..count)` on a small pool of threads (a few per core, the calling thread
/// among them) and gives the results in index order. A thread that cannot be started only
/// makes the pool smaller; a panic in `work` is passed on, never turned into a missing result.
fn bounded_map<R: Send>(count: usize, work: impl Fn(usize) -> R + Sync) -> Vec<R> {
    let helpers = jobs()
        .saturating_mul(WRITERS_PER_CORE)
        .min(count)
        .saturating_sub(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let drain = || {
        let mut mine = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if i >= count {
                break;
            }
            mine.push((i, work(i)));
        }
        mine
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..helpers)
            .map_while(|_| std::thread::Builder::new().spawn_scoped(scope, drain).ok())
            .collect();
        let mut all = drain();
        for worker in workers {
            all.extend(
                worker
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            );
        }
        all
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_map_keeps_order_and_covers_every_index() {
        let out = bounded_map(100, |i| i * 2);
        assert_eq!(out, (0..100).map(|i| i * 2).collect::<Vec<_>>());
        assert!(bounded_map(0, |i| i).is_empty());
    }
}
