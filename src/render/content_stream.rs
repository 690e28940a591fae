//! Page content streams written straight from the layout.
//!
//! printpdf turns a page into its content stream by way of a `Vec<Op>` per page (every text
//! run an owned `String`, every colour and path a small allocation), which it translates into
//! lopdf operations (one `Vec<Object>` of operands each, a hex string per text run) and
//! encodes at the end, when the whole document exists. For a 1,000-card annex that held
//! hundreds of megabytes at once and was a third of the render time. This pass writes the
//! few operators the annex uses — `BT`/`ET`, `Tf`, `Tm`, `Tj` with hex glyph strings,
//! `rg`/`RG`, `w`, `m`/`l`/`S`, `h`/`f`, `q`/`Q`, `BDC`/`EMC` — into byte buffers, in the
//! bytes printpdf 0.12 writes for the same operations (the same operand formatting, one
//! operation a line). A sheet has two streams: its header band's and its body's, each
//! setting every state it draws with, so that the body does not depend on the band before
//! it. The caller compresses each stream as soon as it is written.
//!
//! Text is drawn with the glyph ids of the embedded subset ([`GlyphIds`]): printpdf subsets
//! each font once per [`super::font_kit::FontKit`], from the glyphs reported as used, and
//! renumbers them in the order of their ids (`.notdef` first), which
//! [`GlyphUse::subset_ids`] reproduces.

use super::pdf_file::{push_hex, write_hex, write_name};
use super::tagging::{self, Mark, PageMarks};
use crate::document::{Change, DraftLook, RedlineStyle, Rgb as Colour};
use crate::layout::page::{Item, TextTag};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

/// The largest value of an 8-bit colour channel (template colours are RRGGBB).
const CHANNEL_MAX: f32 = 255.0;
/// The hyphen the layout prints where it breaks a word.
pub const BREAK_HYPHEN: char = '-';
/// What that hyphen stands for in the text (ISO 32000-1 §14.8.2.2.3): a soft hyphen.
const SOFT_HYPHEN_UTF16BE: [u8; 4] = [0xFE, 0xFF, 0x00, 0xAD];
/// The byte order mark of a UTF-16BE text string.
const UTF16BE_BOM: [u8; 2] = [0xFE, 0xFF];
/// The first four entries of an upright text matrix (no rotation or scaling; `Tm`).
const UPRIGHT: [f32; 4] = [1.0, 0.0, 0.0, 1.0];

/// Which of the two faces a text run is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Face {
    Regular,
    Bold,
}

impl Face {
    pub fn of(bold: bool) -> Face {
        if bold { Face::Bold } else { Face::Regular }
    }
}

/// The resource names of the two fonts, fixed so that the output is reproducible.
#[derive(Debug, Clone, Copy)]
pub struct FontNames<'a> {
    pub regular: &'a str,
    pub bold: &'a str,
}

impl FontNames<'_> {
    fn of(&self, face: Face) -> &str {
        match face {
            Face::Regular => self.regular,
            Face::Bold => self.bold,
        }
    }
}

/// The kinds of artifact (ISO 32000-1 §14.8.2.2.2) the annex has.
#[derive(Debug, Clone, Copy)]
enum Artifact {
    /// Borders and fills.
    Layout,
    /// The header band and a continued title on a further sheet.
    RepeatedHeader,
    /// The draft mark.
    Watermark,
}

/// Calls `show(face, text)` for every piece of text a sheet draws, in drawing order: the
/// draft mark first, then the text items (with the space a line was broken at).
pub fn for_each_text(
    items: &[Item],
    draft_mark: Option<&str>,
    mut show: impl FnMut(Face, &str, bool),
) {
    if let Some(mark) = draft_mark {
        show(Face::Bold, mark, false);
    }
    for item in items {
        if let Item::Text {
            bold,
            text,
            break_hyphen,
            word_break_after,
            tag,
            ..
        } = item
        {
            let hyphenated = *break_hyphen
                && matches!(tag, TextTag::Content { .. })
                && text.ends_with(BREAK_HYPHEN);
            show(Face::of(*bold), text, *word_break_after && !hyphenated);
        }
    }
}

/// Characters below this code point have their glyph id in a table; the rest in a map.
/// Covers Latin, Greek and Cyrillic, and the annex's typography up to U+07FF; a character
/// above it (e.g. a dash, U+2013) costs a map lookup.
const TABLE_CHARS: usize = 0x800;
/// Table entry of a character not looked up yet.
const UNSEEN: u32 = u32::MAX;
/// Table entry of a character the font has no glyph for.
const MISSING: u32 = u32::MAX - 1;

/// A face's character → glyph id lookup (the font's own `cmap`).
pub trait CharGlyphs {
    fn glyph(&self, c: char) -> Option<u16>;
}

/// One face's characters and glyphs.
#[derive(Debug)]
struct FaceUse {
    /// Glyph id in the font by character code below [`TABLE_CHARS`] (or [`UNSEEN`],
    /// [`MISSING`]).
    table: Vec<u32>,
    /// The same for the characters above.
    other: HashMap<char, Option<u16>>,
    /// By glyph id in the font: the character it was last drawn for.
    last_char: Vec<Option<char>>,
}

impl Default for FaceUse {
    fn default() -> FaceUse {
        FaceUse {
            table: vec![UNSEEN; TABLE_CHARS],
            other: HashMap::new(),
            last_char: Vec::new(),
        }
    }
}

impl FaceUse {
    /// The glyph id of `c` in the font, looked up once.
    fn glyph(&mut self, c: char, font: &dyn CharGlyphs) -> Option<u16> {
        let code = usize::try_from(u32::from(c)).unwrap_or(usize::MAX);
        match self.table.get_mut(code) {
            Some(slot) => {
                if *slot == UNSEEN {
                    *slot = font.glyph(c).map_or(MISSING, u32::from);
                }
                u16::try_from(*slot).ok()
            }
            None => *self.other.entry(c).or_insert_with(|| font.glyph(c)),
        }
    }

    /// The glyph id of `c` in the font, if it was looked up.
    fn known_glyph(&self, c: char) -> Option<u16> {
        let code = usize::try_from(u32::from(c)).unwrap_or(usize::MAX);
        match self.table.get(code) {
            Some(&slot) => u16::try_from(slot).ok(),
            None => self.other.get(&c).copied().flatten(),
        }
    }
}

/// The glyphs a file uses, per face: for each glyph id in the font, the character it was last
/// drawn for (what the subset's `ToUnicode` map says, as printpdf records it); and each
/// character's glyph id in the font, looked up once.
#[derive(Debug, Default)]
pub struct GlyphUse {
    faces: BTreeMap<Face, FaceUse>,
}

impl GlyphUse {
    /// Records the characters of `text` (and a trailing space if `space_after`) in `face`,
    /// whose glyphs `font` looks up.
    pub fn add(&mut self, face: Face, text: &str, space_after: bool, font: &dyn CharGlyphs) {
        let used = self.faces.entry(face).or_default();
        for c in text.chars().chain(space_after.then_some(' ')) {
            if let Some(gid) = used.glyph(c, font) {
                let index = usize::from(gid);
                if used.last_char.len() <= index {
                    used.last_char.resize(index + 1, None);
                }
                if let Some(slot) = used.last_char.get_mut(index) {
                    *slot = Some(c);
                }
            }
        }
    }

    /// For each used face, one string with one character per used glyph: shown once in a
    /// file, it makes printpdf subset exactly these glyphs for these characters.
    pub fn sample_texts(&self) -> Vec<(Face, String)> {
        self.faces
            .iter()
            .map(|(face, used)| (*face, used.last_char.iter().flatten().collect::<String>()))
            .filter(|(_, text)| !text.is_empty())
            .collect()
    }

    /// Character → glyph id in the embedded subsets: printpdf's subset numbers the used
    /// glyphs in the order of their original ids after `.notdef` (0), and a character the
    /// font lacks is drawn as `.notdef`.
    pub fn subset_ids(self) -> GlyphIds {
        let faces = self
            .faces
            .into_iter()
            .map(|(face, used)| {
                let mut next = 1u16;
                let new_ids = used
                    .last_char
                    .iter()
                    .enumerate()
                    .map(|(gid, c)| match c {
                        Some(_) if gid != 0 => {
                            let id = next;
                            next = next.saturating_add(1);
                            id
                        }
                        _ => 0,
                    })
                    .collect();
                (face, (used, new_ids))
            })
            .collect();
        GlyphIds { faces }
    }
}

/// Character → glyph id in a file's embedded subsets ([`GlyphUse::subset_ids`]).
#[derive(Debug, Default)]
pub struct GlyphIds {
    /// Per face: the characters' glyph ids in the font, and the subset's id by the font's.
    faces: BTreeMap<Face, (FaceUse, Vec<u16>)>,
}

impl GlyphIds {
    /// Whether every glyph `usage` draws is in these subsets, each drawn for the same
    /// character (so that the subsets' `ToUnicode` maps are true for the file too).
    pub fn covers(&self, usage: &GlyphUse) -> bool {
        usage.faces.iter().all(|(face, used)| {
            let held = self.faces.get(face).map(|(held, _)| &held.last_char);
            used.last_char
                .iter()
                .enumerate()
                .all(|(gid, c)| c.is_none() || held.and_then(|held| held.get(gid)) == Some(c))
        })
    }

    /// The subset's glyph ids of `text` in `face`, as big-endian hex (`Identity-H`).
    fn write_hex(&self, out: &mut Vec<u8>, face: Face, text: impl Iterator<Item = char>) {
        let face = self.faces.get(&face);
        for c in text {
            let id = face
                .and_then(|(used, new_ids)| new_ids.get(usize::from(used.known_glyph(c)?)))
                .copied()
                .unwrap_or(0);
            for byte in id.to_be_bytes() {
                push_hex(out, byte);
            }
        }
    }
}

/// A content stream being written: operations one a line, each operand followed by a space
/// (lopdf's `Content::encode`).
struct Stream<'a> {
    out: &'a mut Vec<u8>,
    /// Whether an operation has been written (the next one starts a new line).
    started: bool,
}

impl Stream<'_> {
    /// Starts an operation: the line break after the previous one.
    fn begin(&mut self) -> &mut Self {
        if self.started {
            self.out.push(b'\n');
        }
        self.started = true;
        self
    }

    fn operator(&mut self, op: &[u8]) {
        self.out.extend_from_slice(op);
    }

    /// A real operand, formatted as lopdf formats an `f32` (Rust's shortest `Display`).
    fn real(&mut self, value: f32) -> &mut Self {
        // Writing into a Vec cannot fail.
        let _ = write!(self.out, "{value}");
        self.out.push(b' ');
        self
    }

    fn name(&mut self, name: &[u8]) -> &mut Self {
        write_name(self.out, name);
        self.out.push(b' ');
        self
    }

    fn rgb(&mut self, (r, g, b): (f32, f32, f32), op: &[u8]) {
        self.begin().real(r).real(g).real(b).operator(op);
    }
}

/// A value in a marked-content property list.
enum Property<'a> {
    Int(i64),
    Name(&'a [u8]),
    /// A text string, written in hex.
    Text(&'a [u8]),
}

/// Operators written. PDF syntax, ISO 32000-1 Annex A.
mod op {
    pub const BEGIN_MARKED: &[u8] = b"BDC";
    pub const END_MARKED: &[u8] = b"EMC";
    pub const BEGIN_TEXT: &[u8] = b"BT";
    pub const END_TEXT: &[u8] = b"ET";
    pub const FONT: &[u8] = b"Tf";
    pub const TEXT_MATRIX: &[u8] = b"Tm";
    pub const SHOW: &[u8] = b"Tj";
    pub const FILL_RGB: &[u8] = b"rg";
    pub const STROKE_RGB: &[u8] = b"RG";
    pub const LINE_WIDTH: &[u8] = b"w";
    pub const MOVE_TO: &[u8] = b"m";
    pub const LINE_TO: &[u8] = b"l";
    pub const STROKE: &[u8] = b"S";
    pub const CLOSE: &[u8] = b"h";
    pub const FILL: &[u8] = b"f";
    pub const SAVE: &[u8] = b"q";
    pub const RESTORE: &[u8] = b"Q";
}

/// Marked-content tags and property names. PDF syntax, ISO 32000-1 §14.6, §14.8.2.2.
mod tag {
    pub const ARTIFACT: &[u8] = b"Artifact";
    pub const SPAN: &[u8] = b"Span";
    pub const MCID: &[u8] = b"MCID";
    pub const TYPE: &[u8] = b"Type";
    pub const SUBTYPE: &[u8] = b"Subtype";
    pub const LAYOUT: &[u8] = b"Layout";
    pub const PAGINATION: &[u8] = b"Pagination";
    pub const HEADER: &[u8] = b"Header";
    pub const WATERMARK: &[u8] = b"Watermark";
    pub const ACTUAL_TEXT: &[u8] = b"ActualText";
    pub const EXPANSION: &[u8] = b"E";
}

/// What a sheet is drawn from besides its items.
pub struct SheetInput<'a> {
    pub height: f32,
    pub redline: &'a RedlineStyle,
    pub fonts: FontNames<'a>,
    pub glyphs: &'a GlyphIds,
    /// The draft mark, its look and where it stands.
    pub draft: Option<DraftMark<'a>>,
}

/// The draft mark of a sheet, placed by the renderer.
pub struct DraftMark<'a> {
    pub text: &'a str,
    pub look: &'a DraftLook,
    /// The text matrix: rotation and start point.
    pub matrix: [f32; 6],
}

/// Writes the content stream of a sheet's body (everything but its header band, see
/// [`crate::layout::page::Sheet::band`]) into `out`; returns what each MCID written belongs
/// to, numbered from 0. The body does not depend on how the band is marked, so a page's body
/// is the same stream in the combined annex and in the card's own file.
pub fn write_body(out: &mut Vec<u8>, items: &[Item], input: &SheetInput<'_>) -> PageMarks {
    let mut marks = PageMarks::default();
    write_items(out, items, input, None, &mut marks);
    marks
}

/// Writes the content stream of a sheet's header band into `out`, with the draft mark (it is
/// drawn first, under everything else); its MCIDs follow the body's, recorded in `marks`.
pub fn write_band(
    out: &mut Vec<u8>,
    items: &[Item],
    input: &SheetInput<'_>,
    marks: &mut PageMarks,
) {
    write_items(out, items, input, input.draft.as_ref(), marks);
}

/// `items` as one content stream that sets every state it draws with: `draft` first, then
/// the fills, rules and change lines, then the text; it ends with a line end.
fn write_items(
    out: &mut Vec<u8>,
    items: &[Item],
    input: &SheetInput<'_>,
    draft: Option<&DraftMark<'_>>,
    marks: &mut PageMarks,
) {
    let mut s = Stream {
        out,
        started: false,
    };
    if let Some(mark) = draft {
        draft_mark(&mut s, mark, input);
    }
    let black = (0.0, 0.0, 0.0);
    if items.iter().any(|i| matches!(i, Item::Fill { .. })) {
        begin_artifact(&mut s, Artifact::Layout);
        fills(&mut s, items, input.height);
        s.begin().operator(op::END_MARKED);
    }
    s.rgb(black, op::STROKE_RGB);
    if items.iter().any(|i| matches!(i, Item::Rule { .. })) {
        begin_artifact(&mut s, Artifact::Layout);
        rules(&mut s, items, input.height);
        s.begin().operator(op::END_MARKED);
    }
    if items.iter().any(|i| matches!(i, Item::ChangeLine { .. })) {
        begin_artifact(&mut s, Artifact::Layout);
        change_lines(&mut s, items, input.height, input.redline);
        s.begin().operator(op::END_MARKED);
    }
    s.rgb(black, op::FILL_RGB);
    s.begin().operator(op::BEGIN_TEXT);
    texts(&mut s, items, input, marks);
    s.begin().operator(op::END_TEXT);
    // A sheet's streams are read as one (ISO 32000-1 §7.8.2): the line end keeps a reader
    // that joins them byte for byte from running this stream's last operator into the next
    // stream's first operand.
    s.out.push(b'\n');
}

fn begin_marked(s: &mut Stream<'_>, tag: &[u8], properties: &[(&[u8], Property<'_>)]) {
    s.begin().name(tag);
    s.out.extend_from_slice(b"<<");
    for (key, value) in properties {
        write_name(s.out, key);
        match value {
            Property::Int(n) => {
                s.out.push(b' ');
                let mut buf = itoa::Buffer::new();
                s.out.extend_from_slice(buf.format(*n).as_bytes());
            }
            Property::Name(n) => write_name(s.out, n),
            Property::Text(t) => write_hex(s.out, t),
        }
    }
    s.out.extend_from_slice(b">> ");
    s.operator(op::BEGIN_MARKED);
}

/// The property lists are written with their keys in order (printpdf keeps them in a
/// `BTreeMap`): `Subtype` before `Type`.
fn begin_artifact(s: &mut Stream<'_>, kind: Artifact) {
    let properties: &[(&[u8], Property<'_>)] = match kind {
        Artifact::Layout => &[(tag::TYPE, Property::Name(tag::LAYOUT))],
        Artifact::RepeatedHeader => &[
            (tag::SUBTYPE, Property::Name(tag::HEADER)),
            (tag::TYPE, Property::Name(tag::PAGINATION)),
        ],
        Artifact::Watermark => &[
            (tag::SUBTYPE, Property::Name(tag::WATERMARK)),
            (tag::TYPE, Property::Name(tag::PAGINATION)),
        ],
    };
    begin_marked(s, tag::ARTIFACT, properties);
}

fn channels(color: Colour) -> (f32, f32, f32) {
    (
        f32::from(color.0) / CHANNEL_MAX,
        f32::from(color.1) / CHANNEL_MAX,
        f32::from(color.2) / CHANNEL_MAX,
    )
}

fn fills(s: &mut Stream<'_>, items: &[Item], height: f32) {
    for item in items {
        if let Item::Fill { rect, color } = item {
            let (x0, y0, x1, y1) = (
                rect.x,
                height - rect.y - rect.h,
                rect.x + rect.w,
                height - rect.y,
            );
            s.rgb(channels(*color), op::FILL_RGB);
            s.begin().real(x0).real(y0).operator(op::MOVE_TO);
            s.begin().real(x1).real(y0).operator(op::LINE_TO);
            s.begin().real(x1).real(y1).operator(op::LINE_TO);
            s.begin().real(x0).real(y1).operator(op::LINE_TO);
            s.begin().operator(op::CLOSE);
            s.begin().operator(op::FILL);
        }
    }
}

fn line(s: &mut Stream<'_>, (x1, y1): (f32, f32), (x2, y2): (f32, f32)) {
    s.begin().real(x1).real(y1).operator(op::MOVE_TO);
    s.begin().real(x2).real(y2).operator(op::LINE_TO);
    s.begin().operator(op::STROKE);
}

fn rules(s: &mut Stream<'_>, items: &[Item], height: f32) {
    let mut thickness = None;
    for item in items {
        if let Item::Rule {
            x1,
            y1,
            x2,
            y2,
            width_pt,
        } = item
        {
            if thickness != Some(*width_pt) {
                s.begin().real(*width_pt).operator(op::LINE_WIDTH);
                thickness = Some(*width_pt);
            }
            line(s, (*x1, height - y1), (*x2, height - y2));
        }
    }
}

/// The colour of text (and its line) with the change mark `change`: black when unchanged.
fn change_color(change: Option<Change>, redline: &RedlineStyle) -> Colour {
    match change {
        None => Colour(0, 0, 0),
        Some(Change::Deleted) => redline.deleted(),
        Some(Change::Inserted) => redline.inserted(),
    }
}

/// The strike lines through deleted text and the underlines of inserted text (a redline).
fn change_lines(s: &mut Stream<'_>, items: &[Item], height: f32, redline: &RedlineStyle) {
    for item in items {
        if let Item::ChangeLine {
            x1,
            x2,
            y,
            width_pt,
            change,
        } = item
        {
            s.rgb(
                channels(change_color(Some(*change), redline)),
                op::STROKE_RGB,
            );
            s.begin().real(*width_pt).operator(op::LINE_WIDTH);
            line(s, (*x1, height - y), (*x2, height - y));
        }
    }
}

fn set_font(s: &mut Stream<'_>, input: &SheetInput<'_>, face: Face, size: f32) {
    s.begin()
        .name(input.fonts.of(face).as_bytes())
        .real(size)
        .operator(op::FONT);
}

/// `<glyph ids> Tj` of `text` (and a trailing space if `space_after`) in `face`.
fn show(s: &mut Stream<'_>, glyphs: &GlyphIds, face: Face, text: &str, space_after: bool) {
    s.begin();
    s.out.push(b'<');
    glyphs.write_hex(s.out, face, text.chars().chain(space_after.then_some(' ')));
    s.out.extend_from_slice(b"> ");
    s.operator(op::SHOW);
}

/// The text items, each consecutive piece of one paragraph (or of a repeat) in one
/// marked-content sequence. Inserted and deleted text (a redline) is in its colour and in a
/// `Span` whose `/E` tells a screen reader what it is ("kustutatud: …").
// Long because it is one pass with state carried from item to item (the open marked-content
// sequence, the font and colour in force, the text of an open Span); split up, that state
// would be handed to every step.
fn texts(s: &mut Stream<'_>, items: &[Item], input: &SheetInput<'_>, marks: &mut PageMarks) {
    let mut color = Colour(0, 0, 0);
    let mut font: Option<(bool, f32)> = None;
    let mut open: Option<TextTag> = None;
    let mut spoken_text = Vec::new();
    for item in items {
        let Item::Text {
            x,
            y,
            size_pt,
            bold,
            text,
            tag,
            break_hyphen,
            word_break_after,
            change,
            ..
        } = item
        else {
            continue;
        };
        if open != Some(*tag) {
            if open.is_some() {
                s.begin().operator(op::END_MARKED);
            }
            match *tag {
                TextTag::Content { key, role, term } => {
                    let mcid = marks.push(Mark { key, role, term });
                    let kind = tagging::structure_type(role, term);
                    begin_marked(s, kind.as_bytes(), &[(tag::MCID, Property::Int(mcid))]);
                }
                TextTag::Repeat => begin_artifact(s, Artifact::RepeatedHeader),
            }
            open = Some(*tag);
        }
        let face = Face::of(*bold);
        if font != Some((*bold, *size_pt)) {
            set_font(s, input, face, *size_pt);
            font = Some((*bold, *size_pt));
        }
        let st = s.begin();
        for v in UPRIGHT {
            st.real(v);
        }
        st.real(*x).real(input.height - y).operator(op::TEXT_MATRIX);
        let wanted = change_color(*change, input.redline);
        if wanted != color {
            s.rgb(channels(wanted), op::FILL_RGB);
            color = wanted;
        }
        let is_content = matches!(tag, TextTag::Content { .. });
        let spoken = match change {
            Some(Change::Deleted) => Some(&input.redline.deleted_prefix),
            Some(Change::Inserted) => Some(&input.redline.inserted_prefix),
            None => None,
        };
        if let (Some(prefix), true) = (spoken, is_content) {
            spoken_text.clear();
            spoken_text.extend_from_slice(&UTF16BE_BOM);
            let units = prefix.encode_utf16().chain(text.encode_utf16());
            spoken_text.extend(units.flat_map(u16::to_be_bytes));
            begin_marked(
                s,
                tag::SPAN,
                &[(tag::EXPANSION, Property::Text(&spoken_text))],
            );
        }
        match text.strip_suffix(BREAK_HYPHEN) {
            Some(word) if *break_hyphen && is_content => {
                if !word.is_empty() {
                    show(s, input.glyphs, face, word, false);
                }
                begin_marked(
                    s,
                    tag::SPAN,
                    &[(tag::ACTUAL_TEXT, Property::Text(&SOFT_HYPHEN_UTF16BE))],
                );
                let mut hyphen = [0; 4];
                show(
                    s,
                    input.glyphs,
                    face,
                    BREAK_HYPHEN.encode_utf8(&mut hyphen),
                    false,
                );
                s.begin().operator(op::END_MARKED);
            }
            // The space the line was broken at is written (it draws nothing at the line's
            // end), so that extracted text has the word break (ISO 32000-1 §14.8.2.5).
            _ if *word_break_after => show(s, input.glyphs, face, text, true),
            _ => show(s, input.glyphs, face, text, false),
        }
        if spoken.is_some() && is_content {
            s.begin().operator(op::END_MARKED);
        }
    }
    if open.is_some() {
        s.begin().operator(op::END_MARKED);
    }
}

/// The draft mark, large, light grey, across the middle of the sheet, under the content.
fn draft_mark(s: &mut Stream<'_>, mark: &DraftMark<'_>, input: &SheetInput<'_>) {
    begin_artifact(s, Artifact::Watermark);
    s.begin().operator(op::SAVE);
    let gray = mark.look.gray;
    s.rgb((gray, gray, gray), op::FILL_RGB);
    s.begin().operator(op::BEGIN_TEXT);
    set_font(s, input, Face::Bold, mark.look.size_pt);
    let m = mark.matrix;
    let st = s.begin();
    for v in m {
        st.real(v);
    }
    st.operator(op::TEXT_MATRIX);
    show(s, input.glyphs, Face::Bold, mark.text, false);
    s.begin().operator(op::END_TEXT);
    s.begin().operator(op::RESTORE);
    s.begin().operator(op::END_MARKED);
}
