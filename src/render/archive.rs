//! The ZIP container of a DOCX package (APPNOTE 6.3.x, §4.3), written here: the zip crate's
//! writer takes compressed data only by copying it out of another archive and makes a new
//! compressor for every archive, so each part went through a one-entry archive and every
//! package paid for setting up compression again. Here a part is compressed once with a
//! kept encoder ([`super::deflate::raw`]) and its entry written around the bytes.
//!
//! The entries are those the zip crate wrote for the same parts, byte for byte: deflated,
//! "version 2.0" made on Unix with mode 0644, no extra fields, comments, data descriptors or
//! ZIP64 records (a part or package of 4 GiB or more, or 65,535 parts, is refused).

use super::deflate::{self, Deflated};
use std::io::Write;

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_CENTRAL_DIRECTORY: u32 = 0x0605_4b50;
/// Version 2.0: what deflated entries need to be read.
const VERSION_NEEDED: u16 = 20;
/// Made on Unix (3, in the high byte) by version 2.0.
const VERSION_MADE_BY: u16 = (3 << 8) | VERSION_NEEDED;
const METHOD_DEFLATED: u16 = 8;
/// General purpose flag bit 11: the name is UTF-8 (set only for a name that is not ASCII).
const FLAG_UTF8_NAME: u16 = 1 << 11;
/// A regular file with mode 0644, in the high half of the external attributes (Unix).
const EXTERNAL_ATTRIBUTES: u32 = 0o100_644 << 16;

/// One part, compressed, ready to be written into any number of packages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    name: String,
    deflated: Deflated,
}

impl Entry {
    /// Part `name` with `data`, deflated at `level`.
    pub fn new(name: &str, data: &[u8], level: u32) -> std::io::Result<Entry> {
        Entry::written(name, level, |out| out.write_all(data))
    }

    /// Part `name` with what `write` writes, deflated at `level` as it is written.
    pub fn written<E: From<std::io::Error>>(
        name: &str,
        level: u32,
        write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
    ) -> Result<Entry, E> {
        Ok(Entry {
            name: name.to_string(),
            deflated: deflate::raw(level, write)?,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

/// An MS-DOS time and date, as ZIP headers carry them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DosTime {
    pub time: u16,
    pub date: u16,
}

/// Why a package cannot be written as a plain ZIP archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TooLarge {
    /// This part's name, or its data before or after compression, is over the limit.
    Part(String),
    /// More parts, or more bytes in all, than a ZIP archive without ZIP64 records holds.
    Package,
}

/// The ZIP archive of `entries` in the order given, each dated `time`.
pub fn write(entries: &[&Entry], time: DosTime) -> Result<Vec<u8>, TooLarge> {
    let count = u16::try_from(entries.len()).map_err(|_| TooLarge::Package)?;
    let mut out = Vec::with_capacity(entries.iter().map(|e| entry_room(e)).sum());
    let mut offsets = Vec::with_capacity(entries.len());
    for entry in entries {
        offsets.push(u32::try_from(out.len()).map_err(|_| TooLarge::Package)?);
        let fields = Fields::of(entry)?;
        put32(&mut out, LOCAL_HEADER);
        put16(&mut out, VERSION_NEEDED);
        fields.put_common(&mut out, time);
        out.extend_from_slice(entry.name.as_bytes());
        out.extend_from_slice(&entry.deflated.data);
    }
    let directory_start = u32::try_from(out.len()).map_err(|_| TooLarge::Package)?;
    for (entry, offset) in entries.iter().zip(offsets) {
        let fields = Fields::of(entry)?;
        put32(&mut out, CENTRAL_HEADER);
        put16(&mut out, VERSION_MADE_BY);
        put16(&mut out, VERSION_NEEDED);
        fields.put_common(&mut out, time);
        put16(&mut out, 0); // file comment length
        put16(&mut out, 0); // disk number start
        put16(&mut out, 0); // internal attributes
        put32(&mut out, EXTERNAL_ATTRIBUTES);
        put32(&mut out, offset);
        out.extend_from_slice(entry.name.as_bytes());
    }
    let directory_end = u32::try_from(out.len()).map_err(|_| TooLarge::Package)?;
    put32(&mut out, END_OF_CENTRAL_DIRECTORY);
    put16(&mut out, 0); // this disk
    put16(&mut out, 0); // the disk the directory starts on
    put16(&mut out, count); // entries on this disk
    put16(&mut out, count); // entries in all
    put32(&mut out, directory_end - directory_start);
    put32(&mut out, directory_start);
    put16(&mut out, 0); // comment length
    Ok(out)
}

/// The bytes `entry` takes in an archive, headers included (a capacity, not a promise).
fn entry_room(entry: &Entry) -> usize {
    /// The fixed parts of a local header, a central header and the end record.
    const HEADERS: usize = 30 + 46 + 22;
    HEADERS + 2 * entry.name.len() + entry.deflated.data.len()
}

/// The fields a local header and a central header share, from the flags on.
struct Fields {
    flags: u16,
    crc32: u32,
    compressed: u32,
    length: u32,
    name_length: u16,
}

impl Fields {
    fn of(entry: &Entry) -> Result<Fields, TooLarge> {
        let too_large = || TooLarge::Part(entry.name.clone());
        Ok(Fields {
            flags: if entry.name.is_ascii() {
                0
            } else {
                FLAG_UTF8_NAME
            },
            crc32: entry.deflated.crc32,
            compressed: u32::try_from(entry.deflated.data.len()).map_err(|_| too_large())?,
            length: u32::try_from(entry.deflated.length).map_err(|_| too_large())?,
            name_length: u16::try_from(entry.name.len()).map_err(|_| too_large())?,
        })
    }

    /// Flags, method, time, date, CRC-32, sizes, name length and (empty) extra field length.
    fn put_common(&self, out: &mut Vec<u8>, time: DosTime) {
        put16(out, self.flags);
        put16(out, METHOD_DEFLATED);
        put16(out, time.time);
        put16(out, time.date);
        put32(out, self.crc32);
        put32(out, self.compressed);
        put32(out, self.length);
        put16(out, self.name_length);
        put16(out, 0);
    }
}

fn put16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    const TIME: DosTime = DosTime {
        time: 0x586f,
        date: 0x5834,
    };

    fn zip_crate_archive(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(2))
            .last_modified_time(zip::DateTime::try_from_msdos(TIME.date, TIME.time).unwrap())
            .large_file(false);
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, data) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn the_archive_is_the_one_the_zip_crate_writes() {
        let body = "<w:p><w:r><w:t>Teenuseomanik</w:t></w:r></w:p>".repeat(400);
        let parts: [(&str, &[u8]); 4] = [
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", body.as_bytes()),
            ("word/empty.xml", b""),
            ("docProps/\u{f5}ige.xml", b"<x/>"),
        ];
        let entries: Vec<Entry> = parts
            .iter()
            .map(|(name, data)| Entry::new(name, data, 2).unwrap())
            .collect();
        let refs: Vec<&Entry> = entries.iter().collect();
        let ours = write(&refs, TIME).unwrap();
        assert_eq!(ours, zip_crate_archive(&parts));

        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&ours)).unwrap();
        for (i, (name, data)) in parts.iter().enumerate() {
            let mut file = archive.by_index(i).unwrap();
            assert_eq!(file.name().unwrap(), *name);
            let mut back = Vec::new();
            file.read_to_end(&mut back).unwrap();
            assert_eq!(back, *data);
        }
    }

    #[test]
    fn an_entry_goes_into_many_archives_unchanged() {
        let shared = Entry::new("word/styles.xml", b"<w:styles/>", 2).unwrap();
        let a = Entry::new("word/document.xml", b"<a/>", 2).unwrap();
        let b = Entry::new("word/document.xml", b"<b/>", 2).unwrap();
        let first = write(&[&shared, &a], TIME).unwrap();
        let second = write(&[&shared, &b], TIME).unwrap();
        assert_eq!(
            first,
            zip_crate_archive(&[
                ("word/styles.xml", b"<w:styles/>"),
                ("word/document.xml", b"<a/>")
            ])
        );
        assert_eq!(
            second,
            zip_crate_archive(&[
                ("word/styles.xml", b"<w:styles/>"),
                ("word/document.xml", b"<b/>")
            ])
        );
    }

    #[test]
    fn a_name_too_long_for_a_header_is_refused() {
        let long = "x".repeat(usize::from(u16::MAX) + 1);
        let entry = Entry::new(&long, b"", 2).unwrap();
        assert_eq!(write(&[&entry], TIME), Err(TooLarge::Part(long)));
    }
}
