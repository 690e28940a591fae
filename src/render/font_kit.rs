//! The embedded fonts of a PDF, made once and shared by the files of a build.
//!
//! A kit is the finished font objects of both faces — `Type0` font, descendant, descriptor,
//! the trimmed and compressed font program, the `ToUnicode` map — for one set of glyphs,
//! with the character → glyph id table the content streams are written with. printpdf
//! subsets the fonts (with allsorts) and writes the objects; [`super::pdfa::finish_fonts`]
//! trims the programs and derives the subset tags from them; then the kit keeps the objects
//! and [`FontKit::install`] copies them into each file that uses it.
//!
//! A build makes one kit from the text of its combined annex ([`SharedText`]), which holds
//! every card's page: each card's own file draws a part of that text, so it embeds the same
//! subset instead of subsetting and compressing both fonts again (the subset is some
//! hundred bytes larger than the card's own would be; each file still embeds every glyph it
//! draws). A file that draws a glyph the kit lacks, or a character the kit maps differently
//! ([`GlyphIds::covers`]), gets a kit of its own, made from the characters its document may
//! draw ([`SharedText`] of that document).

use super::RenderError;
use super::content_stream::{CharGlyphs, Face, GlyphIds, GlyphUse};
use super::pdfa;
use crate::document::{Document, Paragraph};
use crate::layout::fonts::Fonts;
use crate::tr;
use lopdf::{Dictionary, Object, ObjectId};
use printpdf::{
    FontId, Mm, Op, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage, Pt, TextItem,
};
use std::collections::{BTreeMap, BTreeSet};

/// Resource names of the two fonts, fixed so that the output is reproducible. printpdf takes
/// a first subset tag (six capital letters, ISO 32000 9.6.4) from them, which
/// [`pdfa::finish_fonts`] replaces by one derived from the subset.
const REGULAR_FONT_ID: &str = "RKREGU";
const BOLD_FONT_ID: &str = "RKBOLD";

/// Font size of the sample text that makes printpdf subset the fonts (on a page that is
/// thrown away; the size is never drawn).
const SAMPLE_SIZE_PT: f32 = 1.0;
/// Side of the page the sample is drawn on (never part of a file).
const SAMPLE_PAGE_MM: f32 = 10.0;
/// Whitespace and the hyphen the layout may print in any face: a line is broken at a space
/// (kept at the line's end for text extraction) or inside a word with a hyphen.
const LAYOUT_CHARS: &str = " -";

/// The resource name of `face`'s font.
pub fn resource_name(face: Face) -> &'static str {
    match face {
        Face::Regular => REGULAR_FONT_ID,
        Face::Bold => BOLD_FONT_ID,
    }
}

/// The characters a document may draw, by face: every run's text in the run's face, the
/// draft mark in bold, and the layout's spaces and hyphens in both faces. A superset of what
/// the layout draws (a character that is never drawn only adds its glyph).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SharedText {
    faces: BTreeMap<Face, CharSet>,
}

/// Characters below this are kept in a bit set: Latin-1 and Latin Extended-A, which hold
/// every letter of Estonian (the combined annex adds some 40,000 characters, a tree insert
/// each was a twentieth of its render).
const CHAR_BITS: usize = 512;
const WORD_BITS: usize = u64::BITS as usize;

/// A set of characters, in code point order.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CharSet {
    low: [u64; CHAR_BITS / WORD_BITS],
    high: BTreeSet<char>,
}

impl Default for CharSet {
    fn default() -> CharSet {
        CharSet {
            low: [0; CHAR_BITS / WORD_BITS],
            high: BTreeSet::new(),
        }
    }
}

impl CharSet {
    fn insert(&mut self, c: char) {
        let code = c as usize;
        match self.low.get_mut(code / WORD_BITS) {
            Some(word) => *word |= 1 << (code % WORD_BITS),
            None => {
                self.high.insert(c);
            }
        }
    }

    #[cfg(test)]
    fn contains(&self, c: &char) -> bool {
        self.iter().any(|d| d == *c)
    }

    /// The characters in code point order.
    fn iter(&self) -> impl Iterator<Item = char> + '_ {
        let low = self.low.iter().enumerate().flat_map(|(index, word)| {
            (0..WORD_BITS)
                .filter(move |bit| word & (1 << bit) != 0)
                .filter_map(move |bit| char::from_u32((index * WORD_BITS + bit) as u32))
        });
        low.chain(self.high.iter().copied())
    }
}

impl Extend<char> for CharSet {
    fn extend<I: IntoIterator<Item = char>>(&mut self, chars: I) {
        for c in chars {
            self.insert(c);
        }
    }
}

impl SharedText {
    pub fn of(document: &Document) -> SharedText {
        let mut text = SharedText::default();
        for face in [Face::Regular, Face::Bold] {
            text.add(face, LAYOUT_CHARS);
        }
        if let Some(mark) = &document.meta.draft_mark {
            text.add(Face::Bold, mark);
        }
        let continuations = document
            .pages
            .iter()
            .filter_map(|p| p.continuation.as_ref());
        for paragraph in document.paragraphs().chain(continuations) {
            text.add_paragraph(paragraph);
        }
        text
    }

    fn add(&mut self, face: Face, text: &str) {
        self.faces.entry(face).or_default().extend(text.chars());
    }

    fn add_paragraph(&mut self, paragraph: &Paragraph) {
        for run in &paragraph.runs {
            self.add(Face::of(run.bold), &run.text);
        }
    }

    /// The glyphs of these characters in the faces `font_of` gives.
    pub fn usage<'f>(&self, font_of: impl Fn(Face) -> &'f dyn CharGlyphs) -> GlyphUse {
        let mut usage = GlyphUse::default();
        for (face, chars) in &self.faces {
            let text: String = chars.iter().collect();
            usage.add(*face, &text, false, font_of(*face));
        }
        usage
    }
}

/// The finished font objects of both faces for one set of glyphs.
#[derive(Debug)]
pub struct FontKit {
    glyphs: GlyphIds,
    /// The objects, numbered from 1 (kit-local numbers; [`FontKit::install`] shifts them).
    objects: Vec<(u32, Object)>,
    /// The `/Font` resource dictionary, referring to kit-local numbers.
    resources: Vec<(&'static str, u32)>,
}

impl FontKit {
    /// Subsets, trims and compresses both fonts for the glyphs in `usage`.
    pub fn make(
        usage: GlyphUse,
        parsed: (&ParsedFont, &ParsedFont),
        fonts: &Fonts,
    ) -> Result<FontKit, RenderError> {
        let samples = usage.sample_texts();
        let glyphs = usage.subset_ids();
        let mut doc = sample_document(parsed, samples);
        pdfa::finish_fonts(&mut doc, fonts)?;
        pdfa::compress_streams(&mut doc)?;
        let (objects, resources) = font_objects(&doc)?;
        Ok(FontKit {
            glyphs,
            objects,
            resources,
        })
    }

    /// Character → glyph id in the kit's subsets.
    pub fn glyphs(&self) -> &GlyphIds {
        &self.glyphs
    }

    /// Whether a file that uses the glyphs in `usage` can embed this kit.
    pub fn covers(&self, usage: &GlyphUse) -> bool {
        self.glyphs.covers(usage)
    }

    /// Adds the kit's objects to `doc` and one resource dictionary naming its fonts, which
    /// every page uses: the content streams draw with nothing else
    /// ([`super::content_stream`]). printpdf's own resource dictionary of each page, which
    /// names its empty XObject, ExtGState and Shading dictionaries, is dropped, with the empty
    /// dictionaries: one object per page that every page repeated (a 10,000-card annex held
    /// them all at once).
    pub fn install(&self, doc: &mut lopdf::Document) -> Result<(), RenderError> {
        let base = doc.max_id;
        for (number, object) in &self.objects {
            let mut object = object.clone();
            shift_references(&mut object, base);
            doc.objects.insert((number + base, 0), object);
        }
        doc.max_id = base + u32::try_from(self.objects.len()).unwrap_or(u32::MAX);
        let font_resources: Dictionary = self
            .resources
            .iter()
            .map(|(name, number)| (*name, Object::Reference((number + base, 0))))
            .collect();
        let resources = doc.add_object(Dictionary::from_iter(vec![(
            "Font",
            Object::Dictionary(font_resources),
        )]));
        let unreadable =
            |e: lopdf::Error| RenderError(tr!("render-page-unreadable", error = e.to_string()));
        let page_ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
        let mut replaced = BTreeSet::new();
        for page_id in page_ids {
            let page = doc.get_dictionary_mut(page_id).map_err(unreadable)?;
            if let Ok(old) = page.get(b"Resources").and_then(Object::as_reference) {
                replaced.insert(old);
            }
            page.set("Resources", Object::Reference(resources));
        }
        drop_replaced_resources(doc, &replaced);
        Ok(())
    }
}

/// Removes the resource dictionaries `replaced` from `doc` and the empty dictionaries they
/// name. Only pages named them; anything else they name stays.
fn drop_replaced_resources(doc: &mut lopdf::Document, replaced: &BTreeSet<ObjectId>) {
    let mut named = BTreeSet::new();
    for id in replaced {
        if let Some(Object::Dictionary(old)) = doc.objects.remove(id) {
            named.extend(old.iter().filter_map(|(_, v)| v.as_reference().ok()));
        }
    }
    for id in named {
        if matches!(doc.objects.get(&id), Some(Object::Dictionary(d)) if d.is_empty()) {
            doc.objects.remove(&id);
        }
    }
}

/// printpdf's document with both fonts and one page that shows each face's sample text:
/// printpdf subsets exactly the glyphs of the samples.
fn sample_document(
    (regular, bold): (&ParsedFont, &ParsedFont),
    samples: Vec<(Face, String)>,
) -> lopdf::Document {
    let mut pdf = PdfDocument::new("");
    for (face, font) in [(Face::Regular, regular), (Face::Bold, bold)] {
        pdf.resources.fonts.map.insert(
            FontId(resource_name(face).to_string()),
            PdfFont::new(font.clone()),
        );
    }
    let mut ops = vec![Op::StartTextSection];
    for (face, text) in samples {
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(FontId(resource_name(face).to_string())),
            size: Pt(SAMPLE_SIZE_PT),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(text)],
        });
    }
    ops.push(Op::EndTextSection);
    pdf.with_pages(vec![PdfPage::new(
        Mm(SAMPLE_PAGE_MM),
        Mm(SAMPLE_PAGE_MM),
        ops,
    )]);
    super::pdf::as_lopdf(&pdf)
}

/// The font resources of the sample page and every object they reach, renumbered from 1 in
/// the order they are reached.
#[allow(clippy::type_complexity, reason = "a private pair of lists")]
fn font_objects(
    doc: &lopdf::Document,
) -> Result<(Vec<(u32, Object)>, Vec<(&'static str, u32)>), RenderError> {
    let unreadable =
        |e: lopdf::Error| RenderError(tr!("render-pdf-font-unreadable", error = e.to_string()));
    let page_id = doc
        .get_pages()
        .into_values()
        .next()
        .ok_or_else(|| RenderError(tr!("render-pdf-no-page")))?;
    let (inline, referred) = doc.get_page_resources(page_id).map_err(unreadable)?;
    let resources = match (inline, referred.first()) {
        (Some(resources), _) => resources,
        (None, Some(id)) => doc.get_dictionary(*id).map_err(unreadable)?,
        (None, None) => {
            return Err(RenderError(tr!("render-pdf-no-resources")));
        }
    };
    let font_dict = resources
        .get(b"Font")
        .and_then(|o| match o {
            Object::Reference(id) => doc.get_dictionary(*id),
            other => other.as_dict(),
        })
        .map_err(unreadable)?;
    let mut numbers: BTreeMap<ObjectId, u32> = BTreeMap::new();
    let mut order: Vec<ObjectId> = Vec::new();
    let mut resources_out = Vec::new();
    for face in [Face::Regular, Face::Bold] {
        let name = resource_name(face);
        let Ok(id) = font_dict
            .get(name.as_bytes())
            .and_then(Object::as_reference)
        else {
            continue;
        };
        reach(doc, id, &mut numbers, &mut order).map_err(unreadable)?;
        if let Some(number) = numbers.get(&id) {
            resources_out.push((name, *number));
        }
    }
    let mut objects = Vec::with_capacity(order.len());
    for id in order {
        let mut object = doc.get_object(id).map_err(unreadable)?.clone();
        renumber_references(&mut object, &numbers);
        if let Some(number) = numbers.get(&id) {
            objects.push((*number, object));
        }
    }
    Ok((objects, resources_out))
}

/// Numbers `id` and every object it refers to, depth first, in the order reached.
fn reach(
    doc: &lopdf::Document,
    id: ObjectId,
    numbers: &mut BTreeMap<ObjectId, u32>,
    order: &mut Vec<ObjectId>,
) -> Result<(), lopdf::Error> {
    if numbers.contains_key(&id) {
        return Ok(());
    }
    let next = u32::try_from(order.len() + 1).unwrap_or(u32::MAX);
    numbers.insert(id, next);
    order.push(id);
    let mut referred = Vec::new();
    references(doc.get_object(id)?, &mut referred);
    for id in referred {
        reach(doc, id, numbers, order)?;
    }
    Ok(())
}

/// The references inside `object`, in order.
fn references(object: &Object, out: &mut Vec<ObjectId>) {
    match object {
        Object::Reference(id) => out.push(*id),
        Object::Array(items) => items.iter().for_each(|item| references(item, out)),
        Object::Dictionary(dict) => dict.iter().for_each(|(_, v)| references(v, out)),
        Object::Stream(stream) => stream.dict.iter().for_each(|(_, v)| references(v, out)),
        _ => {}
    }
}

/// Every reference inside `object` changed by `change`.
fn map_references(object: &mut Object, change: &dyn Fn(ObjectId) -> ObjectId) {
    match object {
        Object::Reference(id) => *id = change(*id),
        Object::Array(items) => items.iter_mut().for_each(|i| map_references(i, change)),
        Object::Dictionary(dict) => dict.iter_mut().for_each(|(_, v)| map_references(v, change)),
        Object::Stream(stream) => stream
            .dict
            .iter_mut()
            .for_each(|(_, v)| map_references(v, change)),
        _ => {}
    }
}

fn renumber_references(object: &mut Object, numbers: &BTreeMap<ObjectId, u32>) {
    map_references(object, &|id| {
        numbers.get(&id).map_or(id, |number| (*number, 0))
    });
}

fn shift_references(object: &mut Object, base: u32) {
    map_references(object, &|(number, generation)| (number + base, generation));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A font whose glyph id is a letter's place in the alphabet; 'x' and 'y' share one.
    struct Letters;

    impl CharGlyphs for Letters {
        fn glyph(&self, c: char) -> Option<u16> {
            let c = if c == 'y' { 'x' } else { c };
            c.is_ascii_lowercase()
                .then(|| (u32::from(c) - u32::from('a') + 1) as u16)
        }
    }

    fn used(face: Face, text: &str) -> GlyphUse {
        let mut usage = GlyphUse::default();
        usage.add(face, text, false, &Letters);
        usage
    }

    #[test]
    fn a_kit_covers_a_file_that_draws_some_of_its_glyphs_for_the_same_characters() {
        let kit = used(Face::Regular, "abcx").subset_ids();
        assert!(kit.covers(&used(Face::Regular, "cab")));
        assert!(kit.covers(&GlyphUse::default()));
        // A glyph the kit lacks, a face it lacks, a glyph drawn for another character.
        assert!(!kit.covers(&used(Face::Regular, "abd")));
        assert!(!kit.covers(&used(Face::Bold, "a")));
        assert!(!kit.covers(&used(Face::Regular, "y")));
    }

    /// A character set gives its characters once each, in code point order, on both sides
    /// of the bit set's end, as a tree set does.
    #[test]
    fn a_char_set_is_a_sorted_set() {
        let chars: Vec<char> = "õäöüšžÕÄÖÜŠŽ abc-–—„“…€\u{1FF}\u{200}\u{201}\u{10FFFF}\0 zz"
            .chars()
            .collect();
        let mut set = CharSet::default();
        set.extend(chars.iter().rev().copied());
        let tree: BTreeSet<char> = chars.iter().copied().collect();
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            tree.into_iter().collect::<Vec<_>>()
        );
        assert!(set.contains(&'\u{1FF}') && set.contains(&'\u{200}') && !set.contains(&'d'));
    }

    #[test]
    fn shared_text_has_every_run_in_its_face_and_the_layouts_spaces_and_hyphens() {
        let project = crate::load_project(
            std::path::Path::new("cards"),
            std::path::Path::new("templates/lisa.toml"),
        )
        .unwrap();
        let options = crate::document::BuildOptions {
            draft: true,
            ..Default::default()
        };
        let document = crate::document::build(
            &project.source,
            &project.template,
            &options,
            crate::document::Selection::WholeAnnex,
        );
        let text = SharedText::of(&document);
        let has = |face: Face, c: char| text.faces.get(&face).is_some_and(|s| s.contains(&c));
        for face in [Face::Regular, Face::Bold] {
            assert!(LAYOUT_CHARS.chars().all(|c| has(face, c)));
        }
        assert!(
            project
                .template
                .draft
                .mark
                .chars()
                .all(|c| has(Face::Bold, c))
        );
        let title = &project.source.cards.first().unwrap().title;
        assert!(title.chars().all(|c| has(Face::Bold, c)), "{title}");
        assert!(has(Face::Regular, 'õ'));
    }
}
