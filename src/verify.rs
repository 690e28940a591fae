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
pub fn pdf_placeholder(bytes: &[u8]) -> Result<Option<String>, String> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| e.to_string())?;
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc
        .extract_text_with_limit(&pages, MAX_PAGE_CONTENT_BYTES)
        .map_err(|e| e.to_string())?;
    Ok(first_brace(&text))
}

/// The first brace in the text of the DOCX's document, header, footer and property parts.
pub fn docx_placeholder(bytes: &[u8]) -> Result<Option<String>, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| e.to_string())?;
        let name = part.name().map_err(|e| e.to_string())?.to_string();
        let shown =
            (name.starts_with("word/") || name.starts_with("docProps/")) && name.ends_with(".xml");
        if !shown {
            continue;
        }
        let mut xml = String::new();
        part.by_ref()
            .take(MAX_PART_BYTES)
            .read_to_string(&mut xml)
            .map_err(|e| format!("{name}: {e}"))?;
        if let Some(found) = first_brace(&text_outside_tags(&xml)) {
            return Ok(Some(found));
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
