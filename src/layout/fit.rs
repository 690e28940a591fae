//! Whether a document can be placed on its pages, decided before the real layout.
//!
//! The layout always moves on when every sheet has room below the header band for one line
//! of the tallest text with its cell padding; this module makes sure of that first, so that
//! an oversized header (a long annex title, large type, big margins) is a located error and
//! never an endless run of sheets. With that settled, it lays the document out once and
//! reports every text the layout cannot keep inside its box: a page heading taller than a
//! page, a character wider than its column. Each finding is traced back to the file and key
//! it came from.

use super::fonts::Fonts;
use super::page::{Item, PLACEMENT_TOLERANCE_PT, line_height_pt};
use crate::cards::{ANNEX_FILE, AnnexSource, GLOSSARY_FILE};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::document::{Block, Document, Page, PageKind};
use crate::template::{Template, at_least, error_at_key, string_values};
use crate::text::{SOFT_HYPHEN, locate_in_value};
use crate::units::PT_PER_MM;
use std::path::Path;

/// Room (in points) a sheet must have beyond one line of the tallest text: keeps float
/// rounding in the layout's arithmetic from ever deciding that no line fits.
const FIT_MARGIN_PT: f32 = 1.0;

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
    /// `text` is wider than its box (`None`: in the header band): one character that cannot
    /// be cut further.
    TooWide {
        page: Option<usize>,
        text: String,
        box_mm: f32,
    },
}

/// What the check found, and how many sheets the layout needs when it ran.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fit {
    pub sheets: usize,
    pub misfits: Vec<Misfit>,
}

/// Measures `doc` on the template's pages. The full layout runs only after the header check
/// has made sure that it ends.
pub fn measure(doc: &Document, template: &Template, fonts: &Fonts) -> Fit {
    let mut misfits = header_misfits(doc, template, fonts);
    if !misfits.is_empty() {
        return Fit { sheets: 0, misfits };
    }
    for (index, page) in doc.pages.iter().enumerate() {
        if let Some(heading @ Block::Paragraph(_)) = page.blocks.first() {
            let alone = with_pages(doc, vec![page_of(page, vec![heading.clone()])]);
            if super::page::layout(&alone, template, fonts).sheets.len() > 1 {
                misfits.push(Misfit::Heading { page: index });
            }
        }
    }
    let layout = super::page::layout(doc, template, fonts);
    for sheet in &layout.sheets {
        for (text, box_mm) in too_wide(&sheet.items) {
            let misfit = Misfit::TooWide {
                page: Some(sheet.page),
                text,
                box_mm,
            };
            if !misfits.contains(&misfit) {
                misfits.push(misfit);
            }
        }
    }
    Fit {
        sheets: layout.sheets.len(),
        misfits,
    }
}

/// The header band alone on a sheet: it must leave room for one line of the tallest text,
/// and each of its texts must stay inside it.
fn header_misfits(doc: &Document, template: &Template, fonts: &Fonts) -> Vec<Misfit> {
    let empty = Page {
        kind: PageKind::Glossary,
        bookmark: String::new(),
        blocks: Vec::new(),
    };
    let alone = with_pages(doc, vec![empty]);
    let layout = super::page::layout(&alone, template, fonts);
    let items: Vec<&Item> = layout.sheets.iter().flat_map(|s| &s.items).collect();
    let mut misfits: Vec<Misfit> = too_wide(items.iter().copied())
        .map(|(text, box_mm)| Misfit::TooWide {
            page: None,
            text,
            box_mm,
        })
        .collect();
    let page = &template.page;
    let (top, bottom) = (
        page.margin_top_mm * PT_PER_MM,
        (page.height_mm - page.margin_bottom_mm) * PT_PER_MM,
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
    let room = bottom - band_bottom - template.header.space_after_mm * PT_PER_MM;
    let pad = 2.0 * template.table.cell_padding_mm * PT_PER_MM;
    let tallest = doc
        .pages
        .iter()
        .flat_map(Page::paragraphs)
        .map(|p| line_height_pt(p.size_pt, fonts, template))
        .fold(0.0, f32::max);
    let needed = tallest + pad + FIT_MARGIN_PT;
    if !at_least(room, needed) {
        let middle = (page.margin_left_mm + page.content_width_mm() / 2.0) * PT_PER_MM;
        misfits.push(Misfit::Header {
            band_mm: (band_bottom - top) / PT_PER_MM,
            room_mm: room / PT_PER_MM,
            needed_mm: needed / PT_PER_MM,
            right_block: lowest_x >= middle,
        });
    }
    misfits
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
            Some((text.clone(), bounds.w / PT_PER_MM))
        }
        _ => None,
    })
}

fn with_pages(doc: &Document, pages: Vec<Page>) -> Document {
    Document {
        meta: doc.meta.clone(),
        header: doc.header.clone(),
        pages,
    }
}

fn page_of(page: &Page, blocks: Vec<Block>) -> Page {
    Page {
        kind: page.kind.clone(),
        bookmark: page.bookmark.clone(),
        blocks,
    }
}

/// Checks that `doc` fits, as located diagnostics: each finding points at the card, annex,
/// glossary or template value it came from (`cards_dir` holds the annex and glossary files).
pub fn check(
    doc: &Document,
    source: &AnnexSource,
    template: &Template,
    fonts: &Fonts,
    cards_dir: &Path,
) -> (Fit, Diagnostics) {
    let fit = measure(doc, template, fonts);
    let files = Files {
        doc,
        source,
        template,
        cards_dir,
    };
    let diagnostics = Diagnostics(fit.misfits.iter().map(|m| files.diagnose(m)).collect());
    (fit, diagnostics)
}

/// Where the texts of a document came from.
struct Files<'a> {
    doc: &'a Document,
    source: &'a AnnexSource,
    template: &'a Template,
    cards_dir: &'a Path,
}

impl Files<'_> {
    fn diagnose(&self, misfit: &Misfit) -> Diagnostic {
        match misfit {
            Misfit::Header {
                band_mm,
                room_mm,
                needed_mm,
                right_block,
            } => {
                let message = format!(
                    "the page header is {band_mm:.1} mm tall and leaves {room_mm:.1} mm below it; one line of the largest text with its cell padding needs {needed_mm:.1} mm"
                );
                let header_is_small = band_mm + room_mm >= *needed_mm;
                let at = if !header_is_small {
                    self.template.error_at_key("sizes.line_spacing", message)
                } else if *right_block {
                    self.template.error_at_key("header.right_lines", message)
                } else {
                    self.at_key(&self.cards_dir.join(ANNEX_FILE), "title", message)
                };
                at.help("shorten the annex title or the header lines, or make the template's header_pt, line spacing or margins smaller")
            }
            Misfit::Heading { page } => {
                let message = "the title is taller than the room on a page below the header";
                self.at_page_key(*page, "title", message)
                    .help("shorten the title, or make the template's title_pt smaller")
            }
            Misfit::TooWide { page, text, box_mm } => {
                let message = format!(
                    "`{text}` cannot be cut to fit its column ({box_mm:.1} mm wide for text)"
                );
                self.at_text(*page, text, message)
                    .help("the template's column widths, padding or font sizes leave no room for this character; make the column wider or the type smaller")
            }
        }
    }

    /// The source file of document page `page`.
    fn page_file(&self, page: usize) -> Option<std::path::PathBuf> {
        match &self.doc.pages.get(page)?.kind {
            PageKind::Card { order, .. } => self
                .source
                .cards
                .iter()
                .find(|c| c.order == *order)
                .map(|c| c.source.clone()),
            PageKind::Glossary => Some(self.cards_dir.join(GLOSSARY_FILE)),
        }
    }

    fn at_page_key(&self, page: usize, key: &str, message: &str) -> Diagnostic {
        match self.page_file(page) {
            Some(path) => self.at_key(&path, key, message),
            None => Diagnostic::new(None, message),
        }
    }

    fn at_key(&self, path: &Path, key: &str, message: impl Into<String>) -> Diagnostic {
        match read(path) {
            Some(file) => error_at_key(&file, key, message),
            None => Diagnostic::new(Some(path), message).field(key),
        }
    }

    /// A diagnostic at the first place `text` (a piece of a laid-out line) was written: the
    /// page's own file, then the annex file, then the template.
    fn at_text(&self, page: Option<usize>, text: &str, message: String) -> Diagnostic {
        let piece = text.trim_end_matches(['-', SOFT_HYPHEN]);
        let piece = if piece.is_empty() { text } else { piece };
        let mut files: Vec<SourceFile> = Vec::new();
        files.extend(page.and_then(|p| self.page_file(p)).and_then(|p| read(&p)));
        files.extend(read(&self.cards_dir.join(ANNEX_FILE)));
        files.push(SourceFile::new(&self.template.path, self.template.text()));
        for file in &files {
            for (key, value, span) in string_values(&file.text) {
                if value.contains(piece) {
                    let source = file.text.get(span.clone()).unwrap_or_default();
                    return file
                        .error_at(locate_in_value(source, &span, piece), message)
                        .field(key);
                }
            }
        }
        // Not written in any file: the registration data from the command line.
        Diagnostic::new(None, message)
    }
}

fn read(path: &Path) -> Option<SourceFile> {
    std::fs::read_to_string(path)
        .ok()
        .map(|text| SourceFile::new(path, text))
}
