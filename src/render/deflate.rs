//! Deflate compression with encoders kept per thread: a PDF's `/FlateDecode` streams (zlib
//! format) and a DOCX package's entries (raw deflate). Setting an encoder up allocates and
//! clears a third of a megabyte, which cost more than compressing most of a file's streams
//! or parts (8 % of a combined-PDF render; a new encoder for each DOCX part was a tenth of a
//! whole build). A reset encoder gives the bytes of a fresh one.

use flate2::Compression;
use flate2::write::{DeflateEncoder, ZlibEncoder};
use std::cell::RefCell;
use std::io::Write;
use std::thread::LocalKey;

/// Idle encoders of one kind on this thread, with their levels.
type Idle<E> = RefCell<Vec<(u32, E)>>;

thread_local! {
    static ZLIB: Idle<ZlibEncoder<Vec<u8>>> = const { RefCell::new(Vec::new()) };
    static RAW: Idle<DeflateEncoder<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// `bytes` zlib-compressed at `level` (0–9), for a `/FlateDecode` stream.
pub fn zlib(bytes: &[u8], level: u32) -> std::io::Result<Vec<u8>> {
    with_encoder(
        &ZLIB,
        level,
        |level| ZlibEncoder::new(Vec::new(), Compression::new(level)),
        |encoder| {
            encoder.write_all(bytes)?;
            encoder.reset(Vec::new())
        },
    )
}

/// What `write` writes, raw-deflated at `level` (0–9) as it comes (a ZIP entry's data), with
/// the CRC-32 and length of what was written: the bytes of compressing it all in one piece,
/// however it was written (a flush does not end a block). Errors of `write` are handed on.
pub fn raw<E: From<std::io::Error>>(
    level: u32,
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<Deflated, E> {
    with_encoder(
        &RAW,
        level,
        |level| DeflateEncoder::new(Vec::new(), Compression::new(level)),
        |encoder| {
            let mut counted = Counted {
                inner: encoder,
                crc: flate2::Crc::new(),
                length: 0,
            };
            write(&mut counted)?;
            let (crc32, length) = (counted.crc.sum(), counted.length);
            Ok(Deflated {
                data: encoder.reset(Vec::new())?,
                crc32,
                length,
            })
        },
    )
}

/// Data raw-deflated by [`raw`], with what a ZIP entry says of the data before compression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deflated {
    pub data: Vec<u8>,
    pub crc32: u32,
    /// Bytes before compression.
    pub length: u64,
}

/// Runs `compress` with an idle encoder of `level` from `idle` (or a new one from `make`),
/// which it must leave finished and reset. The encoder is taken out while `compress` runs,
/// so a compression inside another gets an encoder of its own; one that failed is dropped.
fn with_encoder<E, T, Err>(
    idle: &'static LocalKey<Idle<E>>,
    level: u32,
    make: impl FnOnce(u32) -> E,
    compress: impl FnOnce(&mut E) -> Result<T, Err>,
) -> Result<T, Err> {
    let kept = idle.with_borrow_mut(|encoders| {
        let at = encoders.iter().position(|(l, _)| *l == level)?;
        Some(encoders.swap_remove(at).1)
    });
    let mut encoder = kept.unwrap_or_else(|| make(level));
    let made = compress(&mut encoder)?;
    idle.with_borrow_mut(|encoders| encoders.push((level, encoder)));
    Ok(made)
}

/// A writer that sums the CRC-32 and length of what passes through it.
struct Counted<'a, W: Write> {
    inner: &'a mut W,
    crc: flate2::Crc,
    length: u64,
}

impl<W: Write> Write for Counted<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf)?;
        let passed = buf.get(..written).unwrap_or(buf);
        self.crc.update(passed);
        self.length += passed.len() as u64;
        Ok(written)
    }

    /// Nothing to do: the compressed bytes go to memory, and passing the flush on would make
    /// the encoder end a block (a sync flush), so that the data were no longer what
    /// compressing it in one piece gives.
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn a_kept_encoder_gives_the_bytes_of_a_new_one() {
        let text: Vec<u8> = (0..50_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let fresh = {
            let mut e = ZlibEncoder::new(Vec::new(), Compression::new(3));
            e.write_all(&text).unwrap();
            e.finish().unwrap()
        };
        for _ in 0..3 {
            assert_eq!(zlib(&text, 3).unwrap(), fresh);
        }
        let mut back = Vec::new();
        flate2::read::ZlibDecoder::new(&fresh[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn raw_deflate_counts_what_was_written_in_pieces() {
        let text = "Osakonna juhataja vastutab teenuse eest. ".repeat(500);
        let whole = {
            let mut e = DeflateEncoder::new(Vec::new(), Compression::new(2));
            e.write_all(text.as_bytes()).unwrap();
            e.finish().unwrap()
        };
        for _ in 0..2 {
            let made = raw::<std::io::Error>(2, |out| {
                for piece in text.as_bytes().chunks(7) {
                    out.write_all(piece)?;
                    out.flush()?;
                }
                Ok(())
            })
            .unwrap();
            assert_eq!(made.data, whole, "as compressing the whole text at once");
            assert_eq!(made.length, text.len() as u64);
            let mut crc = flate2::Crc::new();
            crc.update(text.as_bytes());
            assert_eq!(made.crc32, crc.sum());
        }
        // An error inside the write is handed on, and the next compression starts afresh.
        let failed = raw::<std::io::Error>(2, |out| {
            out.write_all(b"half")?;
            Err(std::io::Error::other("stop"))
        });
        assert!(failed.is_err());
        let again = raw::<std::io::Error>(2, |out| out.write_all(text.as_bytes())).unwrap();
        assert_eq!(again.data, whole);
        // A compression inside another one.
        let outer = raw::<std::io::Error>(2, |out| {
            let inner = raw::<std::io::Error>(2, |o| o.write_all(text.as_bytes()))?;
            assert_eq!(inner.data, whole);
            out.write_all(text.as_bytes())
        })
        .unwrap();
        assert_eq!(outer.data, whole);
    }
}
