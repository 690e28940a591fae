//! What every fuzz case that loads must hold, shared by the `card_file` and `template_file`
//! targets (through `template_case.rs`) and their replays in `tests/`: one card renders to
//! PDF and DOCX without error, and every text item of the PDF's layout lies inside its box
//! and the page.

use rollikaart::cards::{AnnexSource, Card};
use rollikaart::document::{BuildOptions, Selection, build};
use rollikaart::render::docx::Docx;
use rollikaart::render::pdf::Pdf;
use rollikaart::render::{RenderContext, Renderer};
use rollikaart::template::Template;

/// Renders `card` of `source` with `template` in both formats and checks the result; gives
/// the sizes of the PDF and the DOCX, or what went wrong.
pub fn render_card(
    source: &AnnexSource,
    template: &Template,
    context: &RenderContext<'_>,
    pdf: &Pdf,
    card: &Card,
) -> Result<(usize, usize), String> {
    let doc = build(
        source,
        template,
        &BuildOptions::default(),
        Selection::OneCard(card),
    );
    let (pdf, layout) = pdf
        .render_with_layout(&doc, context)
        .map_err(|e| format!("the PDF failed: {e}"))?;
    if !pdf.starts_with(b"%PDF-") {
        return Err("the PDF does not start with %PDF-".into());
    }
    let misplaced = layout.misplaced_text();
    if !misplaced.is_empty() {
        return Err(format!("text outside its box or the page: {misplaced:?}"));
    }
    let docx = Docx::default()
        .render(&doc, context)
        .map_err(|e| format!("the DOCX failed: {e}"))?;
    if !docx.starts_with(b"PK") {
        return Err("the DOCX is not a ZIP package".into());
    }
    Ok((pdf.len(), docx.len()))
}
