//! The PDF/A-2b pass over the document printpdf produced: document information and matching
//! XMP metadata, the sRGB output intent, the language, and a content-derived file identifier,
//! then compression and a reproducible serialisation.
//!
//! printpdf's own PDF/A mode writes no XMP and a wrong output intent, so this is done here
//! on the lopdf object tree.

use super::{RenderContext, RenderError};
use crate::document::Metadata;
use chrono::{DateTime, Utc};
use lopdf::{Dictionary, Object, StringFormat};
use sha2::{Digest, Sha256};

/// The PDF version PDF/A-2 builds on.
const PDF_VERSION: &str = "1.7";
/// zlib level for streams. Measured on the annex: level 3 is 40 % faster than zlib's default
/// 6 for 12 % more bytes (combined PDF 80 KB, per card 37 KB, within the size targets); level
/// 1 costs 45 % more bytes and pushes the combined PDF over 100 KB.
const DEFLATE_LEVEL: u32 = 3;
/// Length of each half of the trailer /ID, in bytes.
const ID_LEN: usize = 16;

/// A PDF text string: PDFDocEncoding is avoided, UTF-16BE with a byte order mark holds every
/// Estonian letter.
fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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
            " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n",
            "<pdfaid:part>2</pdfaid:part>\n",
            "<pdfaid:conformance>B</pdfaid:conformance>\n",
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
    use flate2::{Compression, write::ZlibEncoder};
    use std::io::Write;
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::new(DEFLATE_LEVEL));
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map_err(|e| RenderError(format!("cannot compress a PDF stream: {e}")))
}

/// Completes `doc` as PDF/A-2b and serialises it reproducibly.
pub fn finish(
    mut doc: lopdf::Document,
    meta: &Metadata,
    context: &RenderContext<'_>,
    profile: &OutputProfile,
) -> Result<Vec<u8>, RenderError> {
    let date = DateTime::<Utc>::from_timestamp(context.timestamp, 0).ok_or_else(|| {
        RenderError(format!(
            "the timestamp {} is out of range",
            context.timestamp
        ))
    })?;
    let pdf_date = date.format("D:%Y%m%d%H%M%S+00'00'").to_string();
    doc.version = PDF_VERSION.to_string();

    let mut icc_stream = lopdf::Stream::new(
        Dictionary::from_iter(vec![
            ("N", Object::Integer(3)),
            ("Filter", Object::Name(b"FlateDecode".to_vec())),
        ]),
        profile.deflated.clone(),
    );
    icc_stream.allows_compression = false;
    let icc_id = doc.add_object(icc_stream);
    let name = &context.template.pdf.output_intent_name;
    let intent = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFA1".to_vec())),
        ("OutputConditionIdentifier", text_string(name)),
        ("Info", text_string(name)),
        ("DestOutputProfile", Object::Reference(icc_id)),
    ]);
    let intent_id = doc.add_object(intent);

    let mut xmp = lopdf::Stream::new(
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Metadata".to_vec())),
            ("Subtype", Object::Name(b"XML".to_vec())),
        ]),
        xmp_packet(meta, context.producer, &date).into_bytes(),
    );
    xmp.allows_compression = false;
    let xmp_id = doc.add_object(xmp);

    let info = Dictionary::from_iter(vec![
        ("Title", text_string(&meta.title)),
        ("Author", text_string(&meta.author)),
        ("Subject", text_string(&meta.subject)),
        ("Keywords", text_string(&meta.keywords.join(", "))),
        ("Creator", text_string(context.producer)),
        ("Producer", text_string(context.producer)),
        (
            "CreationDate",
            Object::String(pdf_date.clone().into_bytes(), StringFormat::Literal),
        ),
        (
            "ModDate",
            Object::String(pdf_date.into_bytes(), StringFormat::Literal),
        ),
    ]);
    let info_id = doc.add_object(info);

    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|e| RenderError(format!("the PDF has no catalog: {e}")))?;
    let catalog = doc
        .get_object_mut(root)
        .and_then(Object::as_dict_mut)
        .map_err(|e| RenderError(format!("the PDF catalog is unreadable: {e}")))?;
    catalog.set("Metadata", Object::Reference(xmp_id));
    catalog.set(
        "OutputIntents",
        Object::Array(vec![Object::Reference(intent_id)]),
    );
    catalog.set("Lang", text_string(&meta.language));
    doc.trailer.set("Info", Object::Reference(info_id));
    // A placeholder of the final length; replaced below by a hash of the file.
    let zero_id = Object::String(vec![0; ID_LEN], StringFormat::Hexadecimal);
    doc.trailer
        .set("ID", Object::Array(vec![zero_id.clone(), zero_id]));

    doc.prune_objects();
    doc.renumber_objects();
    compress_streams(&mut doc)?;
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes)
        .map_err(|e| RenderError(format!("cannot write the PDF: {e}")))?;
    set_content_id(&mut bytes)?;
    Ok(bytes)
}

/// Deflates every stream that may be compressed. lopdf's own `compress` uses the slowest
/// level, which costs more time than the whole layout for a few per cent of size.
fn compress_streams(doc: &mut lopdf::Document) -> Result<(), RenderError> {
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
    let id_key = find_last(bytes, b"/ID")
        .ok_or_else(|| RenderError("the PDF trailer /ID was not written".into()))?;
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
        Err(RenderError(format!(
            "the PDF trailer /ID has {replaced} parts, expected 2"
        )))
    }
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn find_first(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
