//! The exclusive lock on the output folder: `flock` on the folder itself (no lock file is
//! left in the output), held from before the first look at the folder until the write is done.

use crate::diagnostics::Diagnostic;
use crate::tr;
use std::fs::{File, TryLockError};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::{Duration, Instant};

/// How often a waiting build tries the lock again.
const POLL: Duration = Duration::from_millis(20);
/// How often the folder may be replaced under a waiting build before it gives up.
const REOPEN_ATTEMPTS: usize = 3;

/// The output folder, open and locked; the lock goes with the value.
pub struct Locked {
    pub dir: File,
}

/// Opens `path` (a folder; a link naming it is followed, as the user chose it) and locks
/// it, waiting up to `wait` for another build to finish.
pub fn lock(path: &Path, wait: Duration) -> Result<Locked, Diagnostic> {
    let started = Instant::now();
    for _ in 0..REOPEN_ATTEMPTS {
        let dir = File::open(path)
            .map_err(|e| super::io_error(path, &tr!("output-cannot-open-folder"), &e))?;
        loop {
            match dir.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if started.elapsed() < wait => {
                    std::thread::sleep(POLL);
                }
                Err(TryLockError::WouldBlock) => return Err(busy(path)),
                Err(TryLockError::Error(e)) => {
                    return Err(super::io_error(path, &tr!("output-cannot-lock-folder"), &e));
                }
            }
        }
        // The folder may have been removed (a failed first build) or replaced while this
        // build waited: then the lock is on the wrong folder and is taken again.
        if same_folder(&dir, path) {
            return Ok(Locked { dir });
        }
    }
    Err(busy(path))
}

fn same_folder(dir: &File, path: &Path) -> bool {
    match (dir.metadata(), std::fs::metadata(path)) {
        (Ok(held), Ok(named)) => held.dev() == named.dev() && held.ino() == named.ino(),
        _ => false,
    }
}

fn busy(path: &Path) -> Diagnostic {
    let shown = path.display().to_string();
    Diagnostic::new(
        None,
        tr!(
            "output-locked",
            folder = shown.trim_end_matches('/').to_string()
        ),
    )
    .help(tr!("output-locked-help"))
}
