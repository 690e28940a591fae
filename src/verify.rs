//! Reading a rendered file back before it is written: a final document must not show a
//! placeholder. Card and template texts cannot hold braces (they are refused when loading),
//! so any `{` or `}` in the text of a final PDF page or DOCX part is a placeholder that was
//! not filled.

use std::io::Read;

/// How much of the text around a brace a message quotes, in characters each side.
const CONTEXT_CHARS: usize = 20;
/// The largest decompressed content of one PDF page read back (a card page is ~30 KB).
const MAX_PAGE_CONTENT_BYTES: usize = 64 << 20;
/// The largest DOCX part read back.
const MAX_PART_BYTES: u64 = 256 << 20;

/// The first brace in the text of the PDF's pages, quoted with its surroundings.
///
/// Reading every object of a file whole (lopdf) was a fifth of a final build's time, and
/// almost always only to learn that no font can show a brace. So the fonts are looked at
/// first through a reader that parses only what is asked of it ([`hayro_syntax`]); only a
/// file where that cannot settle it is read whole and its pages' text searched.
pub fn pdf_placeholder(bytes: &[u8]) -> Result<Option<String>, String> {
    if no_font_shows_a_brace(bytes) {
        return Ok(None);
    }
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| e.to_string())?;
    if !fonts_can_show_a_brace(&doc) {
        return Ok(None);
    }
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc
        .extract_text_with_limit(&pages, MAX_PAGE_CONTENT_BYTES)
        .map_err(|e| e.to_string())?;
    Ok(first_brace(&text))
}

/// Whether the pages of the PDF in `bytes` can be read and none of the fonts they draw with
/// can show a brace (as [`fonts_can_show_a_brace`] decides it). Text is shown only by content
/// streams: a page's own, a form XObject's, a pattern's or an annotation's appearance; so a
/// page with any of the last three, a font of another kind, or anything this cannot read
/// leaves the answer to the whole reading (`false`).
fn no_font_shows_a_brace(bytes: &[u8]) -> bool {
    use hayro_syntax::object::{Array, Dict, Stream};
    let Ok(pdf) = hayro_syntax::Pdf::new(bytes.to_vec()) else {
        return false;
    };
    let pages = pdf.pages();
    let mut fonts_seen = std::collections::HashSet::new();
    !pages.is_empty()
        && pages.iter().all(|page| {
            let resources = page.resources();
            let no_other_content = page
                .raw()
                .get::<Array<'_>>(b"Annots")
                .is_none_or(|a| a.raw_iter().next().is_none())
                && resources.x_objects.is_empty()
                && resources.patterns.is_empty();
            no_other_content
                && resources.fonts.keys().all(|key| {
                    if let Some(id) = resources.fonts.get_ref(key.as_ref())
                        && !fonts_seen.insert(id)
                    {
                        return true;
                    }
                    let Some(font) = resources.fonts.get::<Dict<'_>>(key.as_ref()) else {
                        return false;
                    };
                    is_name(&font, b"Type", b"Font")
                        && is_name(&font, b"Subtype", b"Type0")
                        && font
                            .get::<Stream<'_>>(b"ToUnicode")
                            .and_then(|map| map.decoded().ok())
                            .is_some_and(|map| !cmap_maps_a_brace(&map))
                })
        })
}

/// Whether `dict` has the name `name` under `key`.
fn is_name(dict: &hayro_syntax::object::Dict<'_>, key: &[u8], name: &[u8]) -> bool {
    dict.get::<hayro_syntax::object::Name<'_>>(key)
        .is_some_and(|n| n.as_ref() == name)
}

/// Whether any font of `doc` can show a brace. Text is extracted through each font's
/// `ToUnicode` map (the annex's fonts are `Type0` fonts with `Identity-H` glyph codes), so
/// when no map has a glyph for `{` or `}`, no page's text holds one and the pages need not be
/// read (a tenth of a final build's time). A font of another kind, or without a map this
/// reads, counts as one that can.
fn fonts_can_show_a_brace(doc: &lopdf::Document) -> bool {
    use lopdf::Object;
    doc.objects.values().any(|object| {
        let Ok(font) = object.as_dict() else {
            return false;
        };
        let name = |key: &[u8]| font.get(key).and_then(Object::as_name).ok();
        if name(b"Type") != Some(b"Font") {
            return false;
        }
        match name(b"Subtype") {
            // Drawn only through their Type0 parent, whose map says what they show.
            Some(b"CIDFontType0" | b"CIDFontType2") => false,
            Some(b"Type0") => font
                .get(b"ToUnicode")
                .and_then(Object::as_reference)
                .and_then(|id| doc.get_object(id))
                .and_then(Object::as_stream)
                .ok()
                .and_then(|map| {
                    map.decompressed_content()
                        .ok()
                        .or_else(|| Some(map.content.clone()))
                })
                .is_none_or(|map| cmap_maps_a_brace(&map)),
            _ => true,
        }
    })
}

/// Whether a `ToUnicode` CMap maps a code to text with `{` or `}` in it, through a
/// `bfchar` pair or a `bfrange` (ISO 32000-1 §9.10.3); a CMap this cannot read counts as one
/// that does.
fn cmap_maps_a_brace(cmap: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(cmap) else {
        return true;
    };
    let mut section = None;
    let mut operands: Vec<&str> = Vec::new();
    for token in text.split_ascii_whitespace() {
        match token {
            "beginbfchar" | "beginbfrange" => {
                section = Some(token);
                operands.clear();
            }
            "endbfchar" | "endbfrange" => {
                if !operands.is_empty() {
                    return true;
                }
                section = None;
            }
            _ => {
                let Some(kind) = section else { continue };
                operands.push(token);
                let found = match (kind, operands.as_slice()) {
                    ("beginbfchar", [_, to]) => hex_units(to).map(|to| has_brace(&to, 0)),
                    ("beginbfrange", [from, last, to]) if !to.starts_with('[') => {
                        let span = hex_units(from)
                            .zip(hex_units(last))
                            .and_then(|(f, l)| l.last()?.checked_sub(*f.last()?));
                        span.zip(hex_units(to))
                            .map(|(span, to)| has_brace(&to, span))
                    }
                    // A range mapped to an array of strings: read as not understood.
                    ("beginbfrange", [_, _, _, ..]) => Some(true),
                    _ => continue,
                };
                operands.clear();
                if found != Some(false) {
                    return true;
                }
            }
        }
    }
    false
}

/// The UTF-16 code units of a `<…>` hex string.
fn hex_units(token: &str) -> Option<Vec<u16>> {
    let hex = token.strip_prefix('<')?.strip_suffix('>')?;
    if hex.len() % 4 != 0 {
        return None;
    }
    (0..hex.len())
        .step_by(4)
        .map(|i| u16::from_str_radix(hex.get(i..i + 4)?, 16).ok())
        .collect()
}

/// Whether `units`, with its last unit counted up by as much as `span`, holds a brace.
fn has_brace(units: &[u16], span: u16) -> bool {
    const BRACES: [u16; 2] = [0x7B, 0x7D];
    let Some((last, first)) = units.split_last() else {
        return false;
    };
    first.iter().any(|u| BRACES.contains(u))
        || BRACES
            .iter()
            .any(|b| (*last..=last.saturating_add(span)).contains(b))
}

/// The first brace in the text of the DOCX's document, header, footer and property parts.
pub fn docx_placeholder(bytes: &[u8]) -> Result<Option<String>, String> {
    docx_placeholder_with(bytes, &ReadParts::default())
}

/// The most compressed bytes [`ReadParts`] keeps.
const READ_PARTS_BYTES: usize = 1 << 20;

/// DOCX parts already read back in a build and found without a brace, by name and CRC-32,
/// with their compressed bytes. The files of a build share most parts byte for byte (see
/// `CompressedParts`); an entry whose compressed bytes equal one read before holds the same
/// text, so it is not inflated and searched again. At most [`READ_PARTS_BYTES`] are kept.
#[derive(Default)]
pub struct ReadParts {
    clean: std::sync::Mutex<ReadPartsInner>,
}

#[derive(Default)]
struct ReadPartsInner {
    by_crc: std::collections::HashMap<u32, Vec<(String, Vec<u8>)>>,
    bytes: usize,
}

impl ReadParts {
    fn lock(&self) -> std::sync::MutexGuard<'_, ReadPartsInner> {
        self.clean
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn was_clean(&self, name: &str, crc: u32, raw: &[u8]) -> bool {
        self.lock()
            .by_crc
            .get(&crc)
            .is_some_and(|seen| seen.iter().any(|(n, r)| n == name && r == raw))
    }

    fn found_clean(&self, name: &str, crc: u32, raw: &[u8]) {
        let mut inner = self.lock();
        if inner.bytes.saturating_add(raw.len()) > READ_PARTS_BYTES {
            return;
        }
        inner.bytes += raw.len();
        inner
            .by_crc
            .entry(crc)
            .or_default()
            .push((name.to_string(), raw.to_vec()));
    }
}

/// [`docx_placeholder`], skipping parts `read` holds and adding those it finds clean.
pub fn docx_placeholder_with(bytes: &[u8], read: &ReadParts) -> Result<Option<String>, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| e.to_string())?;
        let name = part.name().map_err(|e| e.to_string())?.to_string();
        let shown =
            (name.starts_with("word/") || name.starts_with("docProps/")) && name.ends_with(".xml");
        if !shown {
            continue;
        }
        let raw = part
            .data_start()
            .and_then(|start| {
                let start = usize::try_from(start).ok()?;
                let end = start.checked_add(usize::try_from(part.compressed_size()).ok()?)?;
                bytes.get(start..end)
            })
            .unwrap_or_default();
        let crc = part.crc32();
        if !raw.is_empty() && read.was_clean(&name, crc, raw) {
            continue;
        }
        // Room for the whole part at once: grown from nothing, the string was read in a
        // probe and then doubling pieces, each a call through the decompressor (a twentieth
        // of a 1,000-card final build's CPU went to reading parts back).
        let expected = usize::try_from(part.size().min(MAX_PART_BYTES)).unwrap_or_default();
        let mut xml = String::with_capacity(expected);
        part.by_ref()
            .take(MAX_PART_BYTES)
            .read_to_string(&mut xml)
            .map_err(|e| format!("{name}: {e}"))?;
        // Most parts hold no brace at all, not even in an attribute.
        if xml.contains(['{', '}'])
            && let Some(found) = first_brace(&text_outside_tags(&xml))
        {
            return Ok(Some(found));
        }
        if !raw.is_empty() {
            read.found_clean(&name, crc, raw);
        }
    }
    Ok(None)
}

/// The character data of an XML text: everything not inside `<…>`.
fn text_outside_tags(xml: &str) -> String {
    let mut text = String::with_capacity(xml.len() / 4);
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

fn first_brace(text: &str) -> Option<String> {
    let at = text.find(['{', '}'])?;
    let before: String = text
        .get(..at)
        .unwrap_or_default()
        .chars()
        .rev()
        .take(CONTEXT_CHARS)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = text
        .get(at..)
        .unwrap_or_default()
        .chars()
        .take(CONTEXT_CHARS)
        .collect();
    Some(format!("{before}{after}").trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmap(body: &str) -> Vec<u8> {
        format!("/CIDInit /ProcSet findresource begin\nbegincmap\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n{body}\nendcmap").into_bytes()
    }

    #[test]
    fn a_tounicode_map_shows_a_brace_through_a_pair_or_a_range() {
        // (CMap body, whether it can show a brace); what is not understood counts as able.
        let cases = [
            (
                "2 beginbfchar\n<0001> <0020>\n<0002> <007A>\nendbfchar",
                false,
            ),
            ("1 beginbfchar\n<0003> <007B>\nendbfchar", true),
            ("1 beginbfchar\n<0003> <0041007D>\nendbfchar", true),
            ("1 beginbfrange\n<0001> <0003> <0061>\nendbfrange", false),
            ("1 beginbfrange\n<0001> <0010> <0070>\nendbfrange", true),
            ("1 beginbfrange\n<0001> <0002> <007E>\nendbfrange", false),
            (
                "1 beginbfrange\n<0001> <0002> [<0041> <0042>]\nendbfrange",
                true,
            ),
            ("1 beginbfchar\n<0001> <41>\nendbfchar", true),
            ("1 beginbfchar\n<0001>\nendbfchar", true),
        ];
        for (body, shows) in cases {
            assert_eq!(cmap_maps_a_brace(&cmap(body)), shows, "{body}");
        }
        assert!(cmap_maps_a_brace(&[0xFF, 0xFE]), "not UTF-8");
    }

    /// The PDF of the first bundled card, registered as `registration` says.
    fn card_pdf(registration: crate::registration::Registration) -> Vec<u8> {
        use crate::document::{BuildOptions, Selection};
        use crate::export::{ExportOptions, Formats};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let project =
            crate::load_project(&root.join("cards"), &root.join("templates/lisa.toml")).unwrap();
        let options = ExportOptions {
            document: BuildOptions {
                registration,
                draft: false,
            },
            formats: Formats::Pdf,
            selection: Selection::OneCard(&project.source.cards[0]),
            ..ExportOptions::default()
        };
        let exported = crate::export::export(&project, &options).unwrap();
        exported.files[0].bytes.clone()
    }

    fn final_registration() -> crate::registration::Registration {
        crate::registration::Registration::Final {
            date: chrono::NaiveDate::from_ymd_opt(2024, 3, 15).unwrap(),
            number: "1-1/24/37".into(),
        }
    }

    /// `pdf` with its first page and its dictionary given to `edit`.
    fn edited(pdf: &[u8], edit: impl FnOnce(&mut lopdf::Document, lopdf::ObjectId)) -> Vec<u8> {
        let mut doc = lopdf::Document::load_mem(pdf).unwrap();
        let page = *doc.get_pages().values().next().unwrap();
        edit(&mut doc, page);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn the_fonts_settle_a_final_pdf_and_anything_unsure_is_read_whole() {
        let final_pdf = card_pdf(final_registration());
        assert!(no_font_shows_a_brace(&final_pdf));
        assert_eq!(pdf_placeholder(&final_pdf), Ok(None));

        // Template mode draws the braces: the fonts can show them, so the pages are read.
        let template_pdf = card_pdf(crate::registration::Registration::Template);
        assert!(!no_font_shows_a_brace(&template_pdf));
        assert!(
            pdf_placeholder(&template_pdf)
                .unwrap()
                .unwrap()
                .contains("{regDateTime}")
        );

        // An annotation could show text through an appearance of its own.
        let annotated = edited(&final_pdf, |doc, page| {
            let annotation = doc.add_object(lopdf::dictionary! { "Type" => "Annot" });
            let page = doc.get_object_mut(page).unwrap().as_dict_mut().unwrap();
            page.set("Annots", vec![lopdf::Object::Reference(annotation)]);
        });
        assert!(!no_font_shows_a_brace(&annotated));
        assert_eq!(pdf_placeholder(&annotated), Ok(None));

        // A font of another kind is not understood here.
        let simple_fonts = edited(&final_pdf, |doc, _| {
            for object in doc.objects.values_mut() {
                if let Ok(font) = object.as_dict_mut()
                    && font.get(b"Subtype").and_then(lopdf::Object::as_name).ok() == Some(b"Type0")
                {
                    font.set("Subtype", lopdf::Object::Name(b"TrueType".to_vec()));
                }
            }
        });
        assert!(!no_font_shows_a_brace(&simple_fonts));
        assert_eq!(pdf_placeholder(&simple_fonts), Ok(None));

        let truncated = &final_pdf[..final_pdf.len() / 2];
        assert!(!no_font_shows_a_brace(truncated));
        assert!(!no_font_shows_a_brace(b"not a PDF"));
        assert!(pdf_placeholder(b"not a PDF").is_err());
    }

    #[test]
    fn a_docx_part_read_before_is_skipped_only_when_its_bytes_are_the_same() {
        use std::io::Write;
        let package = |parts: &[(&str, &str)]| {
            let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            for (name, xml) in parts {
                zip.start_file(*name, zip::write::SimpleFileOptions::default())
                    .unwrap();
                zip.write_all(xml.as_bytes()).unwrap();
            }
            zip.finish().unwrap().into_inner()
        };
        let styles = "<w:styles><w:t>Normal</w:t></w:styles>";
        let read = ReadParts::default();
        let first = package(&[
            ("word/styles.xml", styles),
            ("word/document.xml", "<w:t>a</w:t>"),
        ]);
        assert_eq!(docx_placeholder_with(&first, &read), Ok(None));
        let kept = read.lock().bytes;
        assert!(kept > 0, "the clean parts are kept");
        // A second file with the same styles part: only its new document part is read and
        // kept…
        let second = package(&[
            ("word/styles.xml", styles),
            ("word/document.xml", "<w:t>b</w:t>"),
        ]);
        assert_eq!(docx_placeholder_with(&second, &read), Ok(None));
        assert!(
            read.lock().bytes > kept,
            "only the new document part was added"
        );
        let after_second = read.lock().bytes;
        assert_eq!(docx_placeholder_with(&second, &read), Ok(None));
        assert_eq!(read.lock().bytes, after_second, "nothing read twice");
        // …but a part of the same name with other bytes is, and its brace is found.
        let changed = package(&[
            (
                "word/styles.xml",
                "<w:styles><w:t>{regNumber}</w:t></w:styles>",
            ),
            ("word/document.xml", "<w:t>a</w:t>"),
        ]);
        assert_eq!(
            docx_placeholder_with(&changed, &read),
            Ok(Some("{regNumber}".to_string()))
        );
    }

    #[test]
    fn braces_in_character_data_are_found_and_attributes_ignored() {
        let xml = r#"<w:document a="{GUID}"><w:t>nr </w:t><w:t>{regNumber}</w:t></w:document>"#;
        assert_eq!(
            first_brace(&text_outside_tags(xml)).unwrap(),
            "nr {regNumber}"
        );
        assert_eq!(
            first_brace(&text_outside_tags(r#"<a b="{x}">ok</a>"#)),
            None
        );
    }
}
