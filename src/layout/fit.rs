//! Whether a document can be placed on its pages, decided before the real layout.
//!
//! The layout always moves on (the top of a sheet takes at least one line), but a line only
//! stays inside the margins when the sheet has room below the header band for one line of
//! the tallest text with its cell padding; this module makes sure of that first, so that an
//! oversized header (a long annex title, large type, big margins) is found, never lines
//! pushed into the margin. With that settled, it lays out every page once (page by page,
//! each on its own) and reports every text the layout cannot keep inside its box: a page
//! heading taller than a page, a character wider than its column. It reads the document and
//! the fonts only; the findings ([`Misfit`]) are traced back to the file and key they came
//! from in [`crate::fit_check`].

use super::fonts::Fonts;
use super::page::{Item, PLACEMENT_TOLERANCE_PT, PageLayout, content_room_pt};
use crate::document::{Block, Document, Page, PageKind, Paragraph};
use crate::units::{at_least, mm_to_pt, pt_to_mm};

/// Something the layout cannot place.
#[derive(Debug, Clone, PartialEq)]
pub enum Misfit {
    /// The header band leaves less room below it than one line of the tallest text needs.
    Header {
        band_mm: f32,
        room_mm: f32,
        needed_mm: f32,
        /// Whether the approval lines at the right (not the annex title) are the taller part.
        right_block: bool,
    },
    /// The heading of document page `page` (a card title, the glossary title) does not fit
    /// on one sheet below the header.
    Heading { page: usize },
    /// `text` is wider than its box on document page `page` (`None`: in the header band):
    /// one character that cannot be cut further. `paragraph` is the text it stands in, when
    /// known.
    TooWide {
        page: Option<usize>,
        text: String,
        paragraph: Option<String>,
        box_mm: f32,
    },
}

/// What the check found, and how many sheets the layout needs when it ran.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fit {
    pub sheets: usize,
    /// The sheets each document page takes, in page order (empty when the layout did not
    /// run).
    pub sheets_per_page: Vec<usize>,
    pub misfits: Vec<Misfit>,
    /// Where the header band ends on every sheet, in points from the top edge. Every page
    /// starts a sheet, so the setup, this, the page itself and the document's content room
    /// (the line height of its pages' tallest text) are all that decide the sheets a page
    /// takes.
    pub band_bottom_pt: f32,
}

/// Measures `doc` on the template's pages. The layout runs only after the header check has
/// made sure that it ends.
pub fn measure(doc: &Document, fonts: &Fonts) -> Fit {
    measure_as(doc, fonts, None)
}

/// Measures `doc` knowing that `before`, a document measured and found to fit, may have the
/// same pages (a final build's annex and the template-mode one checked at load differ in
/// their header): when the setup and the pages are the same and the header band ends at the
/// same depth, the pages take the sheets they took there and are not laid out again. Only
/// `doc`'s header band is checked then.
pub fn measure_like(doc: &Document, fonts: &Fonts, (before, fit): (&Document, &Fit)) -> Fit {
    let same_pages = before.setup == doc.setup && before.pages == doc.pages;
    measure_as(doc, fonts, same_pages.then_some(fit))
}

/// [`measure`], with the fit of a document that has the same setup and pages, if known.
fn measure_as(doc: &Document, fonts: &Fonts, same_pages: Option<&Fit>) -> Fit {
    let (mut misfits, band_bottom_pt) = header_misfits(doc, fonts);
    if !misfits.is_empty() {
        return Fit {
            misfits,
            band_bottom_pt,
            ..Fit::default()
        };
    }
    if let Some(before) = same_pages.filter(|before| {
        before.misfits.is_empty()
            && before.band_bottom_pt == band_bottom_pt
            && before.sheets_per_page.len() == doc.pages.len()
    }) {
        return before.clone();
    }
    let pages = measure_pages(doc, fonts);
    misfits.extend(
        pages
            .iter()
            .enumerate()
            .filter(|(_, page)| page.heading_too_tall)
            .map(|(page, _)| Misfit::Heading { page }),
    );
    misfits.extend(wide_characters(doc, fonts));
    let mut sheets_per_page = Vec::with_capacity(pages.len());
    for (index, page) in pages.into_iter().enumerate() {
        sheets_per_page.push(page.sheets);
        // What the character check above did not explain: still outside its box.
        let explained = misfits
            .iter()
            .any(|m| matches!(m, Misfit::TooWide { page: Some(p), .. } if *p == index));
        if explained {
            continue;
        }
        for (text, box_mm) in page.too_wide {
            let misfit = Misfit::TooWide {
                page: Some(index),
                text,
                paragraph: None,
                box_mm,
            };
            if !misfits.contains(&misfit) {
                misfits.push(misfit);
            }
        }
    }
    Fit {
        sheets: sheets_per_page.iter().sum(),
        sheets_per_page,
        misfits,
        band_bottom_pt,
    }
}

/// What laying out one document page found.
struct PageMeasure {
    /// The page's heading alone needs more than one sheet.
    heading_too_tall: bool,
    sheets: usize,
    /// The page's texts outside their boxes, with the box width in mm.
    too_wide: Vec<(String, f32)>,
}

/// Every page laid out on its own (each starts a sheet, so its layout is the one it has in
/// the whole document), on several threads ([`crate::parallel`]): pages are independent,
/// and each thread holds one page's layout at a time, whatever the number of cards. In page
/// order.
fn measure_pages(doc: &Document, fonts: &Fonts) -> Vec<PageMeasure> {
    crate::parallel::map_in_order(
        &doc.pages,
        || PageLayout::new(doc, fonts),
        |layout, index, page| {
            let heading_too_tall = match page.blocks.first() {
                Some(heading @ Block::Paragraph(_)) => {
                    layout
                        .page(index, &page_of(page, vec![heading.clone()]))
                        .len()
                        > 1
                }
                _ => false,
            };
            let sheets = layout.page(index, page);
            PageMeasure {
                heading_too_tall,
                sheets: sheets.len(),
                too_wide: too_wide(sheets.iter().flat_map(|s| &s.items)).collect(),
            }
        },
    )
}

/// The header band alone on a sheet: it must leave room for one line of the tallest text,
/// and each of its texts must stay inside it. Also gives where the band ends (every text of
/// the band has the whole band as its box).
fn header_misfits(doc: &Document, fonts: &Fonts) -> (Vec<Misfit>, f32) {
    let empty = Page {
        kind: PageKind::Glossary,
        bookmark: String::new(),
        outline_entry: String::new(),
        blocks: Vec::new(),
        continuation: None,
        change: None,
    };
    let alone = with_pages(doc, vec![empty]);
    let layout = super::page::layout(&alone, fonts);
    let items: Vec<&Item> = layout.sheets.iter().flat_map(|s| &s.items).collect();
    let mut misfits: Vec<Misfit> = too_wide(items.iter().copied())
        .map(|(text, box_mm)| Misfit::TooWide {
            page: None,
            text,
            paragraph: None,
            box_mm,
        })
        .collect();
    let setup = &doc.setup;
    let page = &setup.sheet;
    let (top, bottom) = (
        mm_to_pt(page.margin_top_mm),
        mm_to_pt(page.height_mm - page.margin_bottom_mm),
    );
    let texts: Vec<(f32, f32, f32)> = items
        .iter()
        .filter_map(|item| match item {
            Item::Text { x, y, bounds, .. } => Some((*x, *y, bounds.y + bounds.h)),
            _ => None,
        })
        .collect();
    let band_bottom = texts.iter().map(|t| t.2).fold(top, f32::max);
    let lowest_x = texts
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(0.0, |t| t.0);
    let room = bottom - band_bottom - mm_to_pt(setup.header_space_after_mm);
    let needed = content_room_pt(doc, fonts);
    if !at_least(room, needed) {
        let middle = mm_to_pt(page.margin_left_mm + page.content_width_mm() / 2.0);
        misfits.push(Misfit::Header {
            band_mm: pt_to_mm(band_bottom - top),
            room_mm: pt_to_mm(room),
            needed_mm: pt_to_mm(needed),
            right_block: lowest_x >= middle,
        });
    }
    (misfits, band_bottom)
}

/// The text items that reach past the sides of their box, with the box width in mm.
fn too_wide<'a>(items: impl IntoIterator<Item = &'a Item>) -> impl Iterator<Item = (String, f32)> {
    items.into_iter().filter_map(|item| match item {
        Item::Text {
            x,
            width_pt,
            bounds,
            text,
            ..
        } if *x < bounds.x - PLACEMENT_TOLERANCE_PT
            || x + width_pt > bounds.x + bounds.w + PLACEMENT_TOLERANCE_PT =>
        {
            Some((text.clone(), pt_to_mm(bounds.w)))
        }
        _ => None,
    })
}

/// Characters wider than the box of their paragraph: the page width between the margins for
/// a paragraph, the cell's grid columns less the padding in a table. Each character once
/// per paragraph.
fn wide_characters(doc: &Document, fonts: &Fonts) -> Vec<Misfit> {
    let content_pt = mm_to_pt(doc.setup.sheet.content_width_mm());
    let pad_pt = 2.0 * mm_to_pt(doc.setup.cell_padding_mm);
    let mut boxes: Vec<(usize, &Paragraph, f32)> = Vec::new();
    for (index, page) in doc.pages.iter().enumerate() {
        for block in &page.blocks {
            match block {
                Block::Paragraph(p) => boxes.push((index, p, content_pt)),
                Block::Table(table) => {
                    for row in &table.rows {
                        let mut column = 0;
                        for cell in &row.cells {
                            let span = table.columns_mm.get(column..column + cell.span);
                            let width_mm: f32 = span.unwrap_or_default().iter().sum();
                            column += cell.span;
                            for p in &cell.paragraphs {
                                boxes.push((index, p, mm_to_pt(width_mm) - pad_pt));
                            }
                        }
                    }
                }
            }
        }
    }
    let mut misfits = Vec::new();
    for (page, paragraph, box_pt) in boxes {
        let mut seen: Vec<char> = Vec::new();
        for run in &paragraph.runs {
            let face = fonts.face(run.bold);
            for c in run.text.chars() {
                let width = face.advance(c).unwrap_or(0.0) * paragraph.size_pt / 1000.0;
                if width > box_pt + PLACEMENT_TOLERANCE_PT && !seen.contains(&c) {
                    seen.push(c);
                    misfits.push(Misfit::TooWide {
                        page: Some(page),
                        text: c.to_string(),
                        paragraph: Some(paragraph.plain_text()),
                        box_mm: pt_to_mm(box_pt),
                    });
                }
            }
        }
    }
    misfits
}

fn with_pages(doc: &Document, pages: Vec<Page>) -> Document {
    Document {
        meta: doc.meta.clone(),
        setup: doc.setup.clone(),
        header: doc.header.clone(),
        pages,
    }
}

fn page_of(page: &Page, blocks: Vec<Block>) -> Page {
    Page {
        kind: page.kind.clone(),
        bookmark: page.bookmark.clone(),
        outline_entry: page.outline_entry.clone(),
        blocks,
        continuation: page.continuation.clone(),
        change: page.change,
    }
}
