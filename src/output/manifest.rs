//! The manifest of a set (`sha256sum` format) and reading back the previous one, which is
//! how a build knows which files it wrote itself.

use super::OutputFile;
use super::tree::{self, Folders};
use rustix::fs::{FileType, Mode, OFlags};
use sha2::{Digest, Sha256};
use std::io::Read;

/// Hex digits of a SHA-256 sum.
const HASH_LEN: usize = 64;
/// `sha256sum` separates the sum and the name by two spaces (text mode).
const SEPARATOR: &str = "  ";
/// The largest manifest read back: about 100 bytes a file, so room for over half a million
/// files (a 10,000-card build lists 20,003 in about 2 MB). Anything larger was not written by
/// this tool and is not read at all: a manifest cut short could name a path it never had.
const MAX_MANIFEST_BYTES: u64 = 64 << 20;

/// One line of a manifest: a file's path and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub relative: String,
    pub sha256: [u8; 32],
}

impl Entry {
    /// The entry of `file`.
    pub fn of(file: &OutputFile) -> Entry {
        Entry {
            relative: file.relative.clone(),
            sha256: Sha256::digest(&file.bytes).into(),
        }
    }
}

/// The manifest named `name` over `files`, in `sha256sum` format, sorted by path.
pub fn make(name: &str, files: &[OutputFile]) -> OutputFile {
    make_from(name, files.iter().map(Entry::of).collect())
}

/// The manifest named `name` listing `entries`, in `sha256sum` format, sorted by path.
pub fn make_from(name: &str, mut entries: Vec<Entry>) -> OutputFile {
    entries.sort_by(|a, b| a.relative.cmp(&b.relative));
    let mut text = String::with_capacity(entries.len() * (HASH_LEN + SEPARATOR.len() + 40));
    for entry in &entries {
        for byte in entry.sha256 {
            text.push_str(&format!("{byte:02x}"));
        }
        text.push_str(SEPARATOR);
        text.push_str(&entry.relative);
        text.push('\n');
    }
    OutputFile {
        relative: name.to_string(),
        bytes: text.into_bytes(),
    }
}

/// The paths listed by the manifest `name` in the output folder, if there is one this tool
/// could have written: a regular file (not a link, FIFO or device: those are not read at
/// all), of sane size, every line a sum and a plain relative path. Anything else gives an
/// empty list, so nothing is ever removed on the word of a file that is not ours.
pub(super) fn previous(folders: &mut Folders<'_>, name: &str) -> Vec<String> {
    read_regular(folders, name)
        .and_then(|text| parse(&text))
        .unwrap_or_default()
}

fn read_regular(folders: &mut Folders<'_>, name: &str) -> Option<String> {
    let path = tree::split(name)?;
    let parent = folders.parent(&path, false).ok()??;
    if tree::kind_at(parent, path.name).ok()? != Some(FileType::RegularFile) {
        return None;
    }
    // NONBLOCK and the type check on the open file: a FIFO swapped in meanwhile cannot
    // make this wait.
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let fd = rustix::fs::openat(parent, path.name, flags, Mode::empty()).ok()?;
    let stat = rustix::fs::fstat(&fd).ok()?;
    if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
        return None;
    }
    let mut text = String::new();
    std::fs::File::from(fd)
        .take(MAX_MANIFEST_BYTES + 1)
        .read_to_string(&mut text)
        .ok()?;
    (text.len() as u64 <= MAX_MANIFEST_BYTES).then_some(text)
}

/// The paths of a whole manifest: every line a sum and a path, the last one ended too (a
/// manifest without its final line break was cut short and is not ours to trust).
fn parse(text: &str) -> Option<Vec<String>> {
    if !text.is_empty() && !text.ends_with('\n') {
        return None;
    }
    text.lines()
        .map(|line| {
            let (hash, path) = line.split_once(SEPARATOR)?;
            let is_hash = hash.len() == HASH_LEN && hash.bytes().all(|b| b.is_ascii_hexdigit());
            (is_hash && tree::split(path).is_some()).then(|| path.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::file;

    #[test]
    fn a_manifest_lists_its_files_sorted_and_parses_back() {
        let m = make("SUMS", &[file("b.txt", "b"), file("kaardid/a.txt", "a")]);
        let text = String::from_utf8(m.bytes).unwrap_or_default();
        assert_eq!(m.relative, "SUMS");
        assert_eq!(
            parse(&text),
            Some(vec!["b.txt".to_string(), "kaardid/a.txt".to_string()])
        );
    }

    #[test]
    fn a_manifest_that_is_not_ours_lists_nothing() {
        let sum = "0".repeat(HASH_LEN);
        assert_eq!(parse(&format!("{sum}  ../../etc/passwd\n")), None);
        assert_eq!(parse(&format!("{sum}  a.pdf\nhello\n")), None);
        assert_eq!(parse("abc  a.pdf\n"), None);
        assert_eq!(
            parse(&format!("{sum}  kaardid/01-a.pdf\n{sum}  kaardid/0")),
            None,
            "a manifest cut short names no path"
        );
    }

    #[test]
    fn a_ten_thousand_card_manifest_is_read_back() {
        let files: Vec<OutputFile> = (0..20_003)
            .map(|i| file(&format!("kaardid/{i:05}-ametikoha-nimetus.pdf"), "x"))
            .collect();
        let m = make("SUMS", &files);
        assert!(m.bytes.len() > 1 << 20, "the old cap would have cut it");
        let text = String::from_utf8(m.bytes).unwrap_or_default();
        assert_eq!(parse(&text).map(|p| p.len()), Some(files.len()));
    }
}
