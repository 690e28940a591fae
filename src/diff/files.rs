//! The files of `rollikaart diff --out DIR`: the redline of the new annex rendered in memory
//! (`muudatused.docx` with Word tracked changes, `muudatused.pdf` with deleted words struck
//! through and inserted ones underlined), with a manifest of its own, ready for the
//! same all-or-nothing writer as `build` ([`crate::output::write_all`]).

use super::redline::{self, RedlineOptions};
use super::{AnnexDiff, compare};
use crate::Project;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::document::{BuildOptions, Document};
use crate::output::{MANIFEST, OutputFile, manifest};
use crate::render::docx::Docx;
use crate::render::pdf::Pdf;
use crate::render::{RenderContext, Renderer};
use crate::tr;

/// The file name (without extension) of the redline.
pub const REDLINE_STEM: &str = "muudatused";

/// The manifest of a diff's files: its own name, so that a diff into a build's folder
/// leaves the build's manifest (and files) alone.
pub fn manifest_name() -> String {
    format!("{MANIFEST}.{REDLINE_STEM}")
}

/// The rendered redline files, the manifest last.
#[derive(Debug, Clone)]
pub struct RedlineExport {
    pub files: Vec<OutputFile>,
    pub manifest: String,
    /// Pages of the redline document.
    pub pages: usize,
    /// The comparison the files show.
    pub diff: AnnexDiff,
}

/// Compares `old` with `new` and renders the redline of `new` in memory; nothing is written.
/// `timestamp` is the date written into the files' properties (as for `build`).
pub fn export(
    old: &Project,
    new: &Project,
    options: &BuildOptions,
    redline_options: &RedlineOptions,
    timestamp: i64,
) -> Result<RedlineExport, Diagnostics> {
    let diff = compare(&old.source, &new.source, &new.template.glossary.separator);
    let document = redline::build(
        &diff,
        &new.source.annex,
        &new.template,
        options,
        redline_options,
    );
    let producer = format!("rollikaart {}", env!("CARGO_PKG_VERSION"));
    let context = RenderContext {
        fonts: &new.fonts,
        icc_profile: &new.icc_profile,
        timestamp,
        producer: &producer,
    };
    // Both formats at once, as a build renders its files (the DOCX, then the PDF).
    let (docx, pdf) = (Docx::default(), Pdf::default());
    let renderers: [&dyn Renderer; 2] = [&docx, &pdf];
    let mut files = crate::parallel::map_in_order(
        &renderers,
        || (),
        |(), _, renderer| render(*renderer, &document, &context),
    )
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    let manifest_name = manifest_name();
    files.push(manifest(&manifest_name, &files));
    Ok(RedlineExport {
        files,
        manifest: manifest_name,
        pages: document.pages.len(),
        diff,
    })
}

fn render(
    renderer: &dyn Renderer,
    document: &Document,
    context: &RenderContext<'_>,
) -> Result<OutputFile, Diagnostic> {
    let relative = format!("{REDLINE_STEM}.{}", renderer.extension());
    let bytes = renderer.render(document, context).map_err(|e| {
        Diagnostic::new(
            None,
            tr!(
                "export-render-failed",
                file = relative.clone(),
                error = e.to_string()
            ),
        )
    })?;
    Ok(OutputFile { relative, bytes })
}
