//! The annex template: fixed wording, page geometry, fonts and sizes (`templates/lisa.toml`).
//!
//! Nothing the reader sees on a page is decided in code: labels, header lines, sizes, margins,
//! column widths, borders and fills all come from this file. Paths inside it are relative to
//! the template file.

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The default template, relative to the working folder.
pub const DEFAULT_TEMPLATE: &str = "templates/lisa.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub page: Page,
    pub fonts: Fonts,
    pub pdf: Pdf,
    pub sizes: Sizes,
    pub header: Header,
    pub title: TitleStyle,
    pub labels: Labels,
    pub table: Table,
    pub glossary: GlossaryStyle,
    pub hyphenation: Hyphenation,
    pub registration: Registration,
    pub draft: Draft,
    /// The template file itself, for messages.
    #[serde(skip)]
    pub path: PathBuf,
    /// Folder of the template file; relative paths start here.
    #[serde(skip)]
    pub base_dir: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    pub width_mm: f32,
    pub height_mm: f32,
    pub margin_top_mm: f32,
    pub margin_bottom_mm: f32,
    pub margin_left_mm: f32,
    pub margin_right_mm: f32,
}

impl Page {
    /// Width available for content between the side margins.
    pub fn content_width_mm(&self) -> f32 {
        self.width_mm - self.margin_left_mm - self.margin_right_mm
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fonts {
    pub regular: Spanned<String>,
    pub bold: Spanned<String>,
    pub docx_family: String,
    pub language: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pdf {
    pub output_intent_icc: Spanned<String>,
    pub output_intent_name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sizes {
    pub header_pt: f32,
    pub title_pt: f32,
    pub subtitle_pt: f32,
    pub body_pt: f32,
    pub glossary_title_pt: f32,
    pub line_spacing: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub right_lines: Vec<String>,
    pub column_gap_mm: f32,
    pub space_after_mm: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitleStyle {
    pub space_after_mm: f32,
    /// Printed after a card's title where the card continues on another sheet: "(järg)".
    pub continuation_mark: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    pub why: Spanned<String>,
    pub roles: Spanned<String>,
    pub purpose: Spanned<String>,
    pub benefit: Spanned<String>,
    pub target_groups: Spanned<String>,
    pub competences: Spanned<String>,
    pub job_family: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub label_column_mm: f32,
    pub groups_column_mm: f32,
    pub border_pt: f32,
    pub cell_padding_mm: f32,
    pub paragraph_space_pt: f32,
    pub heading_fill: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryStyle {
    pub separator: String,
    pub entry_space_pt: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hyphenation {
    pub exceptions: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    pub date_format: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    pub mark: String,
    pub size_pt: f32,
    pub gray: f32,
}

/// The narrowest text column the table check accepts: room for a few letters.
const MIN_TEXT_WIDTH_MM: f32 = 5.0;

/// An RGB colour, each channel 0–255.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Template {
    /// Reads and checks the template file.
    pub fn load(path: &Path) -> Result<Template, Diagnostics> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Diagnostic::new(Some(path), format!("cannot read the template: {e}"))
                .help("give the annex template with --template FILE (default templates/lisa.toml)")
        })?;
        let file = SourceFile::new(path, text);
        let mut template: Template = toml::from_str(&file.text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            file.error_at(span, e.message().trim().to_string())
                .help("compare with the bundled templates/lisa.toml; every section and key there is required")
        })?;
        template.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        template.path = path.to_path_buf();
        template.check(&file).into_result(template)
    }

    /// The absolute (or working-folder relative) path of a path written in the template.
    pub fn resolve(&self, relative: &str) -> PathBuf {
        self.base_dir.join(relative)
    }

    /// The label texts in table order, with their template key.
    pub fn labels(&self) -> [(&'static str, &Spanned<String>); 7] {
        let l = &self.labels;
        [
            ("why", &l.why),
            ("roles", &l.roles),
            ("purpose", &l.purpose),
            ("benefit", &l.benefit),
            ("target_groups", &l.target_groups),
            ("competences", &l.competences),
            ("job_family", &l.job_family),
        ]
    }

    /// The heading fill as RGB (checked at load time).
    pub fn heading_fill(&self) -> Rgb {
        parse_hex_rgb(self.table.heading_fill.get_ref()).unwrap_or(Rgb(0xD9, 0xD9, 0xD9))
    }

    fn check(&self, file: &SourceFile) -> Diagnostics {
        let mut d = Diagnostics::default();
        for (key, label) in self.labels() {
            if label.get_ref().trim().is_empty() {
                d.push(
                    file.error_at(label.span(), format!("the label `labels.{key}` is empty"))
                        .field(format!("labels.{key}"))
                        .help("write the label text as it should stand in the table"),
                );
            }
        }
        if parse_hex_rgb(self.table.heading_fill.get_ref()).is_none() {
            d.push(
                file.error_at(self.table.heading_fill.span(), "not a colour")
                    .field("table.heading_fill")
                    .help("write six hexadecimal digits RRGGBB, e.g. \"D9D9D9\""),
            );
        }
        let format = self.registration.date_format.get_ref();
        let sample = chrono::NaiveDate::from_ymd_opt(2024, 3, 15).expect("a valid date");
        let mut rendered = String::new();
        if std::fmt::Write::write_fmt(&mut rendered, format_args!("{}", sample.format(format)))
            .is_err()
            || !rendered.contains("15")
        {
            d.push(
                file.error_at(
                    self.registration.date_format.span(),
                    "not a usable date format",
                )
                .field("registration.date_format")
                .help("use chrono's format codes, e.g. \"%d.%m.%Y\" for 15.03.2024"),
            );
        }
        let page = &self.page;
        let table = &self.table;
        let sizes = [
            ("page.width_mm", page.width_mm),
            ("page.height_mm", page.height_mm),
            ("sizes.header_pt", self.sizes.header_pt),
            ("sizes.title_pt", self.sizes.title_pt),
            ("sizes.subtitle_pt", self.sizes.subtitle_pt),
            ("sizes.body_pt", self.sizes.body_pt),
            ("sizes.glossary_title_pt", self.sizes.glossary_title_pt),
            ("sizes.line_spacing", self.sizes.line_spacing),
            ("table.label_column_mm", table.label_column_mm),
        ];
        for (key, value) in sizes {
            if !(value.is_finite() && value > 0.0) {
                d.push(
                    Diagnostic::new(Some(&file.path), format!("`{key}` must be more than 0"))
                        .field(key),
                );
            }
        }
        let content = page.content_width_mm();
        let min_cell = 2.0 * table.cell_padding_mm + MIN_TEXT_WIDTH_MM;
        if !(table.label_column_mm + min_cell < table.groups_column_mm
            && table.groups_column_mm + min_cell < content)
        {
            d.push(
                Diagnostic::new(Some(&file.path), format!(
                    "the columns do not fit: label {} mm < groups {} mm < page content width {content} mm is needed, with room for text in each",
                    table.label_column_mm, table.groups_column_mm
                ))
                .field("table")
                .help("make label_column_mm smaller than groups_column_mm, and that smaller than the page width minus the side margins"),
            );
        }
        if !(0.0..=1.0).contains(&self.draft.gray) {
            d.push(
                Diagnostic::new(Some(&file.path), "`draft.gray` must be between 0 and 1")
                    .field("draft.gray"),
            );
        }
        let vertical = page.margin_top_mm + page.margin_bottom_mm;
        if vertical >= page.height_mm || page.margin_left_mm + page.margin_right_mm >= page.width_mm
        {
            d.push(
                Diagnostic::new(Some(&file.path), "the margins leave no room on the page")
                    .field("page"),
            );
        }
        for (key, path) in [
            ("fonts.regular", &self.fonts.regular),
            ("fonts.bold", &self.fonts.bold),
            ("pdf.output_intent_icc", &self.pdf.output_intent_icc),
        ] {
            if !self.resolve(path.get_ref()).is_file() {
                d.push(
                    file.error_at(
                        path.span(),
                        format!(
                            "the file {} does not exist",
                            self.resolve(path.get_ref()).display()
                        ),
                    )
                    .field(key)
                    .help(
                        "the path is relative to the template file; fix it or copy the file there",
                    ),
                );
            }
        }
        d
    }
}

fn parse_hex_rgb(s: &str) -> Option<Rgb> {
    let s = s.trim_start_matches('#');
    if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&s[i..i + 2], 16).ok();
    Some(Rgb(channel(0)?, channel(2)?, channel(4)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_colours() {
        assert_eq!(parse_hex_rgb("D9d9D9"), Some(Rgb(0xD9, 0xD9, 0xD9)));
        assert_eq!(parse_hex_rgb("#000000"), Some(Rgb(0, 0, 0)));
        assert_eq!(parse_hex_rgb("D9D9"), None);
        assert_eq!(parse_hex_rgb("GGGGGG"), None);
    }
}
