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
pub mod fit_check;
pub mod i18n;
pub mod icc;
pub mod layout;
pub mod output;
pub mod parallel;
pub mod registration;
pub mod render;
pub mod template;
pub mod text;
pub mod units;
pub mod verify;

use cards::AnnexSource;
use diagnostics::{Diagnostic, Diagnostics, SourceFile};
use document::{BuildOptions, Selection};
use icc::IccProfile;
use layout::fonts::{FontFace, Fonts};
use std::path::{Path, PathBuf};
use template::Template;

/// Everything the renderers need, loaded and checked.
#[derive(Debug, Clone)]
pub struct Project {
    pub template: Template,
    pub fonts: Fonts,
    /// The PDF/A output intent's colour profile, checked.
    pub icc_profile: IccProfile,
    pub source: AnnexSource,
    /// The cards folder, for locating messages about the annex and glossary files.
    pub cards_dir: PathBuf,
    /// The fit of the template-mode annex, found by the check at load (the sheets each of
    /// its pages takes): a build counts its annex from it instead of laying it out again
    /// when the pages are the same (see [`layout::fit::measure_like`]).
    pub template_annex_fit: layout::fit::Fit,
}

impl Project {
    /// The whole annex in template mode, as `check` and a template build see it.
    pub fn template_annex(&self) -> document::Document {
        document::build(
            &self.source,
            &self.template,
            &BuildOptions::default(),
            Selection::WholeAnnex,
        )
    }
}

/// Loads the template, its fonts and colour profile and the cards folder, reporting every
/// problem in all files; then checks that the whole annex fits its pages.
pub fn load_project(cards_dir: &Path, template_path: &Path) -> Result<Project, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let template = Template::load(template_path)
        .map_err(|d| diagnostics.extend(d))
        .ok();
    let fonts = template.as_ref().and_then(|t| {
        let load = |key: &str, path: &str| {
            FontFace::load(&t.resolve(path)).map_err(|e| {
                t.error_at_key(key, format!("{}: {}", t.resolve(path).display(), e.message))
                    .help(e.help.unwrap_or_default())
            })
        };
        let regular = load("fonts.regular", t.fonts.regular.get_ref());
        let bold = load("fonts.bold", t.fonts.bold.get_ref());
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
    let icc_profile = template
        .as_ref()
        .and_then(|t| load_icc(t).map_err(|d| diagnostics.push(d)).ok());
    let covers = |c: char| fonts.as_ref().is_some_and(|f| f.covers(c));
    let coverage: Option<&(dyn Fn(char) -> bool + Sync)> = fonts.is_some().then_some(&covers as _);
    let source = cards::load(cards_dir, coverage)
        .map_err(|d| diagnostics.extend(d))
        .ok();
    match (template, fonts, icc_profile, source) {
        (Some(template), Some(fonts), Some(icc_profile), Some(source))
            if diagnostics.is_empty() =>
        {
            check_labels(&template, &fonts)?;
            let mut project = Project {
                template,
                fonts,
                icc_profile,
                source,
                cards_dir: cards_dir.to_path_buf(),
                template_annex_fit: layout::fit::Fit::default(),
            };
            project.template_annex_fit = check_fit(&project)?;
            Ok(project)
        }
        _ => Err(diagnostics),
    }
}

/// Reads and checks the colour profile the template names.
fn load_icc(template: &Template) -> Result<IccProfile, Diagnostic> {
    const KEY: &str = "pdf.output_intent_icc";
    let path = template.resolve(template.pdf.output_intent_icc.get_ref());
    // Made only for an error: the messages are not parsed in a run that needs none.
    let help = || tr!("export-icc-help");
    let bytes = std::fs::read(&path).map_err(|e| {
        template
            .error_at_key(
                KEY,
                tr!(
                    "export-icc-unreadable",
                    file = path.display().to_string(),
                    error = e.to_string()
                ),
            )
            .help(help())
    })?;
    IccProfile::from_bytes(bytes).map_err(|why| {
        template
            .error_at_key(
                KEY,
                tr!(
                    "export-icc-unusable",
                    file = path.display().to_string(),
                    why = why
                ),
            )
            .help(help())
    })
}

/// The whole annex, as `check` and a template-mode build see it, fits its pages; gives its
/// fit (the sheets each of its pages takes).
fn check_fit(project: &Project) -> Result<layout::fit::Fit, Diagnostics> {
    let doc = project.template_annex();
    let (fit, problems) = fit_check::check(
        &doc,
        None,
        &project.source,
        &project.template,
        &project.fonts,
        &project.cards_dir,
    );
    problems.into_result(fit)
}

/// The template's fixed wording must be drawable with its own fonts, after NFC
/// normalisation, reported at the character as written.
fn check_labels(template: &Template, fonts: &Fonts) -> Result<(), Diagnostics> {
    let file = SourceFile::new(&template.path, template.text());
    let covers = |c: char| fonts.covers(c);
    let mut d = Diagnostics::default();
    for (key, value, span) in template::string_values(template.text()) {
        let printed = template.printed_texts().iter().any(|(k, _)| *k == key)
            || key == "registration.date_format";
        if !printed {
            continue;
        }
        let source = file.text.get(span.clone()).unwrap_or_default();
        for p in text::find_undrawable(&value, &covers) {
            let piece = value.get(p.range.clone()).unwrap_or_default();
            d.push(
                file.error_at(text::locate_in_value(source, &span, piece), p.message)
                    .field(key.clone())
                    .help(tr!("export-undrawable-help")),
            );
        }
    }
    d.into_result(())
}

/// The bundled project (`cards/` and `templates/lisa.toml` of this package), for unit tests.
#[cfg(test)]
pub(crate) fn bundled_project() -> Project {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    load_project(&root.join("cards"), &root.join("templates/lisa.toml"))
        .unwrap_or_else(|d| panic!("the bundled project loads: {d:?}"))
}
