//! The fit check as located diagnostics: [`crate::layout::fit::measure`] finds what the
//! layout cannot place ([`Misfit`]); this module traces each finding back to the card,
//! annex, glossary or template value it came from, so that the layout itself never reads
//! the template or the source files.

use crate::cards::{ANNEX_FILE, AnnexSource, GLOSSARY_FILE};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::document::{Document, PageKind};
use crate::i18n::decimal;
use crate::layout::fit::{Fit, Misfit, measure, measure_like};
use crate::layout::fonts::Fonts;
use crate::template::{Template, error_at_key, key_span, string_values};
use crate::text::{SOFT_HYPHEN, locate_in_value};
use crate::tr;
use std::path::Path;

/// Checks that `doc` fits, as located diagnostics: each finding points at the card, annex,
/// glossary or template value it came from (`cards_dir` holds the annex and glossary files).
/// `before`: a document found to fit before, which may have the same pages (see
/// [`measure_like`]).
pub fn check(
    doc: &Document,
    before: Option<(&Document, &Fit)>,
    source: &AnnexSource,
    template: &Template,
    fonts: &Fonts,
    cards_dir: &Path,
) -> (Fit, Diagnostics) {
    let fit = match before {
        Some(before) => measure_like(doc, fonts, before),
        None => measure(doc, fonts),
    };
    let files = Files {
        doc,
        source,
        template,
        cards_dir,
    };
    let mut diagnostics = Diagnostics::default();
    for misfit in &fit.misfits {
        // A label or the header stands on every page; say it once.
        let d = files.diagnose(misfit);
        if !diagnostics.0.contains(&d) {
            diagnostics.push(d);
        }
    }
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
                let room_for_header = (band_mm + room_mm - needed_mm).max(0.0);
                let message = tr!(
                    "layout-header-too-tall",
                    header = decimal(f64::from(*band_mm), 1),
                    room = decimal(f64::from(room_for_header), 1),
                    needed = decimal(f64::from(*needed_mm), 1)
                );
                let header_is_small = band_mm + room_mm >= *needed_mm;
                let at = if !header_is_small {
                    self.template.error_at_key("sizes.line_spacing", message)
                } else if *right_block {
                    self.template.error_at_key("header.right_lines", message)
                } else {
                    self.at_key(&self.cards_dir.join(ANNEX_FILE), "title", message)
                };
                at.help(tr!("layout-header-too-tall-help"))
            }
            Misfit::Heading { page } => {
                let message = tr!("layout-title-too-tall");
                self.at_page_key(*page, "title", &message)
                    .help(tr!("layout-title-too-tall-help"))
            }
            Misfit::TooWide {
                page,
                text,
                paragraph,
                box_mm,
            } => {
                let message = tr!(
                    "layout-too-wide",
                    text = text.as_str(),
                    width = decimal(f64::from(*box_mm), 1)
                );
                let located = page
                    .zip(paragraph.as_deref())
                    .and_then(|(page, p)| self.paragraph_source(page, p))
                    .map(|(file, key)| self.at_piece(&file, &key, text, &message));
                located
                    .unwrap_or_else(|| self.at_text(*page, text, message))
                    .help(tr!("layout-too-wide-help"))
            }
        }
    }

    /// The file and key a paragraph of document page `page` was written at: a card's title,
    /// subtitle or field, a glossary title or entry, or a template label.
    fn paragraph_source(&self, page: usize, paragraph: &str) -> Option<(SourceFile, String)> {
        let template_file = || SourceFile::new(&self.template.path, self.template.text());
        let label = self
            .template
            .labels
            .iter()
            .find(|(_, l)| l.get_ref() == paragraph)
            .map(|(spec, _)| (template_file(), format!("labels.{}", spec.key)));
        let own = match &self.doc.pages.get(page)?.kind {
            PageKind::Card { order, .. } => {
                let card = self.source.cards.iter().find(|c| c.order == *order)?;
                let field = card
                    .fields
                    .iter()
                    .find(|(_, text)| text.paragraphs.iter().any(|p| p == paragraph))
                    .map(|(spec, _)| spec.key.to_string());
                let key = if card.title == paragraph {
                    Some("title".to_string())
                } else if card.subtitle.as_deref() == Some(paragraph) {
                    Some("subtitle".to_string())
                } else {
                    field
                };
                key.and_then(|k| Some((read(&card.source)?, k)))
            }
            PageKind::Glossary => {
                let glossary = &self.source.glossary;
                let key = if glossary.title == paragraph {
                    Some("title".to_string())
                } else {
                    glossary
                        .entries
                        .iter()
                        .position(|e| {
                            paragraph.starts_with(e.term.as_str())
                                || e.definition.paragraphs.iter().any(|p| p == paragraph)
                        })
                        .map(|i| format!("entries[{i}]"))
                };
                key.and_then(|k| Some((read(&self.cards_dir.join(GLOSSARY_FILE))?, k)))
            }
        };
        own.or(label)
    }

    /// A diagnostic at `piece` inside the value of `key` in `file`.
    fn at_piece(&self, file: &SourceFile, key: &str, piece: &str, message: &str) -> Diagnostic {
        match key_span(file, key) {
            Some(span) => {
                let source = file.text.get(span.clone()).unwrap_or_default();
                file.error_at(locate_in_value(source, &span, piece), message)
                    .field(key)
            }
            None => error_at_key(file, key, message),
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
