//! The bundled fonts: their bytes (for embedding) and their advance widths (for line breaking).
//!
//! Each font file is parsed once; widths of every character the font maps are read into a
//! table, so measuring text is a lookup per character.

use crate::diagnostics::Diagnostic;
use crate::tr;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Characters below this code point are looked up in a flat table (Latin, Latin Extended,
/// punctuation used in Estonian text); others in a hash map.
const FLAT_TABLE_LEN: usize = 0x2100;

/// One font face with its metrics, in units of 1/1000 em.
#[derive(Debug, Clone)]
pub struct FontFace {
    pub bytes: Arc<[u8]>,
    /// The PostScript name, for messages and checks.
    pub name: String,
    flat: Vec<Option<f32>>,
    other: HashMap<char, f32>,
    /// Height above the baseline, 1/1000 em.
    pub ascender: f32,
    /// Depth below the baseline (positive), 1/1000 em.
    pub descender: f32,
    /// Extra space between lines the font asks for, 1/1000 em.
    pub line_gap: f32,
}

impl FontFace {
    /// Reads and parses a TrueType/OpenType font file.
    pub fn load(path: &Path) -> Result<FontFace, Diagnostic> {
        let bytes = std::fs::read(path).map_err(|e| {
            Diagnostic::new(
                Some(path),
                tr!("layout-font-unreadable", error = e.to_string()),
            )
            .help(tr!("layout-font-unreadable-help"))
        })?;
        FontFace::from_bytes(bytes).map_err(|why| {
            Diagnostic::new(Some(path), tr!("layout-font-unusable", why = why))
                .help(tr!("layout-font-unusable-help"))
        })
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Result<FontFace, String> {
        let face = ttf_parser::Face::parse(&bytes, 0).map_err(|e| e.to_string())?;
        let scale = 1000.0 / f32::from(face.units_per_em());
        let mut flat = vec![None; FLAT_TABLE_LEN];
        let mut other = HashMap::new();
        let cmap = face
            .tables()
            .cmap
            .ok_or_else(|| tr!("layout-font-no-cmap"))?;
        for subtable in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
            subtable.codepoints(|cp| {
                let Some(c) = char::from_u32(cp) else { return };
                let Some(gid) = subtable.glyph_index(cp) else {
                    return;
                };
                if gid.0 == 0 {
                    return;
                }
                let advance = f32::from(face.glyph_hor_advance(gid).unwrap_or(0)) * scale;
                match flat.get_mut(cp as usize) {
                    Some(slot) => *slot = Some(advance),
                    None => {
                        other.insert(c, advance);
                    }
                }
            });
        }
        let name = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            // The first record may be in a Macintosh encoding that ttf-parser cannot decode.
            .find_map(|n| n.to_string())
            .unwrap_or_default();
        Ok(FontFace {
            ascender: f32::from(face.ascender()) * scale,
            descender: -f32::from(face.descender()) * scale,
            line_gap: f32::from(face.line_gap()) * scale,
            name,
            flat,
            other,
            bytes: Arc::from(bytes),
        })
    }

    /// The advance width of `c` in 1/1000 em, if the font has a glyph for it.
    pub fn advance(&self, c: char) -> Option<f32> {
        match self.flat.get(c as usize) {
            Some(advance) => *advance,
            None => self.other.get(&c).copied(),
        }
    }

    pub fn covers(&self, c: char) -> bool {
        self.advance(c).is_some()
    }

    /// The font's single line height (ascender + descender + line gap), 1/1000 em.
    pub fn line_height(&self) -> f32 {
        self.ascender + self.descender + self.line_gap
    }

    /// Width of `text` at `size_pt`, in points. Characters without a glyph count as zero
    /// (validation rejects them before layout).
    pub fn width_pt(&self, text: &str, size_pt: f32) -> f32 {
        text.chars()
            .map(|c| self.advance(c).unwrap_or(0.0))
            .sum::<f32>()
            * size_pt
            / 1000.0
    }
}

/// The regular and bold faces used everywhere in the annex.
#[derive(Debug, Clone)]
pub struct Fonts {
    pub regular: FontFace,
    pub bold: FontFace,
}

impl Fonts {
    pub fn face(&self, bold: bool) -> &FontFace {
        if bold { &self.bold } else { &self.regular }
    }

    /// Whether both faces can draw `c` (any text may end up bold or regular).
    pub fn covers(&self, c: char) -> bool {
        self.regular.covers(c) && self.bold.covers(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regular() -> FontFace {
        FontFace::load(Path::new("fonts/LiberationSans-Regular.ttf")).unwrap()
    }

    #[test]
    fn arial_compatible_widths_and_estonian_coverage() {
        let f = regular();
        // Arial's advance widths: space 278, 'a' 556, 'W' 944 (per 1000 em).
        assert!((f.advance(' ').unwrap() - 277.8).abs() < 0.5);
        assert!((f.advance('a').unwrap() - 556.2).abs() < 0.5);
        assert!((f.advance('W').unwrap() - 943.8).abs() < 0.5);
        for c in "õäöüšžÕÄÖÜŠŽ–„“".chars() {
            assert!(f.covers(c), "{c}");
        }
        assert!(!f.covers('😀'));
        assert!(!f.covers('漢'));
        assert!((f.width_pt("aa", 10.0) - 11.12).abs() < 0.01);
    }

    #[test]
    fn a_file_that_is_not_a_font_is_refused() {
        let e = FontFace::from_bytes(b"not a font".to_vec()).unwrap_err();
        assert!(!e.is_empty());
    }
}
