//! Trimming an embedded TrueType font program to what a PDF reader uses.
//!
//! printpdf's subset keeps the glyph outlines the file needs, renumbered, but also the
//! hinting (the `fpgm`, `prep` and `cvt ` tables and the instructions inside every glyph)
//! and the `name` table. A PDF reader draws from the outlines and the metrics the PDF itself
//! carries (`/W`, the font descriptor); hinting only snaps outlines to a screen's pixel grid
//! at small sizes, and modern readers (pdf.js, PDFium, poppler, MuPDF) render unhinted. For
//! the annex the hinting is about half of every embedded font (16 KB of a 33 KB card file
//! before compression). ISO 32000-1 §9.9 lists `cvt `, `fpgm` and `prep` as tables a
//! font program "should" include *if* the font has hinting; a font without them is a valid
//! unhinted TrueType font, and ISO 19005-2 §6.2.11.4 asks only that the glyphs used be
//! embedded.
//!
//! What is kept: `cmap`, `glyf` (outlines without instructions), `head`, `hhea`, `hmtx`,
//! `loca`, `maxp`, `post` and any other table not listed in [`DROPPED_TABLES`]. Glyph ids and
//! advance widths do not change, so the PDF's `/W` array, `CIDToGIDMap` and `ToUnicode` stay
//! true. Checksums and `head.checkSumAdjustment` are recomputed (OpenType spec, "Calculating
//! checksums").

use std::collections::BTreeMap;

/// Tables a PDF reader does not need: hinting programs and data, device metrics for hinted
/// sizes, names, and a signature that the trimming would invalidate anyway.
const DROPPED_TABLES: [&[u8; 4]; 9] = [
    b"cvt ", b"fpgm", b"prep", b"hdmx", b"LTSH", b"VDMX", b"gasp", b"name", b"DSIG",
];

/// Size of the sfnt header (version, numTables, searchRange, entrySelector, rangeShift).
const SFNT_HEADER_LEN: usize = 12;
/// Size of one table record (tag, checksum, offset, length).
const TABLE_RECORD_LEN: usize = 16;
/// Offset of `checkSumAdjustment` in `head`.
const HEAD_CHECKSUM_ADJUSTMENT: usize = 8;
/// Offset of `indexToLocFormat` in `head` (0: short offsets, 1: long offsets).
const HEAD_INDEX_TO_LOC_FORMAT: usize = 50;
/// Offset of `maxSizeOfInstructions` in `maxp` version 1.0.
const MAXP_MAX_SIZE_OF_INSTRUCTIONS: usize = 26;
/// The constant the whole-font checksum is subtracted from (OpenType `head` table).
const CHECKSUM_MAGIC: u32 = 0xB1B0_AFBA;
/// A glyph header: numberOfContours, xMin, yMin, xMax, yMax.
const GLYPH_HEADER_LEN: usize = 10;

/// Composite glyph component flags (OpenType `glyf`).
const ARG_1_AND_2_ARE_WORDS: u16 = 0x0001;
const WE_HAVE_A_SCALE: u16 = 0x0008;
const MORE_COMPONENTS: u16 = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE: u16 = 0x0040;
const WE_HAVE_A_TWO_BY_TWO: u16 = 0x0080;
const WE_HAVE_INSTRUCTIONS: u16 = 0x0100;

/// The font program `program` without hinting and names, or `None` if it is not a TrueType
/// font this reads (then the caller embeds it as it is: larger, never wrong).
pub fn trim(program: &[u8]) -> Option<Vec<u8>> {
    let mut tables = read_tables(program)?;
    tables.retain(|tag, _| !DROPPED_TABLES.contains(&tag));
    let long_loca = read_u16(tables.get(b"head")?, HEAD_INDEX_TO_LOC_FORMAT)? == 1;
    let offsets = read_loca(tables.get(b"loca")?, long_loca)?;
    let (glyf, loca) = strip_instructions(tables.get(b"glyf")?, &offsets)?;
    tables.insert(*b"glyf", glyf);
    tables.insert(*b"loca", loca);
    if let Some(maxp) = tables.get_mut(b"maxp") {
        write_u16(maxp, MAXP_MAX_SIZE_OF_INSTRUCTIONS, 0);
    }
    // The new loca is always written with long offsets.
    write_u16(tables.get_mut(b"head")?, HEAD_INDEX_TO_LOC_FORMAT, 1);
    write_u32(tables.get_mut(b"head")?, HEAD_CHECKSUM_ADJUSTMENT, 0);
    Some(write_font(program.get(..4)?, &tables))
}

fn read_u16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn write_u16(bytes: &mut [u8], at: usize, value: u16) {
    if let Some(slot) = bytes.get_mut(at..at + 2) {
        slot.copy_from_slice(&value.to_be_bytes());
    }
}

fn write_u32(bytes: &mut [u8], at: usize, value: u32) {
    if let Some(slot) = bytes.get_mut(at..at + 4) {
        slot.copy_from_slice(&value.to_be_bytes());
    }
}

/// The tables of a single-font sfnt, by tag.
fn read_tables(program: &[u8]) -> Option<BTreeMap<[u8; 4], Vec<u8>>> {
    let count = usize::from(read_u16(program, 4)?);
    let mut tables = BTreeMap::new();
    for i in 0..count {
        let record = SFNT_HEADER_LEN + i * TABLE_RECORD_LEN;
        let tag: [u8; 4] = program.get(record..record + 4)?.try_into().ok()?;
        let offset = usize::try_from(read_u32(program, record + 8)?).ok()?;
        let length = usize::try_from(read_u32(program, record + 12)?).ok()?;
        let table = program.get(offset..offset.checked_add(length)?)?;
        tables.insert(tag, table.to_vec());
    }
    Some(tables)
}

/// The glyph offsets of `loca` (one more than there are glyphs).
fn read_loca(loca: &[u8], long: bool) -> Option<Vec<usize>> {
    if long {
        loca.chunks_exact(4)
            .map(|c| usize::try_from(u32::from_be_bytes(c.try_into().ok()?)).ok())
            .collect()
    } else {
        loca.chunks_exact(2)
            .map(|c| Some(usize::from(u16::from_be_bytes(c.try_into().ok()?)) * 2))
            .collect()
    }
}

/// `glyf` with every glyph's instructions removed, and the matching long-offset `loca`.
fn strip_instructions(glyf: &[u8], offsets: &[usize]) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut new_glyf = Vec::with_capacity(glyf.len());
    let mut new_loca = Vec::with_capacity(offsets.len() * 4);
    new_loca.extend_from_slice(&0u32.to_be_bytes());
    for pair in offsets.windows(2) {
        let (&start, &end) = (pair.first()?, pair.get(1)?);
        let glyph = glyf.get(start..end)?;
        if !glyph.is_empty() {
            new_glyf.extend_from_slice(&glyph_without_instructions(glyph)?);
            // Glyphs start on 4-byte boundaries (the OpenType spec recommends it).
            new_glyf.resize(new_glyf.len().next_multiple_of(4), 0);
        }
        new_loca.extend_from_slice(&u32::try_from(new_glyf.len()).ok()?.to_be_bytes());
    }
    Some((new_glyf, new_loca))
}

/// One glyph description without its instructions.
fn glyph_without_instructions(glyph: &[u8]) -> Option<Vec<u8>> {
    let contours = i16::from_be_bytes(glyph.get(..2)?.try_into().ok()?);
    match usize::try_from(contours) {
        Ok(contours) => {
            // Simple glyph: header, endPtsOfContours, instructionLength, instructions, rest.
            let length_at = GLYPH_HEADER_LEN + contours * 2;
            let instructions = usize::from(read_u16(glyph, length_at)?);
            let rest = glyph.get(length_at + 2 + instructions..)?;
            let mut out = glyph.get(..length_at)?.to_vec();
            out.extend_from_slice(&0u16.to_be_bytes());
            out.extend_from_slice(rest);
            Some(out)
        }
        Err(_) => composite_without_instructions(glyph),
    }
}

/// A composite glyph without the instructions after its last component.
fn composite_without_instructions(glyph: &[u8]) -> Option<Vec<u8>> {
    let mut out = glyph.to_vec();
    let mut at = GLYPH_HEADER_LEN;
    loop {
        let flags = read_u16(glyph, at)?;
        let mut len = 4 + if flags & ARG_1_AND_2_ARE_WORDS != 0 {
            4
        } else {
            2
        };
        if flags & WE_HAVE_A_SCALE != 0 {
            len += 2;
        } else if flags & WE_HAVE_AN_X_AND_Y_SCALE != 0 {
            len += 4;
        } else if flags & WE_HAVE_A_TWO_BY_TWO != 0 {
            len += 8;
        }
        if flags & MORE_COMPONENTS == 0 {
            write_u16(&mut out, at, flags & !WE_HAVE_INSTRUCTIONS);
            out.truncate(at + len);
            return Some(out);
        }
        at += len;
    }
}

/// The OpenType checksum of `bytes`: the sum of its big-endian 32-bit words, zero-padded.
fn checksum(bytes: &[u8]) -> u32 {
    bytes.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        for (slot, b) in word.iter_mut().zip(chunk) {
            *slot = *b;
        }
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// An sfnt of `tables` (in tag order, each 4-byte aligned) with sfnt version `version`, its
/// table checksums and the `head` checksum adjustment set.
fn write_font(version: &[u8], tables: &BTreeMap<[u8; 4], Vec<u8>>) -> Vec<u8> {
    // numTables, searchRange, entrySelector, rangeShift: from the largest power of two not
    // above the table count. Computed in u32, so that no table count can overflow them.
    let count = u32::try_from(tables.len()).unwrap_or(u32::MAX);
    let entry_selector = count.max(1).ilog2();
    let search_range = (1u32 << entry_selector).saturating_mul(16);
    let range_shift = count.saturating_mul(16).saturating_sub(search_range);
    let mut font = version.to_vec();
    for value in [count, search_range, entry_selector, range_shift] {
        let field = u16::try_from(value).unwrap_or(u16::MAX);
        font.extend_from_slice(&field.to_be_bytes());
    }
    let mut offset = SFNT_HEADER_LEN + tables.len() * TABLE_RECORD_LEN;
    let mut head_at = None;
    for (tag, table) in tables {
        if tag == b"head" {
            head_at = Some(offset);
        }
        font.extend_from_slice(tag);
        font.extend_from_slice(&checksum(table).to_be_bytes());
        font.extend_from_slice(&u32::try_from(offset).unwrap_or(u32::MAX).to_be_bytes());
        font.extend_from_slice(&u32::try_from(table.len()).unwrap_or(u32::MAX).to_be_bytes());
        offset += table.len().next_multiple_of(4);
    }
    for table in tables.values() {
        font.extend_from_slice(table);
        font.resize(font.len().next_multiple_of(4), 0);
    }
    if let Some(head_at) = head_at {
        let adjustment = CHECKSUM_MAGIC.wrapping_sub(checksum(&font));
        write_u32(&mut font, head_at + HEAD_CHECKSUM_ADJUSTMENT, adjustment);
    }
    font
}

#[cfg(test)]
mod tests {
    use super::*;

    fn liberation() -> Vec<u8> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fonts/LiberationSans-Regular.ttf"
        );
        std::fs::read(path).unwrap_or_default()
    }

    #[test]
    fn trimmed_font_keeps_outlines_and_metrics_and_loses_hinting() {
        let original = liberation();
        assert!(
            !original.is_empty(),
            "fonts/LiberationSans-Regular.ttf missing"
        );
        let trimmed = trim(&original).unwrap_or_default();
        assert!(trimmed.len() < original.len());
        let before = ttf_parser::Face::parse(&original, 0).ok();
        let after = ttf_parser::Face::parse(&trimmed, 0).ok();
        let (Some(before), Some(after)) = (before, after) else {
            panic!("a font does not parse");
        };
        assert_eq!(before.number_of_glyphs(), after.number_of_glyphs());
        for c in "Rollikaart ÕÄÖÜ šž – „maa-amet“ 0123".chars() {
            let gid = before.glyph_index(c);
            assert_eq!(gid, after.glyph_index(c), "{c}");
            let gid = gid.unwrap_or_default();
            assert_eq!(
                before.glyph_bounding_box(gid),
                after.glyph_bounding_box(gid),
                "{c}"
            );
            assert_eq!(
                before.glyph_hor_advance(gid),
                after.glyph_hor_advance(gid),
                "{c}"
            );
        }
        let tables = read_tables(&trimmed).unwrap_or_default();
        for dropped in DROPPED_TABLES {
            assert!(!tables.contains_key(dropped));
        }
        // The whole font sums to the magic constant once the adjustment is in.
        assert_eq!(checksum(&trimmed), CHECKSUM_MAGIC);
    }

    #[test]
    fn what_is_not_a_truetype_font_is_left_alone() {
        assert_eq!(trim(b"not a font"), None);
        assert_eq!(trim(&[]), None);
    }
}
