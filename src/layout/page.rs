//! Placing the document on paper: header band, paragraphs and table rows on sheets, with
//! rows split between lines when a card is longer than a page.
//!
//! The result is a list of sheets of positioned items (text, fills, rules) in points from the
//! top-left corner; the PDF renderer only draws them. Every text item carries the box it must
//! stay inside, so tests can check that no text leaves its cell.

use super::fonts::Fonts;
use super::hyphenate::Hyphenator;
use super::wrap::{Line, wrap};
use crate::document::{Align, Block, Document, Paragraph, Row, Table};
use crate::template::{Rgb, Template};

pub use crate::units::PT_PER_MM;

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

/// One sheet of paper.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Index of the document page this sheet shows (a long page may need several sheets).
    pub page: usize,
    pub items: Vec<Item>,
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
    /// Splits off the lines that end within `avail`; the rest moves up to start at 0.
    fn split(self, avail: f32) -> (Stack, Stack) {
        let cut = self
            .lines
            .iter()
            .position(|l| l.top + l.height > avail + f32::EPSILON)
            .unwrap_or(self.lines.len());
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

struct Composer<'a> {
    template: &'a Template,
    fonts: &'a Fonts,
    hyphenator: Hyphenator,
    width: f32,
    height: f32,
    left: f32,
    top: f32,
    bottom: f32,
    content_width: f32,
    sheets: Vec<Sheet>,
    cursor: f32,
    /// Where content starts below the header band (the same on every sheet).
    sheet_top: f32,
}

impl Composer<'_> {
    /// Whether nothing has been placed below the header band of the current sheet yet.
    fn at_sheet_top(&self) -> bool {
        (self.cursor - self.sheet_top).abs() < f32::EPSILON
    }

    fn line_height(&self, size_pt: f32) -> f32 {
        line_height_pt(size_pt, self.fonts, self.template)
    }

    fn stack(&self, paragraphs: &[Paragraph], width: f32) -> Stack {
        let mut stack = Stack::default();
        let mut y = 0.0;
        for (i, p) in paragraphs.iter().enumerate() {
            let height = self.line_height(p.size_pt);
            let baseline = p.size_pt * self.fonts.regular.ascender / 1000.0;
            for line in wrap(&p.runs, p.size_pt, width, self.fonts, &self.hyphenator) {
                stack.lines.push(StackLine {
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

    fn draw_stack(&mut self, stack: &Stack, x: f32, y: f32, width: f32, bounds: BoxPt) {
        #[allow(
            clippy::expect_used,
            reason = "lint switched on while page.rs is rewritten: layout opens a sheet before drawing"
        )]
        let items = &mut self.sheets.last_mut().expect("a sheet is open").items;
        for l in &stack.lines {
            let offset = match l.align {
                Align::Left => 0.0,
                Align::Right => width - l.line.width_pt,
            };
            for f in &l.line.fragments {
                items.push(Item::Text {
                    x: x + offset + f.x_pt,
                    y: y + l.top + l.baseline,
                    size_pt: l.size_pt,
                    bold: f.bold,
                    text: f.text.clone(),
                    width_pt: f.width_pt,
                    bounds,
                });
            }
        }
    }

    /// Starts a sheet for document page `page`, with the header band.
    fn new_sheet(&mut self, page: usize, doc: &Document) {
        self.sheets.push(Sheet {
            page,
            items: Vec::new(),
        });
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
        let gap = self.template.header.column_gap_mm * PT_PER_MM;
        let left_width = self.content_width - right_width - gap;
        let left = self.stack(std::slice::from_ref(&header.left), left_width);
        let right = self.stack(&header.right, right_width);
        let (x, y) = (self.left, self.top);
        let band = BoxPt {
            x,
            y,
            w: self.content_width,
            h: left.height.max(right.height),
        };
        self.draw_stack(&left, x, y, left_width, band);
        self.draw_stack(
            &right,
            x + self.content_width - right_width,
            y,
            right_width,
            band,
        );
        self.cursor = y + band.h + self.template.header.space_after_mm * PT_PER_MM;
        self.sheet_top = self.cursor;
    }

    fn paragraph(&mut self, p: &Paragraph, page: usize, doc: &Document) {
        let mut stack = self.stack(std::slice::from_ref(p), self.content_width);
        loop {
            let avail = self.bottom - self.cursor;
            let at_top = self.at_sheet_top();
            // On a fresh sheet at least one line goes, even one taller than the sheet, so
            // that the layout always moves on.
            let first = stack.first_line_height();
            let (now, rest) = stack.split(if at_top { avail.max(first) } else { avail });
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
            self.draw_stack(&now, self.left, self.cursor, self.content_width, bounds);
            self.cursor += now.height;
            if rest.lines.is_empty() {
                break;
            }
            self.new_sheet(page, doc);
            stack = rest;
        }
        self.cursor += p.space_after_pt;
    }

    fn table(&mut self, table: &Table, page: usize, doc: &Document) {
        let columns: Vec<f32> = table.columns_mm.iter().map(|w| w * PT_PER_MM).collect();
        for row in &table.rows {
            self.row(row, &columns, page, doc);
        }
    }

    fn row(&mut self, row: &Row, columns: &[f32], page: usize, doc: &Document) {
        let pad = self.template.table.cell_padding_mm * PT_PER_MM;
        // Cell positions on the grid.
        let mut cells = Vec::new();
        let mut col = 0;
        let mut x = self.left;
        for cell in &row.cells {
            #[allow(
                clippy::indexing_slicing,
                reason = "lint switched on while page.rs is rewritten: panics if a row's spans \
                          pass the column count; use get() there"
            )]
            let w: f32 = columns[col..(col + cell.span).min(columns.len())]
                .iter()
                .sum();
            let stack = self.stack(&cell.paragraphs, w - 2.0 * pad);
            cells.push((x, w, cell.fill, stack));
            x += w;
            col += cell.span;
        }
        let fresh_avail = self.bottom - self.sheet_top;
        loop {
            let need = cells.iter().map(|c| c.3.height).fold(0.0, f32::max) + 2.0 * pad;
            let avail = self.bottom - self.cursor;
            if need <= avail {
                self.draw_row(&cells, need);
                self.cursor += need;
                return;
            }
            let at_top = self.at_sheet_top();
            let first_lines = cells
                .iter()
                .map(|c| c.3.first_line_height())
                .fold(0.0, f32::max)
                + 2.0 * pad;
            if !at_top && (need <= fresh_avail || first_lines > avail) {
                // Keep the row whole on the next sheet where it fits, as a word processor does.
                self.new_sheet(page, doc);
                continue;
            }
            // Split the row between lines: what fits here, the rest on the next sheet.
            let inner = (avail - 2.0 * pad).max(first_lines - 2.0 * pad);
            let mut now = Vec::new();
            let mut rest = Vec::new();
            for (x, w, fill, stack) in cells {
                let (a, b) = stack.split(inner);
                now.push((x, w, fill, a));
                rest.push((x, w, fill, b));
            }
            let height = now.iter().map(|c| c.3.height).fold(0.0, f32::max) + 2.0 * pad;
            // The split part reaches down to the bottom margin, as in a word processor.
            self.draw_row(&now, height.max(avail));
            self.new_sheet(page, doc);
            cells = rest;
        }
    }

    fn draw_row(&mut self, cells: &[(f32, f32, Option<Rgb>, Stack)], height: f32) {
        let pad = self.template.table.cell_padding_mm * PT_PER_MM;
        let border = self.template.table.border_pt;
        let y = self.cursor;
        for (x, w, fill, _) in cells {
            if let Some(color) = fill {
                let rect = BoxPt {
                    x: *x,
                    y,
                    w: *w,
                    h: height,
                };
                #[allow(
                    clippy::expect_used,
                    reason = "lint switched on while page.rs is rewritten: layout opens a sheet before drawing"
                )]
                self.sheets
                    .last_mut()
                    .expect("a sheet is open")
                    .items
                    .push(Item::Fill {
                        rect,
                        color: *color,
                    });
            }
        }
        for (x, w, _, stack) in cells {
            let bounds = BoxPt {
                x: x + pad,
                y: y + pad,
                w: w - 2.0 * pad,
                h: height - 2.0 * pad,
            };
            self.draw_stack(stack, x + pad, y + pad, w - 2.0 * pad, bounds);
        }
        #[allow(
            clippy::expect_used,
            reason = "lint switched on while page.rs is rewritten: layout opens a sheet before drawing"
        )]
        let items = &mut self.sheets.last_mut().expect("a sheet is open").items;
        for (x, w, _, _) in cells {
            let (x0, x1, y0, y1) = (*x, x + w, y, y + height);
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

/// The height of one line of text at `size_pt`, with the template's line spacing.
pub fn line_height_pt(size_pt: f32, fonts: &Fonts, template: &Template) -> f32 {
    size_pt * fonts.regular.line_height() / 1000.0 * template.sizes.line_spacing
}

/// Lays out `doc` on sheets of the template's page size.
pub fn layout(doc: &Document, template: &Template, fonts: &Fonts) -> Layout {
    let page = &template.page;
    let mut c = Composer {
        template,
        fonts,
        hyphenator: Hyphenator::new(&template.hyphenation.exceptions),
        width: page.width_mm * PT_PER_MM,
        height: page.height_mm * PT_PER_MM,
        left: page.margin_left_mm * PT_PER_MM,
        top: page.margin_top_mm * PT_PER_MM,
        bottom: (page.height_mm - page.margin_bottom_mm) * PT_PER_MM,
        content_width: page.content_width_mm() * PT_PER_MM,
        sheets: Vec::new(),
        cursor: 0.0,
        sheet_top: 0.0,
    };
    for (index, p) in doc.pages.iter().enumerate() {
        c.new_sheet(index, doc);
        for block in &p.blocks {
            match block {
                Block::Paragraph(para) => c.paragraph(para, index, doc),
                Block::Table(t) => c.table(t, index, doc),
            }
        }
    }
    Layout {
        width_pt: c.width,
        height_pt: c.height,
        sheets: c.sheets,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{BuildOptions, Selection, build};
    use std::path::Path;

    #[test]
    fn a_title_taller_than_the_page_still_moves_on() {
        let mut p =
            crate::load_project(Path::new("cards"), Path::new("templates/lisa.toml")).unwrap();
        p.template.sizes.title_pt = 400.0;
        let card = p.source.cards[0].clone();
        let doc = build(
            &p.source,
            &p.template,
            &BuildOptions::default(),
            Selection::OneCard(&card),
        );
        let l = layout(&doc, &p.template, &p.fonts);
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
}
