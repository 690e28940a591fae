//! Placing the document on paper: header band, paragraphs and table rows on sheets, with
//! rows split between lines when a card is longer than a page.
//!
//! The result is a list of sheets of positioned items (text, fills, rules) in points from the
//! top-left corner; the PDF renderer only draws them. Every text item carries the box it must
//! stay inside, so tests can check that no text leaves its cell, and what it is to a reader:
//! which paragraph of the document it belongs to, or a repeat printed for orientation (the
//! header band and the card title with the continuation mark on further sheets).

use super::fonts::Fonts;
use super::hyphenate::Hyphenator;
use super::wrap::{Line, wrap};
use crate::document::{
    Align, Block, Change, Document, Page, Paragraph, ParagraphRole, Rgb, Row, Setup, Table,
};

use crate::units::{at_least, mm_to_pt};

/// The approval lines at the top right never take more than this share of the width; longer
/// lines wrap.
const RIGHT_BLOCK_MAX_SHARE: f32 = 0.5;

/// A rectangle in points, `y` measured down from the top of the sheet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoxPt {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

/// Which paragraph of the document a piece of text belongs to: the key the tagged PDF's
/// structure tree is built on, from the document, not from positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParagraphKey {
    /// Line 0 of the header band is its left paragraph, lines 1.. the right-hand ones.
    Header(usize),
    /// The paragraph that is block `block` of document page `page`.
    Block { page: usize, block: usize },
    /// Paragraph `paragraph` of cell `cell` of row `row` of the table that is block `block`.
    Cell {
        page: usize,
        block: usize,
        row: usize,
        cell: usize,
        paragraph: usize,
    },
}

impl ParagraphKey {
    /// The same paragraph on document page `page` (a card's page in the combined annex and
    /// in the card's own file).
    pub fn on_page(self, page: usize) -> ParagraphKey {
        match self {
            ParagraphKey::Header(line) => ParagraphKey::Header(line),
            ParagraphKey::Block { block, .. } => ParagraphKey::Block { page, block },
            ParagraphKey::Cell {
                block,
                row,
                cell,
                paragraph,
                ..
            } => ParagraphKey::Cell {
                page,
                block,
                row,
                cell,
                paragraph,
            },
        }
    }
}

/// What a piece of text is to a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextTag {
    /// Real content: part of paragraph `key`, whose role is `role`; `term` marks the term of a
    /// glossary entry.
    Content {
        key: ParagraphKey,
        role: ParagraphRole,
        term: bool,
    },
    /// Printed again for orientation on a further sheet (the header band, a continued card's
    /// title with the continuation mark): not read out again.
    Repeat,
}

/// Something to draw on a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Text with its baseline at `y`; `bounds` is the box it belongs to.
    Text {
        x: f32,
        y: f32,
        size_pt: f32,
        bold: bool,
        text: String,
        width_pt: f32,
        bounds: BoxPt,
        tag: TextTag,
        /// The text ends with a hyphen printed because a word was broken at the line end
        /// (not one typed in the text).
        break_hyphen: bool,
        /// The text ends a line that was broken at a space: the word ends here.
        word_break_after: bool,
        /// In a redline: the text was inserted or deleted (drawn in the template's colour
        /// for it, with the [`Item::ChangeLine`] that carries the meaning).
        change: Option<Change>,
    },
    /// In a redline: the strike through deleted text or the underline of inserted text,
    /// from `x1` to `x2` at `y`.
    ChangeLine {
        x1: f32,
        x2: f32,
        y: f32,
        width_pt: f32,
        change: Change,
    },
    Fill {
        rect: BoxPt,
        color: Rgb,
    },
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width_pt: f32,
    },
}

/// Where a table row stands in the document.
#[derive(Debug, Clone, Copy)]
struct RowPlace {
    page: usize,
    block: usize,
    row: usize,
}

/// One sheet of paper.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Index of the document page this sheet shows (a long page may need several sheets).
    pub page: usize,
    /// How many of the first `items` are the header band: real content on the first sheet
    /// of a file and a repeat on the others, while the rest of a sheet is the same in every
    /// document with the same [`PageFrame`].
    pub band: usize,
    pub items: Vec<Item>,
}

impl Sheet {
    /// The header band's items.
    pub fn band_items(&self) -> &[Item] {
        self.items.get(..self.band).unwrap_or_default()
    }

    /// Everything on the sheet but the header band.
    pub fn body_items(&self) -> &[Item] {
        self.items.get(self.band..).unwrap_or_default()
    }
}

/// The laid-out document.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width_pt: f32,
    pub height_pt: f32,
    pub sheets: Vec<Sheet>,
}

/// How far (in points) a text item may reach past its box before it counts as outside:
/// rounding in the width sums, far below anything visible.
pub const PLACEMENT_TOLERANCE_PT: f32 = 0.01;

impl Layout {
    /// Every text item that reaches outside its box or the page, described for a message
    /// (sheet, text, position). Empty for a correct layout; tests and the fuzzer check this.
    pub fn misplaced_text(&self) -> Vec<String> {
        let tol = PLACEMENT_TOLERANCE_PT;
        let mut found = Vec::new();
        for (n, sheet) in self.sheets.iter().enumerate() {
            for item in &sheet.items {
                let Item::Text {
                    x,
                    y,
                    width_pt,
                    bounds: b,
                    text,
                    ..
                } = item
                else {
                    continue;
                };
                let inside_box = *x >= b.x - tol
                    && x + width_pt <= b.x + b.w + tol
                    && *y >= b.y - tol
                    && *y <= b.y + b.h + tol;
                let inside_page =
                    *x >= 0.0 && x + width_pt <= self.width_pt && *y >= 0.0 && *y <= self.height_pt;
                if !(inside_box && inside_page) {
                    found.push(format!(
                        "sheet {n}: {text:?} at x {x}..{}, baseline {y}; box {b:?}",
                        x + width_pt
                    ));
                }
            }
        }
        found
    }
}

/// One wrapped line inside a stack of paragraphs.
#[derive(Debug, Clone)]
struct StackLine {
    /// Index of the paragraph in the stacked slice.
    paragraph: usize,
    role: ParagraphRole,
    top: f32,
    height: f32,
    baseline: f32,
    size_pt: f32,
    align: Align,
    line: Line,
}

/// Paragraphs wrapped to a width, stacked from y = 0.
#[derive(Debug, Clone, Default)]
struct Stack {
    lines: Vec<StackLine>,
    height: f32,
}

impl Stack {
    /// Splits off the lines that end within `avail`; the rest moves up to start at 0. With
    /// [`Progress::AtLeastOneLine`] the first line goes even when it does not fit, so that a
    /// layout on a fresh sheet always moves on, whatever the rounding in `avail`.
    fn split(self, avail: f32, progress: Progress) -> (Stack, Stack) {
        let fitting = self
            .lines
            .iter()
            .position(|l| l.top + l.height > avail + f32::EPSILON)
            .unwrap_or(self.lines.len());
        let cut = match progress {
            Progress::AtLeastOneLine => fitting.max(1).min(self.lines.len()),
            Progress::OnlyWhatFits => fitting,
        };
        let mut first = self.lines;
        let rest: Vec<StackLine> = first.split_off(cut);
        let first_height = first.last().map_or(0.0, |l| l.top + l.height);
        let shift = rest.first().map_or(0.0, |l| l.top);
        let rest_height = self.height - shift;
        let rest = rest
            .into_iter()
            .map(|l| StackLine {
                top: l.top - shift,
                ..l
            })
            .collect::<Vec<_>>();
        (
            Stack {
                lines: first,
                height: first_height,
            },
            Stack {
                height: if rest.is_empty() { 0.0 } else { rest_height },
                lines: rest,
            },
        )
    }

    fn first_line_height(&self) -> f32 {
        self.lines.first().map_or(0.0, |l| l.height)
    }
}

/// Whether a split must move at least one line on, as it must at the top of a fresh sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Progress {
    AtLeastOneLine,
    OnlyWhatFits,
}

impl Progress {
    fn at_sheet_top(at_top: bool) -> Progress {
        if at_top {
            Progress::AtLeastOneLine
        } else {
            Progress::OnlyWhatFits
        }
    }
}

/// The key of the paragraph at an index in a stack, or `None` for a repeat.
type KeyOf<'k> = &'k dyn Fn(usize) -> Option<ParagraphKey>;

struct Composer<'a> {
    setup: &'a Setup,
    fonts: &'a Fonts,
    hyphenator: Hyphenator,
    width: f32,
    height: f32,
    left: f32,
    top: f32,
    bottom: f32,
    content_width: f32,
    /// The sheets of the page being laid out.
    sheets: Vec<Sheet>,
    cursor: f32,
    /// Where content starts below the header band (and a continued title) on this sheet.
    sheet_top: f32,
    /// The current page's title with the continuation mark, once the title is placed: what a
    /// further sheet of the page repeats.
    continued_title: Option<Paragraph>,
    /// The header band, wrapped on the first sheet: every sheet has the same one.
    band: Option<HeaderBand>,
    /// The room below the header band (and a repeated title) that content needs
    /// ([`content_room_pt`]), worked out when a title is first repeated: it reads every
    /// paragraph of the document, and a layout is made per thread and page run (86 times for
    /// the PDF of 10,000 cards, 3.8 ms each), while few pages continue on a further sheet.
    content_room: Option<f32>,
}

/// The header band's two columns, wrapped.
struct HeaderBand {
    left: Stack,
    right: Stack,
    left_width: f32,
    right_width: f32,
}

impl Composer<'_> {
    /// Whether nothing has been placed below the header band of the current sheet yet.
    fn at_sheet_top(&self) -> bool {
        (self.cursor - self.sheet_top).abs() < f32::EPSILON
    }

    fn line_height(&self, size_pt: f32) -> f32 {
        line_height_pt(size_pt, self.fonts, self.setup)
    }

    fn stack(&self, paragraphs: &[Paragraph], width: f32) -> Stack {
        let mut stack = Stack::default();
        let mut y = 0.0;
        for (i, p) in paragraphs.iter().enumerate() {
            let height = self.line_height(p.size_pt);
            let baseline = p.size_pt * self.fonts.regular.ascender / 1000.0;
            for line in wrap(&p.runs, p.size_pt, width, self.fonts, &self.hyphenator) {
                stack.lines.push(StackLine {
                    paragraph: i,
                    role: p.role,
                    top: y,
                    height,
                    baseline,
                    size_pt: p.size_pt,
                    align: p.align,
                    line,
                });
                y += height;
            }
            stack.height = y;
            if i + 1 < paragraphs.len() {
                y += p.space_after_pt;
            }
        }
        stack
    }

    fn draw_stack(
        &mut self,
        stack: &Stack,
        x: f32,
        y: f32,
        width: f32,
        bounds: BoxPt,
        key_of: KeyOf<'_>,
    ) {
        let Some(sheet) = self.sheets.last_mut() else {
            return;
        };
        for l in &stack.lines {
            let offset = match l.align {
                Align::Left => 0.0,
                Align::Right => width - l.line.width_pt,
            };
            let last = l.line.fragments.len().saturating_sub(1);
            for (n, f) in l.line.fragments.iter().enumerate() {
                let tag = match key_of(l.paragraph) {
                    Some(key) => TextTag::Content {
                        key,
                        role: l.role,
                        term: l.role == ParagraphRole::GlossaryEntry && f.bold,
                    },
                    None => TextTag::Repeat,
                };
                let (text_x, baseline) = (x + offset + f.x_pt, y + l.top + l.baseline);
                sheet.items.push(Item::Text {
                    x: text_x,
                    y: baseline,
                    size_pt: l.size_pt,
                    bold: f.bold,
                    text: f.text.clone(),
                    width_pt: f.width_pt,
                    bounds,
                    tag,
                    break_hyphen: l.line.hyphenated && n == last,
                    word_break_after: l.line.ends_at_space && n == last,
                    change: f.change,
                });
                if let Some(change) = f.change {
                    let style = &self.setup.redline;
                    let y = match change {
                        Change::Deleted => baseline - style.strike_rise * l.size_pt,
                        Change::Inserted => baseline + style.underline_drop * l.size_pt,
                    };
                    sheet.items.push(Item::ChangeLine {
                        x1: text_x,
                        x2: text_x + f.width_pt,
                        y,
                        width_pt: style.line_pt,
                        change,
                    });
                }
            }
        }
    }

    /// The header band wrapped to its columns: the right-hand lines as wide as the widest of
    /// them (at most [`RIGHT_BLOCK_MAX_SHARE`] of the width), the title in the rest.
    fn wrap_band(&self, doc: &Document) -> HeaderBand {
        let header = &doc.header;
        let right_width = header
            .right
            .iter()
            .flat_map(|p| {
                wrap(
                    &p.runs,
                    p.size_pt,
                    self.content_width,
                    self.fonts,
                    &self.hyphenator,
                )
            })
            .map(|l| l.width_pt)
            .fold(0.0, f32::max)
            .min(self.content_width * RIGHT_BLOCK_MAX_SHARE);
        let gap = mm_to_pt(self.setup.header_column_gap_mm);
        let left_width = self.content_width - right_width - gap;
        HeaderBand {
            left: self.stack(std::slice::from_ref(&header.left), left_width),
            right: self.stack(&header.right, right_width),
            left_width,
            right_width,
        }
    }

    /// Starts a sheet for document page `page`, with the header band: real content on the
    /// first sheet of the file (of page 0), a repeat after that. A further sheet of the same
    /// page repeats the page's title with the continuation mark.
    fn new_sheet(&mut self, page: usize, doc: &Document) {
        let first_of_file = page == 0 && self.sheets.is_empty();
        let continues_page = self.sheets.last().is_some_and(|s| s.page == page);
        self.sheets.push(Sheet {
            page,
            band: 0,
            items: Vec::new(),
        });
        self.draw_band(doc, first_of_file);
        if continues_page {
            self.repeat_title(doc);
        }
        self.sheet_top = self.cursor;
    }

    /// Draws the header band at the top of the current sheet, as real content when
    /// `first_of_file`, else as a repeat, and puts the cursor below it.
    fn draw_band(&mut self, doc: &Document, first_of_file: bool) {
        let band = self.band.take().unwrap_or_else(|| self.wrap_band(doc));
        let HeaderBand {
            left,
            right,
            left_width,
            right_width,
        } = &band;
        let (x, y) = (self.left, self.top);
        let bounds = BoxPt {
            x,
            y,
            w: self.content_width,
            h: left.height.max(right.height),
        };
        let header_key = |first_line: usize| {
            move |i: usize| first_of_file.then_some(ParagraphKey::Header(first_line + i))
        };
        self.draw_stack(left, x, y, *left_width, bounds, &header_key(0));
        self.draw_stack(
            right,
            x + self.content_width - right_width,
            y,
            *right_width,
            bounds,
            &header_key(1),
        );
        self.band = Some(band);
        self.cursor = y + bounds.h + mm_to_pt(self.setup.header_space_after_mm);
        if let Some(sheet) = self.sheets.last_mut() {
            sheet.band = sheet.items.len();
        }
    }

    /// Draws the page's title with the continuation mark at the cursor, as a repeat, where
    /// it leaves the room below it that the header band must leave ([`content_room_pt`]):
    /// a title too long for that is not repeated, so that every further sheet carries
    /// content.
    fn repeat_title(&mut self, doc: &Document) {
        let Some(title) = self.continued_title.take() else {
            return;
        };
        let stack = self.stack(std::slice::from_ref(&title), self.content_width);
        let below = self.cursor + stack.height + title.space_after_pt;
        let fonts = self.fonts;
        let room = *self
            .content_room
            .get_or_insert_with(|| content_room_pt(doc, fonts));
        if at_least(self.bottom - below, room) {
            let bounds = BoxPt {
                x: self.left,
                y: self.cursor,
                w: self.content_width,
                h: stack.height,
            };
            self.draw_stack(
                &stack,
                self.left,
                self.cursor,
                self.content_width,
                bounds,
                &|_| None,
            );
            self.cursor += stack.height + title.space_after_pt;
        }
        self.continued_title = Some(title);
    }

    fn paragraph(&mut self, p: &Paragraph, key: ParagraphKey, page: usize, doc: &Document) {
        let mut stack = self.stack(std::slice::from_ref(p), self.content_width);
        loop {
            let avail = self.bottom - self.cursor;
            // On a fresh sheet at least one line goes, even one taller than the sheet, so
            // that the layout always moves on.
            let progress = Progress::at_sheet_top(self.at_sheet_top());
            let (now, rest) = stack.split(avail, progress);
            if now.lines.is_empty() && !rest.lines.is_empty() {
                self.new_sheet(page, doc);
                stack = rest;
                continue;
            }
            let bounds = BoxPt {
                x: self.left,
                y: self.cursor,
                w: self.content_width,
                h: now.height,
            };
            self.draw_stack(
                &now,
                self.left,
                self.cursor,
                self.content_width,
                bounds,
                &|_| Some(key),
            );
            self.cursor += now.height;
            if rest.lines.is_empty() {
                break;
            }
            self.new_sheet(page, doc);
            stack = rest;
        }
        self.cursor += p.space_after_pt;
    }

    fn table(&mut self, table: &Table, page: usize, block: usize, doc: &Document) {
        let columns: Vec<f32> = table.columns_mm.iter().map(|w| mm_to_pt(*w)).collect();
        for (index, row) in table.rows.iter().enumerate() {
            let place = RowPlace {
                page,
                block,
                row: index,
            };
            self.row(row, &columns, place, doc);
        }
    }

    fn row(&mut self, row: &Row, columns: &[f32], place: RowPlace, doc: &Document) {
        let page = place.page;
        let pad = mm_to_pt(self.setup.cell_padding_mm);
        // Cell positions on the grid.
        let mut cells = Vec::new();
        let mut col = 0;
        let mut x = self.left;
        for cell in &row.cells {
            let w: f32 = columns.iter().skip(col).take(cell.span).sum();
            let stack = self.stack(&cell.paragraphs, w - 2.0 * pad);
            cells.push(PlacedCell {
                x,
                width: w,
                fill: cell.fill,
                stack,
            });
            x += w;
            col += cell.span;
        }
        let fresh_avail = self.bottom - self.sheet_top;
        loop {
            let need = PlacedCell::tallest(&cells) + 2.0 * pad;
            let avail = self.bottom - self.cursor;
            if need <= avail {
                self.draw_row(&cells, need, place);
                self.cursor += need;
                return;
            }
            let at_top = self.at_sheet_top();
            let first_lines = cells
                .iter()
                .map(|c| c.stack.first_line_height())
                .fold(0.0, f32::max)
                + 2.0 * pad;
            if !at_top && (need <= fresh_avail || first_lines > avail) {
                // Keep the row whole on the next sheet where it fits, as a word processor does.
                self.new_sheet(page, doc);
                continue;
            }
            // Split the row between lines: what fits here, the rest on the next sheet. At the
            // top of a sheet every cell's first line goes even where it does not fit.
            let inner = (avail - 2.0 * pad).max(first_lines - 2.0 * pad);
            let progress = Progress::at_sheet_top(at_top);
            let mut now = Vec::new();
            let mut rest = Vec::new();
            for cell in cells {
                let (a, b) = cell.stack.split(inner, progress);
                now.push(PlacedCell { stack: a, ..cell });
                rest.push(PlacedCell { stack: b, ..cell });
            }
            let height = PlacedCell::tallest(&now) + 2.0 * pad;
            // The split part reaches down to the bottom margin, as in a word processor.
            self.draw_row(&now, height.max(avail), place);
            self.new_sheet(page, doc);
            cells = rest;
        }
    }

    // Long because a row's fills, texts and borders are placed in turn from the geometry
    // worked out once at its start (padding, top, height); split up, each part would take
    // all of it.
    fn draw_row(&mut self, cells: &[PlacedCell], height: f32, place: RowPlace) {
        let pad = mm_to_pt(self.setup.cell_padding_mm);
        let border = self.setup.border_pt;
        let y = self.cursor;
        for PlacedCell { x, width, fill, .. } in cells {
            if let Some(color) = fill {
                let rect = BoxPt {
                    x: *x,
                    y,
                    w: *width,
                    h: height,
                };
                if let Some(sheet) = self.sheets.last_mut() {
                    sheet.items.push(Item::Fill {
                        rect,
                        color: *color,
                    });
                }
            }
        }
        for (
            cell,
            PlacedCell {
                x, width, stack, ..
            },
        ) in cells.iter().enumerate()
        {
            let bounds = BoxPt {
                x: x + pad,
                y: y + pad,
                w: width - 2.0 * pad,
                h: height - 2.0 * pad,
            };
            let key_of = |paragraph| {
                Some(ParagraphKey::Cell {
                    page: place.page,
                    block: place.block,
                    row: place.row,
                    cell,
                    paragraph,
                })
            };
            self.draw_stack(stack, x + pad, y + pad, width - 2.0 * pad, bounds, &key_of);
        }
        let Some(sheet) = self.sheets.last_mut() else {
            return;
        };
        let items = &mut sheet.items;
        for PlacedCell { x, width, .. } in cells {
            let (x0, x1, y0, y1) = (*x, x + width, y, y + height);
            for (a, b, c, d) in [
                (x0, y0, x1, y0),
                (x1, y0, x1, y1),
                (x1, y1, x0, y1),
                (x0, y1, x0, y0),
            ] {
                items.push(Item::Rule {
                    x1: a,
                    y1: b,
                    x2: c,
                    y2: d,
                    width_pt: border,
                });
            }
        }
    }
}

/// A table cell placed on the grid: its left edge and width (points), its fill, and its
/// paragraphs broken into lines (or what is left of them after a split).
struct PlacedCell {
    x: f32,
    width: f32,
    fill: Option<Rgb>,
    stack: Stack,
}

impl PlacedCell {
    /// The height of the tallest cell's lines, without padding.
    fn tallest(cells: &[PlacedCell]) -> f32 {
        cells.iter().map(|c| c.stack.height).fold(0.0, f32::max)
    }
}

/// The height of one line of text at `size_pt`, with the template's line spacing.
pub fn line_height_pt(size_pt: f32, fonts: &Fonts, setup: &Setup) -> f32 {
    size_pt * fonts.regular.line_height() / 1000.0 * setup.line_spacing
}

/// Room (in points) a sheet must have beyond one line of the tallest text: keeps float
/// rounding in the layout's arithmetic from ever deciding that no line fits.
const FIT_MARGIN_PT: f32 = 1.0;

/// The room a sheet must have below its header band (and a repeated title) for content: one
/// line of the document's tallest text with a cell's padding above and below it, and
/// [`FIT_MARGIN_PT`].
pub fn content_room_pt(doc: &Document, fonts: &Fonts) -> f32 {
    let setup = &doc.setup;
    let tallest = doc
        .pages
        .iter()
        .flat_map(Page::paragraphs)
        .map(|p| line_height_pt(p.size_pt, fonts, setup))
        .fold(0.0, f32::max);
    tallest + 2.0 * mm_to_pt(setup.cell_padding_mm) + FIT_MARGIN_PT
}

/// What decides how a page of a document is laid out besides the page itself and its place:
/// every page starts a sheet, so documents with the same frame lay an equal page out the
/// same, below the header band (which is real content on the first sheet of a file and a
/// repeat after that). The content room is the document's own ([`content_room_pt`]): a
/// further sheet repeats a page's title only where that leaves room for a line of the
/// document's tallest text, so a card's page can take other sheets alone than in the
/// combined annex, whose glossary title may be taller than any card's text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageFrame<'a> {
    pub setup: &'a Setup,
    pub header: &'a crate::document::HeaderBand,
    pub content_room_pt: f32,
}

impl<'a> PageFrame<'a> {
    /// The frame of `doc`'s pages (reads every paragraph of `doc`).
    pub fn of(doc: &'a Document, fonts: &Fonts) -> PageFrame<'a> {
        PageFrame::with_room(doc, content_room_pt(doc, fonts))
    }

    /// The frame of `doc`'s pages, whose [`content_room_pt`] is `content_room_pt`.
    pub fn with_room(doc: &'a Document, content_room_pt: f32) -> PageFrame<'a> {
        PageFrame {
            setup: &doc.setup,
            header: &doc.header,
            content_room_pt,
        }
    }
}

/// The width and height of a sheet, in points.
pub fn sheet_size_pt(setup: &Setup) -> (f32, f32) {
    (
        mm_to_pt(setup.sheet.width_mm),
        mm_to_pt(setup.sheet.height_mm),
    )
}

/// Lays out `doc` on sheets of the template's page size.
pub fn layout(doc: &Document, fonts: &Fonts) -> Layout {
    let mut pages = PageLayout::new(doc, fonts);
    let mut sheets = Vec::new();
    for (index, page) in doc.pages.iter().enumerate() {
        // All sheets are held at once here (a large annex's thousands), so each gives back
        // the room its items do not use: vectors grown by doubling held half as much again
        // as their items (15.4 MB for 10.6 MB of items at 1,000 cards). A page drawn and
        // dropped at once (the PDF, the fit check) need not pay for the copy.
        sheets.extend(pages.page(index, page).into_iter().map(|mut sheet| {
            sheet.items.shrink_to_fit();
            sheet
        }));
    }
    Layout {
        width_pt: pages.composer.width,
        height_pt: pages.composer.height,
        sheets,
    }
}

/// Lays out the pages of one document one at a time, in any order, with what every page
/// shares (the page geometry, the hyphenator, the wrapped header band) made once. Every page
/// starts a sheet, so a page's sheets depend only on the page and the document's
/// [`PageFrame`]: the header band is real content on the first sheet of page 0 and a repeat
/// on every other sheet.
pub struct PageLayout<'a> {
    composer: Composer<'a>,
    doc: &'a Document,
}

impl<'a> PageLayout<'a> {
    pub fn new(doc: &'a Document, fonts: &'a Fonts) -> PageLayout<'a> {
        let setup = &doc.setup;
        let page = &setup.sheet;
        let (width, height) = sheet_size_pt(setup);
        let composer = Composer {
            setup,
            fonts,
            hyphenator: Hyphenator::new(&setup.hyphenation_exceptions),
            width,
            height,
            left: mm_to_pt(page.margin_left_mm),
            top: mm_to_pt(page.margin_top_mm),
            bottom: mm_to_pt(page.height_mm - page.margin_bottom_mm),
            content_width: mm_to_pt(page.content_width_mm()),
            sheets: Vec::new(),
            cursor: 0.0,
            sheet_top: 0.0,
            continued_title: None,
            band: None,
            content_room: None,
        };
        PageLayout { composer, doc }
    }

    /// The sheets of `page`, laid out as document page `index` (the document's own page or
    /// one made from it, such as its heading alone).
    pub fn page(&mut self, index: usize, page: &Page) -> Vec<Sheet> {
        let (c, doc) = (&mut self.composer, self.doc);
        c.continued_title = None;
        c.new_sheet(index, doc);
        for (block, content) in page.blocks.iter().enumerate() {
            match content {
                Block::Paragraph(para) => {
                    let key = ParagraphKey::Block { page: index, block };
                    c.paragraph(para, key, index, doc);
                    if para.role == ParagraphRole::Title {
                        c.continued_title.clone_from(&page.continuation);
                    }
                }
                Block::Table(t) => c.table(t, index, block, doc),
            }
        }
        std::mem::take(&mut c.sheets)
    }

    /// The header band of sheet `sheet` of document page `index`, the items
    /// [`PageLayout::page`] puts first on that sheet ([`Sheet::band_items`]).
    pub fn band(&mut self, index: usize, sheet: usize) -> Vec<Item> {
        let c = &mut self.composer;
        let laid_out = std::mem::take(&mut c.sheets);
        c.sheets.push(Sheet {
            page: index,
            band: 0,
            items: Vec::new(),
        });
        c.draw_band(self.doc, index == 0 && sheet == 0);
        let band = c.sheets.pop().map(|s| s.items).unwrap_or_default();
        c.sheets = laid_out;
        band
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cards::CardField;
    use crate::document::{BuildOptions, Selection, build};
    use std::path::Path;

    /// The bundled project after `edit`, and the layout of its first card alone.
    fn first_card_after(edit: impl FnOnce(&mut crate::Project)) -> (crate::Project, Layout) {
        let mut p =
            crate::load_project(Path::new("cards"), Path::new("templates/lisa.toml")).unwrap();
        edit(&mut p);
        let doc = build(
            &p.source,
            &p.template,
            &BuildOptions::default(),
            Selection::OneCard(&p.source.cards[0]),
        );
        let l = layout(&doc, &p.fonts);
        (p, l)
    }

    /// A page's sheets depend only on the page: laid out in reverse order by one
    /// [`PageLayout`], the annex's pages give the sheets of [`layout`], with pages that take
    /// more than one sheet (titles too tall for one) among them.
    #[test]
    fn pages_lay_out_the_same_in_any_order() {
        let mut p =
            crate::load_project(Path::new("cards"), Path::new("templates/lisa.toml")).unwrap();
        p.template.sizes.title_pt = 400.0;
        let doc = build(
            &p.source,
            &p.template,
            &BuildOptions::default(),
            Selection::WholeAnnex,
        );
        let whole = layout(&doc, &p.fonts);
        let mut pages = PageLayout::new(&doc, &p.fonts);
        let mut reversed: Vec<Vec<Sheet>> = doc
            .pages
            .iter()
            .enumerate()
            .rev()
            .map(|(index, page)| pages.page(index, page))
            .collect();
        reversed.reverse();
        assert!(reversed.iter().any(|sheets| sheets.len() > 1));
        // A sheet's header band alone is what the whole page puts first on it.
        for (index, sheets) in reversed.iter().enumerate() {
            for (k, sheet) in sheets.iter().enumerate() {
                assert!(sheet.band > 0 && sheet.band < sheet.items.len());
                assert_eq!(
                    pages.band(index, k),
                    sheet.band_items(),
                    "page {index}, sheet {k}"
                );
            }
        }
        assert_eq!(reversed.concat(), whole.sheets);
        // The header band is real content on the first sheet only.
        let real_header = |sheet: &Sheet| {
            sheet.items.iter().any(|item| {
                matches!(
                    item,
                    Item::Text {
                        tag: TextTag::Content {
                            key: ParagraphKey::Header(_),
                            ..
                        },
                        ..
                    }
                )
            })
        };
        let with_real_header: Vec<usize> = (0..whole.sheets.len())
            .filter(|&i| whole.sheets.get(i).is_some_and(real_header))
            .collect();
        assert_eq!(with_real_header, [0]);
    }

    /// A card title of some 3,000 characters (the first card's title and 360 more words)
    /// made the layout run for ever (found 2026-12-07 by `layout_props` on a random case):
    /// the title, repeated on each further sheet, left room for less than a line, and the
    /// row split at the top of the sheet was given room for its first line as padding added
    /// and taken off again, which rounding made a hair too small, so no line went and sheet
    /// followed sheet. Titles of one to 399 extra words, each card laid out within a time
    /// limit: the layout ends, every sheet carries content, and no text leaves its box nor
    /// any box reaches into the bottom margin.
    #[test]
    fn a_long_title_still_moves_on() {
        const LIMIT: std::time::Duration = std::time::Duration::from_secs(120);
        let words: Vec<usize> = (1..400).step_by(17).chain([340, 360, 380]).collect();
        let count = words.len();
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut p =
                crate::load_project(Path::new("cards"), Path::new("templates/lisa.toml")).unwrap();
            let title = p.source.cards[0].title.clone();
            for n in words {
                p.source.cards[0].title = format!("{title}{}", " JUHATAJA".repeat(n));
                let doc = build(
                    &p.source,
                    &p.template,
                    &BuildOptions::default(),
                    Selection::OneCard(&p.source.cards[0]),
                );
                let sheet = &doc.setup.sheet;
                let bottom = mm_to_pt(sheet.height_mm - sheet.margin_bottom_mm);
                if done.send((n, layout(&doc, &p.fonts), bottom)).is_err() {
                    return;
                }
            }
        });
        for _ in 0..count {
            let (n, l, bottom) = finished
                .recv_timeout(LIMIT)
                .expect("a layout ended within the time limit");
            assert!(l.sheets.len() < 100, "{n} words: {} sheets", l.sheets.len());
            assert_eq!(l.misplaced_text(), Vec::<String>::new(), "{n} words");
            for (s, sheet) in l.sheets.iter().enumerate() {
                let content = sheet.items.iter().any(|item| {
                    matches!(
                        item,
                        Item::Text {
                            tag: TextTag::Content { .. },
                            ..
                        }
                    )
                });
                assert!(content, "{n} words: sheet {s} has no content");
                for item in &sheet.items {
                    // The box a text stands in (its line's, at least) ends above the margin.
                    if let Item::Text { bounds, text, .. } = item {
                        let end = bounds.y + bounds.h;
                        assert!(
                            end <= bottom + PLACEMENT_TOLERANCE_PT,
                            "{n} words, sheet {s}: {text:?} in a box ending at {end}, below {bottom}"
                        );
                    }
                }
            }
        }
    }

    /// At the top of a sheet a split moves the first line on even when the room it is given
    /// is a rounding error short of the line's height; elsewhere only what fits.
    #[test]
    fn a_split_at_the_top_of_a_sheet_always_moves_on() {
        let (p, _) = first_card_after(|_| {});
        let doc = build(
            &p.source,
            &p.template,
            &BuildOptions::default(),
            Selection::OneCard(&p.source.cards[0]),
        );
        let pages = PageLayout::new(&doc, &p.fonts);
        let title = match doc.pages[0].blocks.first() {
            Some(Block::Paragraph(title)) => title.clone(),
            other => panic!("the card page starts with {other:?}"),
        };
        let stack = pages.composer.stack(&[title], 10.0);
        assert!(stack.lines.len() > 1);
        let first = stack.first_line_height();
        let short = first - first * 4.0 * f32::EPSILON;
        let (now, rest) = stack.clone().split(short, Progress::AtLeastOneLine);
        assert_eq!(
            (now.lines.len(), rest.lines.len()),
            (1, stack.lines.len() - 1)
        );
        let (now, rest) = stack.clone().split(short, Progress::OnlyWhatFits);
        assert_eq!((now.lines.len(), rest.lines.len()), (0, stack.lines.len()));
    }

    #[test]
    fn a_title_taller_than_the_page_still_moves_on() {
        let (p, l) = first_card_after(|p| p.template.sizes.title_pt = 400.0);
        assert!(l.sheets.len() >= 2);
        // The title's pieces, one or more per sheet, in order.
        let title: String = l
            .sheets
            .iter()
            .flat_map(|s| &s.items)
            .filter_map(|i| match i {
                Item::Text { text, size_pt, .. } if *size_pt == p.template.sizes.title_pt => {
                    Some(text.as_str())
                }
                _ => None,
            })
            .collect();
        let letters: String = title.chars().filter(|c| c.is_alphabetic()).collect();
        assert_eq!(letters, "OSAKONNAJUHATAJA");
    }

    #[test]
    fn a_further_sheet_repeats_header_and_title_as_repeats() {
        let (p, l) = first_card_after(|p| {
            let purpose = &mut p.source.cards[0].fields[CardField::Purpose].paragraphs;
            *purpose = vec![purpose[0].clone(); 12];
        });
        let card = &p.source.cards[0];
        assert!(l.sheets.len() >= 2);
        let texts = |sheet: &Sheet, repeat: bool| -> String {
            sheet
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Text { text, tag, .. } if (*tag == TextTag::Repeat) == repeat => {
                        Some(text.as_str())
                    }
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mark = &p.template.title.continuation_mark;
        let first = &l.sheets[0];
        assert_eq!(
            texts(first, true),
            "",
            "nothing is a repeat on the first sheet"
        );
        assert!(texts(first, false).contains("KINNITATUD"));
        for sheet in &l.sheets[1..] {
            let repeated = texts(sheet, true);
            assert!(repeated.contains("KINNITATUD"), "{repeated}");
            assert!(
                repeated.ends_with(&format!("{} {mark}", card.title)),
                "{repeated}"
            );
            let content = texts(sheet, false);
            assert!(!content.contains("KINNITATUD") && !content.contains(mark.as_str()));
        }
    }
}
