//! Serialises a finished lopdf document into the bytes of a PDF file: the header with its
//! binary mark, every stream as an indirect object, every other object in compressed object
//! streams (PDF 1.5, allowed in PDF/A-2), and a cross-reference stream. Objects are numbered
//! 1, 2, … in the order of their old numbers as they are written (references follow), so the
//! cross-reference stream has no gaps.
//!
//! The bytes are those lopdf's `save_with_options` writes with object and cross-reference
//! streams (a test holds the two side by side), written once: lopdf formats each object of an
//! object stream three times, clones it, and writes hex strings and names byte by byte
//! through the formatter, which was a fifth of a PDF render.

use crate::tr;
use lopdf::{Dictionary, Object, StringFormat};
use std::io::Write;

/// Objects per object stream, lopdf's default.
const OBJECTS_PER_STREAM: usize = 100;
/// zlib level of the object streams; lopdf's `compression_level` 1–3 means zlib's fast level.
const OBJECT_STREAM_LEVEL: u32 = 1;
/// Cross-reference stream field widths: type (1 byte), offset or container (4), generation or
/// index (2).
const XREF_WIDTHS: [i64; 3] = [1, 4, 2];
/// Cross-reference entry types (ISO 32000-1 §7.5.8.3, table 18).
const XREF_IN_FILE: u8 = 1;
const XREF_IN_OBJECT_STREAM: u8 = 2;
/// Upper-case hexadecimal digits, as lopdf writes hex strings (here and in the content
/// streams).
pub(super) const HEX_DIGITS: &[u8; 16] = b"0123456789ABCDEF";

/// Where an object ends up, for the cross-reference stream.
#[derive(Clone, Copy)]
enum Entry {
    InFile { offset: u32 },
    InObjectStream { container: u32, index: u16 },
}

/// The file's bytes and the cross-reference entries written so far.
struct FileWriter<'a> {
    bytes: Vec<u8>,
    /// Indexed by object number; entry 0 (the free list head) is never listed.
    entries: Vec<Option<Entry>>,
    renumbering: &'a Renumbering,
}

/// Old object number → new one (1, 2, … in the order of the old numbers).
struct Renumbering {
    /// Indexed by old number; 0 where no object has that number.
    new_numbers: Vec<u32>,
}

impl Renumbering {
    fn of(doc: &lopdf::Document) -> Renumbering {
        let len = doc
            .objects
            .keys()
            .next_back()
            .map_or(0, |&(number, _)| usize::try_from(number).unwrap_or(0) + 1);
        let mut new_numbers = vec![0; len];
        for (new, &(old, _)) in (1..).zip(doc.objects.keys()) {
            if let Some(slot) = usize::try_from(old)
                .ok()
                .and_then(|i| new_numbers.get_mut(i))
            {
                *slot = new;
            }
        }
        Renumbering { new_numbers }
    }

    /// The new number of `old`; a reference to an object that does not exist keeps its
    /// number.
    fn get(&self, old: u32) -> u32 {
        usize::try_from(old)
            .ok()
            .and_then(|i| self.new_numbers.get(i))
            .copied()
            .filter(|&new| new != 0)
            .unwrap_or(old)
    }
}

/// Writes `doc` as a PDF file, its objects renumbered without gaps; the trailer is the
/// document's, with the cross-reference stream's own keys added.
pub fn write(doc: &lopdf::Document) -> std::io::Result<Vec<u8>> {
    let renumbering = Renumbering::of(doc);
    let mut file = FileWriter {
        bytes: Vec::new(),
        entries: Vec::new(),
        renumbering: &renumbering,
    };
    write_header(&mut file.bytes, doc)?;
    let mut packed = Vec::new();
    for (&(old, generation), object) in &doc.objects {
        let number = renumbering.get(old);
        if generation == 0 && fits_object_stream(object) {
            packed.push((number, object));
        } else {
            file.indirect(number, generation, object)?;
        }
    }
    let mut container = u32::try_from(doc.objects.len()).unwrap_or(u32::MAX);
    for group in packed.chunks(OBJECTS_PER_STREAM) {
        container += 1;
        let stream = object_stream(group, container, &mut file.entries, &renumbering)?;
        file.indirect(container, 0, &Object::Stream(stream))?;
    }
    let xref_number = container + 1;
    let xref_start = file.offset()?;
    file.record(xref_number, Entry::InFile { offset: xref_start });
    let xref = xref_stream(&doc.trailer, &file.entries, xref_number)?;
    file.indirect(xref_number, 0, &Object::Stream(xref))?;
    write!(file.bytes, "\nstartxref\n{xref_start}\n%%EOF")?;
    Ok(file.bytes)
}

fn write_header(out: &mut Vec<u8>, doc: &lopdf::Document) -> std::io::Result<()> {
    writeln!(out, "%PDF-{}", doc.version)?;
    // PDF/A (ISO 19005-2 6.1.2): a comment of at least four bytes above 127 follows.
    if doc.binary_mark.len() < 4 || doc.binary_mark.iter().any(|&b| b < 128) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            tr!("render-pdf-binary-mark"),
        ));
    }
    out.push(b'%');
    out.extend_from_slice(&doc.binary_mark);
    out.push(b'\n');
    Ok(())
}

/// Streams, and the cross-reference and object streams themselves, stay outside object
/// streams (ISO 32000-1 §7.5.7); so does anything a reader needs before it has read one.
fn fits_object_stream(object: &Object) -> bool {
    match object {
        Object::Stream(_) => false,
        Object::Dictionary(dict) => !matches!(
            dict.get(b"Type").and_then(Object::as_name),
            Ok(b"XRef" | b"ObjStm")
        ),
        _ => true,
    }
}

impl FileWriter<'_> {
    fn offset(&self) -> std::io::Result<u32> {
        u32::try_from(self.bytes.len()).map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::FileTooLarge,
                tr!("render-pdf-too-large"),
            )
        })
    }

    fn record(&mut self, number: u32, entry: Entry) {
        record(&mut self.entries, number, entry);
    }

    /// `n g obj` … `endobj`, spaced as lopdf spaces it.
    fn indirect(&mut self, number: u32, generation: u16, object: &Object) -> std::io::Result<()> {
        let offset = self.offset()?;
        self.record(number, Entry::InFile { offset });
        writeln!(self.bytes, "{number} {generation} obj")?;
        if needs_separator(object) {
            self.bytes.push(b' ');
        }
        write_object(&mut self.bytes, object, self.renumbering)?;
        if needs_end_separator(object) {
            self.bytes.push(b' ');
        }
        self.bytes.extend_from_slice(b"\nendobj\n");
        Ok(())
    }
}

fn record(entries: &mut Vec<Option<Entry>>, number: u32, entry: Entry) {
    let index = usize::try_from(number).unwrap_or(usize::MAX);
    if entries.len() <= index {
        entries.resize(index.saturating_add(1), None);
    }
    if let Some(slot) = entries.get_mut(index) {
        *slot = Some(entry);
    }
}

/// One object stream holding `group` (ISO 32000-1 §7.5.7): pairs of object number and offset,
/// then the objects, each followed by a space; compressed.
fn object_stream(
    group: &[(u32, &Object)],
    container: u32,
    entries: &mut Vec<Option<Entry>>,
    renumbering: &Renumbering,
) -> std::io::Result<lopdf::Stream> {
    let mut body = Vec::new();
    let mut table = Vec::new();
    for (index, (number, object)) in group.iter().enumerate() {
        write!(table, "{number} {} ", body.len())?;
        write_object(&mut body, object, renumbering)?;
        body.push(b' ');
        let index = u16::try_from(index).unwrap_or(u16::MAX);
        record(entries, *number, Entry::InObjectStream { container, index });
    }
    let first = i64::try_from(table.len()).unwrap_or(i64::MAX);
    let count = i64::try_from(group.len()).unwrap_or(i64::MAX);
    table.extend_from_slice(&body);
    let dict = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"ObjStm".to_vec())),
        ("N", Object::Integer(count)),
        ("First", Object::Integer(first)),
    ]);
    let mut stream = lopdf::Stream::new(dict, Vec::new());
    stream
        .dict
        .set("Filter", Object::Name(b"FlateDecode".to_vec()));
    stream.set_content(deflate(&table, OBJECT_STREAM_LEVEL)?);
    Ok(stream)
}

/// `bytes` zlib-compressed at `level` (0–9), for a `/FlateDecode` stream.
pub(super) fn deflate(bytes: &[u8], level: u32) -> std::io::Result<Vec<u8>> {
    use flate2::{Compression, write::ZlibEncoder};
    thread_local! {
        /// One zlib encoder per level on each thread, reset between streams: setting one up
        /// clears a quarter of a megabyte, which cost more than compressing most of a file's
        /// streams (8 % of a combined-PDF render). The bytes are those of a fresh encoder.
        static ENCODERS: std::cell::RefCell<Vec<(u32, ZlibEncoder<Vec<u8>>)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    ENCODERS.with_borrow_mut(|encoders| {
        let mut encoder = match encoders.iter().position(|(l, _)| *l == level) {
            Some(at) => encoders.swap_remove(at).1,
            None => ZlibEncoder::new(Vec::new(), Compression::new(level)),
        };
        encoder.write_all(bytes)?;
        // Finishes this stream and starts the next one afresh; an encoder that failed is
        // dropped, never used again.
        let deflated = encoder.reset(Vec::new())?;
        encoders.push((level, encoder));
        Ok(deflated)
    })
}

/// The cross-reference stream (ISO 32000-1 §7.5.8): the trailer's keys, then its own.
fn xref_stream(
    trailer: &Dictionary,
    entries: &[Option<Entry>],
    own_number: u32,
) -> std::io::Result<lopdf::Stream> {
    let mut content = Vec::new();
    let mut index = Vec::new();
    let mut section: Option<(usize, i64)> = None;
    for (number, entry) in entries.iter().enumerate().skip(1) {
        match entry {
            Some(entry) => {
                push_entry(&mut content, *entry);
                section = Some(section.map_or((number, 1), |(start, n)| (start, n + 1)));
            }
            None => close_section(&mut index, section.take()),
        }
    }
    close_section(&mut index, section);
    // Its references are renumbered as it is written, like every object's.
    let mut dict = trailer.clone();
    dict.set("Type", Object::Name(b"XRef".to_vec()));
    dict.set("Size", i64::from(own_number) + 1);
    dict.set(
        "W",
        Object::Array(XREF_WIDTHS.iter().map(|&w| Object::Integer(w)).collect()),
    );
    dict.set("Index", Object::Array(index));
    dict.set("Length", i64::try_from(content.len()).unwrap_or(i64::MAX));
    Ok(lopdf::Stream {
        dict,
        allows_compression: true,
        content,
        start_position: None,
    })
}

fn close_section(index: &mut Vec<Object>, section: Option<(usize, i64)>) {
    if let Some((start, count)) = section {
        index.push(Object::Integer(i64::try_from(start).unwrap_or(i64::MAX)));
        index.push(Object::Integer(count));
    }
}

fn push_entry(content: &mut Vec<u8>, entry: Entry) {
    match entry {
        Entry::InFile { offset } => {
            content.push(XREF_IN_FILE);
            content.extend(offset.to_be_bytes());
            content.extend(0_u16.to_be_bytes());
        }
        Entry::InObjectStream { container, index } => {
            content.push(XREF_IN_OBJECT_STREAM);
            content.extend(container.to_be_bytes());
            content.extend(index.to_be_bytes());
        }
    }
}

/// A space between a key or array item and an object that would otherwise run into it.
fn needs_separator(object: &Object) -> bool {
    matches!(
        object,
        Object::Null
            | Object::Boolean(_)
            | Object::Integer(_)
            | Object::Real(_)
            | Object::Reference(_)
    )
}

fn needs_end_separator(object: &Object) -> bool {
    needs_separator(object) || matches!(object, Object::Name(_) | Object::Stream(_))
}

/// One object in PDF syntax (ISO 32000-1 §7.3), its references renumbered.
fn write_object(
    out: &mut Vec<u8>,
    object: &Object,
    renumbering: &Renumbering,
) -> std::io::Result<()> {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(true) => out.extend_from_slice(b"true"),
        Object::Boolean(false) => out.extend_from_slice(b"false"),
        Object::Integer(value) => {
            out.extend_from_slice(itoa::Buffer::new().format(*value).as_bytes())
        }
        Object::Real(value) => write!(out, "{value}")?,
        Object::Name(name) => write_name(out, name),
        Object::String(text, StringFormat::Literal) => write_literal(out, text),
        Object::String(text, StringFormat::Hexadecimal) => write_hex(out, text),
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 && needs_separator(item) {
                    out.push(b' ');
                }
                write_object(out, item, renumbering)?;
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => write_dictionary(out, dict, renumbering)?,
        Object::Stream(stream) => {
            write_dictionary(out, &stream.dict, renumbering)?;
            out.extend_from_slice(b"stream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference((number, generation)) => {
            write!(out, "{} {generation} R", renumbering.get(*number))?;
        }
    }
    Ok(())
}

fn write_dictionary(
    out: &mut Vec<u8>,
    dict: &Dictionary,
    renumbering: &Renumbering,
) -> std::io::Result<()> {
    out.extend_from_slice(b"<<");
    for (key, value) in dict {
        write_name(out, key);
        if needs_separator(value) {
            out.push(b' ');
        }
        write_object(out, value, renumbering)?;
    }
    out.extend_from_slice(b">>");
    Ok(())
}

/// A name, with white space, delimiters, `#` and bytes outside `!`…`~` as `#XX` (§7.3.5).
fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &byte in name {
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&byte) || !(b'!'..=b'~').contains(&byte) {
            out.push(b'#');
            push_hex(out, byte);
        } else {
            out.push(byte);
        }
    }
}

fn write_hex(out: &mut Vec<u8>, text: &[u8]) {
    out.reserve(text.len() * 2 + 2);
    out.push(b'<');
    for &byte in text {
        push_hex(out, byte);
    }
    out.push(b'>');
}

fn push_hex(out: &mut Vec<u8>, byte: u8) {
    for nibble in [byte >> 4, byte & 0x0F] {
        if let Some(&digit) = HEX_DIGITS.get(usize::from(nibble)) {
            out.push(digit);
        }
    }
}

/// A literal string (§7.3.4.2): backslashes, carriage returns and unbalanced parentheses
/// escaped; balanced parentheses stay as they are.
fn write_literal(out: &mut Vec<u8>, text: &[u8]) {
    let mut escaped = vec![false; text.len()];
    let mut open = Vec::new();
    for (i, &byte) in text.iter().enumerate() {
        match byte {
            b'(' => open.push(i),
            b')' if open.pop().is_none() => mark(&mut escaped, i),
            b'\\' | b'\r' => mark(&mut escaped, i),
            _ => {}
        }
    }
    for i in open {
        mark(&mut escaped, i);
    }
    out.push(b'(');
    for (&byte, &escape) in text.iter().zip(&escaped) {
        if escape {
            out.push(b'\\');
            out.push(if byte == b'\r' { b'r' } else { byte });
        } else {
            out.push(byte);
        }
    }
    out.push(b')');
}

fn mark(escaped: &mut [bool], i: usize) {
    if let Some(slot) = escaped.get_mut(i) {
        *slot = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document with every kind of object, odd names and strings, more objects than one
    /// object stream holds, and a gap in the object numbers.
    fn sample() -> lopdf::Document {
        let mut doc = lopdf::Document::with_version("1.7");
        let mut ids = Vec::new();
        for i in 0..230_i64 {
            let dict = Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Test".to_vec())),
                ("N", Object::Integer(i)),
                ("R", Object::Real(i as f32 / 7.0)),
                ("Odd#Name (x)", Object::Name(b"a b/\xC3\xB5".to_vec())),
                (
                    "S",
                    Object::String(b"(un)balanced) \\ \r (".to_vec(), StringFormat::Literal),
                ),
                (
                    "H",
                    Object::String(vec![0, 0xAB, 0xFF], StringFormat::Hexadecimal),
                ),
                (
                    "A",
                    Object::Array(vec![
                        Object::Null,
                        Object::Boolean(true),
                        Object::Integer(-3),
                        Object::Name(b"X".to_vec()),
                        Object::Reference((1, 0)),
                    ]),
                ),
            ]);
            ids.push(doc.add_object(dict));
        }
        doc.objects.remove(&(57, 0));
        let stream = lopdf::Stream::new(Dictionary::new(), b"BT ET".to_vec());
        let stream_id = doc.add_object(stream);
        let catalog = doc.add_object(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("S", Object::Reference(stream_id)),
        ]));
        doc.trailer.set("Root", Object::Reference(catalog));
        doc.add_object(Object::Integer(7));
        doc
    }

    #[test]
    fn writes_the_bytes_lopdf_writes_with_object_and_xref_streams() {
        let mut doc = sample();
        let ours = write(&doc).unwrap();
        doc.renumber_objects();
        let options = lopdf::SaveOptions::builder()
            .use_object_streams(true)
            .use_xref_streams(true)
            .compression_level(3)
            .build();
        let mut theirs = Vec::new();
        doc.save_with_options(&mut theirs, options).unwrap();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn what_it_writes_reads_back() {
        let doc = sample();
        let bytes = write(&doc).unwrap();
        let back = lopdf::Document::load_mem(&bytes).unwrap();
        // The objects, three object streams and the cross-reference stream, numbered
        // without gaps; the gap at 57 closes.
        assert_eq!(back.objects.len(), doc.objects.len() + 3 + 1);
        assert_eq!(back.max_id as usize, back.objects.len());
        assert_eq!(back.get_object((57, 0)).ok(), doc.get_object((58, 0)).ok());
        let root = back
            .trailer
            .get(b"Root")
            .and_then(Object::as_reference)
            .unwrap();
        let stream = back.get_dictionary(root).unwrap().get(b"S").unwrap();
        let stream = back.get_object(stream.as_reference().unwrap()).unwrap();
        assert_eq!(stream.as_stream().unwrap().content, b"BT ET");
    }
}
