//! The PDF/A-2a and PDF/UA-1 pass over the document printpdf produced: document information
//! and matching XMP metadata (PDF/A-2a and PDF/UA-1 identification, the latter declared
//! through a PDF/A extension schema), the sRGB output intent, the language, the structure tree
//! ([`super::tagging`]), font subset tags derived from the subsets (done on each
//! [`super::font_kit::FontKit`] as it is made), and a content-derived file identifier, then
//! compression and a reproducible serialisation that ends with an end-of-line, so that an
//! incremental update (a PAdES signature) starts on a line of its own.
//!
//! printpdf's own PDF/A mode writes no XMP and a wrong output intent, so this is done here
//! on the lopdf object tree.

use super::font_program;
use super::pdf_file;
use super::tagging::{self, PageMarks};
use super::{RenderContext, RenderError};
use crate::document::{Document, Metadata};
use crate::layout::fonts::Fonts;
use crate::tr;
use chrono::{DateTime, Utc};
use lopdf::{Dictionary, Object, StringFormat};
use sha2::{Digest, Sha256};

/// The PDF version PDF/A-2 builds on.
const PDF_VERSION: &str = "1.7";
/// zlib level for streams. Measured on the annex: level 3 is 40 % faster than zlib's default
/// 6 for 12 % more bytes (combined PDF 80 KB, per card 37 KB, within the size targets); level
/// 1 costs 45 % more bytes and pushes the combined PDF over 100 KB. Level 2 (zlib-rs's fast
/// strategy; 2026-12-07) rendered the combined and card PDFs about 5 % faster for 5.5 % more
/// bytes (combined 77.7 -> 82.0 KB): not taken.
const DEFLATE_LEVEL: u32 = 3;
/// Length of each half of the trailer /ID, in bytes.
const ID_LEN: usize = 16;

/// PDF glyph space units per em (ISO 32000-1 §9.2.4).
const GLYPH_UNITS_PER_EM: f64 = 1000.0;
/// Letters of a subset tag (ISO 32000-1 §9.6.4: six capital letters).
const SUBSET_TAG_LEN: usize = 6;
/// The letters A–Z.
const LETTERS: u8 = 26;

/// The characters PDFDocEncoding (ISO 32000-1 Annex D) puts at 0x80–0x9E, in order. Below
/// 0x80 it is ASCII (for the printable characters and tab, line feed, carriage return);
/// 0xA1–0xFF is Latin-1 except 0xAD.
const PDFDOC_HIGH: [char; 31] = [
    '•', '†', '‡', '…', '—', '–', 'ƒ', '⁄', '‹', '›', '−', '‰', '„', '“', '”', '‘', '’', '‚', '™',
    'ﬁ', 'ﬂ', 'Ł', 'Œ', 'Š', 'Ÿ', 'Ž', 'ı', 'ł', 'œ', 'š', 'ž',
];
/// The first code of [`PDFDOC_HIGH`].
const PDFDOC_HIGH_START: u8 = 0x80;
/// Euro sign's code in PDFDocEncoding.
const PDFDOC_EURO: u8 = 0xA0;

/// The PDFDocEncoding byte of `c`, if it has one.
fn pdfdoc_byte(c: char) -> Option<u8> {
    match c {
        '\t' | '\n' | '\r' | ' '..='~' => u8::try_from(u32::from(c)).ok(),
        '\u{A1}'..='\u{FF}' if c != '\u{AD}' => u8::try_from(u32::from(c)).ok(),
        '€' => Some(PDFDOC_EURO),
        _ => PDFDOC_HIGH
            .iter()
            .position(|&h| h == c)
            .and_then(|i| u8::try_from(i).ok())
            .map(|i| PDFDOC_HIGH_START + i),
    }
}

/// A PDF text string: PDFDocEncoding where every character has a code in it, otherwise
/// UTF-16BE with a byte order mark.
fn text_string(s: &str) -> Object {
    if let Some(bytes) = s.chars().map(pdfdoc_byte).collect::<Option<Vec<u8>>>() {
        return Object::String(bytes, StringFormat::Literal);
    }
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// `s` as XML character data or attribute value (quick-xml's escaper, the one the DOCX uses).
fn xml_escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// Info dictionary and XMP packet describing the same facts.
fn xmp_packet(meta: &Metadata, producer: &str, date: &DateTime<Utc>) -> String {
    let iso = date.format("%Y-%m-%dT%H:%M:%S+00:00").to_string();
    let keywords = xml_escape(&meta.keywords.join(", "));
    format!(
        concat!(
            "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n",
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n",
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n",
            "<rdf:Description rdf:about=\"\"\n",
            " xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n",
            " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n",
            " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n",
            " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n",
            " xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"\n",
            " xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n",
            " xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n",
            " xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n",
            "<pdfaid:part>2</pdfaid:part>\n",
            "<pdfaid:conformance>A</pdfaid:conformance>\n",
            "<pdfuaid:part>1</pdfuaid:part>\n",
            // pdfuaid is not one of PDF/A-2's predefined schemas: declared here (ISO 19005-2
            // 6.6.2.3), as ISO 14289-1 5 asks.
            "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n",
            "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n",
            "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n",
            "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n",
            "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n",
            "<pdfaProperty:name>part</pdfaProperty:name>\n",
            "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n",
            "<pdfaProperty:category>internal</pdfaProperty:category>\n",
            "<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>\n",
            "</rdf:li></rdf:Seq></pdfaSchema:property>\n",
            "</rdf:li></rdf:Bag></pdfaExtension:schemas>\n",
            "<dc:format>application/pdf</dc:format>\n",
            "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n",
            "<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>\n",
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{subject}</rdf:li></rdf:Alt></dc:description>\n",
            "<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>\n",
            "<pdf:Keywords>{keywords}</pdf:Keywords>\n",
            "<pdf:Producer>{producer}</pdf:Producer>\n",
            "<xmp:CreatorTool>{producer}</xmp:CreatorTool>\n",
            "<xmp:CreateDate>{date}</xmp:CreateDate>\n",
            "<xmp:ModifyDate>{date}</xmp:ModifyDate>\n",
            "<xmp:MetadataDate>{date}</xmp:MetadataDate>\n",
            "</rdf:Description>\n",
            "</rdf:RDF>\n",
            "</x:xmpmeta>\n",
            "<?xpacket end=\"w\"?>"
        ),
        title = xml_escape(&meta.title),
        author = xml_escape(&meta.author),
        subject = xml_escape(&meta.subject),
        lang = xml_escape(&meta.language),
        keywords = keywords,
        producer = xml_escape(producer),
        date = iso,
    )
}

/// The output intent's ICC profile, read and deflated once per process.
#[derive(Debug, Clone)]
pub struct OutputProfile {
    deflated: Vec<u8>,
}

impl OutputProfile {
    /// Compresses the profile checked when the project loaded.
    pub fn load(context: &RenderContext<'_>) -> Result<OutputProfile, RenderError> {
        Ok(OutputProfile {
            deflated: deflate(&context.icc_profile.bytes)?,
        })
    }
}

fn deflate(bytes: &[u8]) -> Result<Vec<u8>, RenderError> {
    super::deflate::zlib(bytes, DEFLATE_LEVEL)
        .map_err(|e| RenderError(tr!("render-pdf-compress", error = e.to_string())))
}

/// A page's content stream, compressed as soon as it was written; kept as it is when
/// compressing would not make it smaller (as [`compress_streams`] decides for every stream).
#[derive(Debug, Clone)]
pub struct PageContent {
    bytes: Vec<u8>,
    deflated: bool,
}

impl PageContent {
    pub fn compress(raw: &[u8]) -> Result<PageContent, RenderError> {
        let deflated = deflate(raw)?;
        Ok(if deflated.len() < raw.len() {
            PageContent {
                bytes: deflated,
                deflated: true,
            }
        } else {
            PageContent {
                bytes: raw.to_vec(),
                deflated: false,
            }
        })
    }
}

/// The content streams of one sheet, in drawing order: its header band (with the draft mark)
/// and the rest, which the combined annex and a card's own file share ([`super::content_stream`]).
#[derive(Debug, Clone)]
pub struct SheetContents {
    pub band: PageContent,
    pub body: std::sync::Arc<PageContent>,
}

/// Puts `contents` into the content streams of `doc`'s pages, in page order (a page's
/// `/Contents` is the array of its band's stream and its body's), and drops what printpdf
/// writes on every page that says nothing the page's `/MediaBox` does not: a `/TrimBox` and
/// `/CropBox` equal to it (their default) and an empty `/Annots` array.
pub fn set_page_contents(
    doc: &mut lopdf::Document,
    contents: Vec<SheetContents>,
) -> Result<(), RenderError> {
    let page_ids: Vec<lopdf::ObjectId> = doc.get_pages().into_values().collect();
    if page_ids.len() != contents.len() {
        return Err(RenderError(tr!(
            "render-pages-vs-sheets",
            pages = page_ids.len().to_string(),
            sheets = contents.len().to_string()
        )));
    }
    let unreadable =
        |e: lopdf::Error| RenderError(tr!("render-page-unreadable", error = e.to_string()));
    for (page_id, sheet) in page_ids.into_iter().zip(contents) {
        let page = doc.get_dictionary_mut(page_id).map_err(unreadable)?;
        drop_defaults(page);
        let band_id = page
            .get(b"Contents")
            .and_then(Object::as_reference)
            .map_err(unreadable)?;
        let band = doc
            .get_object_mut(band_id)
            .and_then(Object::as_stream_mut)
            .map_err(unreadable)?;
        fill_stream(band, sheet.band);
        let body = std::sync::Arc::unwrap_or_clone(sheet.body);
        let mut body_stream = lopdf::Stream::new(Dictionary::new(), Vec::new());
        fill_stream(&mut body_stream, body);
        let body_id = doc.add_object(body_stream);
        doc.get_dictionary_mut(page_id).map_err(unreadable)?.set(
            "Contents",
            Object::Array(vec![Object::Reference(band_id), Object::Reference(body_id)]),
        );
    }
    Ok(())
}

/// `stream` with `content` and, when it is compressed, its filter.
fn fill_stream(stream: &mut lopdf::Stream, content: PageContent) {
    if content.deflated {
        stream
            .dict
            .set("Filter", Object::Name(b"FlateDecode".to_vec()));
    }
    stream.set_content(content.bytes);
}

/// Drops the boxes of `page` that equal its `/MediaBox` and an empty `/Annots` array.
fn drop_defaults(page: &mut Dictionary) {
    let media_box = page.get(b"MediaBox").ok().cloned();
    for key in [&b"TrimBox"[..], b"CropBox"] {
        if media_box.is_some() && page.get(key).ok() == media_box.as_ref() {
            page.remove(key);
        }
    }
    if page
        .get(b"Annots")
        .and_then(Object::as_array)
        .is_ok_and(Vec::is_empty)
    {
        page.remove(b"Annots");
    }
}

/// What the structure tree is built from: the document and what each sheet's marked content
/// belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Structure<'a> {
    pub document: &'a Document,
    pub pages: &'a [PageMarks],
}

/// The sRGB output intent (its colour profile deflated once per renderer), named `name`;
/// gives its object number.
fn add_output_intent(
    doc: &mut lopdf::Document,
    profile: &OutputProfile,
    name: &str,
) -> lopdf::ObjectId {
    let mut icc_stream = lopdf::Stream::new(
        Dictionary::from_iter(vec![
            ("N", Object::Integer(3)),
            ("Filter", Object::Name(b"FlateDecode".to_vec())),
        ]),
        profile.deflated.clone(),
    );
    icc_stream.allows_compression = false;
    let icc_id = doc.add_object(icc_stream);
    let intent = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFA1".to_vec())),
        ("OutputConditionIdentifier", text_string(name)),
        ("Info", text_string(name)),
        ("DestOutputProfile", Object::Reference(icc_id)),
    ]);
    doc.add_object(intent)
}

/// The document information dictionary, saying what the XMP packet says.
fn info_dictionary(meta: &Metadata, producer: &str, pdf_date: String) -> Dictionary {
    Dictionary::from_iter(vec![
        ("Title", text_string(&meta.title)),
        ("Author", text_string(&meta.author)),
        ("Subject", text_string(&meta.subject)),
        ("Keywords", text_string(&meta.keywords.join(", "))),
        // No /Producer here, only in the XMP: a signer that appends a revision (pyHanko)
        // appends its name to an Info /Producer but replaces the XMP one, and the two would
        // then disagree (ISO 19005-2 6.6.3). Without it, both end up the same.
        ("Creator", text_string(producer)),
        (
            "CreationDate",
            Object::String(pdf_date.clone().into_bytes(), StringFormat::Literal),
        ),
        (
            "ModDate",
            Object::String(pdf_date.into_bytes(), StringFormat::Literal),
        ),
    ])
}

/// Completes `doc` as PDF/A-2a and PDF/UA-1 and serialises it reproducibly.
pub fn finish(
    mut doc: lopdf::Document,
    structure: Structure<'_>,
    context: &RenderContext<'_>,
    profile: &OutputProfile,
) -> Result<Vec<u8>, RenderError> {
    let meta: &Metadata = &structure.document.meta;
    let date = DateTime::<Utc>::from_timestamp(context.timestamp, 0).ok_or_else(|| {
        RenderError(tr!(
            "render-timestamp-range",
            timestamp = context.timestamp.to_string()
        ))
    })?;
    let pdf_date = date.format("D:%Y%m%d%H%M%S+00'00'").to_string();
    doc.version = PDF_VERSION.to_string();

    let intent_id = add_output_intent(
        &mut doc,
        profile,
        &structure.document.setup.output_intent_name,
    );

    let mut xmp = lopdf::Stream::new(
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Metadata".to_vec())),
            ("Subtype", Object::Name(b"XML".to_vec())),
        ]),
        xmp_packet(meta, context.producer, &date).into_bytes(),
    );
    xmp.allows_compression = false;
    let xmp_id = doc.add_object(xmp);

    let info_id = doc.add_object(info_dictionary(meta, context.producer, pdf_date));

    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|e| RenderError(tr!("render-pdf-no-catalog", error = e.to_string())))?;
    let catalog = doc
        .get_object_mut(root)
        .and_then(Object::as_dict_mut)
        .map_err(|e| RenderError(tr!("render-pdf-catalog-unreadable", error = e.to_string())))?;
    catalog.set("Metadata", Object::Reference(xmp_id));
    catalog.set(
        "OutputIntents",
        Object::Array(vec![Object::Reference(intent_id)]),
    );
    catalog.set("Lang", text_string(&meta.language));
    // printpdf's own Info dictionary is replaced: dropped here, which is cheaper than a
    // prune over the whole object tree (the only object nothing refers to afterwards).
    if let Ok(old_info) = doc.trailer.get(b"Info").and_then(Object::as_reference) {
        doc.objects.remove(&old_info);
    }
    doc.trailer.set("Info", Object::Reference(info_id));
    // A placeholder of the final length; replaced below by a hash of the file.
    let zero_id = Object::String(vec![0; ID_LEN], StringFormat::Hexadecimal);
    doc.trailer
        .set("ID", Object::Array(vec![zero_id.clone(), zero_id]));

    let tree = tagging::write_structure(&mut doc, structure.document, structure.pages)?;

    compress_streams(&mut doc)?;
    // The structure tree is some 600 small dictionaries for the annex: in compressed object
    // streams (PDF 1.5, allowed in PDF/A-2) they cost a tenth of their plain size.
    let mut bytes = pdf_file::write(doc, &tree)
        .map_err(|e| RenderError(tr!("render-pdf-unwritable", error = e.to_string())))?;
    if !bytes.ends_with(b"\n") {
        bytes.push(b'\n');
    }
    set_content_id(&mut bytes)?;
    Ok(bytes)
}

/// The subset tag of a font program: six capital letters from its SHA-256, so that two
/// different subsets never share a tag (a merging tool would take one for the other).
fn subset_tag(program: &[u8]) -> String {
    Sha256::digest(program)
        .iter()
        .take(SUBSET_TAG_LEN)
        .map(|b| char::from(b'A' + b % LETTERS))
        .collect()
}

/// The cap height of the face (OS/2 `sCapHeight`) named `postscript_name`, in 1/1000 em.
fn cap_height(fonts: &Fonts, postscript_name: &[u8]) -> Option<i64> {
    let face = [&fonts.regular, &fonts.bold]
        .into_iter()
        .find(|f| f.name.as_bytes() == postscript_name)?;
    let parsed = ttf_parser::Face::parse(&face.bytes, 0).ok()?;
    let per_em = f64::from(parsed.units_per_em());
    let cap = f64::from(parsed.capital_height()?);
    // Rounded to whole units of the glyph space: far within i64.
    #[allow(clippy::cast_possible_truncation)]
    Some((cap * GLYPH_UNITS_PER_EM / per_em).round() as i64)
}

/// Completes the embedded fonts: the subset tag printpdf took from the resource name
/// (`RKBOLD+`) is replaced by one derived from the embedded subset, on the font, its
/// descendant and its descriptor alike; the descriptor's `/CapHeight` is the font's own
/// (printpdf writes the ascent).
// Long because the three dictionaries of a font (font, descendant, descriptor) are reached
// and edited one after the other through lopdf's borrows; split up, each step would look the
// others up again.
pub(super) fn finish_fonts(doc: &mut lopdf::Document, fonts: &Fonts) -> Result<(), RenderError> {
    let unreadable =
        |e: lopdf::Error| RenderError(tr!("render-pdf-font-unreadable", error = e.to_string()));
    let font_ids: Vec<lopdf::ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, o)| {
            o.as_dict().is_ok_and(|d| {
                d.get(b"Type").and_then(Object::as_name).ok() == Some(b"Font")
                    && d.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0")
            })
        })
        .map(|(id, _)| *id)
        .collect();
    for font_id in font_ids {
        let font = doc.get_dictionary(font_id).map_err(unreadable)?;
        let descendant = match font
            .get(b"DescendantFonts")
            .and_then(Object::as_array)
            .map_err(unreadable)?
            .first()
        {
            Some(Object::Reference(id)) => doc.get_dictionary(*id).map_err(unreadable)?,
            Some(Object::Dictionary(d)) => d,
            _ => return Err(RenderError(tr!("render-pdf-no-descendant"))),
        };
        let descriptor_id = descendant
            .get(b"FontDescriptor")
            .and_then(Object::as_reference)
            .map_err(unreadable)?;
        let descriptor = doc.get_dictionary(descriptor_id).map_err(unreadable)?;
        let program_id = descriptor
            .get(b"FontFile2")
            .or_else(|_| descriptor.get(b"FontFile3"))
            .and_then(Object::as_reference)
            .map_err(unreadable)?;
        let tag = trim_program(doc, program_id).map_err(unreadable)?;
        let retag = |d: &mut Dictionary, key: &[u8]| {
            if let Ok(Object::Name(n)) = d.get_mut(key)
                && let Some(face) = n
                    .iter()
                    .position(|&b| b == b'+')
                    .and_then(|plus| n.get(plus..))
            {
                let mut named = tag.clone().into_bytes();
                named.extend_from_slice(face);
                *n = named;
            }
        };
        if let Ok(d) = doc.get_dictionary_mut(descriptor_id) {
            let face_name = d
                .get(b"FontName")
                .and_then(Object::as_name)
                .ok()
                .map(|n| n.rsplit(|&b| b == b'+').next().unwrap_or(n).to_vec());
            if let Some(cap) = face_name.and_then(|n| cap_height(fonts, &n)) {
                d.set("CapHeight", Object::Integer(cap));
            }
            retag(d, b"FontName");
        }
        let font = doc.get_dictionary_mut(font_id).map_err(unreadable)?;
        retag(font, b"BaseFont");
        let descendant_ref = match font.get_mut(b"DescendantFonts") {
            Ok(Object::Array(kids)) => match kids.first_mut() {
                Some(Object::Dictionary(d)) => {
                    retag(d, b"BaseFont");
                    None
                }
                Some(Object::Reference(id)) => Some(*id),
                _ => None,
            },
            _ => None,
        };
        if let Some(id) = descendant_ref {
            retag(doc.get_dictionary_mut(id).map_err(unreadable)?, b"BaseFont");
        }
    }
    Ok(())
}

/// Trims the font program `program_id` to what a reader uses ([`font_program::trim`]), with
/// its `/Length1`, and returns the subset tag of the program as embedded.
fn trim_program(
    doc: &mut lopdf::Document,
    program_id: lopdf::ObjectId,
) -> Result<String, lopdf::Error> {
    let program = doc
        .get_object_mut(program_id)
        .and_then(Object::as_stream_mut)?;
    // printpdf leaves the program uncompressed (the compression follows below); a program
    // that is already filtered is embedded as it is.
    if !program.dict.has(b"Filter")
        && let Some(trimmed) = font_program::trim(&program.content)
    {
        let length = i64::try_from(trimmed.len()).unwrap_or(i64::MAX);
        program.dict.set("Length1", Object::Integer(length));
        program.set_content(trimmed);
    }
    Ok(subset_tag(&program.content))
}

/// Deflates every stream that may be compressed. lopdf's own `compress` uses the slowest
/// level, which costs more time than the whole layout for a few per cent of size.
pub(super) fn compress_streams(doc: &mut lopdf::Document) -> Result<(), RenderError> {
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if !stream.allows_compression || stream.dict.has(b"Filter") {
            continue;
        }
        let compressed = deflate(&stream.content)?;
        if compressed.len() < stream.content.len() {
            stream
                .dict
                .set("Filter", Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(compressed);
        }
    }
    Ok(())
}

/// Replaces the all-zero trailer /ID by the first bytes of the SHA-256 of the file, so that
/// the identifier follows the content and two builds of the same inputs are identical.
#[allow(
    clippy::indexing_slicing,
    reason = "lint switched on while render/ is rewritten: ID_LEN is within the SHA-256 digest \
              and each match of the all-zero pattern is hex.len() + 2 bytes inside `bytes`"
)]
fn set_content_id(bytes: &mut [u8]) -> Result<(), RenderError> {
    let pattern = format!("<{}>", "0".repeat(ID_LEN * 2));
    let id_key = find_last(bytes, b"/ID").ok_or_else(|| RenderError(tr!("render-pdf-no-id")))?;
    let digest = Sha256::digest(&*bytes);
    let hex: String = digest[..ID_LEN]
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    // Both halves of /ID follow the key; set each.
    let mut from = id_key;
    let mut replaced = 0;
    while let Some(at) = find_first(&bytes[from..], pattern.as_bytes()) {
        let start = from + at + 1;
        bytes[start..start + hex.len()].copy_from_slice(hex.as_bytes());
        from = start + hex.len();
        replaced += 1;
    }
    if replaced == 2 {
        Ok(())
    } else {
        Err(RenderError(tr!(
            "render-pdf-id-parts",
            parts = replaced.to_string()
        )))
    }
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn find_first(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_strings_use_pdfdocencoding_when_every_character_fits() {
        let latin = text_string("teenuspõhise – Šaš Žž €");
        let Object::String(bytes, StringFormat::Literal) = latin else {
            panic!("not a literal string: {latin:?}");
        };
        assert_eq!(
            bytes,
            b"teenusp\xF5hise \x85 \x97a\x9D \x99\x9E \xA0".to_vec()
        );
        // ő, Cyrillic and the soft hyphen have no PDFDocEncoding code.
        for s in ["Gődöllő", "Мир", "a\u{AD}b"] {
            let Object::String(bytes, StringFormat::Hexadecimal) = text_string(s) else {
                panic!("{s} not in UTF-16");
            };
            assert_eq!(bytes.get(..2), Some(&[0xFE, 0xFF][..]));
        }
    }

    #[test]
    fn subset_tags_are_six_capitals_and_follow_the_subset() {
        let a = subset_tag(b"one subset");
        assert_eq!(a.len(), SUBSET_TAG_LEN);
        assert!(a.bytes().all(|b| b.is_ascii_uppercase()));
        assert_eq!(a, subset_tag(b"one subset"));
        assert_ne!(a, subset_tag(b"another subset"));
    }
}
