//! The page setup: every measure, size, font name and mark a renderer needs beside the
//! content, decided once from the template when a document is built.
//!
//! Renderers and the layout read these values and nothing of the template; a value the
//! template has but no renderer draws (card labels, wording) stays out.

use crate::template::{RedlineStyle, Template};
use crate::units::mm_to_pt;

/// How the document is set on paper.
#[derive(Debug, Clone, PartialEq)]
pub struct Setup {
    pub sheet: SheetGeometry,
    /// Between the annex title and the approval lines of the header band.
    pub header_column_gap_mm: f32,
    /// Below the header band, before the page content.
    pub header_space_after_mm: f32,
    /// Inside every table cell, on each side.
    pub cell_padding_mm: f32,
    /// The width of every table rule.
    pub border_pt: f32,
    /// A multiple of the font's natural line height.
    pub line_spacing: f32,
    /// The sizes of the kinds of paragraph, for the DOCX style set.
    pub sizes: StyleSizes,
    /// Below a title (or its subtitle), and below a continued title.
    pub title_space_after_pt: f32,
    /// The draft mark's look; whether there is one, and its text, is in the metadata.
    pub draft: DraftLook,
    /// The font family name written into the DOCX.
    pub docx_font_family: String,
    /// The PDF/A output intent's name.
    pub output_intent_name: String,
    /// Words hyphenated as given (soft hyphens), before the patterns are asked.
    pub hyphenation_exceptions: Vec<String>,
    /// How a redline marks deleted and inserted text (strike, underline, colours, what a
    /// screen reader says).
    pub redline: RedlineStyle,
}

pub use crate::units::SheetGeometry;

/// The font size of each kind of paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StyleSizes {
    pub header_pt: f32,
    pub title_pt: f32,
    pub subtitle_pt: f32,
    pub body_pt: f32,
}

/// The draft mark's size and grey (0 black, 1 white).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DraftLook {
    pub size_pt: f32,
    pub gray: f32,
}

impl Setup {
    pub(super) fn from_template(t: &Template) -> Setup {
        Setup {
            sheet: t.page,
            header_column_gap_mm: t.header.column_gap_mm,
            header_space_after_mm: t.header.space_after_mm,
            cell_padding_mm: t.table.cell_padding_mm,
            border_pt: t.table.border_pt,
            line_spacing: t.sizes.line_spacing,
            sizes: StyleSizes {
                header_pt: t.sizes.header_pt,
                title_pt: t.sizes.title_pt,
                subtitle_pt: t.sizes.subtitle_pt,
                body_pt: t.sizes.body_pt,
            },
            title_space_after_pt: mm_to_pt(t.title.space_after_mm),
            draft: DraftLook {
                size_pt: t.draft.size_pt,
                gray: t.draft.gray,
            },
            docx_font_family: t.fonts.docx_family.clone(),
            output_intent_name: t.pdf.output_intent_name.clone(),
            hyphenation_exceptions: t.hyphenation.exceptions.clone(),
            redline: t.redline.clone(),
        }
    }
}
