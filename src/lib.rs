//! rollikaart: the Social Insurance Board's role-card annex ("Lisa") from TOML cards.
//!
//! The data flows one way: card and template files → validated model ([`cards`],
//! [`template`]) → one format-neutral [`document`] → renderers (PDF, DOCX) → files written
//! atomically. This crate is the library; the `rollikaart` binary is a thin shell over it.
//!
//! No panics: `unwrap`, `expect` and unchecked indexing are refused here and in the binary
//! (tests may use them, see `clippy.toml`); the few places that keep one say why beside it.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

pub mod cards;
pub mod diagnostics;
pub mod diff;
pub mod document;
pub mod export;
pub mod i18n;
pub mod layout;
pub mod output;
pub mod registration;
pub mod render;
pub mod template;
pub mod text;
pub mod units;

use cards::AnnexSource;
use diagnostics::{Diagnostic, Diagnostics};
use layout::fonts::{FontFace, Fonts};
use std::path::Path;
use template::Template;

/// Everything the renderers need, loaded and checked.
#[derive(Debug, Clone)]
pub struct Project {
    pub template: Template,
    pub fonts: Fonts,
    pub source: AnnexSource,
}

/// Loads the template, its fonts and the cards folder, reporting every problem in all files.
pub fn load_project(cards_dir: &Path, template_path: &Path) -> Result<Project, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let template = Template::load(template_path)
        .map_err(|d| diagnostics.extend(d))
        .ok();
    let fonts = template.as_ref().and_then(|t| {
        let regular = FontFace::load(&t.resolve(t.fonts.regular.get_ref()));
        let bold = FontFace::load(&t.resolve(t.fonts.bold.get_ref()));
        match (regular, bold) {
            (Ok(regular), Ok(bold)) => Some(Fonts { regular, bold }),
            (r, b) => {
                for e in [r.err(), b.err()].into_iter().flatten() {
                    diagnostics.push(e);
                }
                None
            }
        }
    });
    let covers = |c: char| fonts.as_ref().is_some_and(|f| f.covers(c));
    let coverage: Option<&dyn Fn(char) -> bool> = fonts.is_some().then_some(&covers as _);
    let source = cards::load(cards_dir, coverage)
        .map_err(|d| diagnostics.extend(d))
        .ok();
    match (template, fonts, source) {
        (Some(template), Some(fonts), Some(source)) if diagnostics.is_empty() => {
            check_labels(&template, &fonts).into_result(Project {
                template,
                fonts,
                source,
            })
        }
        _ => Err(diagnostics),
    }
}

/// The template's fixed wording must be drawable with its own fonts.
fn check_labels(template: &Template, fonts: &Fonts) -> Diagnostics {
    let mut d = Diagnostics::default();
    let fixed = template
        .header
        .right_lines
        .iter()
        .chain(std::iter::once(&template.glossary.separator))
        .chain(std::iter::once(&template.draft.mark))
        .chain(template.labels().into_iter().map(|(_, l)| l.get_ref()));
    for text in fixed {
        if let Some(c) = text.chars().find(|&c| !fonts.covers(c)) {
            d.push(
                Diagnostic::new(Some(&template.path), format!(
                    "the template text \"{text}\" has the character `{c}` (U+{:04X}) that the fonts cannot draw",
                    c as u32
                ))
                .help("replace the character or choose fonts that have it"),
            );
        }
    }
    d
}
