//! Serialises a finished lopdf document into the bytes of a PDF file: the header with its
//! binary mark, every stream as an indirect object, every other object in compressed object
//! streams (PDF 1.5, allowed in PDF/A-2), and a cross-reference stream. Objects are numbered
//! 1, 2, … in the order of their old numbers as they are written (references follow), so the
//! cross-reference stream has no gaps.
//!
//! Objects too many to hold as lopdf objects (the structure tree of a large annex) are not in
//! the document: their owner reserves their numbers in it and writes each one itself when its
//! turn comes ([`AppendedObjects`], through an [`ObjectWriter`]), after the document's own.
//!
//! Each object is written in the bytes lopdf's `save_with_options` gives it with object and
//! cross-reference streams, written once: lopdf formats each object of an object stream
//! three times, clones it, and writes hex strings and names byte by byte through the
//! formatter, which was a fifth of a PDF render. The file holds the same objects as lopdf's
//! (a test reads the two back side by side) in another order: the object streams first,
//! then the other streams. The document is taken whole and each object dropped once it is
//! written: the objects in object streams, a large annex's page dictionaries and outline
//! among them, are compressed and dropped group by group before the file's buffer is made,
//! and every stream's content as it is copied into the buffer, so that the document and
//! the file are never held side by side.

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
/// Upper-case hexadecimal digits, as lopdf writes hex strings.
const HEX_DIGITS: &[u8; 16] = b"0123456789ABCDEF";
/// Bytes a name writes as `#XX`: white space and delimiters (ISO 32000-1 §7.3.5) …
const NAME_ESCAPED: &[u8] = b" \t\n\r\x0C()<>[]{}/%#";
/// … and any byte outside the printable range.
const NAME_PLAIN: std::ops::RangeInclusive<u8> = b'!'..=b'~';
/// Bytes an indirect stream object takes besides its content, at most: its number line,
/// dictionary, `stream` … `endstream` and `endobj` (the largest, the cross-reference stream's
/// dictionary with the trailer's keys, `startxref` and `%%EOF` after it, is under 250). The
/// file's buffer is sized from it, so that it does not grow by doubling.
const INDIRECT_ROOM: usize = 512;

/// Objects written after the document's own, by their owner rather than from lopdf objects.
/// Their numbers were reserved in the document (its `max_id` moved past them), above every
/// object it holds: object `i` has number [`first`](Self::first) + `i`, so objects of the
/// document may refer to them. Each is written into an object stream, so none may be a
/// stream.
pub trait AppendedObjects {
    /// The reserved number of the first object.
    fn first(&self) -> u32;
    /// How many objects there are.
    fn count(&self) -> usize;
    /// Writes object `index` in PDF syntax.
    fn write_object(&self, index: usize, out: &mut ObjectWriter<'_>) -> std::io::Result<()>;
}

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

/// Old object number → new one (1, 2, … in the order of the old numbers, the appended
/// objects last).
pub struct Renumbering {
    /// Indexed by old number; 0 where no object has that number.
    new_numbers: Vec<u32>,
    /// The appended objects' reserved numbers and the new number of the first.
    appended: std::ops::Range<u32>,
    first_appended: u32,
}

impl Renumbering {
    fn of(doc: &lopdf::Document, appended: &dyn AppendedObjects) -> std::io::Result<Renumbering> {
        let last = doc
            .objects
            .keys()
            .next_back()
            .map_or(0, |&(number, _)| number);
        let len = usize::try_from(last).unwrap_or(0) + 1;
        let mut new_numbers = vec![0; len];
        for (new, &(old, _)) in (1..).zip(doc.objects.keys()) {
            if let Some(slot) = usize::try_from(old)
                .ok()
                .and_then(|i| new_numbers.get_mut(i))
            {
                *slot = new;
            }
        }
        let count = u32::try_from(appended.count()).map_err(|_| too_large())?;
        if count > 0 && appended.first() <= last {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                tr!("render-pdf-appended-numbers"),
            ));
        }
        let first_appended = u32::try_from(doc.objects.len() + 1).map_err(|_| too_large())?;
        Ok(Renumbering {
            new_numbers,
            appended: appended.first()..appended.first().saturating_add(count),
            first_appended,
        })
    }

    /// The new number of `old`; a reference to an object that does not exist keeps its
    /// number.
    fn get(&self, old: u32) -> u32 {
        if self.appended.contains(&old) {
            return self.first_appended + (old - self.appended.start);
        }
        usize::try_from(old)
            .ok()
            .and_then(|i| self.new_numbers.get(i))
            .copied()
            .filter(|&new| new != 0)
            .unwrap_or(old)
    }
}

/// Writes one appended object token by token, spaced as [`write_object`] spaces lopdf's
/// objects: a number or reference is preceded by a space unless it opens the object or an
/// array; names, arrays and dictionaries never are.
pub struct ObjectWriter<'a> {
    out: &'a mut Vec<u8>,
    start: usize,
    renumbering: &'a Renumbering,
}

impl ObjectWriter<'_> {
    pub fn open_dictionary(&mut self) {
        self.out.extend_from_slice(b"<<");
    }

    pub fn close_dictionary(&mut self) {
        self.out.extend_from_slice(b">>");
    }

    pub fn open_array(&mut self) {
        self.out.push(b'[');
    }

    pub fn close_array(&mut self) {
        self.out.push(b']');
    }

    /// A name (a key or a value), escaped as [`write_name`] escapes it.
    pub fn name(&mut self, name: &[u8]) {
        write_name(self.out, name);
    }

    pub fn integer(&mut self, value: i64) {
        self.separate();
        self.out
            .extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    /// A reference to the object the document numbers `old`, by its new number.
    pub fn reference(&mut self, (old, generation): lopdf::ObjectId) {
        self.separate();
        let mut number = itoa::Buffer::new();
        self.out
            .extend_from_slice(number.format(self.renumbering.get(old)).as_bytes());
        self.out.push(b' ');
        self.out
            .extend_from_slice(number.format(generation).as_bytes());
        self.out.extend_from_slice(b" R");
    }

    fn separate(&mut self) {
        if self.out.len() > self.start && self.out.last() != Some(&b'[') {
            self.out.push(b' ');
        }
    }
}

/// An object that goes into an object stream.
enum Packed {
    Object(Object),
    /// The appended object of this index.
    Appended(usize),
}

/// A stream written as an indirect object: its new number, generation and the stream.
type Indirect = (u32, u16, Object);

/// An object for an object stream, with its new number.
type Numbered = (u32, Packed);

/// Writes `doc` as a PDF file, its objects renumbered without gaps, then `appended`; the
/// trailer is the document's, with the cross-reference stream's own keys added. The object
/// streams are compressed first (the objects they hold dropped as each is made), then the
/// buffer is made for them and the streams, which are written in that order (each stream
/// dropped once copied), then the cross-reference stream: the buffer never grows by
/// doubling.
pub fn write(mut doc: lopdf::Document, appended: &dyn AppendedObjects) -> std::io::Result<Vec<u8>> {
    let renumbering = Renumbering::of(&doc, appended)?;
    let objects = std::mem::take(&mut doc.objects);
    let first_container =
        u32::try_from(objects.len() + appended.count() + 1).map_err(|_| too_large())?;
    let (streams, packed) = streams_and_packed(objects, appended, &renumbering)?;
    let mut entries = Vec::new();
    let containers = object_streams(
        packed,
        first_container,
        &mut entries,
        appended,
        &renumbering,
    )?;
    let xref_number = u32::try_from(containers.len())
        .ok()
        .and_then(|n| first_container.checked_add(n))
        .ok_or_else(too_large)?;
    let mut file = FileWriter {
        bytes: Vec::new(),
        entries,
        renumbering: &renumbering,
    };
    file.bytes.reserve_exact(
        stream_room(
            containers
                .iter()
                .chain(&streams)
                .map(|(_, _, stream)| stream),
        ) + INDIRECT_ROOM,
    );
    write_header(&mut file.bytes, &doc)?;
    for (number, generation, stream) in containers.into_iter().chain(streams) {
        file.indirect(number, generation, &stream)?;
    }
    file.xref(&doc.trailer, xref_number)?;
    Ok(file.bytes)
}

/// The document's streams, each with its new number, and every other object, the appended
/// ones last, with its new number, for the object streams.
fn streams_and_packed(
    objects: std::collections::BTreeMap<lopdf::ObjectId, Object>,
    appended: &dyn AppendedObjects,
    renumbering: &Renumbering,
) -> std::io::Result<(Vec<Indirect>, Vec<Numbered>)> {
    let mut packed = Vec::with_capacity(objects.len() + appended.count());
    let mut streams = Vec::new();
    for ((old, generation), object) in objects {
        let number = renumbering.get(old);
        if generation == 0 && fits_object_stream(&object) {
            packed.push((number, Packed::Object(object)));
        } else {
            streams.push((number, generation, object));
        }
    }
    for index in 0..appended.count() {
        let old = u32::try_from(index)
            .ok()
            .and_then(|i| appended.first().checked_add(i))
            .ok_or_else(too_large)?;
        packed.push((renumbering.get(old), Packed::Appended(index)));
    }
    Ok((streams, packed))
}

/// `packed` in compressed object streams numbered from `first_container`, each group of
/// objects dropped once its stream is made; their places go into `entries`.
fn object_streams(
    packed: Vec<Numbered>,
    first_container: u32,
    entries: &mut Vec<Option<Entry>>,
    appended: &dyn AppendedObjects,
    renumbering: &Renumbering,
) -> std::io::Result<Vec<Indirect>> {
    let mut containers = Vec::with_capacity(packed.len().div_ceil(OBJECTS_PER_STREAM));
    let mut packed = packed.into_iter();
    for container in first_container.. {
        let group: Vec<Numbered> = packed.by_ref().take(OBJECTS_PER_STREAM).collect();
        if group.is_empty() {
            break;
        }
        let stream = object_stream(&group, container, entries, appended, renumbering)?;
        containers.push((container, 0, Object::Stream(stream)));
    }
    Ok(containers)
}

/// The bytes the streams among `objects` take as indirect objects, at most.
fn stream_room<'a>(objects: impl IntoIterator<Item = &'a Object>) -> usize {
    objects
        .into_iter()
        .filter_map(|o| o.as_stream().ok())
        .map(|s| s.content.len() + INDIRECT_ROOM)
        .sum()
}

fn too_large() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::FileTooLarge,
        tr!("render-pdf-too-large"),
    )
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
        u32::try_from(self.bytes.len()).map_err(|_| too_large())
    }

    fn record(&mut self, number: u32, entry: Entry) {
        record(&mut self.entries, number, entry);
    }

    /// The cross-reference stream, numbered `number`, and the file's last lines.
    fn xref(&mut self, trailer: &Dictionary, number: u32) -> std::io::Result<()> {
        let start = self.offset()?;
        self.record(number, Entry::InFile { offset: start });
        let xref = Object::Stream(xref_stream(trailer, &self.entries, number)?);
        self.bytes.reserve_exact(stream_room([&xref]));
        self.indirect(number, 0, &xref)?;
        write!(self.bytes, "\nstartxref\n{start}\n%%EOF")?;
        Ok(())
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
    group: &[Numbered],
    container: u32,
    entries: &mut Vec<Option<Entry>>,
    appended: &dyn AppendedObjects,
    renumbering: &Renumbering,
) -> std::io::Result<lopdf::Stream> {
    let mut body = Vec::new();
    let mut table = Vec::new();
    for (index, (number, object)) in group.iter().enumerate() {
        write!(table, "{number} {} ", body.len())?;
        match object {
            Packed::Object(object) => write_object(&mut body, object, renumbering)?,
            Packed::Appended(which) => {
                let which = *which;
                let start = body.len();
                appended.write_object(
                    which,
                    &mut ObjectWriter {
                        out: &mut body,
                        start,
                        renumbering,
                    },
                )?;
            }
        }
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
    stream.set_content(super::deflate::zlib(&table, OBJECT_STREAM_LEVEL)?);
    Ok(stream)
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

/// A name, with white space, delimiters, `#` and bytes outside `!`…`~` as `#XX` (§7.3.5);
/// for objects and content streams alike.
pub(super) fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &byte in name {
        if NAME_ESCAPED.contains(&byte) || !NAME_PLAIN.contains(&byte) {
            out.push(b'#');
            push_hex(out, byte);
        } else {
            out.push(byte);
        }
    }
}

/// A hex string `<…>` in upper-case digits.
pub(super) fn write_hex(out: &mut Vec<u8>, text: &[u8]) {
    out.reserve(text.len() * 2 + 2);
    out.push(b'<');
    for &byte in text {
        push_hex(out, byte);
    }
    out.push(b'>');
}

/// `byte` as two upper-case hex digits.
pub(super) fn push_hex(out: &mut Vec<u8>, byte: u8) {
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

    /// No appended objects.
    struct NoObjects;

    impl AppendedObjects for NoObjects {
        fn first(&self) -> u32 {
            0
        }

        fn count(&self) -> usize {
            0
        }

        fn write_object(&self, _: usize, _: &mut ObjectWriter<'_>) -> std::io::Result<()> {
            Ok(())
        }
    }

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

    /// What each object's bytes parse to: an object, a stream's dictionary and content
    /// (its place in the file aside). The cross-reference stream's content is the objects'
    /// offsets, which differ with their order.
    fn parsed(object: &Object) -> (Object, Vec<u8>) {
        match object {
            Object::Stream(stream) => {
                let offsets = stream
                    .dict
                    .get(b"Type")
                    .and_then(Object::as_name)
                    .is_ok_and(|t| t == b"XRef");
                let content = if offsets {
                    Vec::new()
                } else {
                    stream.content.clone()
                };
                (Object::Dictionary(stream.dict.clone()), content)
            }
            other => (other.clone(), Vec::new()),
        }
    }

    /// Each object as lopdf writes it: the files differ only in the order of the objects
    /// (ours puts the object streams first), so they are as long, everything they hold reads
    /// back the same, and the object streams hold the same bytes.
    #[test]
    fn writes_the_objects_lopdf_writes_with_object_and_xref_streams() {
        let mut doc = sample();
        let ours = write(doc.clone(), &NoObjects).unwrap();
        doc.renumber_objects();
        let options = lopdf::SaveOptions::builder()
            .use_object_streams(true)
            .use_xref_streams(true)
            .compression_level(3)
            .build();
        let mut theirs = Vec::new();
        doc.save_with_options(&mut theirs, options).unwrap();
        assert_eq!(
            ours.len(),
            theirs.len(),
            "the same objects, in the same bytes"
        );
        let ours = lopdf::Document::load_mem(&ours).unwrap();
        let theirs = lopdf::Document::load_mem(&theirs).unwrap();
        assert_eq!(ours.objects.len(), theirs.objects.len());
        for (id, object) in &theirs.objects {
            assert_eq!(parsed(&ours.objects[id]), parsed(object), "object {id:?}");
        }
        assert_eq!(ours.trailer, theirs.trailer);
    }

    #[test]
    fn what_it_writes_reads_back() {
        let doc = sample();
        let bytes = write(doc.clone(), &NoObjects).unwrap();
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

    /// Object `i` of [`Tail`]: a dictionary with a number, references to the document and
    /// to another appended object, a nested dictionary and arrays (empty, of references, of
    /// numbers after a dictionary), as lopdf objects.
    fn tail_object(i: u32, first: u32) -> Object {
        Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"StructElem".to_vec())),
            ("P", Object::Reference((first + (i + 1) % 3, 0))),
            (
                "K",
                Object::Array(vec![
                    Object::Integer(i64::from(i)),
                    Object::Dictionary(Dictionary::from_iter(vec![
                        ("Pg", Object::Reference((3, 0))),
                        ("MCID", Object::Integer(7)),
                    ])),
                    Object::Integer(-1),
                    Object::Reference((58, 0)),
                    Object::Array(vec![]),
                ]),
            ),
            ("A", Object::Name(b"x y".to_vec())),
        ]))
    }

    /// Three appended objects, numbered from `first`, written token by token.
    struct Tail {
        first: u32,
    }

    impl AppendedObjects for Tail {
        fn first(&self) -> u32 {
            self.first
        }

        fn count(&self) -> usize {
            3
        }

        fn write_object(&self, index: usize, out: &mut ObjectWriter<'_>) -> std::io::Result<()> {
            let i = u32::try_from(index).unwrap();
            out.open_dictionary();
            out.name(b"Type");
            out.name(b"StructElem");
            out.name(b"P");
            out.reference((self.first + (i + 1) % 3, 0));
            out.name(b"K");
            out.open_array();
            out.integer(i64::from(i));
            out.open_dictionary();
            out.name(b"Pg");
            out.reference((3, 0));
            out.name(b"MCID");
            out.integer(7);
            out.close_dictionary();
            out.integer(-1);
            out.reference((58, 0));
            out.open_array();
            out.close_array();
            out.close_array();
            out.name(b"A");
            out.name(b"x y");
            out.close_dictionary();
            Ok(())
        }
    }

    #[test]
    fn appended_objects_are_written_as_the_same_lopdf_objects_would_be() {
        let mut held = sample();
        let mut appended = sample();
        // Numbers above a gap, as a document's removed last object leaves one.
        let first = held.max_id + 2;
        for i in 0..3 {
            held.objects.insert((first + i, 0), tail_object(i, first));
        }
        let catalog = Object::Reference((first, 0));
        for doc in [&mut held, &mut appended] {
            doc.max_id = first + 2;
            doc.trailer.set("Tail", catalog.clone());
        }
        let tail = Tail { first };
        assert_eq!(
            write(appended, &tail).unwrap(),
            write(held, &NoObjects).unwrap()
        );
    }

    #[test]
    fn appended_numbers_must_follow_the_documents_own() {
        let doc = sample();
        let last = doc.objects.keys().next_back().unwrap().0;
        assert!(write(doc.clone(), &Tail { first: last }).is_err());
        assert!(write(doc, &Tail { first: last + 1 }).is_ok());
    }
}
